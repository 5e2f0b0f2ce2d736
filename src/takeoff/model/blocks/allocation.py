"""Exact allocation of human workers and AI compute across task parts (blocks 5 and 7).

A family (the economy, or AI R&D) has N tasks of weight 1/N in a task CES. Task j
has an adopted part of weight alpha_j = a_j / N, where a human and an AI doing the
work of one human (needing F_j FLOP/s) are perfect substitutes, and an unadopted
part that only humans do; U = sum_j (1 - a_j)/N. Tasks are sorted by runtime cost,
f_j = F_j / F_0 >= 1 non-decreasing. Given L workers and inference compute worth
c = C S^epsilon / F_0 easiest-task human-equivalents, the allocation maximises

    X = ( sum_parts w y^rho )^(1/rho)

subject to the two resource constraints. It is the competitive equilibrium with a
wage (1, the numeraire) and a rental r per unit of c: each adopted part is done by
whichever is cheaper, AI on part j costing r f_j. With sigma = 1/(1 - rho),
q = 1 - sigma = -rho/(1 - rho), and the cheapest m adopted parts done by AI,

    A_m = sum_{j<m} alpha_j,        B_m = sum_{j<m} alpha_j f_j^q,
    H_m = U + sum_{j>=m} alpha_j    (weight done by humans),

CES demand y_j = y_H (r f_j)^(-sigma) and market clearing L = y_H H_m,
c = y_H r^(-sigma) B_m give the cost at which AI and humans break even,

    G(m) = 1/r = ( c H_m / (L B_m) )^(1/sigma).

G falls with m and f_j rises, so P(m) = [f_{m-1} <= G(m)] holds for m = 0 .. m*
and fails beyond: m* is found by a search (``dense_frontier`` over all m,
adoption.py's binary search over the event-driven tables). If G(m*) <= f_{m*},
part m* is done by humans and the equilibrium is interior. Otherwise part m* is
split at r = 1/f_{m*}: AI takes theta alpha_{m*} of it, where clearing gives

    theta alpha_{m*} = ( c H_m - f^sigma L B_m ) / ( L f + c ),   f = f_{m*}.

With the equilibrium weights (H, B) the aggregate is a two-group CES,

    X = ( H^(1-rho) L^rho + B^(1-rho) c^rho )^(1/rho),

labour's share of X's income s_L = H^(1-rho) L^rho / X^rho, and marginal products
dX/dL = s_L X / L, dX/dc = (1 - s_L) X / c (their ratio is r). Adopting a task or
adding compute only enlarges the feasible set, so X never falls.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from takeoff.model.blocks.numerics import ONE, ZERO, quiet

#: Unadopted weight below which all work counts as adopted (see ``unadopted_weight``).
FULLY_ADOPTED = 1e-12
# 0-d operands (numerics.py).
_NEG_INF = np.array(-np.inf)
_NEAR_ONE, _EXP_LIMIT, _RATIO_LIMIT = np.array(FULLY_ADOPTED), np.array(700.0), np.array(600.0)


def unadopted_weight(adopted_share: np.ndarray, *, xp=np) -> np.ndarray:
    """U = 1 - A, snapped to 0 below ``FULLY_ADOPTED``.

    A sums task ramps and carries rounding of ~1e-16, so 1 - A at full adoption is
    noise of either sign; taken as a human-only group it would move X where humans
    and AI differ by many OOM. Snapping changes X by O(1e-12) where it acts.
    """
    unadopted = ONE - adopted_share
    return xp.where(unadopted < _NEAR_ONE, ZERO, unadopted)


class Equilibrium(NamedTuple):
    """Equilibrium task weights of one family, arrays of the input's leading shape."""

    human_weight: np.ndarray  # H: task weight done by humans (unadopted + human-done adopted)
    ai_weight: np.ndarray  # B: sum over AI-done parts of alpha_j f_j^q (cost-weighted)


