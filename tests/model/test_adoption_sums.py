"""The fast adoption arithmetic must reproduce the straightforward model.

Two kinds of check:

* closed-form sums (``adoption.sums``) against a plain (n, N) clip-and-sum kept here,
  on random crossing times and the edge cases: nothing crossed, everything crossed,
  tasks automatable at the start, cap < 1, cap = 0, ramps shorter than a step;
* the event updates (``adoption.advance``) along random effective-compute paths
  against the former (n, N) crossing-time update, with Heun's pattern of two
  advances from one state and with jumps that cross many tasks in one step;

Whole runs were also compared, once, against trajectories saved from the model before the
speed work (all series within 1e-9 relative, milestones within 1e-12 years); that one-off
comparison is not a test because its reference lived outside the repository.
"""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.model.blocks import adoption, adoption_start, allocation, frontier

ORIGIN = 2026.0
DT = 0.1


# --- the straightforward formulas, as the model computed them before -----------------


def clip_levels(t, crossing, tau, cap):
    """a_i(t) = clip((t - t_i)/tau, 0, cap) on (n, N); t_i = -inf: long ago, +inf: never."""
    return np.minimum(np.maximum((t - crossing) * (1.0 / tau)[:, None], 0.0), cap[:, None])


def clip_sums(t, crossing, tau, cap, factor, cognitive):
    """Mean adoption, mean a_i F_i, cognitive share of one family, each (n,)."""
    a = clip_levels(t, crossing, tau, cap)
    weight = cognitive / np.maximum(cognitive.sum(axis=1, keepdims=True), 1)
    return np.stack([a.mean(axis=1), (a * factor).mean(axis=1), (a * weight).sum(axis=1)])


def update_crossing_times(crossing, thresholds, x_old, x_new, t_old, dt):
    """The former per-step update of all crossing times (calendar years)."""
    slope = (dt / np.maximum(x_new - x_old, 1e-300))[:, None]
    candidate = np.maximum(t_old + (thresholds - x_old[:, None]) * slope, t_old)
    return np.minimum(crossing, np.where(thresholds <= x_new[:, None], candidate, np.inf))


# --- random task families -------------------------------------------------------------


class Families:
    """Random sorted thresholds, runtime costs and cognitive flags for both families."""

    def __init__(self, rng, n, sizes=(23, 9), cap=None, tau=None):
        self.n, self.sizes = n, sizes
        self.thresholds = [np.sort(rng.uniform(25.0, 35.0, (n, m)), axis=1) for m in sizes]
        # Some exact ties, as when a physical and a cognitive threshold coincide.
        self.thresholds[0][:, 5] = self.thresholds[0][:, 4]
        # Runtime costs ln f_j (sorted, f_0 = 1) and the cost weights f_j^q of a CES rho.
        self.rho = rng.choice([-20.0, -0.5, -1e-6, 0.5, 0.95], n)
        q = -self.rho / (1.0 - self.rho)
        self.log_cost = [np.sort(rng.uniform(0.0, 9.0, (n, m)), axis=1) for m in sizes]
        for log_cost in self.log_cost:
            log_cost[:, 0] = 0.0
        self.factor = [np.exp(q[:, None] * c) for c in self.log_cost]
        self.cognitive = [rng.random((n, sizes[0])) < 0.4, np.ones((n, sizes[1]), bool)]
        self.cap = rng.choice([0.0, 0.3, 1.0, 0.999], n) if cap is None else cap
        self.tau = [rng.choice([0.05, 0.07, 1.0, 30.0], n) if tau is None else tau for _ in sizes]
        self.tables = adoption.build_tables(
            tuple(self.thresholds),
            tuple(self.factor),
            tuple(self.cognitive),
            self.cap,
            tuple(self.tau),
            tuple(self.log_cost),
        )

    def dense_equilibrium(self, t, crossing, labour, compute):
        """allocation.dense_equilibrium from clip-and-sum adoption levels, (2, n)."""
        parts = np.split(crossing, [self.sizes[0]], axis=1)
        out = []
        for b in range(2):
            levels = clip_levels(t, parts[b], self.tau[b], self.cap) / self.sizes[b]
            out.append(
                allocation.dense_equilibrium(
                    levels,
                    levels * self.factor[b],
                    self.log_cost[b],
                    allocation.unadopted_weight(levels.sum(axis=1)),
                    labour[b],
                    compute[b],
                    self.rho,
                )
            )
        return allocation.Equilibrium(*(np.stack(x) for x in zip(*out, strict=True)))

    def clip_sums(self, t, crossing):
        """Straightforward sums for crossing times (n, N_e + N_r), relative years -> (3, 2, n)."""
        parts = np.split(crossing, [self.sizes[0]], axis=1)
        return np.stack(
            [
                clip_sums(t, parts[b], self.tau[b], self.cap, self.factor[b], self.cognitive[b])
                for b in range(2)
            ],
            axis=1,
        )

    def layout(self, crossing):
        """(n, N_e + N_r) -> the (n, L) layout of adoption.py."""
        parts = np.split(crossing, [self.sizes[0]], axis=1)
        return adoption.to_layout(parts[0], parts[1], np.inf)


