"""Block 6 — adoption at the start: the 2026 state of the event-driven tables (adoption.py).

Tasks whose threshold lies below the start's effective compute were crossed ``LONG_AGO``
and are fully adopted. The observed 2026 state has AI doing a small share of all work
(``ai_work_share_2026``) before any further threshold is reached: the next m whole tasks
(the automatable share, at least one) are placed part-way up their ramps
(:func:`head_start`), and a regulatory cap never undoes that state (:func:`effective_cap`).
:func:`from_times` builds the counts, linear coefficients and prefix log of any state from
its crossing times (the start, and tests).
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks import frontier
from takeoff.model.blocks.adoption import (
    LONG_AGO,
    N_WEIGHTS,
    UNCROSSED,
    WINDOW,
    Adoption,
    TaskTables,
    flat_slots,
)


def from_times(tables: TaskTables, times: np.ndarray, t: float) -> Adoption:
    """Adoption state at time t for crossing times in the (n, L) layout (years since start).

    Within a family, crossed tasks (finite times <= t, non-decreasing; ``LONG_AGO`` for
    tasks adopted before the start) must precede uncrossed ones (+inf); guard slots are
    ignored. Used for the start state and in tests.
    """
    n, width = times.shape
    real = np.isfinite(tables.thresholds[:-WINDOW]).reshape(n, width)
    crossed = real & (times < UNCROSSED)
    log = flat_slots(np.where(crossed, times, UNCROSSED), UNCROSSED)
    offset = tables.row_base[n] - tables.row_base[0]
    families = (slice(0, offset), slice(offset, width))
    span = tables.span.reshape(2, n, 1)
    adopted = np.concatenate(
        [
            crossed[:, f] & (log[:-WINDOW].reshape(n, width)[:, f] + span[b] <= t)
            for b, f in enumerate(families)
        ],
        axis=1,
    )
    ramping = crossed & ~adopted
    rate = tables.rate[:-WINDOW].reshape(n, width, N_WEIGHTS) * ramping[:, :, None]
    ramp_time = rate * np.where(ramping, log[:-WINDOW].reshape(n, width), 0.0)[:, :, None]
    counts = np.stack([[m[:, f].sum(1) for f in families] for m in (crossed, adopted)])
    slope = np.stack([rate[:, f].sum(1).T for f in families], axis=1)  # (3, 2, n)
    ramp_offset = np.stack([ramp_time[:, f].sum(1).T for f in families], axis=1)
    flat_k, flat_f = counts.reshape(2, -1)
    full = np.take(tables.adopted_before, tables.row_base + flat_f, axis=0)  # (2n, 3)
    intercept = full.T.reshape(N_WEIGHTS, 2, n) - ramp_offset
    next_full = np.where(flat_f < flat_k, log[tables.row_base + flat_f] + tables.span, np.inf)
    # sum_{i<j} rate_i t_i within each family (exclusive prefix; guard slots add nothing).
    # Tasks adopted LONG_AGO lie below f, where only the static prefix is read: leaving
    # them out keeps their large times from costing the ramp sums digits.
    recent = crossed & (log[:-WINDOW].reshape(n, width) > LONG_AGO)
    contribution = (
        tables.rate[:-WINDOW, :2].reshape(n, width, 2)
        * np.where(recent, log[:-WINDOW].reshape(n, width), 0.0)[:, :, None]
    )
    rate_times = np.concatenate(
        [np.cumsum(contribution[:, f], axis=1) - contribution[:, f] for f in families], axis=1
    )
    return Adoption(
        counts=counts.astype(np.int64),
        linear=np.stack([intercept, slope]),
        upcoming=np.stack([tables.thresholds[tables.row_base + flat_k], next_full]).reshape(
            2, 2, n
        ),
        times=log,
        rate_times=frontier.pack(flat_slots(rate_times, 0.0)),
        candidates=frontier.no_candidates(2 * n),
    )


def start_times(thresholds, x0, head_count=None, head_time=None):
    """Crossing times (years since start) of one family's tasks at the start, (n, M).

    Tasks with threshold <= x0 were crossed ``LONG_AGO``. The next ``head_count`` (n,)
    tasks were crossed ``head_time`` (n,, <= 0) years ago, so they are that far up
    their adoption ramps: this is how the 2026 state has AI doing a small share of
    work (``ai_work_share_2026``) before any task's threshold is reached (setup.py).
    +inf thresholds (padding) stay uncrossed.
    """
    crossed = thresholds <= x0[:, None]
    times = np.where(crossed, LONG_AGO, UNCROSSED)
    if head_count is not None:
        rank = np.arange(thresholds.shape[-1]) - crossed.sum(axis=-1, keepdims=True)
        head = (rank >= 0) & (rank < head_count[:, None])
        times = np.where(head, head_time[:, None], times)
    return np.where(np.isfinite(thresholds), times, UNCROSSED)


def head_count(automatable_share, n_tasks):
    """m: the whole tasks (at least one) AI could already do in 2026, of N."""
    return np.maximum(np.round(automatable_share * n_tasks), 1.0)


def effective_cap(cap, work_share, automatable_share, n_tasks):
    """The cap, raised where needed to what AI already does of the tasks it could do in 2026.

        cap_eff = max(cap, min(s_0 N / m, 1))

    A cap is regulation from 2026 on: it can freeze deployment where it stands, but it
    does not undo the observed 2026 state (AI doing s_0 of all work, on m of N tasks;
    s_0 N / m = 0.12 by default). Without the floor a sampled cap near 0 would leave AI
    with no work and no revenue in 2026.
    """
    depth = np.minimum(work_share * n_tasks / head_count(automatable_share, n_tasks), 1.0)
    return np.maximum(cap, depth)


def head_start(work_share, automatable_share, tau, cap, n_tasks):
    """(head_count, head_time): tasks AI could already do in 2026 and when they were crossed.

    A share s_a of work (``automatable_share``, rounded to m >= 1 whole tasks of N) has
    been adoptable since t_h, adopted at rate 1/tau up to the cap: AI does
    s_0 = (m / N)(-t_h / tau) of all work, so t_h = -tau s_0 N / m, at most tau cap
    ago (then those tasks are fully adopted: s_0 is capped at (m / N) cap).
    """
    count = head_count(automatable_share, n_tasks)
    return count, -np.minimum(tau * work_share * n_tasks / count, tau * cap)


def start(tables: TaskTables, x0: np.ndarray, head=None) -> Adoption:
    """Adoption at the start (:func:`start_times`); ``head`` = (count, time) of the economy
    tasks already being adopted (:func:`head_start`), or None."""
    n = x0.shape[0]
    thresholds = tables.thresholds[:-WINDOW].reshape(n, -1)
    offset = tables.row_base[n] - tables.row_base[0]
    times = np.concatenate(
        [
            start_times(thresholds[:, :offset], x0, *(head or (None, None))),
            start_times(thresholds[:, offset:], x0),
        ],
        axis=1,
    )
    return from_times(tables, np.where(times >= UNCROSSED, np.inf, times), 0.0)
