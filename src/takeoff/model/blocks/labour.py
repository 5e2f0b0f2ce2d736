"""Block 5 — AI labour: runtime compute turned into human-equivalent work.

Task j needs F_j(t) = F_j / S(t)^epsilon FLOP/s per human-equivalent, where F_j rises
log-linearly with the task's difficulty rank from ``runtime_flop_per_worker`` (F_0,
the easiest task) and S is software efficiency (better algorithms also cut inference
cost). A sector's inference compute C is therefore worth

    c = C S^epsilon / F_0

human-equivalents on the easiest task, and f_j = F_j / F_0 >= 1 of them per worker
on task j. Which parts AI does, and at what rental, is decided together with the
human allocation in allocation.py; it needs the cost weights f_j^q with
q = 1 - sigma = -rho/(1 - rho) (rho the task CES parameter) and ln f_j.
"""

from __future__ import annotations

import numpy as np


def cost_exponent(rho: np.ndarray) -> np.ndarray:
    """q = -rho / (1 - rho) (rho kept off 0 by the caller, so q is too)."""
    return -rho / (1.0 - rho)


def log_relative_cost(runtime_factor: np.ndarray) -> np.ndarray:
    """ln f_j = ln(F_j / F_0) per task, (n, N), F_0 = runtime_factor[:, 0] (the easiest task)."""
    return np.log(runtime_factor / runtime_factor[:, :1])


def cost_weights(runtime_factor: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """f_j^q per task, (n, N)."""
    return np.exp(exponent[:, None] * log_relative_cost(runtime_factor))


def easiest_task_equivalents(compute, log_software, efficiency_exponent, easiest_cost, *, xp=np):
    """c = C S^epsilon / F_0: inference compute in easiest-task human-equivalents."""
    return compute * xp.exp(efficiency_exponent * log_software) / easiest_cost
