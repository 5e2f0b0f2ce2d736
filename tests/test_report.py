"""The HTML comparison report: content, self-containment and rendering in headless Chromium."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from takeoff.cli import app
from takeoff.report.compare import load_worldviews, run_worldviews
from takeoff.report.html import write_report
from takeoff.report.narrative import divergence, narrative
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_mc_cli import write_test_worldviews

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("worldviews", "summary", "narrative", "fan-charts", "cdfs", "parameters")


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    paths = write_test_worldviews(tmp_path_factory.mktemp("worldviews"))
    return run_worldviews(load_worldviews(list(paths)), n_samples=100, seed=5)


@pytest.fixture(scope="module")
def report(views, tmp_path_factory) -> Path:
    return write_report(views, tmp_path_factory.mktemp("report") / "report.html")


def test_report_has_sections_figures_and_tables(report, views):
    html = report.read_text()
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    assert html.count('<figure class="fan">') == 3
    assert html.count('<figure class="cdf">') == 6
    assert html.count("<svg") == 9
    for view in views:
        assert f'id="params-{view.key}"' in html
    # parameter table: the scenario's own source, the registry unit and a distribution
    assert "test: early" in html and "FLOP (2026 algorithms)" in html
    assert "lognormal(median=1e+33, sd_log10=0.8)" in html
    assert "P(automated_100pct by 2035)" in html


def test_report_is_self_contained(report):
    html = report.read_text()
    assert "<script" not in html  # no JavaScript at all
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"url\((?!#)", html), "only in-document url(#id) references allowed"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert not re.search(r"https?://", html), "no external URL of any kind"


def test_narrative_is_computed_from_the_numbers(views):
    facts = divergence(views)
    medians = {
        v.key: v.summary["automated_100pct"]["p50"] or math.inf
        for v in views
    }  # fmt: skip
    assert facts.order[0][0] == min(medians, key=medians.get) == "early-view"
    assert facts.order[-1][0] == "late-view"
    assert facts.spread == pytest.approx(medians["late-view"] - medians["early-view"])
    top = [name for name, *_ in facts.top_parameters]
    assert "full_automation_requirement" in top and "diffusion_years" in top
    assert {k for k, _, _ in facts.cruxes} == {"early-view", "late-view"}
    text = " ".join(narrative(views))
    assert "<b>early-view</b> is earliest" in text
    assert f"{facts.spread:.0f} years apart" in text
    # Swap the order of the views: the text follows the numbers, not the input order.
    assert "<b>early-view</b> is earliest" in " ".join(narrative(views[::-1]))


def test_compare_cli_writes_report(tmp_path):
    paths = write_test_worldviews(tmp_path / "views")
    target = tmp_path / "out" / "cmp.html"
    result = CliRunner().invoke(
        app, ["compare", *paths, "-n", "20", "--report", str(target)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert target.exists() and "<svg" in target.read_text()
    assert f"wrote {target}" in " ".join(result.stdout.split())


def _ensure_chromium() -> str:
    if not Path(CHROMIUM).exists():
        script = ROOT / "scripts" / "install_chromium.sh"
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not Path(CHROMIUM).exists():
            pytest.skip(f"Chromium not installable here: {done.stderr.strip()[-300:]}")
    return str(CHROMIUM)


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_report_renders_in_headless_chromium(report):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'takeoff[test]'")
    executable = _ensure_chromium()
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load")
            assert errors == []
            assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
            assert page.title() == "takeoff — worldviews compared"
            for section in SECTIONS:
                assert page.locator(f"section#{section}").is_visible()
            figures = page.locator("figure svg")
            assert figures.count() == 9
            for i in range(figures.count()):
                box = figures.nth(i).bounding_box()
                assert box is not None and box["width"] > 300 and box["height"] > 150
            assert page.locator("#summary table tbody tr").count() >= 10
            assert page.locator("#narrative p").count() >= 3
            text = page.locator("#narrative").inner_text()
            assert "early-view is earliest" in text
            page.screenshot(path=str(report.with_suffix(".png")), full_page=True)
        finally:
            browser.close()
    assert report.with_suffix(".png").stat().st_size > 10_000
