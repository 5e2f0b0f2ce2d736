"""Block 6 — adoption: realised automation lags capability.

A task that became automatable at time t_i is adopted along a linear ramp,

    a_i(t) = clip((t - t_i) / tau, 0, cap),

reaching the regulatory cap ``cap`` (1 = no cap) tau years after t_i. The crossing
time t_i is found by interpolating log effective compute within the step, so the
ramp does not depend on the time step.

Sums without a pass over the tasks. Thresholds are sorted within each family
(economy tasks, AI R&D tasks) and the running maximum of effective compute never
falls, so crossing times are non-decreasing along a family: crossed tasks form a
prefix i < k and fully adopted ones a shorter prefix i < f,

    k(t) = #{i: t_i <= t},    f(t) = #{i: t_i + tau cap <= t}.

Tasks f <= i < k are on the ramp. For static weights w_i (1, runtime-cost weight (F_i/F_0)^q,
cognitive flag) and a normaliser N_w (number of tasks, or of cognitive tasks),

    (1/N_w) sum_i w_i a_i(t) = intercept + slope t,
    slope     = sum_{f<=i<k} w_i / (tau N_w),
    intercept = cap W(f) / N_w - sum_{f<=i<k} w_i t_i / (tau N_w),

with W(f) = sum_{i<f} w_i: linear in t between events. Two events change the
coefficients, each by one task's terms: a crossing (k -> k + 1: slope += w/(tau N_w),
intercept -= w t_k/(tau N_w)) and the end of a ramp (f -> f + 1: the reverse, plus
cap w/N_w). Events are rare per sample, so a step works on the few samples where
something happens (``record_crossings``, ``count_adopted``) rather than on (n, N)
arrays. When a ramp empties the coefficients are reset to cap W(f)/N_w and 0, so
rounding does not accumulate and "nothing on the ramp" is exact.

Times are years since the start year. Tasks automatable at the start have the finite
crossing time ``LONG_AGO`` (not -inf) and are fully adopted from the start; the start
state, with the tasks AI already works on in 2026, is built in adoption_start.py.

Layout: per sample, family b has the slots off_b .. off_b + N_b + WINDOW - 1 of a row
of L = N_e + N_r + 2 WINDOW: task k in slot off_b + k, then ``WINDOW`` guard slots
with threshold +inf, so looking up to ``WINDOW`` tasks ahead never reaches the other
family (padding follows the last row). The crossing-time log is append-only:
advancing a state writes only slots at or beyond that state's k, and every read is
bounded by the reading state's counts. The state advanced from stays valid, but of
two states advanced from the same parent only the later one does (Heun's predictor
is dropped once the corrector is known).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from takeoff.model.blocks import allocation, frontier

#: Crossing time (years since start) of tasks automatable at the start; anything below
#: minus the longest ramp (100 years) keeps them fully adopted throughout.
LONG_AGO = -1000.0
#: Placeholder in log slots not written yet; the counts keep every read away from it.
UNCROSSED = 1e30
#: Static weights per task: 1, runtime-cost weight (F_i/F_0)^q (labour.py), cognitive flag.
N_WEIGHTS = 3
#: Tasks looked at per sample and pass: a step rarely crosses or completes more.
WINDOW = 8
AHEAD = np.arange(WINDOW)


@dataclass(frozen=True)
class TaskTables:
    """Static per-task data of both families for n samples.

    (2, n) quantities are flattened to (2n,) "pairs" p = family n + sample, the index
    used by the sparse updates; per-task quantities are indexed by slot (see module doc).
    """

    row: np.ndarray  # (2n,) int: sample of each pair
    row_base: np.ndarray  # (2n,) int: slot of task 0 of each pair
    thresholds: np.ndarray  # (slots,) log10 effective FLOP; sorted per family, +inf guards
    rate: np.ndarray  # (slots, 3): w_i / (tau N_w), slope added while task i ramps
    adopted: np.ndarray  # (slots, 3): cap w_i / N_w, once task i is fully adopted
    adopted_before: np.ndarray  # (slots, 3): cap W(j) / N_w for j = slot - row_base
    search: frontier.SearchTable  # what the frontier search reads at a candidate m
    span: np.ndarray  # (2n,): tau cap, years from crossing to full adoption
    shortest_span: float  # min(span): a task crossed within a shorter step stays ramping

    # The step (step.py) goes through these methods, so it runs unchanged on the
    # dense tables of adoption_dense.py (the JAX backend).
    def sums(self, t: float, a: Adoption) -> np.ndarray:
        return sums(t, a)

    def complete_ramps(self, a: Adoption, t: float) -> Adoption:
        return complete_ramps(a, self, t)

    def advance(self, a: Adoption, x_old, x_new, t, dt, origin, in_place=False) -> Adoption:
        return advance(a, self, x_old, x_new, t, dt, origin, in_place)

    def equilibrium(
        self,
        t: float,
        a: Adoption,
        labour,
        compute,
        rho,
        adopted_share=None,
        log_labour=None,
        sigma=None,
    ) -> allocation.Equilibrium:
        return frontier.equilibrium(
            t, a, self, labour, compute, rho, adopted_share, log_labour, sigma
        )


class Adoption(NamedTuple):
    """Adoption state of n samples; (.., 2, n) arrays: economy, then AI R&D family."""

    counts: np.ndarray  # (2, 2, n) int: tasks crossed (k), tasks fully adopted (f)
    linear: np.ndarray  # (2, 3, 2, n): intercept, slope of the three normalised sums
    upcoming: np.ndarray  # (2, 2, n): threshold of task k; time task f is fully adopted
    times: np.ndarray  # (slots,) crossing times, years since start: the shared log
    # (slots,) complex: sum_{i<j} rate_i t_i over crossed tasks, first two weights as the
    # real and imaginary parts (one gather reads both; frontier.py). Shared log.
    rate_times: np.ndarray
    candidates: frontier.Candidates  # the frontier search's memo (frontier.py), per state

    def copy(self, share_memo: bool = False) -> Adoption:
        """A copy whose counts and coefficients can be updated; the logs stay shared.

        ``share_memo`` shares the search memo too. The memo's keys record k and f, not
        the log below k, so that is safe because ``record_crossings`` drops the entries
        of the pairs whose log it rewrites.
        """
        return Adoption(
            self.counts.copy(),
            self.linear.copy(),
            self.upcoming.copy(),
            self.times,
            self.rate_times,
            self.candidates if share_memo else self.candidates.copy(),
        )


def to_layout(economy: np.ndarray, rnd: np.ndarray, guard: float) -> np.ndarray:
    """(n, N_e, ...) and (n, N_r, ...) arrays -> (n, L, ...), ``WINDOW`` guard slots after each."""
    pad = np.full((economy.shape[0], WINDOW, *economy.shape[2:]), guard)
    return np.concatenate([economy, pad, rnd, pad], axis=1)


def flat_slots(per_slot: np.ndarray, pad: float) -> np.ndarray:
    """(n, L, ...) -> (n L + WINDOW, ...): rows end to end, then padding for look-ahead."""
    flat = per_slot.reshape(-1, *per_slot.shape[2:])
    return np.concatenate([flat, np.full((WINDOW, *flat.shape[1:]), pad)])


def task_weights(runtime_factor: np.ndarray, is_cognitive: np.ndarray):
    """Static weights w_i (n, N, 3): 1, runtime-cost weight, cognitive flag; and 1/N_w (n, 1, 3).

    N_w normalises each sum: the number of tasks for the first two, of cognitive
    tasks (at least 1) for the cognitive share.
    """
    n, size = runtime_factor.shape
    weights = np.stack(
        [np.ones_like(runtime_factor), runtime_factor, is_cognitive.astype(float)], 2
    )
    counts = [np.full(n, size), np.full(n, size), np.maximum(weights[..., 2].sum(1), 1)]
    return weights, 1.0 / np.stack(counts, axis=1)[:, None, :]


def build_tables(
    thresholds: tuple[np.ndarray, np.ndarray],
    runtime_factor: tuple[np.ndarray, np.ndarray],
    is_cognitive: tuple[np.ndarray, np.ndarray],
    cap: np.ndarray,
    tau: tuple[np.ndarray, np.ndarray],
    log_cost: tuple[np.ndarray, np.ndarray],
) -> TaskTables:
    """Tables from per-family (economy, AI R&D) task arrays of shape (n, N_b).

    Sums are normalised per family: adopted share and mean runtime cost by N_b, the
    cognitive share by the family's number of cognitive tasks. ``runtime_factor`` is
    the cost weight f_j^q and ``log_cost`` ln f_j, non-decreasing along each family.
    """
    n = cap.shape[0]
    sizes = (thresholds[0].shape[1], thresholds[1].shape[1])
    rate, adopted, before, rate_before = [], [], [], []
    for b in range(2):
        weights, per_weight = task_weights(runtime_factor[b], is_cognitive[b])
        rate.append(weights * per_weight / tau[b][:, None, None])
        adopted.append(weights * per_weight * cap[:, None, None])
        # W(j) for j = 0 .. N_b: slot off_b + j, the last one the first guard slot.
        prefix = np.concatenate([np.zeros((n, 1, N_WEIGHTS)), np.cumsum(weights, axis=1)], axis=1)
        tail = np.zeros((n, WINDOW - 1, N_WEIGHTS))
        before.append(np.concatenate([prefix * per_weight * cap[:, None, None], tail], axis=1))
        rate_prefix = prefix * per_weight / tau[b][:, None, None]
        rate_before.append(np.concatenate([rate_prefix, tail], axis=1)[..., :2])
    width = sizes[0] + sizes[1] + 2 * WINDOW
    span = np.stack(tau) * cap
    row_base = (np.array([0, sizes[0] + WINDOW])[:, None] + np.arange(n) * width).reshape(-1)
    adopted_before = flat_slots(np.concatenate(before, axis=1), 0.0)
    return TaskTables(
        row=np.tile(np.arange(n), 2),
        row_base=row_base,
        thresholds=flat_slots(to_layout(thresholds[0], thresholds[1], np.inf), np.inf),
        rate=flat_slots(to_layout(rate[0], rate[1], 0.0), 0.0),
        adopted=flat_slots(to_layout(adopted[0], adopted[1], 0.0), 0.0),
        adopted_before=adopted_before,
        search=frontier.search_table(
            adopted_before,
            flat_slots(np.concatenate(rate_before, axis=1), 0.0),
            flat_slots(to_layout(log_cost[0], log_cost[1], np.inf), np.inf),
            row_base,
        ),
        span=span.reshape(-1),
        shortest_span=float(span.min()),
    )


def sums(t: float, a: Adoption) -> np.ndarray:
    """(3, 2, n): mean adoption, mean a_i F_i, cognitive share at t (years since start).

    ``a`` must be the state at t (its f = f(t)). The floor at 0 only acts when a
    computed crossing time exceeds t by rounding (it would add -1e-16/tau).
    """
    return np.maximum(a.linear[0] + t * a.linear[1], 0.0)


def _first_false(mask: np.ndarray) -> np.ndarray:
    """Length of the leading run of True in each row of a prefix-shaped (m, WINDOW) mask
    whose first column is True (argmin finds the first False; 0 means none)."""
    number = np.argmin(mask, axis=1)
    number[number == 0] = WINDOW
    return number


def _add_events(a: Adoption, pairs: np.ndarray, number: np.ndarray, terms: np.ndarray) -> None:
    """Add event terms (e, 6) [intercept x 3, slope x 3] to their pairs' coefficients.

    Events come grouped by pair, ``number`` per pair; ``add.at`` adds them in that
    order, as one event after the other.
    """
    layers = np.arange(2 * N_WEIGHTS) * (a.linear.size // (2 * N_WEIGHTS))
    target = np.repeat(pairs, number)[:, None] + layers
    # 1-D index and values take add.at's fast path.
    np.add.at(a.linear.reshape(-1), target.reshape(-1), terms.reshape(-1))


def record_crossings(
    a: Adoption,
    tables: TaskTables,
    x_old: np.ndarray,
    x_new: np.ndarray,
    t: float,
    dt: float,
    origin: float,
    pairs: np.ndarray | None = None,
) -> None:
    """Move k (in place) past thresholds reached in (t, t + dt]; t in calendar years.

    x is taken linear in time within the step, so a task with x_old < T <= x_new
    crossed at t + dt (T - x_old) / (x_new - x_old). This is computed in
    calendar years and then shifted by ``origin`` (exact for years within a factor 2
    of it), so t - t_i comes out as in calendar years. Only samples whose next
    threshold was reached are visited, ``WINDOW`` tasks at a time (``pairs``, where
    the caller has them: :func:`_crossing`).
    """
    if pairs is None:
        pairs = _crossing(a, x_new)
    if not pairs.size:
        return
    # The log below these pairs' k is rewritten where a sibling state crossed before:
    # their entries in the shared search memo no longer hold (frontier.Candidates).
    a.candidates.keys[1, pairs] = -1
    crossed, adopted = a.counts.reshape(2, -1)
    next_threshold, next_full = a.upcoming.reshape(2, -1)
    rows = tables.row[pairs]
    x_from, x_to = x_old[rows], x_new[rows]
    per_x = dt / np.maximum(x_to - x_from, 1e-300)
    while pairs.size:
        first = tables.row_base[pairs] + crossed[pairs]
        # Thresholds ascend within a family and guards are +inf: hits form a prefix.
        hit = tables.thresholds.take(first[:, None] + AHEAD) <= x_to[:, None]
        number = _first_false(hit)
        starts = np.cumsum(number) - number
        event = np.repeat(np.arange(pairs.size), number)
        slot = np.repeat(first - starts, number) + np.arange(event.size)
        # T > x_old for a task not crossed before, so the time falls within the step.
        when = tables.thresholds.take(slot) - x_from.take(event)
        when = (t + when * per_x.take(event)) - origin
        a.times[slot] = when
        rate = tables.rate.take(slot, axis=0)  # w_i / (tau N_w)
        # Extend the prefix log: rate_times[j + 1] = rate_times[j] + rate_j t_j, summed
        # within each pair only, so a sample's log does not depend on the rest of the batch.
        position = np.arange(event.size) - np.repeat(starts, number)
        per_pair = np.zeros((pairs.size, WINDOW), dtype=complex)
        per_pair.real[event, position] = rate[:, 0] * when
        per_pair.imag[event, position] = rate[:, 1] * when
        running = np.cumsum(per_pair, axis=1) + a.rate_times.take(first)[:, None]
        a.rate_times[slot + 1] = running[event, position]
        _add_events(a, pairs, number, np.concatenate([-rate * when[:, None], rate], axis=1))
        # Where the ramp was empty, the first new task is the next to be fully adopted.
        empty = adopted[pairs] == crossed[pairs]
        next_full[pairs[empty]] = when[starts[empty]] + tables.span[pairs[empty]]
        crossed[pairs] += number
        next_threshold[pairs] = ahead = tables.thresholds.take(first + number)
        more = ahead <= x_to
        pairs, x_from, x_to, per_x = pairs[more], x_from[more], x_to[more], per_x[more]


def _crossing(a: Adoption, x_new: np.ndarray) -> np.ndarray:
    """Pairs whose next threshold is reached at x_new."""
    return (a.upcoming[0] <= x_new).reshape(-1).nonzero()[0]


def _ending(a: Adoption, t: float) -> np.ndarray:
    """Pairs whose next ramp has ended by t."""
    return (a.upcoming[1] <= t).reshape(-1).nonzero()[0]


def count_adopted(a: Adoption, tables: TaskTables, t: float, pairs=None) -> None:
    """Move f (in place) past crossed tasks whose ramp has ended: t_i + tau cap <= t.

    ``pairs`` is ``_ending(a, t)`` where the caller has it.
    """
    if pairs is None:
        pairs = _ending(a, t)
    if not pairs.size:
        return
    crossed, adopted = a.counts.reshape(2, -1)
    intercept, slope = a.linear.reshape(2, N_WEIGHTS, -1)
    next_full = a.upcoming[1].reshape(-1)
    while pairs.size:
        first = tables.row_base[pairs] + adopted[pairs]
        span = tables.span[pairs]
        ramping = AHEAD < (crossed[pairs] - adopted[pairs])[:, None]
        # Crossing times ascend over the ramping tasks, so completions form a prefix.
        done = ramping & (a.times.take(first[:, None] + AHEAD) + span[:, None] <= t)
        number = _first_false(done)
        starts = np.cumsum(number) - number
        slot = np.repeat(first - starts, number) + np.arange(number.sum())
        rate = tables.rate.take(slot, axis=0)
        ended = rate * a.times.take(slot)[:, None] + tables.adopted.take(slot, axis=0)
        _add_events(a, pairs, number, np.concatenate([ended, -rate], axis=1))
        adopted[pairs] += number
        following = first + number
        left = adopted[pairs] < crossed[pairs]
        next_full[pairs] = ahead = np.where(left, a.times.take(following) + span, np.inf)
        # Ramp empty: restore the exact coefficients, dropping accumulated rounding.
        empty = pairs[~left]
        slope[:, empty] = 0.0
        intercept[:, empty] = tables.adopted_before.take(following[~left], axis=0).T
        more = ahead <= t
        pairs = pairs[more]


def complete_ramps(a: Adoption, tables: TaskTables, t: float) -> Adoption:
    """A copy of ``a`` with the ramps ended by t (years since start) counted as adopted.

    For the tasks crossed so far this does not depend on how far effective compute
    moves next, so both stages of a Heun step can share it. Ending ramps only moves f,
    so the copy shares ``a``'s search memo: a large batch's memo is worth not copying.
    Where no ramp has ended this is ``a`` itself (nothing to copy; see :func:`advance`).
    """
    pairs = _ending(a, t)
    if not pairs.size:
        return a
    new = a.copy(share_memo=True)
    count_adopted(new, tables, t, pairs)
    return new


def advance(
    a: Adoption,
    tables: TaskTables,
    x_old: np.ndarray,
    x_new: np.ndarray,
    t: float,
    dt: float,
    origin: float,
    in_place: bool = False,
) -> Adoption:
    """Adoption at t + dt after effective compute moved from x_old to x_new.

    t in calendar years, the log in years since ``origin``. Appends to the log. ``a``
    must have its ramps completed up to t + dt (``complete_ramps``); then only tasks
    crossed within the step can still end their ramp, and only if tau cap < dt.
    ``in_place`` updates ``a`` itself instead of a copy (for its last use). The copy
    shares ``a``'s search memo: Heun's corrector then finds the frontiers its predictor
    searched, and ``record_crossings`` drops the entries a rewritten log invalidates.
    Where no threshold is reached (and no ramp can end) this is ``a`` itself: states
    are only updated in place through ``in_place``, so sharing one is safe.
    """
    pairs = _crossing(a, x_new)
    ramps_end = tables.shortest_span < dt  # else tasks crossed after t still ramp at t + dt
    if not (pairs.size or ramps_end):
        return a
    new = a if in_place else a.copy(share_memo=True)
    record_crossings(new, tables, x_old, x_new, t, dt, origin, pairs)
    if ramps_end:
        count_adopted(new, tables, t + dt - origin)
    return new


def crossing_times(a: Adoption, tables: TaskTables) -> np.ndarray:
    """(n, N_e + N_r) crossing times in years since start (+inf: not crossed), for inspection."""
    n = a.counts.shape[2]
    times = a.times[:-WINDOW].reshape(n, -1)
    offset = tables.row_base[n] - tables.row_base[0]
    families = []
    for b, (start, stop) in enumerate(((0, offset - WINDOW), (offset, times.shape[1] - WINDOW))):
        rank = np.arange(stop - start)[None, :]
        families.append(np.where(rank < a.counts[0, b, :, None], times[:, start:stop], np.inf))
    return np.concatenate(families, axis=1)
