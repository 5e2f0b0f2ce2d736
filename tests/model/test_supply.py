"""The compute supply chain (supply.py) and the 2026 AI revenue (issue 11, items 1-3)."""

from __future__ import annotations

import numpy as np
import pytest

from takeoff import api
from takeoff.model.blocks import adoption, adoption_start, supply
from takeoff.params.schema import registry


def _run(name="default", dt=0.1, end_year=2045.0, **overrides):
    return api.simulate(name, overrides or None, dt=dt, end_year=end_year)


def _at(result, series, year):
    return result.series[series][int(np.argmin(abs(result.years - year))), 0]


def test_capacity_step_is_exact_for_a_fixed_target():
    log_x, target = np.array([0.0]), np.array([2.0])
    keep_full, keep_half = np.exp(-0.4 / 1.5), np.exp(-0.2 / 1.5)
    one = supply.capacity_step(log_x, target, keep_full, np.inf)
    two = supply.capacity_step(
        supply.capacity_step(log_x, target, keep_half, np.inf), target, keep_half, np.inf
    )
    np.testing.assert_allclose(one, two, rtol=1e-14)
    # Growth is capped and capacity is never scrapped.
    assert supply.capacity_step(log_x, target, keep_full, 0.05)[0] == pytest.approx(0.05)
    assert supply.capacity_step(log_x, np.array([-3.0]), keep_full, np.inf)[0] == 0.0


def test_planned_growth_factor_tends_to_the_lead_time():
    lead = np.array([2.0])
    assert supply.planned_growth_factor(np.array([0.0]), lead)[0] == pytest.approx(2.0)
    assert supply.planned_growth_factor(np.array([1e-7]), lead)[0] == pytest.approx(2.0, rel=1e-6)
    assert supply.planned_growth_factor(np.array([0.7]), lead)[0] == pytest.approx(
        np.expm1(1.4) / 0.7
    )


def test_markups_start_at_one_rise_with_scale_and_stay_finite():
    r = _run(end_year=2030.0)
    assert _at(r, "chip_markup", 2026) == pytest.approx(1.0)
    assert _at(r, "power_markup", 2026) == pytest.approx(1.0)
    assert _at(r, "hardware_cost_factor", 2026) == pytest.approx(1.0)
    far = _run("epoch-gate", end_year=2100.0)
    for name in ("chip_markup", "power_markup", "hardware_cost_factor"):
        values = far.series[name][:, 0]
        assert np.isfinite(values).all() and (values >= 1.0 - 1e-12).all(), name


def test_2026_cost_per_gw_year_matches_seed_003():
    """Seed 003 (Amodei): each GW of AI compute costs ~$10-15B per year."""
    cost = _at(_run(end_year=2027.0), "cost_per_gw_year", 2026)
    assert 10e9 <= cost <= 15e9


@pytest.mark.parametrize("name", ["default", "amodei", "besiroglu-erdil", "epoch-gate"])
def test_the_fleet_never_draws_more_power_than_its_capacities(name):
    r = _run(name, end_year=2060.0)
    power = r.series["power_gw"]
    assert (power <= r.series["power_capacity_gw"] * (1 + 1e-9)).all()
    assert (power <= r.series["datacentre_capacity_gw"] * (1 + 1e-9)).all()


def test_a_slow_power_build_out_binds_and_shows_a_price_not_lost_money():
    fast, slow = _run(end_year=2040.0), _run(end_year=2040.0, power_capacity_max_growth=0.15)
    binding = slow.series["binding_supply"][:, 0]
    assert (binding == 2).any(), "power never binds with a 15%/yr power build-out"
    assert (slow.series["power_shadow_price"][binding == 2, 0] > 0).all()
    assert (slow.series["power_shadow_price"][binding != 2, 0] == 0).all()
    # Less compute, never more output, and the accounts still close (Y = C + I_K + I_AI).
    assert _at(slow, "compute", 2034) < _at(fast, "compute", 2034)
    s = slow.series
    np.testing.assert_allclose(
        s["consumption"] + s["capital_investment"] + s["ai_capex"], s["gwp"], rtol=1e-12
    )
    assert (s["ai_capex"] <= s["ai_capex_desired"] * (1 + 1e-12)).all()


def test_chips_bind_when_fabs_cannot_keep_up():
    r = _run(end_year=2035.0, chip_capacity_max_growth=0.1)
    binding = r.series["binding_supply"][:, 0]
    assert (binding == 1).any()
    assert (r.series["chip_shadow_price"][binding == 1, 0] > 0).all()


