"""The lab's compute-purchase dilemma: Amodei's examples (seed 003), the closed forms
against the simulation, monotonicity and determinism."""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.errors import ValidationError
from takeoff.industry import labs
from takeoff.industry.labs import simulate_labs
from takeoff.industry.params import LabParams, field_info, make_params

DEFAULTS = LabParams()


def deterministic(**values) -> LabParams:
    return LabParams(trend_sd=0.0, demand_sd=0.0, **values)


def test_defaults_are_calibrated_to_seed_003():
    p = DEFAULTS
    assert p.base_revenue == 10.0 and p.base_year == 2025  # Anthropic 2025: $9-10B
    assert 10.0 <= p.cost_per_gw_year <= 15.0  # $10-15B per GW-year
    assert 3 <= p.n_firms <= 5
    assert 5.0 < p.demand_growth < 10.0
    # "if you predict demand accurately you are profitable every year": on-forecast margin > 0
    assert labs.compute_cost_per_revenue(p) < 1.0
    for name, info in field_info().items():
        assert info["unit"] and info["source"] and info["description"], name


def test_buying_for_10x_when_demand_grows_5x_goes_bankrupt():
    """Seed 003: 'if the growth rate is 5x a year instead of 10x a year, then you go bankrupt'."""
    result = simulate_labs(deterministic(demand_growth=5.0), [10.0], years=4, n_samples=1)
    acc = result.strategies[0].accounts
    assert acc["loss"].all()  # half the compute idle every year
    np.testing.assert_allclose(acc["revenue"] / acc["compute_cost"], 0.5 / 0.952381, rtol=1e-6)
    assert not acc["bankrupt"][0, 0] and acc["bankrupt"][0, 1]  # bankrupt in 2027
    assert acc["cash"][0, 1] < -DEFAULTS.borrowing_limit


def test_buying_for_5x_when_demand_grows_10x_forgoes_revenue_but_survives():
    result = simulate_labs(deterministic(demand_growth=10.0), [5.0], years=4, n_samples=1)
    acc = result.strategies[0].accounts
    assert not acc["bankrupt"].any() and not acc["loss"].any()
    np.testing.assert_allclose(acc["forgone_revenue"] / result.demand, 0.5)  # 1 - (5/10)^L
    assert np.all(np.diff(acc["cash"][0]) > 0)


def test_800_billion_instead_of_1_trillion_is_fatal_but_the_same_error_at_10_billion_is_not():
    """Seed 003: 'if my revenue is not $1 trillion, if it's even $800 billion ... bankrupt'."""
    p = deterministic(demand_growth=10.0)
    short = simulate_labs(p, [10.0], years=2, n_samples=1, growth_path=[10.0, 8.0])
    acc = short.strategies[0].accounts
    assert short.demand[0, 1] == pytest.approx(800.0)
    assert acc["compute_cost"][0, 1] == pytest.approx(1000.0 * labs.compute_cost_per_revenue(p))
    assert acc["bankrupt"][0, 1]
    on_target = simulate_labs(p, [10.0], years=2, n_samples=1, growth_path=[10.0, 10.0])
    assert not on_target.strategies[0].accounts["bankrupt"].any()
    assert (on_target.strategies[0].accounts["profit"] > 0).all()
    # Closed form: a 20% shortfall is fatal in one year above P* = (cash + B) / (kappa - 0.8).
    fatal = labs.fatal_planned_revenue(0.2, p)
    assert fatal == pytest.approx(110.0 / (labs.compute_cost_per_revenue(p) - 0.8))
    assert 10.0 < fatal < 1000.0
    assert labs.shortfall_loss(1000.0, 800.0, p) > p.initial_cash + p.borrowing_limit
    assert 0 < labs.shortfall_loss(10.0, 8.0, p) < p.initial_cash  # same error, $10B scale


@pytest.mark.parametrize("anchor", ["observed", "plan"])
@pytest.mark.parametrize("lead_time", [1, 2, 3])
def test_closed_form_ratio_matches_the_simulation(anchor, lead_time):
    p = deterministic(demand_growth=6.0, lead_time=lead_time, anchor=anchor)
    result = simulate_labs(p, [9.0, 4.0], years=6, n_samples=1)
    k = np.arange(1, 7)
    for s in result.strategies:
        u = labs.utilisation(6.0, s.buy_growth, k, lead_time, anchor)
        capacity = s.accounts["compute_cost"][0] / labs.compute_cost_per_revenue(p)
        np.testing.assert_allclose(result.demand[0] / capacity, u, rtol=1e-12)
        ratio = s.accounts["revenue"][0] / s.accounts["compute_cost"][0]
        np.testing.assert_allclose(ratio, labs.revenue_to_compute_cost(u, p), rtol=1e-12)


def test_break_even_growth_separates_profit_from_loss():
    p = deterministic(lead_time=2, other_cost_share=0.02)
    g_star = float(labs.break_even_demand_growth(8.0, p))
    assert g_star == pytest.approx(8.0 * (labs.compute_cost_per_revenue(p) / 0.98) ** 0.5)
    for growth, sign in ((g_star * 1.01, 1), (g_star * 0.99, -1)):
        run = simulate_labs(
            p.model_copy(update={"demand_growth": growth}), [8.0], years=5, n_samples=1
        )
        settled = run.strategies[0].accounts["profit"][0, p.lead_time - 1 :]
        assert np.all(np.sign(settled) == sign)
    # A fixed plan compounds the mismatch: in year k the break-even growth is g_b ratio^(1/k).
    plan = p.model_copy(update={"anchor": "plan"})
    g_plan = float(labs.break_even_demand_growth(8.0, plan, 5))
    assert g_plan == pytest.approx(8.0 * (labs.compute_cost_per_revenue(p) / 0.98) ** 0.2)
    for growth, sign in ((g_plan * 1.01, 1), (g_plan * 0.99, -1)):
        run = simulate_labs(
            plan.model_copy(update={"demand_growth": growth}), [8.0], years=5, n_samples=1
        )
        assert np.sign(run.strategies[0].accounts["profit"][0, -1]) == sign
    # Costs other than compute that eat the whole margin: no growth rate breaks even.
    assert np.isinf(
        labs.break_even_demand_growth(8.0, p.model_copy(update={"other_cost_share": 0.05}))
    )


