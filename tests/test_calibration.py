"""Registry defaults agree with the bundled trend data they cite."""

from __future__ import annotations

import math

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


def test_largest_run_2026_extrapolates_the_epoch_frontier():
    latest = compute_trend.largest_run_at("2025-12-31")
    growth = compute_trend.fit_growth(compute_trend.frontier_runs())["growth_per_year"]
    # the latest run in the data (Grok 3, Feb 2025) grown to 2026-01-01 at the frontier rate
    extrapolated = latest * growth ** (2026.0 - 2025.13)
    default = registry()["largest_training_run_2026"].default
    assert abs(math.log10(default / extrapolated)) < 0.15  # within a factor 1.4


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
