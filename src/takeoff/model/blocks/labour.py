"""Block 5 — AI labour: runtime compute turned into human-equivalent workers.

Task i needs f_i(t) = F_i / S(t)^epsilon FLOP/s per human-equivalent, where F_i rises
log-linearly with the task's difficulty rank from ``runtime_flop_per_worker`` (F_0 for
the easiest task) and S is software efficiency (better algorithms also cut inference
cost). A sector's inference compute C is allocated across its adopted work (task i
contributes weight w_i = a_i / N) to maximise the task CES sum_i w_i y_i^rho subject
to sum_i w_i F_i y_i = C S^epsilon. The first-order conditions give
y_i proportional to F_i^(-sigma), sigma = 1/(1 - rho), and the adopted work then acts
as one group of weight A = sum_i w_i with output per weight

    Lambda = C S^epsilon / (A Fbar),
    Fbar = F_0 ( (1/A) sum_i w_i (F_i/F_0)^q )^(1/q),   q = 1 - sigma = -rho/(1 - rho),

a power mean of the runtime costs: arithmetic as rho -> -inf (Leontief: every task
needs the same output), geometric at rho = 0, dominated by the cheap tasks for rho > 0.
Adopting an expensive task therefore never drains the others. The allocation is exact
when AI output exceeds the human level on all adopted work (humans then work only on
unadopted work); otherwise it is the same rule applied to the group. Human labour is
allocated optimally around it (economy.py). The sums A and (1/N) sum_i a_i (F_i/F_0)^q
come from ``adoption.sums``.
"""

from __future__ import annotations

import numpy as np

#: Floor of A Fbar relative to F_0: keeps Lambda finite when nothing is adopted.
COST_FLOOR = 1e-12
#: Added to both sums so that their ratio is 1 (Fbar = F_0) when nothing is adopted.
TINY = 1e-300


def cost_exponent(rho: np.ndarray) -> np.ndarray:
    """q = -rho / (1 - rho) (rho kept off 0 by the caller, so q is too)."""
    return -rho / (1.0 - rho)


def log_relative_cost(runtime_factor: np.ndarray) -> np.ndarray:
    """ln f_j = ln(F_j / F_0) per task, (n, N): the exact allocation's cost order (allocation.py)."""
    return np.log(runtime_factor / runtime_factor[:, :1])


def cost_weights(runtime_factor: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """(F_i / F_0)^q per task, (n, N) with F_0 = runtime_factor[:, 0] (the easiest task)."""
    return (runtime_factor / runtime_factor[:, :1]) ** exponent[:, None]


def ai_output_per_weight(
    adopted: np.ndarray,
    weighted: np.ndarray,
    easiest_cost: np.ndarray,
    exponent: np.ndarray,
    effective_compute: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """Lambda = C S^epsilon / (A Fbar), human-equivalents per unit of adopted weight.

    ``weighted`` is (1/N) sum_i a_i (F_i/F_0)^q; ``effective_compute`` is C S^epsilon
    (times the serial speed-up for AI researchers). The mean ratio is >= 1 for q > 0
    and <= 1 for q < 0, so ln(ratio)/q >= 0 and Fbar >= F_0 (clamped against rounding).
    With nothing adopted the AI group has zero weight and Lambda does not matter.
    """
    ratio = (weighted + TINY) / (adopted + TINY)
    mean_cost = easiest_cost * xp.exp(xp.maximum(xp.log(ratio) / exponent, 0.0))
    return effective_compute / xp.maximum(adopted * mean_cost, COST_FLOOR * easiest_cost)
