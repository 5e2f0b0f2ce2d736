"""Every worldview's first year against what was observed just before it.

The default run's 2026 state and first-year growth are checked in ``tests/test_calibration.py``;
here the same check runs on each worldview's Monte Carlo (medians), so a view whose sampled
beliefs contradict what had already happened by 2026 shows up as a failing (or strict xfail)
row rather than only in the docs.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from takeoff.evidence.first_year import FACTOR, first_year, observed
from takeoff.uncertainty.montecarlo import run_mc

WORLDVIEWS = (
    "default",
    "besiroglu-erdil",
    "amodei",
    "software-explosion",
    "epoch-gate",
    "ftm",
    "baumol-skeptic",
)
GAPS = {
    "baumol-skeptic": "with task rho ~ -2.5 the price of automated work falls faster than AI does "
    "more of it, so AI revenue falls ~11x in 2027 (median) where it grew 3-10x a year in "
    "2024-2026; the capex plan is then revised down (docs/worldviews.md, baumol-skeptic)",
}


def with_gaps(gaps: dict[str, str]) -> list:
    """Every worldview; those in ``gaps`` as strict xfails with the reason given."""
    return [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, raises=AssertionError, reason=gaps[name])]
            if name in gaps
            else [],
        )
        for name in WORLDVIEWS
    ]


@cache
def _revenue(name: str) -> tuple[np.ndarray, np.ndarray]:
    """AI revenue per sample at 2026.0 and 2027.0."""
    mc = run_mc(name, 300, 0, end_year=2028, keep_trajectories=True)
    years = np.asarray(mc.years)
    revenue = mc.trajectories["ai_output_share"] * mc.trajectories["gwp"]
    return revenue[np.argmin(abs(years - 2026))], revenue[np.argmin(abs(years - 2027))]


def test_the_observed_range_is_the_two_labs_growth():
    seen = observed()
    assert seen.slowest_growth == pytest.approx(20e9 / 6e9)  # OpenAI, 2025.0 -> 2026.0
    assert seen.fastest_growth == pytest.approx(9.5)  # Anthropic
    assert seen.labs_run_rate == pytest.approx(20e9 + 9.5e9)  # their run rates at 2026.0


def test_first_year_checks_on_made_up_samples():
    low, high = observed().slowest_growth, observed().fastest_growth
    start = np.full(100, 6e10)
    ok = first_year(start, start * low)
    assert ok.growth_ok and ok.start_ok and ok.share_started == 1.0
    assert not first_year(start, start * low / (FACTOR * 1.01)).growth_ok
    assert not first_year(start, start * high * FACTOR * 1.01).growth_ok
    short = start.copy()
    short[:3] = 0.0  # 3% of samples without revenue: below the 98% required
    check = first_year(short, short * 3.0 + 1.0)
    assert not check.start_ok and check.share_started == pytest.approx(0.97)


@pytest.mark.parametrize("name", with_gaps(GAPS))
def test_first_year_ai_revenue_growth_continues_the_observed_growth(name):
    check = first_year(*_revenue(name))
    assert check.growth_ok, (name, check)


START_GAPS = {
    "ftm": "the replica starts from FTM's own 2026 state (3e21 FLOP/s of AI compute, 5 GW) and "
    "samples FTM's runtime compute per human-equivalent over 1.6e13-5e17 FLOP/s, so in ~15% of "
    "samples AI is compute-bound and earns under $1.5B in 2026 (5% quantile $0.09B)",
    "baumol-skeptic": "with task rho ~ -2.5 AI's work on the tasks it does in 2026 is worth less: "
    "median 2026 AI revenue $27.6B, a quarter of samples below $14.8B (5% quantile $8B); "
    "ai_work_share_2026 is calibrated to ~$60B at the default rho",
}


@pytest.mark.parametrize("name", with_gaps(START_GAPS))
def test_samples_start_with_the_observed_ai_revenue(name):
    """At least 98% of samples start 2026 with at least half the two largest labs' 2026 run
    rates ($29.5B together). Before `adoption_start.effective_cap`, 8.5% of besiroglu-erdil's samples
    (a cap near 0) started with none."""
    check = first_year(*_revenue(name))
    assert check.start_ok, (name, check)
