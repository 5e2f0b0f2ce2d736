"""Shapley values of a coalition game, exact or from sampled permutations.

A game on k players (here: groups of parameters) is a value v(S) for every coalition
S of players; coalitions are bit masks (bit g set = player g is in). The Shapley value
of player g is its marginal contribution averaged over all orders of joining:

    phi_g = sum_{S not containing g} |S|! (k - |S| - 1)! / k! * (v(S + g) - v(S)),

which is the only attribution that is efficient (sum_g phi_g = v(all) - v(none)),
symmetric (players that add the same to every coalition get the same), null (a player
that never changes v gets 0) and additive (Shapley 1953).

Beyond ``MAX_EXACT`` players the 2^k coalitions are too many, and phi is estimated from
m random orders (permutations) and their reverses (antithetic pairs, which cancel most
of the noise of a nearly additive game): each order's contributions sum exactly to
v(all) - v(none), so the estimate is still exactly efficient; its sampling error is
the spread of the pair averages over sqrt(m/2).

Every function takes ``v`` as an array whose first axis is indexed through ``index``
(mask -> row), so extra axes (e.g. bootstrap replicates) are carried along.
"""

from __future__ import annotations

import math

import numpy as np

#: Most players for which every coalition is evaluated (2^10 = 1024 coalitions).
MAX_EXACT = 10


def popcount(masks: np.ndarray) -> np.ndarray:
    """Number of set bits of each mask."""
    masks = np.asarray(masks, dtype=np.int64)
    count = np.zeros_like(masks)
    while masks.any():
        count += masks & 1
        masks = masks >> 1
    return count


def full_mask(k: int) -> int:
    return (1 << k) - 1


def sample_orders(k: int, pairs: int, seed: int) -> np.ndarray:
    """``2 * pairs`` orders of the k players: random permutations and their reverses."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x5A91,)))
    forward = np.argsort(rng.random((pairs, k)), axis=1)
    return np.concatenate([forward, forward[:, ::-1]])


def prefix_masks(orders: np.ndarray) -> np.ndarray:
    """(m, k + 1) coalitions along each order: none, the first player, the first two, ..."""
    bits = np.left_shift(1, orders.astype(np.int64))
    return np.concatenate([np.zeros((orders.shape[0], 1), np.int64), np.cumsum(bits, 1)], 1)


def coalitions_needed(k: int, orders: np.ndarray | None = None) -> list[int]:
    """Masks to evaluate: all 2^k (exact), or the orders' prefixes plus the one-at-a-time
    coalitions (each player alone, each left out)."""
    if orders is None:
        return list(range(1 << k))
    full = full_mask(k)
    masks = set(prefix_masks(orders).ravel().tolist())
    masks.update(1 << g for g in range(k))
    masks.update(full ^ (1 << g) for g in range(k))
    return sorted(masks)


def exact(v: np.ndarray, index: dict[int, int], k: int) -> np.ndarray:
    """phi (k, ...) from the values of all 2^k coalitions."""
    masks = np.arange(1 << k)
    sizes = popcount(masks)
    weight = np.array([math.factorial(s) * math.factorial(k - s - 1) for s in range(k)]) / (
        math.factorial(k)
    )
    rows = np.array([index[m] for m in masks.tolist()])
    out = []
    for g in range(k):
        without = masks[(masks >> g) & 1 == 0]
        gain = v[rows[without | (1 << g)]] - v[rows[without]]
        out.append(np.tensordot(weight[sizes[without]], gain, axes=(0, 0)))
    return np.stack(out)


def by_orders(v: np.ndarray, index: dict[int, int], orders: np.ndarray) -> np.ndarray:
    """Each order's marginal contributions, (m, k, ...): row j gives what each player
    added when it joined in order j (each row sums to v(all) - v(none))."""
    m, k = orders.shape
    lookup = np.vectorize(index.__getitem__, otypes=[np.int64])
    values = v[lookup(prefix_masks(orders))]  # (m, k + 1, ...)
    gains = values[:, 1:] - values[:, :-1]
    out = np.empty_like(gains)
    out[np.arange(m)[:, None], orders] = gains
    return out


def order_error(contributions: np.ndarray) -> np.ndarray:
    """Standard error of the mean over antithetic pairs (order j and its reverse j + m/2)."""
    half = contributions.shape[0] // 2
    pairs = 0.5 * (contributions[:half] + contributions[half:])
    return pairs.std(axis=0, ddof=1) / math.sqrt(half) if half > 1 else np.zeros(pairs.shape[1:])


def one_at_a_time(v: np.ndarray, index: dict[int, int], k: int) -> tuple[np.ndarray, np.ndarray]:
    """(alone, last): v({g}) - v(none), what player g adds on its own; and
    v(all) - v(all - g), what it adds when every other player is in. The Shapley value
    is an average of marginal contributions that include these two; when they differ,
    the player interacts with others."""
    full = full_mask(k)
    none, everything = v[index[0]], v[index[full]]
    alone = np.stack([v[index[1 << g]] - none for g in range(k)])
    last = np.stack([everything - v[index[full ^ (1 << g)]] for g in range(k)])
    return alone, last