def random_crossings(rng, fam: Families, t: float):
    """Sorted crossing times <= t per family: some long ago, some crossed, some not."""
    out = []
    for m in fam.sizes:
        times = np.full((fam.n, m), np.inf)
        for i in range(fam.n):
            crossed = rng.integers(0, m + 1)
            long_ago = rng.integers(0, crossed + 1)
            times[i, :crossed] = np.sort(rng.uniform(0.0, t, crossed))
            times[i, :long_ago] = adoption.LONG_AGO
        # Rows with nothing crossed and with everything crossed.
        times[0] = np.inf
        times[1] = np.sort(rng.uniform(0.0, t, m))
        times[2] = adoption.LONG_AGO
        out.append(times)
    return np.concatenate(out, axis=1)


def assert_sums_close(actual, expected, fam: Families):
    # Mean runtime costs are of the order of F; compare them relative to it.
    scale = np.ones_like(expected)
    scale[1] = np.stack([f.mean(axis=1) for f in fam.factor])
    np.testing.assert_allclose(actual / scale, expected / scale, rtol=1e-10, atol=1e-13)


# --- closed-form sums ----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_sums_match_clip_and_sum(seed):
    rng = np.random.default_rng(seed)
    fam = Families(rng, n=40)
    for t in (0.0, 0.03, 2.5, 11.0, 74.0):
        crossing = random_crossings(rng, fam, t)
        state = adoption_start.from_times(fam.tables, fam.layout(crossing), t)
        assert_sums_close(adoption.sums(t, state), fam.clip_sums(t, crossing), fam)


def test_edge_cases_are_exact():
    rng = np.random.default_rng(7)
    n = 6
    fam = Families(rng, n, cap=np.array([1.0, 0.5, 0.0, 1.0, 0.5, 0.0]))
    width = sum(fam.sizes)
    nothing = adoption_start.from_times(fam.tables, fam.layout(np.full((n, width), np.inf)), 30.0)
    assert np.all(adoption.sums(30.0, nothing) == 0.0)
    everything = adoption_start.from_times(
        fam.tables, fam.layout(np.full((n, width), -1000.0)), 5.0
    )
    sums = adoption.sums(5.0, everything)
    np.testing.assert_allclose(sums[0], fam.cap * np.ones((2, n)), rtol=1e-15)
    np.testing.assert_allclose(sums[2], fam.cap * np.ones((2, n)), rtol=1e-15)
    # cap = 0: nothing is ever adopted, however long ago tasks crossed.
    recent = adoption_start.from_times(fam.tables, fam.layout(np.full((n, width), 4.99)), 5.0)
    assert np.all(adoption.sums(5.0, recent)[..., [2, 5]] == 0.0)


def test_tiny_ramps_complete_within_the_step():
    rng = np.random.default_rng(3)
    fam = Families(rng, n=8, tau=np.full(8, 0.05))
    crossing = random_crossings(rng, fam, 1.0)
    state = adoption_start.from_times(fam.tables, fam.layout(crossing), 1.0)
    assert_sums_close(adoption.sums(1.0, state), fam.clip_sums(1.0, crossing), fam)
    # Ramps of tau cap <= 0.05 years: everything crossed by 0.95 is fully adopted.
    done = (crossing <= 0.95).reshape(8, -1)
    assert np.all(state.counts[1].sum(axis=0) >= done.sum(axis=1))


# --- event updates along paths ---------------------------------------------------------


def random_path(rng, n, steps):
    """Running-max paths of log10 effective compute: flat stretches, steps, big jumps.

    A jump of 6 OOM crosses more than ``adoption.WINDOW`` tasks in one step.
    """
    increments = rng.choice([0.0, 0.02, 0.1, 0.4, 6.0], (steps, n), p=[0.3, 0.3, 0.25, 0.12, 0.03])
    return 26.0 + rng.uniform(0, 3, n) + np.vstack([np.zeros(n), np.cumsum(increments, axis=0)])


