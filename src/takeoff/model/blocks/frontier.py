"""The allocation frontier on the event-driven adoption tables (adoption.py).

allocation.py defines the equilibrium: the cheapest m* adopted parts go to AI, where

    P(m) = [ln f_{m-1} <= ln G(m)],   ln G(m) = (ln c + ln H_m - ln L - ln B_m) / sigma,

holds for m = 0 .. m* and fails beyond, and parts past the k crossed tasks have no
weight (m* <= k). Here P(m) is evaluated from prefix sums over the tasks in cost
order, without a pass over them:

    A_m = sum_{j<m} alpha_j,  B_m = sum_{j<m} alpha_j f_j^q,   H_m = U + A_k - A_m.

Below f (the fully adopted prefix) the sums are static; from f to m the ramps add
sum_{f<=j<m} rate_j (t - t_j), read from the static prefix of rate_j and the
crossing-time log of rate_j t_j (adoption.py's module doc).

Between events a prefix sum is linear in t, A_m + i B_m = P_m + t Q_m (packed as one
complex number, ``pack``), with P_m = A_m + i B_m, Q_m = 0 for m <= f, and above f

    P_m = (A_f + i B_f) + T_f - T_m,   Q_m = R_m - R_f,

R the static rate prefix and T the log of rate_j t_j.

Search. The frontier moves little from one evaluation to the next. The adoption
states of a run share a memo (``Candidates``): the frontier h found last and P, Q at
h, h + 1 and k, with the (h, k, f) they were computed for. An evaluation recomputes
them only for pairs whose k or f differ (a crossing, the end of a ramp) or whose
frontier moved, so most evaluations read no table at all. The memo never changes a
result: P and Q are fixed by (m, f) and the log below k, and a pair's entries are
dropped when its log is rewritten (adoption.record_crossings: Heun's corrector
replaces the crossings its predictor logged). P(h) and P(h + 1) confirm the
frontier; where it moved, ``WIDTH`` candidates next to it are tried at once, and the
rare pair that moved further is bracketed by ``WIDTH`` evenly spaced candidates per
pass.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from takeoff.model.blocks import allocation
from takeoff.model.blocks.allocation import unadopted_weight
from takeoff.model.blocks.numerics import ONE, ZERO, quiet

#: Candidates per pair and pass: most moves of the frontier are within this many parts.
WIDTH = 8
STEPS = np.arange(1, WIDTH + 1)
# 0-d operands (numerics.py).
_INF, _FIRST, _NEXT = np.array(np.inf), np.array(0), np.array(1)


def pack(columns: np.ndarray) -> np.ndarray:
    """(slots, 2) -> (slots,) complex: two prefix sums gathered as one element.

    A gather of one 16-byte element is several times faster than a gather of two
    float rows, and complex addition, subtraction and scaling by a real number act
    on each part exactly as on the floats.
    """
    return columns[:, 0] + 1j * columns[:, 1]


class SearchTable(NamedTuple):
    """Static prefixes read at a candidate m, per slot (see the module doc)."""

    adopted: np.ndarray  # complex: A + i B below m, for m <= f
    rate: np.ndarray  # complex: sum_{i<m} rate_i of the two weights
    log_cost_before: np.ndarray  # ln f_{m-1}; -inf before a family's first task


def search_table(adopted_before, rate_before, log_cost, row_base) -> SearchTable:
    """From ``adopted_before`` (slots, 3), ``rate_before`` (slots, 2), ``log_cost`` (slots,).

    ``log_cost`` is ln f_j, +inf in guard slots. The cost before task 0 of a family is
    -inf, so P(0) always holds.
    """
    previous = np.concatenate([[-np.inf], log_cost[:-1]])
    previous[row_base] = -np.inf
    return SearchTable(pack(adopted_before[:, :2]), pack(rate_before), previous)


class Candidates(NamedTuple):
    """The search memo of adoption states: (3, 2n) arrays over h, h + 1 and k.

    ``frontier`` is shared by all states of a run (``copy`` keeps it): Heun's
    predictor finds where the frontier moved, and the corrector starts from there.
    """

    frontier: np.ndarray  # (2n,) int: the frontier found last, shared
    keys: np.ndarray  # (3, 2n) int: the h, k and f the coefficients belong to
    offset: np.ndarray  # (3, 2n) complex: P_m
    slope: np.ndarray  # (3, 2n) complex: Q_m
    cost_before: np.ndarray  # (2, 2n): ln f_{m-1} at h and h + 1

    def copy(self) -> Candidates:
        return Candidates(self.frontier, *(x.copy() for x in self[1:]))


def no_candidates(pairs: int) -> Candidates:
    """An empty memo: k = -1 matches no state, so the first evaluation fills it."""
    keys = np.zeros((3, pairs), dtype=np.int64)
    keys[1] = -1
    empty = np.zeros((3, pairs), dtype=complex)
    return Candidates(
        np.zeros(pairs, dtype=np.int64), keys, empty, empty.copy(), np.zeros((2, pairs))
    )


def coefficients(tables, rate_times, base, full, m):
    """P_m, Q_m (complex) and ln f_{m-1} at candidates m (any shape broadcasting with (p,)).

    ``base`` (p,) is each pair's slot of task 0, ``full`` (p,) its count f of fully
    adopted tasks.
    """
    search = tables.search
    at_m, at_f = base + m, base + full
    below = m <= full
    offset = np.where(
        below,
        search.adopted.take(at_m),
        (search.adopted.take(at_f) + rate_times.take(at_f)) - rate_times.take(at_m),
    )
    slope = np.where(below, 0.0, search.rate.take(at_m) - search.rate.take(at_f))
    return offset, slope, search.log_cost_before.take(at_m)


def at_time(offset, slope, t):
    """(A_m, B_m) = P_m + t Q_m as (2, ...), floored at 0 (rounding of the ramps)."""
    sums = offset + t * slope
    return np.maximum(np.array([sums.real, sums.imag]), ZERO)


#: Share of pairs at which :func:`equilibrium` settles every pair rather than gathering
#: the splitting ones: gathers cost more than the arithmetic they save on a few pairs.
DENSE_SETTLE = 0.5


def equilibrium(
    t, a, tables, labour, compute, rho, adopted_share=None, log_labour=None, sigma=None
) -> allocation.Equilibrium:
    """Exact human/AI allocation of both families at t (allocation.py), (2, n) arrays.

    ``a`` is the adoption state at t (years since start); its memo is updated.
    ``adopted_share`` (2, n) is ``tables.sums(t, a)[0]`` and ``log_labour`` ln L where the
    caller has them, and ``sigma`` 1 / (1 - rho) (fixed during a run). Pairs
    with nothing crossed (k = 0) need no special case: every candidate is m = 0, so
    H = U = 1 and B = 0.
    """
    shape = labour.shape
    if adopted_share is None:
        adopted_share = tables.sums(t, a)[0]
    unadopted = unadopted_weight(adopted_share.reshape(-1))
    counts = a.counts.reshape(2, -1)
    crossed, full = counts[0], counts[1]  # (indexing is cheaper than unpacking an array)
    labour, compute = labour.reshape(-1), compute.reshape(-1)
    sigma = (ONE / (ONE - rho) if sigma is None else sigma).reshape(-1)
    memo = a.candidates
    hint = np.minimum(memo.frontier, crossed)
    changed = memo.keys[1:] != counts  # the memo's (k, f), in the order of counts
    stale = (changed[0] | changed[1] | (memo.keys[0] != hint)).nonzero()[0]
    if stale.size:
        _remember(memo, tables, a.rate_times, stale, hint[stale], crossed[stale], full[stale])
    sums = at_time(memo.offset, memo.slope, t)  # (2, 3, 2n)
    total = sums[0, 2]

    def gather(rows, m):
        offset, slope, before = coefficients(
            tables, a.rate_times, tables.row_base[rows], full[rows], m
        )
        return at_time(offset, slope, t), before

    with quiet():
        log_labour = np.log(labour) if log_labour is None else log_labour.reshape(-1)
        log_ratio = np.log(compute) - log_labour  # ln(c / L)
        available = unadopted + total

        def judge(rows, m, sums, before):
            """H_m, ln G(m) and P(m) (c, p) at candidates m of pairs ``rows``."""
            human = np.maximum(available[rows] - sums[0], ZERO)
            log_g = (log_ratio[rows] + np.log(human / sums[1])) / sigma[rows]
            log_g = np.where(sums[1] > ZERO, log_g, _INF)
            return human, log_g, (m == _FIRST) | (before <= log_g)

        m = np.array([hint, np.minimum(hint + _NEXT, crossed)])
        sums = sums[:, :2]
        human, log_g, holds = judge(slice(None), m, sums, memo.cost_before)
        # The frontier moved where P(h) fails, or where P(h + 1) holds for h < k.
        room = m[1] > m[0]
        up = holds[1] & room
        moved = (up | ~holds[0]).nonzero()[0]
        if moved.size:
            up = up[moved] & holds[0, moved]
            found = _search(moved, up, m[1, moved], hint[moved], crossed, gather, judge)
            _remember(memo, tables, a.rate_times, moved, found, crossed[moved], full[moved])
            m[:, moved] = memo.keys[0, moved], np.minimum(found + 1, crossed[moved])
            sums[:, :, moved] = at_time(memo.offset[:2, moved], memo.slope[:2, moved], t)
            human[:, moved], log_g[:, moved], _ = judge(
                moved, m[:, moved], sums[:, :, moved], memo.cost_before[:, moved]
            )
            room = m[1] > m[0]
    frontier = memo.frontier[:] = m[0]
    human_weight, ai_weight = human[0], sums[1, 0]
    # Only a pair with a next part (alpha_{m*} > 0) can split it; AI usually does every
    # adopted part (m* = k), so that is a minority of a large batch.
    part = sums[:, 1] - sums[:, 0]
    splits = room & (part[0] > ZERO)
    number = np.count_nonzero(splits)
    if not number:
        return allocation.Equilibrium(human_weight.reshape(shape), ai_weight.reshape(shape))
    # ln f_{m*}: the search table holds each slot's previous cost.
    next_cost = tables.search.log_cost_before
    if number >= DENSE_SETTLE * splits.size:
        # Where nothing is split, part = 0 leaves (H, B) as they are (allocation.settle).
        part = np.where(splits, np.maximum(part, ZERO), ZERO)
        settled = allocation.settle(
            compute,
            labour,
            sigma,
            human_weight,
            ai_weight,
            next_cost.take(tables.row_base + frontier + _NEXT),
            part[0],
            part[1],
            log_g=log_g[0],
            log_ratio=log_ratio,
        )
        return allocation.Equilibrium(settled[0].reshape(shape), settled[1].reshape(shape))
    rows = splits.nonzero()[0]
    part = np.maximum(part[:, rows], 0.0)
    human_weight[rows], ai_weight[rows] = allocation.settle(
        compute[rows],
        labour[rows],
        sigma[rows],
        human_weight[rows],
        ai_weight[rows],
        next_cost.take(tables.row_base[rows] + frontier[rows] + 1),
        part[0],
        part[1],
        log_g=log_g[0, rows],
        log_ratio=log_ratio[rows],
    )
    return allocation.Equilibrium(human_weight.reshape(shape), ai_weight.reshape(shape))


def _remember(memo, tables, rate_times, rows, frontier, crossed, full):
    """Recompute the memo of pairs ``rows`` for frontier h and counts k, f."""
    m = np.array([frontier, np.minimum(frontier + 1, crossed), crossed])
    offset, slope, before = coefficients(tables, rate_times, tables.row_base[rows], full, m)
    memo.offset[:, rows], memo.slope[:, rows] = offset, slope
    memo.cost_before[:, rows] = before[:2]
    memo.keys[:, rows] = frontier, crossed, full


def _search(rows, up, above, hint, crossed, gather, judge):
    """m* for pairs whose frontier left the cached h: P(h + 1) holds (``up``) or P(h) fails.

    Keeps a bracket, P(low) true and P(high) false (high = k + 1: true up to k), and
    tries ``WIDTH`` candidates inside it per pass: next to h first, then evenly spaced.
    ``gather(rows, m)`` gives (A_m, B_m) and ln f_{m-1}, ``judge`` P(m).
    """
    low = np.where(up, above, 0)
    high = np.where(up, crossed[rows] + 1, hint)
    frontier = low.copy()
    index = np.arange(rows.size)
    near = True
    while (open_ := high - low > 1).any():
        index, low, high, up = index[open_], low[open_], high[open_], up[open_]
        if near:  # WIDTH parts above low, or below high
            points = np.where(up, low + STEPS[:, None], high - STEPS[::-1, None])
        else:
            points = low + ((high - low) * STEPS[:, None]) // (WIDTH + 1)
        points = np.minimum(np.maximum(points, low + 1), high - 1)
        sums, before = gather(rows[index], points)
        *_, ok = judge(rows[index], points, sums, before)
        number = ok.sum(axis=0)  # P is monotone in m: the points where it holds come first
        columns = np.arange(index.size)
        low = np.where(number > 0, points[np.maximum(number - 1, 0), columns], low)
        high = np.where(number < WIDTH, points[np.minimum(number, WIDTH - 1), columns], high)
        frontier[index] = low
        near = False
    return frontier
