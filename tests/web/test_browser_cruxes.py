"""The playground's "Why they differ" view and the worldview colours, in headless Chromium.

Uses the server and browser of ``test_browser.py`` (a local uvicorn and Debian's Chromium,
no network): the view is opened from a link, explains a pair of worldviews with a small
sample, and draws one waterfall bar, table row and sentence per group of parameters.
"""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser import ARTIFACTS, _new_page, browser, server  # noqa: F401

pytestmark = pytest.mark.browser


def _pair(server_url: str) -> tuple[str, str]:
    """Two worldviews the server lists (it leaves out any that fail to load)."""
    import httpx

    names = [s["name"] for s in httpx.get(server_url + "/api/scenarios").json()]
    if len(names) < 2:
        pytest.skip("fewer than two worldviews load")
    a = "default" if "default" in names else names[0]
    return a, next(n for n in names if n != a)


def test_why_they_differ_view(server, browser):  # noqa: F811
    a, b = _pair(server)
    page, watch = _new_page(browser, server)
    page.goto(f"{server}/#view=cruxes&cxa={a}&cxb={b}&cxn=16&dt=1")
    page.wait_for_selector("#cx-chart[data-renders]", timeout=120_000)
    page.wait_for_function("document.querySelector('#status').dataset.state === 'ok'")
    assert page.get_attribute("#tab-cruxes", "aria-selected") == "true"
    cx = page.evaluate("window.__takeoff.cx")
    assert (cx["a"], cx["b"], cx["n_samples"]) == (a, b, 16)
    n = len(cx["groups"])
    assert n >= 1
    assert page.locator("#cx-chart svg rect.bar").count() == n
    assert page.locator("#cx-chart svg circle").count() == n  # alone-into-A markers
    assert page.locator("#cx-table tbody tr").count() == n
    assert page.locator("#cx-sentences li").count() == n
    summary = page.inner_text("#cx-summary")
    assert a in summary and b in summary and "SE" in summary
    for key in ("cxa=", "cxb=", "cxn=16", "view=cruxes"):
        assert key in page.url
    # another measure: the note asks to press Explain, Explain runs it
    page.select_option("#cx-metric", "prob-by")
    assert "press Explain" in page.inner_text("#cx-note")
    assert page.input_value("#cx-arg") == "2035"
    before = int(page.get_attribute("#cx-chart", "data-renders"))
    page.click("#cx-run")
    page.wait_for_function(
        f"Number(document.querySelector('#cx-chart').dataset.renders) > {before}", timeout=120_000
    )
    assert page.evaluate("window.__takeoff.cx.unit") == "pp"
    assert "cxmetric=prob-by" in page.url and "cxarg=2035" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground-cruxes.png"), full_page=True)
    watch.check()
    page.close()


def test_compare_view_colours_each_worldview_by_its_own_colour(server, browser):  # noqa: F811
    import httpx

    expected = {s["name"]: s["colour"] for s in httpx.get(server + "/api/scenarios").json()}
    page, watch = _new_page(browser, server)
    page.goto(f"{server}/#view=compare&dt=1")
    page.wait_for_selector("#cmp-charts[data-renders]", timeout=60_000)
    shown = page.eval_on_selector_all(
        "#cmp-table thead th[data-scenario]",
        "els => els.map(e => [e.dataset.scenario, e.style.color])",
    )
    assert len(shown) >= 2

    def rgb(hex_colour: str) -> str:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgb({r}, {g}, {b})"

    for name, colour in shown:
        assert colour == rgb(expected[name]), name
    colours = [c for _, c in shown]
    assert len(set(colours)) == len(colours), "two worldviews share a colour"
    assert all(re.fullmatch(r"rgb\(\d+, \d+, \d+\)", c) for c in colours)
    watch.check()
    page.close()
