"""Block 7 — economy: output and factor payments from the task allocation.

The task aggregate X of each family comes from the exact human/AI allocation
(allocation.py): X = (H^(1-rho) L^rho + B^(1-rho) c^rho)^(1/rho), with labour's share
of its income s_L. Output and factor payments are marginal products,

    Y = A K^alpha X^(1-alpha),
    MPK = alpha Y / K,
    w = dY/dL = (1 - alpha) s_L Y / L,
    r_C = dY/dC = (1 - alpha) (1 - s_L) Y / C      ($ per FLOP/s-year of economy compute),

so capital, labour and AI are paid alpha, (1 - alpha) s_L and (1 - alpha)(1 - s_L)
of output, which sum to 1.
"""

from __future__ import annotations

import numpy as np


def output(tfp: np.ndarray, capital: np.ndarray, aggregate: np.ndarray, alpha: np.ndarray):
    """Y = A K^alpha X^(1-alpha)."""
    return tfp * capital**alpha * aggregate ** (1.0 - alpha)


def wage(gwp, labour_income_share, labour_force, alpha):
    """w = (1 - alpha) s_L Y / L, $ per worker-year."""
    return (1.0 - alpha) * labour_income_share * gwp / labour_force


def compute_rental(gwp, ai_income_share, economy_compute, alpha, *, xp=np):
    """r_C = (1 - alpha)(1 - s_L) Y / C: $ per FLOP/s-year of the economy's inference compute."""
    return (1.0 - alpha) * ai_income_share * gwp / xp.maximum(economy_compute, 1e-300)
