"""Block 5 — AI labour: runtime compute turned into human-equivalent workers.

Task i needs f_i(t) = F_i / S(t)^epsilon FLOP/s per human-equivalent, where F_i rises
log-linearly with the task's difficulty rank from ``runtime_flop_per_worker`` and S is
software efficiency (better algorithms also cut inference cost). A sector's inference
compute C is spread evenly over its adopted work (task i contributes weight a_i / N),
so every adopted part gets the same AI output per unit of weight:

    Lambda = C S^epsilon / ( (1/N) sum_i a_i F_i ),    AI workers = A Lambda,

an allocation rule (optimal when all F_i are equal). Human labour is allocated
optimally around it (economy.py).
"""

from __future__ import annotations

import numpy as np


def adoption_sums(
    adoption: np.ndarray, runtime_factor: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(A, mean_i a_i F_i): adopted share and adoption-weighted runtime cost per task."""
    n_tasks = adoption.shape[1]
    return adoption.sum(axis=1) / n_tasks, (adoption * runtime_factor).sum(axis=1) / n_tasks


def ai_output_per_weight(
    weighted_cost: np.ndarray,
    easiest_cost: np.ndarray,
    compute: np.ndarray,
    runtime_discount: np.ndarray,
) -> np.ndarray:
    """Lambda = C S^epsilon / mean_i(a_i F_i), human-equivalents per unit of adopted weight.

    With nothing adopted the AI group has zero weight and Lambda does not matter; the
    floor (1e-12 of the easiest task's cost) only keeps it finite there.
    """
    return compute * runtime_discount / np.maximum(weighted_cost, 1e-12 * easiest_cost)
