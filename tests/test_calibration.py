"""Registry defaults agree with the bundled trend data they cite."""

from __future__ import annotations

import math

import numpy as np
import pytest

from takeoff.calibration import horizon_doublings_per_oom
from takeoff.classics import compute_trend, metr
from takeoff.params.schema import registry


def test_horizon_mapping_default_matches_metr_and_epoch_data():
    calibrated = horizon_doublings_per_oom()
    assert calibrated["doubling_days"] == pytest.approx(196.5, abs=1.0)  # METR's own figure
    assert registry()["horizon_doublings_per_oom"].default == pytest.approx(
        calibrated["doublings_per_oom"], rel=0.05
    )


def test_largest_run_2026_matches_the_epoch_frontier():
    """Issue 11: the 2026 largest run is the Epoch record at 2026.0 (Grok 3, 4.6e26 FLOP) and
    the frontier trend's value there, not a 4-5x/yr extrapolation of the record (2e27)."""
    record = compute_trend.largest_run_at("2025-12-31")
    fit = compute_trend.fit_growth(compute_trend.frontier_runs())
    trend = 10.0 ** (fit["intercept"] + fit["slope_log10_per_year"] * 2026.0)
    default = registry()["largest_training_run_2026"].default
    for observed in (record, trend):
        assert abs(math.log10(default / observed)) < 0.1  # within a factor 1.26


def test_metr_horizon_2026_is_the_latest_frontier_model():
    frame = metr.load_metr("1.1")
    latest = frame.sort_values("release_date").iloc[-1]
    assert registry()["metr_horizon_2026"].default == pytest.approx(latest["p50_minutes"], rel=0.01)


def test_model_2026_horizon_growth_matches_the_metr_trend():
    """In its first year the default model's METR horizon doubles about as fast as METR's
    all-time frontier trend (196 days): the largest run outgrows the fleet as it has
    historically (training.log_run_share_step), so effective compute grows ~10x/yr."""
    import numpy as np

    import takeoff

    result = takeoff.simulate(end_year=2028)
    years, horizon = result.years, result.series["time_horizon_minutes"][:, 0]
    one_year = np.searchsorted(years, 2027.0)
    doubling_days = 365.25 * np.log(2) / np.log(horizon[one_year] / horizon[0])
    assert doubling_days == pytest.approx(horizon_doublings_per_oom()["doubling_days"], rel=0.25)


# ---------------------------------------------------------------- issue 11, item 3: the 2026 state
# against the bundled observations (src/takeoff/data/observations.csv, docs/data.md).


@pytest.fixture(scope="module")
def default_run():
    from takeoff import api

    return api.simulate("default", dt=0.1, end_year=2028.0)


def _model_at(run, series: str, year: float) -> float:
    return float(run.series[series][int(np.argmin(abs(run.years - year))), 0])


def test_2026_observations_agree_with_the_default_run(default_run):
    """Every observation dated 2026.0-2026.5 agrees with the model's value at its date, within
    the interval and tolerance of its mapping (value at year, floor or proxy).

    Left out: the records-only trend line of the largest run (2.5e27; docs/data.md explains why
    it is not used) and Epoch's September-2026 chip count of installed compute (1.94e22 FLOP/s,
    counting every chip sold since 2022 with none retired); the January-2026 figure is kept.
    """
    from takeoff.data.observations import agrees, load_observations, series_mapping

    rows = load_observations()
    rows = rows[(rows["year"] >= 2026.0) & (rows["year"] <= 2026.5)]
    rows = rows[~((rows["series"] == "largest_training_run") & (rows["value"] > 1e27))]
    rows = rows[~((rows["series"] == "compute") & (rows["value"] > 1.9e22))]
    mapping = series_mapping()
    model = [
        _model_at(default_run, mapping[s].model_series, y)
        for s, y in zip(rows["series"], rows["year"], strict=True)
    ]
    ok = agrees(rows, model)
    assert len(rows) >= 8
    bad = [
        f"{s}@{y}: model {m:.3g} vs observed {v:.3g} [{lo:.3g}, {hi:.3g}]"
        for s, y, v, lo, hi, m, good in zip(
            rows["series"],
            rows["year"],
            rows["value"],
            rows["low"],
            rows["high"],
            model,
            ok,
            strict=True,
        )
        if not good
    ]
    assert not bad, bad


def test_ai_revenue_2026_is_at_least_the_two_largest_labs(default_run):
    from takeoff.data.observations import load_observations

    rows = load_observations()
    at_2026 = rows[(rows["year"] == 2026.0) & rows["series"].str.startswith("ai_revenue_")]
    floor = at_2026.groupby("series")["value"].max().sum()  # OpenAI + Anthropic
    assert floor > 2e10
    assert _model_at(default_run, "ai_revenue", 2026.0) >= floor


@pytest.mark.parametrize(
    ("observed", "model", "years", "factor"),
    [
        ("compute", "compute", (2025.0, 2026.0), 2.0),
        ("ai_revenue_openai", "ai_revenue", (2025.0, 2026.0), 2.0),
        ("hyperscaler_capex", "ai_capex", (2025.5, 2026.5), 1.5),
    ],
)
def test_2026_growth_continues_the_observed_growth(default_run, observed, model, years, factor):
    """The model's first-year growth (2026 -> 2027) is within ``factor`` of the last observed
    year's growth: the 2023-2025 points are checked through the growth they imply."""
    from takeoff.data.observations import load_observations

    rows = load_observations()
    rows = rows[rows["series"] == observed].groupby("year")["value"].min()
    observed_growth = rows[years[1]] / rows[years[0]]
    start = max(years[1], 2026.0)
    model_growth = _model_at(default_run, model, start + 1.0) / _model_at(default_run, model, start)
    assert observed_growth / factor <= model_growth <= observed_growth * factor, (
        observed_growth,
        model_growth,
    )