def test_supply_series_converge_in_the_time_step():
    coarse, fine = _run(dt=0.1, end_year=2034.0), _run(dt=0.025, end_year=2034.0)
    for name in ("power_gw", "power_capacity_gw", "chip_capacity", "compute"):
        for year in (2028, 2031, 2034):
            assert _at(coarse, name, year) == pytest.approx(_at(fine, name, year), rel=0.02), (
                name,
                year,
            )


def test_2026_ai_revenue_matches_the_data_and_grows_like_it():
    """ai_revenue_2026 (seed 003) and revenue growth of 3-10x/yr in 2024-2026."""
    r = _run(end_year=2028.0)
    low, high = registry()["ai_revenue_2026"].plausible
    revenue_2026 = _at(r, "ai_revenue", 2026)
    assert low <= revenue_2026 <= high
    assert 2.0 <= _at(r, "ai_revenue", 2027) / revenue_2026 <= 10.0


@pytest.mark.parametrize("n_tasks", [50, 100, 400])
def test_the_2026_work_share_is_what_the_parameter_says(n_tasks):
    r = api.simulate("default", dt=0.1, end_year=2027.0, n_tasks=n_tasks)
    assert r.series["automated_share"][0, 0] == pytest.approx(
        registry()["ai_work_share_2026"].default, rel=1e-9
    )


def test_head_start_times():
    count, time = adoption_start.head_start(
        np.array([0.001, 0.5]),
        np.array([0.01, 0.2]),
        np.array([3.0, 3.0]),
        np.array([1.0, 1.0]),
        100,
    )
    np.testing.assert_array_equal(count, [1.0, 20.0])
    # 0.1% of work on 1 task of 100 -> 10% up a 3-year ramp; 50% > 20% adoptable -> capped.
    np.testing.assert_allclose(time, [-0.3, -3.0])
    thresholds = np.array([[25.0, 26.0, 27.0, np.inf]])
    times = adoption_start.start_times(
        thresholds, np.array([25.5]), np.array([2.0]), np.array([-0.3])
    )
    np.testing.assert_array_equal(times, [[adoption.LONG_AGO, -0.3, -0.3, adoption.UNCROSSED]])


def test_work_share_above_what_ai_can_do_is_capped():
    r = _run(end_year=2027.0, ai_work_share_2026=0.05, ai_automatable_share_2026=0.01)
    assert r.series["automated_share"][0, 0] == pytest.approx(0.01)


def test_industry_growth_limit_binds_only_once_ai_is_a_large_part_of_it():
    """d ln X/dt <= min(g_X, g_W (1 + R/X)): AI's own limit while small, the industry's when large."""
    from types import SimpleNamespace

    c = SimpleNamespace(
        log_supply_reference=np.log(np.array([[100.0], [100.0]])),
        supply_reference_growth=np.zeros((2, 1)),
        supply_max_step=np.array([[0.07], [0.08], [0.11]]),
        industry_max_step=np.array([[0.03], [0.015]]),
    )
    small = supply.feasible_steps(np.log(np.array([[1.0], [1.0], [1.0]])), 0.0, c)
    np.testing.assert_allclose(small[:, 0], [0.07, 0.08, 0.11])
    large = supply.feasible_steps(np.log(np.array([[1e6], [1e6], [1e6]])), 0.0, c)
    np.testing.assert_allclose(large[:, 0], [0.03 * (1 + 1e-4), 0.015 * (1 + 1e-4), 0.11])


def test_power_never_grows_faster_than_the_world_power_sector_allows():
    r = _run(end_year=2070.0)
    # The capacity is what the limit holds; the fleet's draw may catch up into spare capacity.
    power, years = r.series["power_capacity_gw"][:, 0], r.years
    world = registry()["world_power_generation_gw"].default * np.exp(
        registry()["world_power_growth"].default * (years - 2026.0)
    )
    g_w = registry()["world_power_max_growth"].default
    yearly = np.searchsorted(years, np.arange(2027.0, 2070.0))
    log_growth = np.diff(np.log(power[yearly]))
    # d ln G/dt <= g_W (1 + R/G), R/G falling within the year: bounded by its start value
    bound = g_w * (1.0 + world[yearly[:-1]] / power[yearly[:-1]])
    assert (log_growth <= bound * 1.001).all()
    assert (log_growth[-5:] >= 0.9 * g_w).all()  # and it binds once AI draws most of the power