def test_more_overbuilding_means_more_bankruptcy():
    growths = [1.5, 3.0, 5.0, 7.0, 10.0, 15.0]
    result = simulate_labs(DEFAULTS, growths, years=4, n_samples=4000, seed=3)
    overbuilt = [s.p_any("overbuilt") for s in result.strategies]
    bankrupt = [s.p_any("bankrupt") for s in result.strategies]
    assert np.all(np.diff(overbuilt) > 0)
    assert np.all(np.diff(bankrupt) >= 0) and bankrupt[-1] > bankrupt[1] + 0.5
    assert bankrupt[0] == 0.0  # capacity always binds: every year is profitable
    # Overbuilding is monotone path by path (capacity rises with the buy growth).
    a, b = result.strategies[2].accounts["overbuilt"], result.strategies[4].accounts["overbuilt"]
    assert np.all(b | ~a)


def test_financing_that_grows_with_revenue_lets_an_overbuilder_survive_longer():
    tight = simulate_labs(DEFAULTS, [10.0], n_samples=2000, seed=1).strategies[0].p_any("bankrupt")
    loose_p = DEFAULTS.model_copy(update={"borrowing_per_revenue": 2.0})
    loose = simulate_labs(loose_p, [10.0], n_samples=2000, seed=1).strategies[0].p_any("bankrupt")
    assert loose < tight


def test_same_seed_same_result_and_horizon_does_not_change_early_years():
    a = simulate_labs(DEFAULTS, [10, 5], years=4, n_samples=500, seed=7)
    b = simulate_labs(DEFAULTS, [10, 5], years=4, n_samples=500, seed=7)
    c = simulate_labs(DEFAULTS, [10, 5], years=4, n_samples=500, seed=8)
    short = simulate_labs(DEFAULTS, [10, 5], years=2, n_samples=500, seed=7)
    np.testing.assert_array_equal(a.demand, b.demand)
    assert a.to_dict() == b.to_dict()
    assert not np.array_equal(a.demand, c.demand)
    np.testing.assert_array_equal(short.demand, a.demand[:, :2])


def test_demand_uncertainty_has_the_stated_spread():
    p = LabParams(trend_sd=0.35, demand_sd=0.15, demand_growth=7.0)
    result = simulate_labs(p, [7.0], years=3, n_samples=20_000, seed=0)
    log_growth = np.diff(np.log(np.c_[np.full(20_000, p.base_revenue), result.demand]), axis=1)
    assert np.median(log_growth) == pytest.approx(np.log(7.0), abs=0.01)
    assert log_growth[:, 0].std() == pytest.approx(np.hypot(0.35, 0.15), rel=0.02)
    # The trend is shared across a path's years, the yearly shocks are not.
    corr = np.corrcoef(log_growth[:, 0], log_growth[:, 1])[0, 1]
    assert corr == pytest.approx(0.35**2 / (0.35**2 + 0.15**2), abs=0.02)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"n_firms": 0}, "n_firms: 0 must be an integer in [1, 100]"),
        ({"demand_growth": float("nan")}, "demand_growth: nan must be a number in [0.2, 50]"),
        ({"n_firms": 1}, "demand_elasticity: n_firms x demand_elasticity = 0.75 must exceed 1"),
        ({"anchor": "later"}, "anchor: 'later' must be 'observed' or 'plan'"),
        ({"research_share": 1.0}, "research_share: 1.0 must be a number in [0, 0.95]"),
        ({"bogus": 1}, "bogus: unknown parameter"),
    ],
)
def test_bad_parameters_name_the_field_and_range(values, message):
    with pytest.raises(ValidationError) as exc:
        make_params(values)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"buy_growths": [0.1]}, "buy_growth: 0.1 must be a number in [0.2, 50]"),
        ({"buy_growths": list(range(1, 11))}, "buy_growth: give 1 to 8 values"),
        ({"years": 0}, "years: 0 must be an integer in [1, 20]"),
        ({"n_samples": 0}, "samples: 0 must be an integer in [1, 20000]"),
        ({"seed": -1}, "seed: -1 must be a non-negative integer"),
        ({"growth_path": [10.0]}, "growth_path: give 4 growth factors"),
        ({"growth_path": [10.0, 0.0, 1.0, 1.0]}, "growth_path: 0 must be a number in [0.2, 50]"),
        ({"buy_growths": ["fast"]}, "buy_growth: 'fast' is not a number"),
        ({"years": float("nan")}, "years: nan must be an integer"),
        ({"years": 2.5}, "years: 2.5 must be an integer"),
    ],
)
def test_bad_run_settings_name_the_field(kwargs, message):
    with pytest.raises(ValidationError) as exc:
        simulate_labs(DEFAULTS, **{"buy_growths": [10.0], **kwargs})
    assert message in str(exc.value)
