"""The playground's "Update on evidence" view (POST /api/update) in headless Chromium.

Uses the server and browser of ``test_browser.py`` (a local uvicorn and Debian's Chromium,
no network). A small prior (400 samples) keeps it quick: the first update runs the
worldview's Monte Carlo, the later ones reweight the cached one.
"""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser import (  # noqa: F401
    ARTIFACTS,
    _chart_image,
    _new_page,
    browser,
    serve,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    """The playground on a free port, with the NumPy backend: /api/update runs NumPy Monte
    Carlo anyway, and no JAX compilation delays the start on a busy machine."""
    pytest.importorskip("fastapi")
    from takeoff.web.server import Limits, create_app

    yield from serve(create_app(Limits(backend="numpy")), 60)


#: Chromium logs every 4xx answer to fetch() as a console error; the 422s are the point here.
REFUSED = "the server responded with a status of 422"


def _renders(page) -> int:
    return int(page.get_attribute("#up-results-all", "data-renders") or 0)


def _press_update(page) -> None:
    before = _renders(page)
    page.click("#up-run")
    page.wait_for_function(
        "n => Number(document.querySelector('#up-results-all').dataset.renders || 0) > n",
        arg=before,
        timeout=120_000,
    )


def _press_update_expecting_error(page) -> str:
    page.click("#up-run")
    page.wait_for_selector("#up-error:not([hidden])", timeout=120_000)
    page.wait_for_function("document.querySelector('#status').dataset.state === 'error'")
    return page.inner_text("#up-error")


def _years(text: str) -> list[float]:
    return [float(y) for y in re.findall(r"\b20\d\d\.\d\b", text)]


def test_update_view_updates_on_an_observation_and_shows_refusals(server, browser):  # noqa: F811
    page, watch = _new_page(browser, server)
    # an empty box: opening the view runs nothing
    page.goto(f"{server}/#view=update&ups=amodei&upn=400&upo=")
    page.wait_for_selector("#view-update:not([hidden])")
    page.wait_for_function("document.querySelector('#up-scenario').value === 'amodei'")
    assert page.get_attribute("#tab-update", "aria-selected") == "true"
    assert page.input_value("#up-n") == "400"
    assert _renders(page) == 0
    # the refusal of an empty request is said next to the box
    page.click("#up-run")
    assert "at least one observation" in page.inner_text("#up-error")

    page.fill("#up-obs", "ai_revenue_growth=8@2027")
    _press_update(page)
    page.wait_for_function("document.querySelector('#status').dataset.state === 'ok'")
    assert page.is_hidden("#up-error")
    result = page.evaluate("window.__takeoffViews.update.view.result")
    update = result["update"]
    assert (result["scenario"], result["samples"]) == ("amodei", 400)
    assert update["observations"][0]["observation"] == "ai_revenue_growth=8@2027"
    ess = update["effective_sample_size"]
    assert 100 <= ess <= 400
    assert page.inner_text("#up-ess") == f"{round(ess):,}"
    assert "of 400 prior samples" in page.inner_text("#up-summary")
    # milestones: one row each, prior and posterior bands, the median's shift
    rows = page.locator("#up-milestones tbody tr")
    assert rows.count() == len(update["milestones"])
    geniuses = update["milestones"]["country_of_geniuses"]
    row = page.locator("#up-milestones tr[data-milestone=country_of_geniuses]")
    assert "headline" in (row.get_attribute("class") or "")
    prior_cell = row.locator("td.prior").inner_text()
    posterior_cell = row.locator("td.posterior").inner_text()
    assert _years(prior_cell)[0] == pytest.approx(geniuses["prior"]["p50"], abs=0.051)
    assert _years(posterior_cell)[0] == pytest.approx(geniuses["posterior"]["p50"], abs=0.051)
    shift = geniuses["posterior"]["p50"] - geniuses["prior"]["p50"]
    assert row.locator("td.delta").inner_text() in (
        f"{shift:+.1f} yr",
        "±0",
    )
    # the observation, the parameters moved, the chart (two bands per charted milestone)
    obs = page.locator("#up-observations tbody tr")
    assert obs.count() == 1 and "8 x/yr" in obs.inner_text()
    assert page.locator("#up-parameters tbody tr").count() == min(8, len(update["parameters"]))
    charted = page.locator("#up-chart svg g[data-milestone]").count()
    assert charted >= 6
    assert page.locator("#up-chart svg line.band").count() == 2 * charted
    for key in ("view=update", "ups=amodei", "upn=400", "upo=ai_revenue_growth"):
        assert key in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground-update.png"), full_page=True)

    # a bad observation: the API's message, next to the box; the result stays
    page.fill("#up-obs", "power=9@2028")
    message = _press_update_expecting_error(page)
    assert "unknown series 'power'" in message and "power_gw" in message
    assert "press Update" in page.inner_text("#up-note")
    assert "invalid" in page.get_attribute("#up-obs", "class")
    # a too-short line is named by its line in the box (blank and # lines skipped)
    page.fill("#up-obs", "ai_revenue_growth=8@2027\n\n# a comment\nab")
    assert "line 4" in _press_update_expecting_error(page)
    # observations far in the tail: the effective-sample-size refusal
    page.fill("#up-obs", "ai_revenue_growth=40@2027±1%")
    assert "effective sample size" in _press_update_expecting_error(page)
    # a worldview without distributions is refused with the API's reason
    page.select_option("#up-scenario", "default")
    page.fill("#up-obs", "power_gw=90@2028")
    assert "no parameter distributions" in _press_update_expecting_error(page)
    assert "no parameter distributions" in page.inner_text("#up-note")
    # fixed again: the error goes away
    page.select_option("#up-scenario", "amodei")
    page.fill("#up-obs", "ai_revenue_growth=8@2027")
    _press_update(page)
    assert page.is_hidden("#up-error")

    assert watch.foreign == []
    assert watch.errors and all(REFUSED in e for e in watch.errors), watch.errors
    page.close()


#: The uPlot data of the update view's CDF chart: [years, prior %, posterior %].
CDF_DATA = "window.__takeoff.charts.update.map((c) => c.u.data.map((col) => Array.from(col)))"


def _pct(values: list[float]) -> list[float]:
    return [100 * v for v in values]


def _check_cdf_chart(data, years: list[float], pair: dict) -> None:
    """The chart draws the API's CDFs on a window of its years outside which both are flat
    (0 before, their last value after)."""
    start = years.index(data[0][0])
    stop = start + len(data[0])
    assert data[0] == years[start:stop] and len(data[0]) >= 13
    for key, column in zip(("prior", "posterior"), data[1:], strict=True):
        values = pair[key]
        assert column == pytest.approx(_pct(values[start:stop]))
        assert all(v == 0 for v in values[:start])
        assert all(v == values[-1] for v in values[stop - 1 :])


def test_update_view_draws_the_weighted_cdfs(server, browser):  # noqa: F811
    page, watch = _new_page(browser, server)
    page.goto(f"{server}/#view=update&ups=amodei&upn=400&upo=ai_revenue_growth%3D8%402027")
    page.wait_for_function(
        "Number(document.querySelector('#up-cdf').dataset.renders || 0) > 0", timeout=120_000
    )
    update = page.evaluate("window.__takeoffViews.update.view.result.update")
    cdf = update["cdf"]
    # one chart, the headline milestone's prior and posterior CDFs as the API gives them
    card = page.locator("#up-cdf .chart-card[data-chart=up-cdf]")
    assert card.count() == 1 and card.get_attribute("data-milestone") == "country_of_geniuses"
    assert "P(reached by year)" in card.inner_text()
    assert page.input_value("#up-cdf-milestone") == "country_of_geniuses"
    assert page.locator("#up-cdf-milestone option").count() == len(cdf["milestones"])
    (data,) = page.evaluate(CDF_DATA)
    pair = cdf["milestones"]["country_of_geniuses"]
    _check_cdf_chart(data, cdf["years"], pair)
    assert pair["posterior"] != pair["prior"]  # the evidence moved it
    labels = page.evaluate("window.__takeoff.charts.update[0].u.series.map((s) => s.label)")
    assert labels[1:] == ["prior", "after the evidence"]
    legend = page.locator("#up-cdf .u-legend").inner_text()
    assert "prior" in legend and "after the evidence" in legend
    # another milestone from the menu: redrawn with its CDFs, and kept in the link
    before = _chart_image(page, "up-cdf")
    page.select_option("#up-cdf-milestone", "automated_coder")
    page.wait_for_selector("#up-cdf .chart-card[data-milestone=automated_coder]")
    (data,) = page.evaluate(CDF_DATA)
    _check_cdf_chart(data, cdf["years"], cdf["milestones"]["automated_coder"])
    assert _chart_image(page, "up-cdf") != before
    assert "upm=automated_coder" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "playground-update-cdf.png"))
    watch.check()
    # the link reproduces the choice
    link = page.url
    page.close()
    page, watch = _new_page(browser, server)
    page.goto(link)
    page.wait_for_function(
        "Number(document.querySelector('#up-cdf').dataset.renders || 0) > 0", timeout=120_000
    )
    assert page.input_value("#up-cdf-milestone") == "automated_coder"
    assert page.get_attribute("#up-cdf .chart-card", "data-milestone") == "automated_coder"
    watch.check()
    page.close()


