"""The playground in a real browser: headless Chromium (Debian's) driven by Playwright.

A uvicorn server runs in a thread on a free port. The test loads the page, moves a
slider, checks that a chart and a milestone change, switches worldview, reloads the
copied link and gets the same view, runs the Monte Carlo and compare views, exports
data and a chart, takes screenshots into test-artifacts/ and asserts that the page
logged no JavaScript error and asked nothing of any other host.

Set TAKEOFF_DOCS_SCREENSHOT=1 to also refresh docs/img/playground.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    script = ROOT / "scripts" / "install_chromium.sh"
    if script.exists() and shutil.which("apt-get"):
        try:
            subprocess.run(["bash", str(script)], check=False, timeout=900, capture_output=True)
        except (OSError, subprocess.TimeoutExpired):
            pass
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} and could not be installed here")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app, start_seconds: float):
    """Run ``app`` with uvicorn on a free port in a thread; yield its URL, then stop it."""
    uvicorn = pytest.importorskip("uvicorn")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_seconds
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server():
    pytest.importorskip("fastapi")
    from takeoff.web.server import create_app

    yield from serve(create_app(), 20)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    _ensure_chromium()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Console errors, page errors, failed and off-host requests of one page."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((base, "data:", "blob:")) else self.foreign.append(r.url)
            ),
        )

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"


def _new_page(browser, base):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(30_000)
    return page, Watch(page, base)


def _wait_ready(page):
    page.wait_for_selector("body[data-state=ready]")
    page.wait_for_function("document.querySelector('#status').dataset.state === 'ok'")


def _renders(page) -> int:
    return int(page.get_attribute("#charts", "data-renders") or 0)


def _chart_image(page, chart_id: str) -> str:
    return page.eval_on_selector(f"[data-chart={chart_id}] canvas", "c => c.toDataURL('image/png')")


def _milestone(page, name: str) -> str:
    return page.inner_text(f"#milestones [data-milestone={name}] .year")


def _move_slider(page, param: str, key: str, times: int) -> None:
    before = _renders(page)
    slider = page.locator(f"[data-param={param}] input[type=range]")
    slider.focus()
    for _ in range(times):
        page.keyboard.press(key)
        time.sleep(0.02)
    # the page debounces and keeps one request in flight; wait for the last value to land
    page.wait_for_function(f"Number(document.querySelector('#charts').dataset.renders) > {before}")
    page.wait_for_function(
        "!window.__takeoff.inflight && !window.__takeoff.pending"
        " && window.__takeoff.runKey !== null"
        " && document.querySelector('#status').dataset.state === 'ok'"
    )
    page.wait_for_function(
        "(() => { const a = window.__takeoff; return a.runKey === JSON.stringify([a.state.scenario,"
        " Object.entries(a.state.overrides).sort(), a.state.dt, a.state.end]); })()"
    )


def _view_snapshot(page) -> dict:
    return {
        "scenario": page.input_value("#scenario"),
        "dt": page.input_value("#dt"),
        "end": page.input_value("#end-year"),
        "params": page.eval_on_selector_all(
            ".param",
            "rows => rows.map(r => [r.dataset.param, r.querySelector('input[type=text]').value])",
        ),
        "milestones": page.inner_text("#milestones"),
        "view": page.get_attribute("#tab-explore", "aria-selected"),
    }


def test_playground_end_to_end(server, browser, tmp_path):
    from takeoff.scenarios.loader import builtin_names

    ARTIFACTS.mkdir(exist_ok=True)
    page, watch = _new_page(browser, server)
    page.goto(server + "/")
    _wait_ready(page)
    assert page.input_value("#scenario") == "default"
    assert page.locator("#charts .chart-card").count() == 6
    assert page.locator("[data-param] input[type=range]").count() >= 10

    # the tooltip carries the parameter's source
    page.hover("[data-param=flop_gap_oom] .info")
    tip = page.inner_text("[data-param=flop_gap_oom] .tip")
    assert "Source:" in tip and "FTM" in tip

    # move a slider: a chart and a milestone change, the URL records it
    chart_before = _chart_image(page, "automation")
    ms_before = _milestone(page, "automatable_50pct")
    _move_slider(page, "full_automation_requirement", "ArrowRight", 12)
    assert _milestone(page, "automatable_50pct") != ms_before
    assert _chart_image(page, "automation") != chart_before
    assert "p.full_automation_requirement=" in page.url
    assert "later" in (
        page.get_attribute("#milestones [data-milestone=automatable_50pct] td.delta", "class") or ""
    )
    if os.environ.get("TAKEOFF_DOCS_SCREENSHOT"):
        (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
        page.mouse.move(10, 10)
        page.screenshot(path=str(ROOT / "docs" / "img" / "playground.png"))

    # switch worldview (overrides are cleared), then change another parameter
    others = [n for n in builtin_names() if n != "default"]
    if others:
        target = others[0]
        before = _renders(page)
        page.select_option("#scenario", target)
        page.wait_for_function(
            f"Number(document.querySelector('#charts').dataset.renders) > {before}"
        )
        page.wait_for_function("document.querySelector('#status').dataset.state === 'ok'")
        assert f"scenario={target}" in page.url
        assert "p.full_automation_requirement" not in page.url
    _move_slider(page, "diffusion_years", "ArrowLeft", 15)
    assert "p.diffusion_years=" in page.url

    # copy the link; a fresh page opened on it shows the same view
    page.click("#copy-link")
    link = page.input_value("#share-url")
    assert link == page.url
    snapshot = _view_snapshot(page)
    page.screenshot(path=str(ARTIFACTS / "playground-explore.png"), full_page=True)

    page2, watch2 = _new_page(browser, server)
    page2.goto(link)
    _wait_ready(page2)
    assert _view_snapshot(page2) == snapshot
    assert page2.url == link

    # exports: CSV and JSON of the data, PNG of a chart
    with page2.expect_download() as info:
        page2.click("#export-csv")
    csv_path = tmp_path / "run.csv"
    info.value.save_as(csv_path)
    header = csv_path.read_text().splitlines()[0].split(",")
    assert header[0] == "year" and "automated_share" in header
    with page2.expect_download() as info:
        page2.click("#export-json")
    json_path = tmp_path / "run.json"
    info.value.save_as(json_path)
    assert '"milestones"' in json_path.read_text()
    with page2.expect_download() as info:
        page2.click("[data-chart=compute] .png")
    png_path = tmp_path / "chart.png"
    info.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    watch.check()
    watch2.check()
    page.close()
    page2.close()


def test_monte_carlo_and_compare_views(server, browser):
    from takeoff.scenarios.loader import builtin_names, load_scenario

    sampled = [n for n in builtin_names() if load_scenario(n).distributions]
    name = sampled[0] if sampled else "default"
    page, watch = _new_page(browser, server)
    page.goto(f"{server}/#view=mc&scenario={name}&dt=0.5&end=2080&n=200&seed=1")
    page.wait_for_selector("#mc-charts[data-renders]", timeout=60_000)
    page.wait_for_function("document.querySelector('#status').dataset.state === 'ok'")
    assert page.get_attribute("#tab-mc", "aria-selected") == "true"
    assert page.locator("#mc-charts .chart-card").count() >= 8  # fans + milestone CDFs
    assert page.locator("[data-chart=mc-cdf] canvas").count() == 1
    assert page.locator("#mc-table tbody tr").count() >= 5
    assert "200 samples" in page.inner_text("#status")
    if sampled:
        assert "Sampled:" in page.inner_text("#mc-note")
    page.screenshot(path=str(ARTIFACTS / "playground-mc.png"), full_page=True)

    page.click("#tab-compare")
    page.wait_for_selector("#cmp-charts[data-renders]", timeout=60_000)
    page.wait_for_function("document.querySelector('#status').dataset.state === 'ok'")
    n_views = min(len(builtin_names()), 8)
    assert page.locator("#cmp-table thead th").count() == 1 + n_views
    assert "view=compare" in page.url
    if n_views > 1:  # untick one worldview: the table loses a column
        before = int(page.get_attribute("#cmp-charts", "data-renders"))
        page.locator("#cmp-choices input").nth(1).uncheck()
        page.wait_for_function(
            f"Number(document.querySelector('#cmp-charts').dataset.renders) > {before}"
        )
        assert page.locator("#cmp-table thead th").count() == n_views
        assert "cmp=" in page.url
    page.screenshot(path=str(ARTIFACTS / "playground-compare.png"), full_page=True)
    watch.check()
    page.close()


def test_api_docs_render_offline(server, browser):
    page, watch = _new_page(browser, server)
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    text = page.inner_text(".swagger-ui")
    assert "/api/run" in text and "/api/montecarlo" in text and "/api/compare" in text
    watch.check()
    page.close()


def test_descriptions_render_code_spans_as_code(server, browser):
    """Backticks in descriptions become <code>; any HTML in them stays text."""
    import re

    from takeoff.scenarios.loader import load_scenario

    page, watch = _new_page(browser, server)
    page.goto(server + "/")
    _wait_ready(page)
    description = load_scenario("default").description
    assert "`" not in page.inner_text("#scenario-desc")
    spans = re.findall(r"`([^`]+)`", description)
    codes = page.eval_on_selector_all("#scenario-desc code", "els => els.map(e => e.textContent)")
    assert codes == spans
    html = page.evaluate(
        """() => { const d = document.createElement('div');
        d.append(...window.__takeoff.richText('a `<b>x</b>` & <i>y</i>, ``, `z'));
        return d.innerHTML; }"""
    )
    assert html == "a <code>&lt;b&gt;x&lt;/b&gt;</code> &amp; &lt;i&gt;y&lt;/i&gt;, , `z"
    watch.check()
    page.close()
