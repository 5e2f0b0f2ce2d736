"""Block 5 — AI labour: runtime compute turned into human-equivalent workers.

Task i needs f_i(t) = F_i / S(t)^epsilon FLOP/s per human-equivalent, where F_i rises
log-linearly with the task's difficulty rank from ``runtime_flop_per_worker`` and S is
software efficiency (better algorithms also cut inference cost). A sector's inference
compute C is spread evenly over its adopted work (task i contributes weight a_i / N),
so every adopted part gets the same AI output per unit of weight:

    Lambda = C S^epsilon / ( (1/N) sum_i a_i F_i ),    AI workers = A Lambda,

an allocation rule (optimal when all F_i are equal). Human labour is allocated
optimally around it (economy.py). The sums A = (1/N) sum_i a_i and (1/N) sum_i a_i F_i
come from ``adoption.sums``.
"""

from __future__ import annotations

import numpy as np

#: Floor of mean_i(a_i F_i), relative to the easiest task's runtime cost.
COST_FLOOR = 1e-12


def cost_floor(runtime_factor: np.ndarray) -> np.ndarray:
    """1e-12 F_0 for runtime costs (n, N) sorted by difficulty (F_0 the easiest task's)."""
    return COST_FLOOR * runtime_factor[:, 0]


def ai_output_per_weight(
    weighted_cost: np.ndarray, floor: np.ndarray, effective_compute: np.ndarray
) -> np.ndarray:
    """Lambda = C S^epsilon / mean_i(a_i F_i), human-equivalents per unit of adopted weight.

    ``effective_compute`` is C S^epsilon (times the serial speed-up for AI
    researchers). With nothing adopted the AI group has zero weight and Lambda does
    not matter; the ``floor`` (see :func:`cost_floor`) only keeps it finite there.
    """
    return effective_compute / np.maximum(weighted_cost, floor)
