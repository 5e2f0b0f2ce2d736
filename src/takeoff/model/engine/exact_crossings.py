"""Exact first crossings of the adoption shares, from the run's crossing-time log.

A milestone on a series is found by interpolating between the two steps around its
first crossing (milestones.first_crossing). For the adoption shares that is the one
place where the time step enters at first order: a share is piecewise linear in t
with a kink wherever a ramp starts or ends, and the last ramp of a family ends with a
kink right at "everything automated". Linear interpolation across that kink puts
``automated_100pct`` up to a step late or early (0.10 y at dt = 0.2 and 0.04 y at
dt = 0.1 in the default run, where the crossing times themselves move by 0.008 and
0.002 y).

The shares need no interpolation: every term is known once the crossing times t_j
are (adoption.py),

    S(t) = sum_j r_j min(max(t - t_j, 0), tau cap),   r_j = w_j / (tau N_w),

so the first t with S(t) >= L is found exactly: S is non-decreasing and linear
between the sorted kinks {t_j, t_j + tau cap}, so it is read off the running sums of
the slopes at the kinks. The crossing times come from the run's final adoption state,
where both backends keep them (adoption.crossing_times, adoption_dense.DenseAdoption),
and the time step enters only through them (second order).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from takeoff.model.blocks import adoption, adoption_dense
from takeoff.model.engine.milestones import FirstCrossings

#: Adoption shares: series -> (family: 0 economy, 1 AI R&D; weight: 0 mean adoption,
#: 2 cognitive tasks' share), as step.observe records them from ``sums``.
ADOPTION_SHARES = {
    "automated_share": (0, 0),
    "cognitive_automated_share": (0, 2),
    "rnd_automated_share": (1, 0),
}


class RampSum(NamedTuple):
    """S(t) of :func:`ramp_sum` at its sorted kinks, per sample (n, K + 1)."""

    points: np.ndarray  # kinks in [0, end], sorted, then ``end``
    slope: np.ndarray  # (n, K): slope of S from points[i] to points[i + 1]
    value: np.ndarray  # S at points


def ramp_sum(times: np.ndarray, rate: np.ndarray, span: np.ndarray, end: float) -> RampSum:
    """S(t) = sum_j rate_j min(max(t - t_j, 0), span) on [0, end], as values at its kinks.

    ``times`` (n, M): crossing times t_j, years since the start (``adoption.LONG_AGO``
    for tasks adopted before it; +inf or ``adoption.UNCROSSED`` for tasks not crossed);
    ``rate`` (n, M) >= 0; ``span`` (n, 1) or (n,) > 0.
    """
    times = np.asarray(times, dtype=float)
    rate = np.asarray(rate, dtype=float)
    span = np.asarray(span, dtype=float).reshape(-1, 1)
    with np.errstate(invalid="ignore"):  # inf - inf never reaches a kept value
        start_value = (rate * np.minimum(np.maximum(-times, 0.0), span)).sum(axis=1)
    # Kinks before the start act at 0 (a ramp under way at 0 adds its slope there; one
    # ended before 0 adds and removes it there), kinks after the end at the end.
    kinks = np.clip(np.concatenate([times, times + span], axis=1), 0.0, end)
    # Two sorted runs (crossing times ascend within a family): the stable sort merges them.
    order = np.argsort(kinks, axis=1, kind="stable")
    kinks = np.take_along_axis(kinks, order, axis=1)
    change = np.take_along_axis(np.concatenate([rate, -rate], axis=1), order, axis=1)
    slope = np.cumsum(change, axis=1)
    points = np.concatenate([kinks, np.full((kinks.shape[0], 1), end)], axis=1)
    rise = np.cumsum(slope * np.diff(points, axis=1), axis=1)
    value = np.concatenate([start_value[:, None], start_value[:, None] + rise], axis=1)
    return RampSum(points, slope, value)


def first_reach(ramp: RampSum, level) -> np.ndarray:
    """First t with S(t) >= ``level`` (a number or (n,)); +inf where S(end) < level.

    Exact up to rounding: S is linear between consecutive kinks.
    """
    points, slope, value = ramp
    level = np.broadcast_to(np.asarray(level, dtype=float), value.shape[:1])
    reached = value >= level[:, None]
    first = reached.argmax(axis=1)
    rows = np.arange(value.shape[0])
    before = np.maximum(first - 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = points[rows, before] + (level - value[rows, before]) / slope[rows, before]
    when = np.where(first == 0, 0.0, np.minimum(inside, points[rows, first]))
    return np.where(reached.any(axis=1), when, np.inf)


def ramp_sum_crossing(times, rate, span, level, end: float) -> np.ndarray:
    """First t in [0, end] with S(t) >= ``level`` (:func:`ramp_sum`, :func:`first_reach`)."""
    return first_reach(ramp_sum(times, rate, span, end), level)


def ramps(tables, state) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(times (2, n, M), rate (3, 2, n, M), span (2, n, 1)) of either adoption form.

    ``tables`` and ``state`` are the event-driven ``adoption.TaskTables`` and
    ``Adoption`` or the dense ``adoption_dense.DenseTables`` and ``DenseAdoption``.
    Families are padded to the longer one with uncrossed, weightless tasks.
    """
    if isinstance(tables, adoption_dense.DenseTables):
        return np.asarray(state.times), np.asarray(tables.rate), np.asarray(tables.span)
    n = state.counts.shape[2]
    crossed = adoption.crossing_times(state, tables)  # (n, N_e + N_r)
    offset = int(tables.row_base[n] - tables.row_base[0])
    sizes = (offset - adoption.WINDOW, crossed.shape[1] - (offset - adoption.WINDOW))
    width = max(sizes)
    times = np.full((2, n, width), np.inf)
    rate = np.zeros((3, 2, n, width))
    for family, (first, size) in enumerate(((0, sizes[0]), (sizes[0], sizes[1]))):
        times[family, :, :size] = crossed[:, first : first + size]
        slots = tables.row_base[family * n : (family + 1) * n, None] + np.arange(size)
        rate[:, family, :, :size] = np.moveaxis(tables.rate[slots], -1, 0)
    return times, rate, tables.span.reshape(2, n, 1)


def refine(crossings: FirstCrossings, tables, state, step_years: np.ndarray, start_year) -> None:
    """Replace the interpolated first crossings of adoption-share conditions by exact ones.

    ``crossings`` has consumed the whole run on the step grid ``step_years``; ``tables``
    and ``state`` are the run's task tables and final adoption state. A condition is
    reached where the grid says so (the series at a step is at or above its threshold);
    the exact time then lies in the same step, so it replaces the interpolated one
    where the two are at most a step apart (always, up to rounding: the check keeps a
    crossing the grid found from depending on a last-digit difference).
    """
    wanted = [cond for cond in crossings.conditions if cond.series in ADOPTION_SHARES]
    if not wanted:
        return
    times, rate, span = ramps(tables, state)
    end = float(step_years[-1] - start_year)
    step = float(np.max(np.diff(step_years), initial=0.0))
    shares = {}
    for cond in wanted:
        if cond.series not in shares:
            family, weight = ADOPTION_SHARES[cond.series]
            shares[cond.series] = ramp_sum(times[family], rate[weight, family], span[family], end)
        exact = start_year + first_reach(shares[cond.series], cond.at_least)
        grid = crossings.times[cond]
        with np.errstate(invalid="ignore"):
            close = np.abs(exact - grid) <= step * (1.0 + 1e-9)
        crossings.times[cond] = np.where(close, exact, grid)
