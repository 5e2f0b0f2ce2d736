"""The time step is second order for every series, and milestone crossings do not lag a
share that levels off inside a step (docs/model.md, sections 2, 3a, 14 and 15)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import takeoff
from takeoff.model.blocks import compute, supply
from takeoff.model.engine.milestones import first_crossing

#: Series whose errors were first order before (supply capacities and what their prices
#: reach) and the core stocks.
SERIES = (
    "datacentre_capacity_gw",
    "power_capacity_gw",
    "chip_capacity",
    "compute",
    "power_gw",
    "effective_training_compute",
    "automated_share",
    "gwp",
)


def _at(dt: float, year: float) -> dict[str, float]:
    result = takeoff.simulate(dt=dt, end_year=year + 0.5, output_step=None)
    i = int(np.argmin(np.abs(result.years - year)))
    assert abs(result.years[i] - year) < 1e-9
    return {name: float(np.ravel(result.series[name][i])[0]) for name in SERIES}


def test_every_series_converges_at_second_order():
    """Halving dt divides the error by ~4 (first order: ~2); errors against dt = 0.0125."""
    steps = (0.1, 0.05, 0.025)
    reference = _at(0.0125, 2029.0)
    runs = {dt: _at(dt, 2029.0) for dt in steps}
    for name in SERIES:
        errors = [abs(runs[dt][name] / reference[name] - 1.0) for dt in steps]
        assert errors[0] < 2e-3, (name, errors)
        # Against a reference at dt/8 a second-order error falls 4.2x at the first halving
        # (first order: 2.3x).
        assert errors[0] > 3.5 * errors[1], (name, errors)


def test_moving_target_step_is_exact_for_a_linear_target():
    """d ln X/dt = (T(t) - ln X)/L with T linear over the step, against an ODE solver."""
    lead, dt, x0, t0, t1 = 2.0, 0.3, 1.0, 1.5, 2.4
    keep = np.exp(-dt / lead)
    weights = supply.moving_target_weights(np.array([keep]), np.array([lead]), dt)
    stepped = supply.capacity_step_moving(
        np.array([x0]), np.array([t0]), np.array([t1]), weights, np.array([10.0])
    )
    exact = solve_ivp(
        lambda t, x: (t0 + (t1 - t0) * t / dt - x) / lead,
        (0.0, dt),
        [x0],
        rtol=1e-12,
        atol=1e-14,
    ).y[0, -1]
    assert stepped[0] == pytest.approx(exact, rel=1e-10)
    # A target of -inf (no demand) gives no growth, not NaN.
    none = supply.capacity_step_moving(
        np.array([x0]), np.array([-np.inf]), np.array([-np.inf]), weights, np.array([10.0])
    )
    assert none[0] == x0


def test_energy_efficiency_step_is_exact_and_stops_at_the_ceiling():
    ceiling, start, growth, dt = 3.0, 0.0, 0.4, 0.25
    keep = np.exp(-growth * dt / (ceiling - start))
    level = np.array([start])
    for _ in range(8):
        level = compute.energy_efficiency_step(level, ceiling, keep)
    exact = ceiling - (ceiling - start) * np.exp(-growth * 8 * dt / (ceiling - start))
    assert level[0] == pytest.approx(exact, rel=1e-12)
    above = compute.energy_efficiency_step(np.array([ceiling + 1.0]), ceiling, keep)
    assert above[0] == ceiling + 1.0


def test_a_share_levelling_off_inside_a_step_is_not_found_late():
    """min(1, t/2): the chord to the step after the kink crossed 0.9999 up to a step late."""
    years = np.arange(0.0, 4.01, 0.3)
    values = np.minimum(1.0, years / 2.0)[:, None]
    found = first_crossing(years, values, 0.9999, "linear")[0]
    assert found == pytest.approx(2 * 0.9999, abs=1e-9)
    # A convex series keeps the chord (the earlier of the two), as before.
    convex = (years**2)[:, None]
    chord_only = first_crossing(years[:4], convex[:4], 0.5, "linear")[0]
    at_k = np.searchsorted(years, np.sqrt(0.5))
    expected = years[at_k - 1] + (0.5 - years[at_k - 1] ** 2) / (
        years[at_k] ** 2 - years[at_k - 1] ** 2
    ) * (years[at_k] - years[at_k - 1])
    assert chord_only == pytest.approx(expected, rel=1e-12)