def test_what_would_change_this_views_mind(server, browser):  # noqa: F811
    page, watch = _new_page(browser, server)
    page.goto(f"{server}/#view=update&ups=amodei&upn=400&upo=")
    page.wait_for_function("document.querySelector('#up-scenario').value === 'amodei'")
    page.check("#up-whatif")
    _press_update(page)
    result = page.evaluate("window.__takeoffViews.update.view.result")
    assert result["update"] is None  # no observations: the what-if table only
    assert page.is_hidden("#up-results") and page.is_visible("#up-whatif-box")
    what_if = result["what_if"]
    assert what_if["milestone"] == "country_of_geniuses"
    assert "country of geniuses" in page.inner_text("#up-whatif-title")
    rows = page.locator("#up-whatif-table tbody tr")
    assert rows.count() == len(what_if["cases"]) == 4
    kinds = set()
    for i, case in enumerate(what_if["cases"]):
        text = rows.nth(i).inner_text()
        assert case["label"] in text
        if case["posterior"] is None:
            kinds.add("tail")
            assert "too far in the prior's tail" in text
        else:
            kinds.add("moved")
            assert f"{round(case['ess']):,}" in text
            assert f"{case['posterior']['p50']:.1f}" in text
    # at 400 samples the 10x and 100 GW cases are close to the prior, 3x and 40 GW are not
    assert kinds == {"tail", "moved"}
    assert "upw=1" in page.url
    # "use" puts a case's observations in the box
    rows.nth(0).locator("button").click()
    assert page.input_value("#up-obs") == "\n".join(what_if["cases"][0]["observations"])
    # with observations too, both parts show
    _press_update(page)
    assert page.is_visible("#up-results") and page.is_visible("#up-whatif-box")
    assert page.evaluate("window.__takeoffViews.update.view.result.cached") is True
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground-update-what-if.png"), full_page=True)
    # the list of observable series, and clicking one adds a line for it
    page.click("#up-series-box summary")
    page.wait_for_selector("#up-series tr[data-series=power_gw]")
    assert "GW" in page.inner_text("#up-series tr[data-series=power_gw]")
    page.click("#up-series tr[data-series=power_gw] button")
    assert page.input_value("#up-obs").endswith("\npower_gw=")
    watch.check()
    page.close()
