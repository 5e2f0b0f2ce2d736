"""Milestones on the adoption shares are met at their exact times, from the crossing-time
log, not interpolated across the kink where the last ramp ends (exact_crossings.py;
docs/model.md section 15)."""

from __future__ import annotations

import numpy as np
import pytest

import takeoff
from takeoff.model.engine.exact_crossings import ADOPTION_SHARES, ramp_sum_crossing

#: Milestones whose conditions read only adoption shares.
ADOPTION_MILESTONES = ("automated_100pct", "remote_work_automated", "ai_rnd_automated_100pct")


def _bisect(times, rate, span, level, end):
    """First t in [0, end] with S(t) >= level, by bisection on the direct sum."""

    def total(t):
        with np.errstate(invalid="ignore"):
            ramp = np.minimum(np.maximum(t[:, None] - times, 0.0), span)
        return (rate * np.nan_to_num(ramp)).sum(axis=1)

    n = times.shape[0]
    low, high = np.zeros(n), np.full(n, end)
    reached, at_start = total(high) >= level, total(low) >= level
    for _ in range(80):
        middle = 0.5 * (low + high)
        up = total(middle) >= level
        high, low = np.where(up, middle, high), np.where(up, low, middle)
    return np.where(reached, np.where(at_start, 0.0, high), np.inf)


@pytest.mark.parametrize("seed", range(6))
def test_ramp_sum_crossing_matches_bisection(seed):
    """Random ramps: adopted before the start (LONG_AGO), under way at the start, crossed
    later, not crossed (+inf or UNCROSSED); levels below, inside and above the reach."""
    rng = np.random.default_rng(seed)
    n, tasks, end = 200, int(rng.integers(1, 40)), 50.0
    times = rng.uniform(-5.0, 45.0, (n, tasks))
    times[rng.random((n, tasks)) < 0.15] = -1000.0
    times = np.sort(times, axis=1)
    uncrossed = rng.random((n, tasks)) < 0.2
    times[uncrossed] = np.inf if seed % 2 else 1e30
    rate = rng.uniform(0.0, 1.0, (n, tasks)) / tasks
    span = rng.uniform(0.05, 10.0, (n, 1))
    level = rng.uniform(0.0, 1.05, n) * (rate * span).sum(axis=1)
    got = ramp_sum_crossing(times, rate, span, level, end)
    want = _bisect(times, rate, span, level, end)
    assert np.array_equal(np.isfinite(got), np.isfinite(want))
    both = np.isfinite(got)
    assert both.any() and (~both).any()
    np.testing.assert_allclose(got[both], want[both], atol=1e-9)


def test_a_share_reached_at_the_start_is_reached_at_time_zero():
    times = np.array([[-1000.0, -2.0, 3.0]])
    rate, span = np.full((1, 3), 0.1), np.array([[5.0]])
    assert ramp_sum_crossing(times, rate, span, 0.5, 10.0)[0] == 0.0  # 0.5 + 0.2 at 0
    np.testing.assert_allclose(ramp_sum_crossing(times, rate, span, 0.8, 10.0), [1.0])


def test_the_milestone_lies_between_the_steps_that_bracket_it():
    """Recorded at every step, the share is below the threshold at the last step before
    the milestone and at or above it at the first step after."""
    result = takeoff.simulate(
        overrides={"diffusion_years": np.array([1.0, 3.0, 8.0])}, dt=0.1, output_step=None
    )
    years = result.years
    for name, series in (
        ("automated_100pct", "automated_share"),
        ("remote_work_automated", "cognitive_automated_share"),
        ("ai_rnd_automated_100pct", "rnd_automated_share"),
    ):
        assert series in ADOPTION_SHARES
        for i, when in enumerate(result.milestones[name]):
            assert np.isfinite(when), name
            before = np.searchsorted(years, when, side="right") - 1
            assert result.series[series][before, i] < 0.9999 or years[before] == when
            assert result.series[series][min(before + 1, years.size - 1), i] >= 0.9999


def _worst(a: dict, b: dict, names) -> float:
    return max(float(np.nanmax(np.abs(a[name] - b[name]))) for name in names)


def test_adoption_milestones_converge_at_second_order():
    """Default run: at dt = 0.2 the adoption milestones are within 0.01 y of dt = 0.0125,
    and halving dt divides the error by more than 3. Interpolated across the last ramp's
    kink they were 0.10 y off at dt = 0.2 and 0.037 y at dt = 0.1 (first order)."""
    reference = takeoff.simulate(dt=0.0125).milestones
    errors = [
        _worst(takeoff.simulate(dt=dt).milestones, reference, ADOPTION_MILESTONES)
        for dt in (0.2, 0.1)
    ]
    assert errors[0] < 0.01, errors
    assert errors[0] > 3.0 * errors[1], errors


def test_sampled_adoption_milestones_are_within_a_twentieth_of_a_year_at_dt_0_1():
    """amodei's fast diffusion, 100 sampled runs: 0.032 y at dt = 0.1 (interpolated: 0.071).
    Every other milestone is within 0.1 yr (measured 0.027; the same bound for
    besiroglu-erdil is in tests/test_model_properties.py)."""
    from takeoff.api import run_parameters
    from takeoff.params.schema import build_parameters
    from takeoff.uncertainty.montecarlo import load_scenario, sample_scenario

    scenario = load_scenario("amodei")
    values, _ = sample_scenario(scenario, 100, 1)
    params = build_parameters(values, where="amodei")
    coarse = run_parameters(params, scenario.with_settings(dt=0.1)).milestones
    fine = run_parameters(params, scenario.with_settings(dt=0.0125)).milestones
    for name in coarse:
        assert np.array_equal(np.isnan(coarse[name]), np.isnan(fine[name])), name
    assert _worst(coarse, fine, ADOPTION_MILESTONES) < 0.05
    assert _worst(coarse, fine, coarse) < 0.1
