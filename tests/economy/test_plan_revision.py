"""The labs' build-out plan is revised down while AI's income covers less of its fleet's user
cost than at the start (investment.plan_revision, docs/model.md section 10).

Before the rule the plan (a logistic AI-capex share of GWP) ignored returns: at the scenario
medians ``besiroglu-erdil`` spent \\$6.4T on AI capex in 2036 against \\$249B of AI revenue
(26x revenue at the worst, in 2036, against 8.8x in 2026), and ``baumol-skeptic`` spent
\\$5.3T in 2036 while its AI earned ~\\$10k (its AI revenue falls ~30x in 2027: AI's output
share is Baumol-bound), ever more each year. The rule does not cap capex at a multiple of
revenue (2020-2023 capex ran ~100x AI revenue, and the backtest from 2020 must still work):
it anchors on the start's coverage, so capex may stay as far ahead of revenue as in 2026
(8.8x in ``besiroglu-erdil``, 21x in ``baumol-skeptic``) but not run ever further ahead.
With it, after 2030 capex per dollar of AI revenue stays below its 2026 value (measured:
at most 0.81x of it in ``besiroglu-erdil``, 1.0x in ``baumol-skeptic``, for 0.2 years in
2046); a fixed "5x revenue" bound does not hold (capex exceeds 5x revenue for 8 and 13 years
after 2030), because that is not what the rule says.
"""

from __future__ import annotations

import numpy as np
import pytest

import takeoff
from takeoff.model.blocks import investment

NO_REVISION = {"ai_capex_plan_revision": 0.0}


# --------------------------------------------------------------------------- the factor itself


def test_no_revision_while_coverage_is_at_or_above_the_start():
    start = np.array([-3.0, -3.0, -3.0, 0.5])
    coverage = np.array([-3.0, -1.0, 2.0, 0.5])
    factor = investment.plan_revision(coverage, start, np.array(4.0), 0.1)
    np.testing.assert_array_equal(factor, np.ones(4))


def test_revision_is_exp_of_minus_rate_times_shortfall_times_dt():
    start = np.array(-1.0)
    coverage = np.array([-1.5, -3.0, -11.0])  # shortfalls 0.5, 2, 10 log points
    for rate in (0.3, 1.0, 5.0):
        for dt in (0.025, 0.1, 0.5):
            factor = investment.plan_revision(coverage, start, np.array(rate), dt)
            np.testing.assert_allclose(
                factor, np.exp(-rate * np.array([0.5, 2.0, 10.0]) * dt), rtol=1e-15
            )
    # Compounded over a year of steps the shrinkage does not depend on the step.
    yearly = [
        investment.plan_revision(np.array(-3.0), start, np.array(1.0), dt) ** round(1 / dt)
        for dt in (0.025, 0.1, 0.5)
    ]
    np.testing.assert_allclose(yearly, np.exp(-2.0), rtol=1e-12)


def test_zero_rate_never_revises():
    factor = investment.plan_revision(np.array([-700.0, 0.0]), np.array(5.0), np.array(0.0), 0.1)
    np.testing.assert_array_equal(factor, np.ones(2))


# --------------------------------------------------------------------------- in the model


def test_zero_rate_is_the_plan_without_revision(monkeypatch):
    """lambda = 0 gives exactly the model with the factor removed, where it would bind."""
    default_rate = takeoff.simulate("baumol-skeptic", end_year=2050)
    zero_rate = takeoff.simulate("baumol-skeptic", NO_REVISION, end_year=2050)
    monkeypatch.setattr(investment, "plan_revision", lambda *args, **kwargs: 1.0)
    removed = takeoff.simulate("baumol-skeptic", end_year=2050)
    for name in zero_rate.series:
        np.testing.assert_array_equal(zero_rate.series[name], removed.series[name], name)
    # ...and the rule does bind in this scenario at its default rate.
    assert not np.array_equal(default_rate.series["ai_capex"], zero_rate.series["ai_capex"])


def test_the_plan_is_not_revised_while_ai_income_keeps_up():
    """In ``default`` AI's income grows faster than its fleet's user cost: nothing changes."""
    a = takeoff.simulate("default", end_year=2050)
    b = takeoff.simulate("default", NO_REVISION, end_year=2050)
    for name in ("ai_capex", "compute", "gwp", "automated_share"):
        np.testing.assert_array_equal(a.series[name], b.series[name], name)


def _capex_per_revenue(result) -> np.ndarray:
    return result.series["ai_capex"][:, 0] / result.series["ai_revenue"][:, 0]


@pytest.mark.parametrize("scenario", ["besiroglu-erdil", "baumol-skeptic"])
def test_capex_does_not_run_further_ahead_of_revenue_than_in_2026(scenario):
    result = takeoff.simulate(scenario, end_year=2070)
    ratio = _capex_per_revenue(result)
    after = result.years >= 2030.0
    dt = result.years[1] - result.years[0]
    # Never more than 1.25x the 2026 multiple, and above it for at most a year in total.
    assert ratio[after].max() <= 1.25 * ratio[0], ratio[after].max() / ratio[0]
    assert np.sum(ratio[after] > ratio[0]) * dt <= 1.0
    # Without the revision the same check fails: the plan ignored returns.
    unrevised = _capex_per_revenue(takeoff.simulate(scenario, NO_REVISION, end_year=2070))
    assert unrevised[after].max() > 2.5 * unrevised[0]


def test_besiroglu_erdil_2036_capex_follows_its_revenue():
    """$6.4T of capex against $249B of AI revenue in 2036 before the rule; now ~$1.5T/$300B."""
    result = takeoff.simulate("besiroglu-erdil", end_year=2040)
    i = np.searchsorted(result.years, 2036.0 - 1e-9)
    capex, revenue = result.series["ai_capex"][i, 0], result.series["ai_revenue"][i, 0]
    assert capex < 2.5e12
    assert capex < 6.0 * revenue


def test_baumol_skeptic_stops_building_a_fleet_that_earns_nothing():
    """AI capex was 1.5% of GWP in 2030 and rising to 4%; now it is next to nothing."""
    result = takeoff.simulate("baumol-skeptic", end_year=2040)
    i = np.searchsorted(result.years, 2030.0 - 1e-9)
    assert result.series["ai_capex"][i, 0] < 1e-4 * result.series["gwp"][i, 0]
    unrevised = takeoff.simulate("baumol-skeptic", NO_REVISION, end_year=2040)
    assert unrevised.series["ai_capex"][i, 0] > 1e-2 * unrevised.series["gwp"][i, 0]