@pytest.mark.parametrize("seed", range(4))
def test_updates_match_the_former_update(seed):
    rng = np.random.default_rng(100 + seed)
    n, steps = 30, 120
    fam = Families(rng, n)
    thresholds = np.concatenate(fam.thresholds, axis=1)
    x = random_path(rng, n, steps)
    # Land exactly on thresholds now and then (a crossing at the very end of a step).
    x[40] = np.maximum(x[39], thresholds[:, 10])
    x[41:] = np.maximum(x[41:], x[40])
    reference = np.where(thresholds <= x[0][:, None], -np.inf, np.inf)
    state = adoption_start.start(fam.tables, x[0])
    years = ORIGIN + DT * np.arange(steps + 1)
    for k in range(steps):
        t = years[k]
        shared = adoption.complete_ramps(state, fam.tables, t + DT - ORIGIN)
        # Heun: a predictor (sometimes further ahead) is computed first, then dropped.
        predictor_x = x[k + 1] + rng.choice([0.0, 0.05, 2.0], n)
        adoption.advance(shared, fam.tables, x[k], predictor_x, t, DT, ORIGIN)
        state = adoption.advance(shared, fam.tables, x[k], x[k + 1], t, DT, ORIGIN)
        reference = update_crossing_times(reference, thresholds, x[k], x[k + 1], t, DT)
        mine = adoption.crossing_times(state, fam.tables)
        mine = np.where(mine == adoption.LONG_AGO, -np.inf, mine + ORIGIN)
        np.testing.assert_array_equal(mine, reference)
        t_next = t + DT - ORIGIN
        expected = fam.clip_sums(
            t_next, np.where(np.isinf(reference), reference, reference - ORIGIN)
        )
        assert_sums_close(adoption.sums(t_next, state), expected, fam)
        # The event-driven frontier search gives the dense reference's equilibrium.
        labour = 10.0 ** rng.uniform(0, 9, (2, n))
        compute = labour * 10.0 ** rng.uniform(-4, 10, (2, n))
        rho = np.stack([fam.rho, fam.rho])
        mine = frontier.equilibrium(t_next, state, fam.tables, labour, compute, rho)
        dense = fam.dense_equilibrium(
            t_next, np.where(np.isinf(reference), reference, reference - ORIGIN), labour, compute
        )
        x_mine = allocation.log_aggregate(labour, compute, mine, rho)
        x_dense = allocation.log_aggregate(labour, compute, dense, rho)
        # The reference's crossing times are calendar years less ORIGIN (~2e-13 yr of
        # rounding), which moves the weights by ~1e-12; ln X carries 1/rho times that
        # (rho = -1e-6 stands for Cobb-Douglas).
        tolerance = 1e-9 + 1e-12 / np.abs(rho)
        assert np.all(np.abs(x_mine - x_dense) <= tolerance), np.max(np.abs(x_mine - x_dense))
        # Random inputs make the cached frontier useless (the far search); a small
        # change of compute moves it by a few parts at most (the near search).
        for drift in (1.02, 1.3, 3.0):
            compute = compute * drift
            mine = frontier.equilibrium(t_next, state, fam.tables, labour, compute, rho)
            dense = fam.dense_equilibrium(
                t_next,
                np.where(np.isinf(reference), reference, reference - ORIGIN),
                labour,
                compute,
            )
            gap = allocation.log_aggregate(labour, compute, mine, rho) - allocation.log_aggregate(
                labour, compute, dense, rho
            )
            assert np.all(np.abs(gap) <= tolerance), np.max(np.abs(gap))
    assert state.counts[0].sum() > 0.5 * thresholds.size  # the paths did cross most tasks


def test_the_state_advanced_from_stays_valid():
    rng = np.random.default_rng(11)
    fam = Families(rng, n=12)
    x0 = np.full(12, 27.0)
    state = adoption.complete_ramps(adoption_start.start(fam.tables, x0), fam.tables, DT)
    first = adoption.advance(state, fam.tables, x0, x0 + 2.0, ORIGIN, DT, ORIGIN)
    before = adoption.sums(DT, first)
    # A later sibling overwrites the log beyond the parent's counts ...
    second = adoption.advance(state, fam.tables, x0, x0 + 5.0, ORIGIN, DT, ORIGIN)
    again = adoption.advance(state, fam.tables, x0, x0 + 2.0, ORIGIN, DT, ORIGIN)
    # ... but the parent and the newest child are intact.
    np.testing.assert_array_equal(adoption.sums(DT, again), before)
    fresh = adoption.complete_ramps(adoption_start.start(fam.tables, x0), fam.tables, DT)
    assert np.all(adoption.sums(0.0, state) == adoption.sums(0.0, fresh))
    assert second.counts[0].sum() >= again.counts[0].sum()
