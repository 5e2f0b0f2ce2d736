"""Block 7 — economy: task CES with adoption, optimal human allocation, and output.

Tasks are complements in a CES (normalised so that N equal tasks with L/N workers
each give X = L). Adoption splits task i into an adopted part of weight a_i/N, where
AI and humans are perfect substitutes, and a part of weight (1 - a_i)/N that only
humans can do. With y_j = x_j / w_j output per unit weight,

    X = ( sum_j w_j y_j^rho )^(1/rho),     sum_j w_j = 1.

AI labour on the adopted work acts as one group with output Lambda per unit of
weight (labour.py splits it across tasks by the CES first-order conditions). Humans are then allocated optimally (water-filling: they fill the
parts with the least output per weight up to a common level y*). The parts form two
groups — adopted weight A = mean_i a_i at Lambda, the rest at 0 — so

    y* = min( L / (1 - A),  L + A Lambda ),
    X  = ( A max(Lambda, y*)^rho + (1 - A) y*^rho )^(1/rho).

The first branch: humans only on unadopted work, AI is abundant; the second: AI is
scarce, humans work everywhere and X = L + A Lambda. This is exactly the
Aghion-Jones-Jones form (beta^(1-rho) C^rho + (1-beta)^(1-rho) L^rho)^(1/rho) with
beta = A and C = A Lambda when AI is abundant. Output and factor prices:

    Y = A_tfp K^alpha X^(1-alpha),
    w = dY/dL = (1-alpha) (Y/X) (X / y*)^(1-rho),
    labour share = w L / Y,   AI share = (1-alpha) - labour share.
"""

from __future__ import annotations

import numpy as np

#: Unadopted weight below which all work counts as adopted (see ``unadopted_weight``).
FULLY_ADOPTED = 1e-12


def unadopted_weight(adopted_share: np.ndarray, *, xp=np) -> np.ndarray:
    """1 - A, snapped to 0 below ``FULLY_ADOPTED``.

    A sums task ramps and carries rounding of ~1e-16, so 1 - A at full adoption is
    noise of either sign. Where AI output per weight exceeds human output by 20 OOM,
    that noise, taken as a human-only group, would move X by up to 1e-4 relative.
    Snapping changes X by O(1e-12) where it acts.
    """
    unadopted = 1.0 - adopted_share
    return xp.where(unadopted < FULLY_ADOPTED, 0.0, unadopted)


def water_level(
    humans: np.ndarray, adopted_share: np.ndarray, ai_per_weight: np.ndarray, *, xp=np
) -> np.ndarray:
    """y* = min(L / (1 - A), L + A Lambda): the output per weight of human-filled work.

    For sorted groups the water level is the minimum over k of (L + sum of the k
    lowest groups' AI output) / (their weight), since sum_j w_j max(y* - y_j, 0) <= L
    bounds y* by each such average, with equality for the groups humans fill.
    With nothing unadopted the first term is infinite: humans join the AI group.
    """
    unadopted = unadopted_weight(adopted_share, xp=xp)
    only_humans = humans / xp.where(unadopted > 0.0, unadopted, 1.0)
    level = humans + adopted_share * ai_per_weight
    return xp.where(unadopted > 0.0, xp.minimum(only_humans, level), level)


def task_aggregate(
    adopted_share: np.ndarray,
    ai_per_weight: np.ndarray,
    level: np.ndarray,
    rho: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """X = y* ( A max(Lambda/y*, 1)^rho + 1 - A )^(1/rho)   (rho kept off 0 by the caller).

    Factoring out y* keeps the powers of ratios >= 1, finite for any rho in range.
    """
    ratio = xp.maximum(ai_per_weight / level, 1.0)
    unadopted = unadopted_weight(adopted_share, xp=xp)
    return level * (adopted_share * ratio**rho + unadopted) ** (1.0 / rho)


def output(tfp: np.ndarray, capital: np.ndarray, aggregate: np.ndarray, alpha: np.ndarray):
    """Y = A K^alpha X^(1-alpha)."""
    return tfp * capital**alpha * aggregate ** (1.0 - alpha)


def labour_share(
    labour_force: np.ndarray, aggregate: np.ndarray, level: np.ndarray, rho, alpha
) -> np.ndarray:
    """w L / Y = (1-alpha) (L/X) (X / y*)^(1-rho)."""
    return (1.0 - alpha) * labour_force / aggregate * (aggregate / level) ** (1.0 - rho)