def log_breakeven_cost(
    compute: np.ndarray,
    labour: np.ndarray,
    human_weight: np.ndarray,
    ai_weight: np.ndarray,
    sigma: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """ln G = (ln c + ln H - ln L - ln B) / sigma; +inf where no AI part is in the set (B = 0)."""
    with quiet():
        log_ratio = xp.log(compute) + xp.log(human_weight) - xp.log(labour)
        safe_ai = xp.where(ai_weight > 0.0, ai_weight, 1.0)
        return xp.where(ai_weight > 0.0, (log_ratio - xp.log(safe_ai)) / sigma, xp.inf)


def settle(
    compute,
    labour,
    sigma,
    human_weight,
    ai_weight,
    log_cost,
    part,
    part_cost_weight,
    *,
    log_g=None,
    log_ratio=None,
    xp=np,
) -> Equilibrium:
    """Equilibrium from the frontier m*: (H_m, B_m) and the next part (ln f, alpha, alpha f^q).

    ``part`` is alpha_{m*} (0 where there is no next part). Where G(m*) > f = f_{m*}
    the part is split at r = 1/f. With e = exp(sigma (ln f - ln G)) < 1 there and
    the ratio R = L f / c,

        theta alpha = c H (1 - e) / (L f + c) = H (1 - e) / (R + 1),
        H - theta alpha = H (R + e) / (R + 1),

    both without a difference of near-equal numbers (humans may keep a sliver of H) and
    without a power of f that could overflow; theta alpha > alpha is rounding. Otherwise
    the equilibrium is interior and (H_m, B_m) stands. ``log_g`` (ln G(m*)) and
    ``log_ratio`` (ln(c/L)) are passed where the caller has them already.
    """
    if log_g is None:
        log_g = log_breakeven_cost(compute, labour, human_weight, ai_weight, sigma, xp=xp)
    split = (part > ZERO) & (log_g > log_cost)
    with quiet():
        if log_ratio is None:
            log_ratio = xp.log(compute) - xp.log(labour)
        ratio = xp.exp(xp.minimum(log_cost - log_ratio, _EXP_LIMIT))
        exponent = xp.minimum(sigma * (log_cost - log_g), ZERO)
        denominator = ratio + ONE
        taken = xp.minimum(human_weight * -xp.expm1(exponent) / denominator, part)
        kept = human_weight * (ratio + xp.exp(exponent)) / denominator
        # Where part = 0 nothing is split, and the 0/0 below is not selected.
        return Equilibrium(
            human_weight=xp.where(split, kept, human_weight),
            ai_weight=xp.where(split, ai_weight + taken * (part_cost_weight / part), ai_weight),
        )


def dense_equilibrium(
    adopted: np.ndarray,
    cost_weight: np.ndarray,
    log_cost: np.ndarray,
    unadopted: np.ndarray,
    labour: np.ndarray,
    compute: np.ndarray,
    rho: np.ndarray,
    *,
    xp=np,
) -> Equilibrium:
    """Exact equilibrium from every part at once: O(M) per sample, no data-dependent shape.

    ``adopted`` alpha_j (..., M) and ``cost_weight`` alpha_j f_j^q (..., M) in cost
    order; ``log_cost`` ln f_j (..., M) non-decreasing; ``unadopted`` U, ``labour`` L,
    ``compute`` c and ``rho`` of shape (...). Used by the JAX backend and as the
    reference for the event-driven search (adoption.py).
    """
    sigma = 1.0 / (1.0 - rho)
    zero = xp.zeros_like(adopted[..., :1])
    prefix_cost = xp.concatenate([zero, xp.cumsum(cost_weight, axis=-1)], axis=-1)  # B_m
    # H_m from a suffix sum: 1 - A_m would lose H's digits near full adoption.
    suffix = xp.flip(xp.cumsum(xp.flip(adopted, axis=-1), axis=-1), axis=-1)
    human = unadopted[..., None] + xp.concatenate([suffix, zero], axis=-1)
    log_g = log_breakeven_cost(
        compute[..., None],
        labour[..., None],
        human[..., 1:],
        prefix_cost[..., 1:],
        sigma[..., None],
        xp=xp,
    )
    frontier = (log_cost <= log_g).sum(axis=-1)  # m*: P(m) holds for m <= m* only
    return settle_at(
        frontier, human, prefix_cost, adopted, cost_weight, log_cost, compute, labour, sigma, xp=xp
    )


def settle_at(
    frontier, human, prefix_cost, adopted, cost_weight, log_cost, compute, labour, sigma, *, xp=np
) -> Equilibrium:
    """``settle`` with the quantities at m* gathered from dense (..., M[+1]) arrays."""

    def at(values, index):
        return xp.take_along_axis(values, index[..., None], axis=-1)[..., 0]

    size = adopted.shape[-1]
    nxt = xp.minimum(frontier, size - 1)
    inside = frontier < size
    return settle(
        compute,
        labour,
        sigma,
        at(human, frontier),
        at(prefix_cost, frontier),
        at(log_cost, nxt),
        xp.where(inside, at(adopted, nxt), 0.0),
        xp.where(inside, at(cost_weight, nxt), 0.0),
        xp=xp,
    )


def income_terms(
    labour, compute, equilibrium: Equilibrium, rho, *, xp=np, log_labour=None, power=None
):
    """(ln X, AI's income over labour's) of the two-group CES, from one set of logs.

    With the terms h = (1 - rho) ln H and b = (1 - rho) ln B + rho ln(c/L) (b = -inf
    where B = 0 or c = 0),

        ln X = ln L + logaddexp(h, b) / rho,     (1 - s_L) / s_L = e^(b - h),

    so neither share is a difference of near-equal numbers when one factor earns
    almost everything, and X^rho never overflows. The ratio is capped at e^600.
    ``log_labour`` is ln L and ``power`` 1 - rho where the caller has them.
    """
    human, ai = equilibrium
    with quiet():
        if power is None:
            power = ONE - rho
        human_term = power * xp.log(human)
        present = (ai > ZERO) & (compute > ZERO)
        # Where B or c is 0 this is -inf or NaN (-inf + inf), and replaced by -inf: the
        # logs need no guard of their own (warnings are silenced).
        ai_term = power * xp.log(ai) + rho * xp.log(compute / labour)
        ai_term = xp.where(present, ai_term, _NEG_INF)
        if log_labour is None:
            log_labour = xp.log(labour)
        log_x = log_labour + xp.logaddexp(human_term, ai_term) / rho
        log_ratio = xp.where(present, xp.minimum(ai_term - human_term, _RATIO_LIMIT), _NEG_INF)
        return log_x, xp.exp(log_ratio)


def log_aggregate(labour, compute, equilibrium: Equilibrium, rho, *, xp=np) -> np.ndarray:
    """ln X = ln L + (1/rho) ln( H^(1-rho) + B^(1-rho) (c/L)^rho ), without overflow."""
    return income_terms(labour, compute, equilibrium, rho, xp=xp)[0]


def labour_income_share(labour, equilibrium: Equilibrium, log_x, rho, *, xp=np) -> np.ndarray:
    """s_L = H^(1-rho) L^rho / X^rho: labour's share of the task aggregate's income."""
    with np.errstate(divide="ignore"):
        log_share = (1.0 - rho) * xp.log(equilibrium.human_weight) + rho * (xp.log(labour) - log_x)
    return xp.minimum(xp.exp(log_share), 1.0)


def ai_to_labour_income(labour, compute, equilibrium: Equilibrium, rho, *, xp=np) -> np.ndarray:
    """(1 - s_L) / s_L = B^(1-rho) c^rho / (H^(1-rho) L^rho), AI's income over labour's."""
    return income_terms(labour, compute, equilibrium, rho, xp=xp)[1]
