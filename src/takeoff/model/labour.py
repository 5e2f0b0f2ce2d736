"""Block 5 — AI labour: runtime compute turned into human-equivalent workers.

Task i needs f_i(t) = F_i / S(t)^epsilon FLOP/s per human-equivalent, where F_i rises
log-linearly with the task's difficulty rank from ``runtime_flop_per_worker`` and S is
software efficiency (better algorithms also cut inference cost). The inference
compute C of a sector is spread so that every adopted task gets the same number of
workers per unit of adoption:

    c_i = a_i Lambda,    Lambda = C S^epsilon / sum_j a_j F_j,

an allocation rule (not an optimum) that spends the sector's compute exactly.
Human labour is then allocated optimally around it (see economy.py).
"""

from __future__ import annotations

import numpy as np


def ai_workers_per_task(
    adoption: np.ndarray,
    runtime_factor: np.ndarray,
    compute: np.ndarray,
    runtime_discount: np.ndarray,
) -> np.ndarray:
    """Human-equivalent AI workers on each task, shape (n_samples, n_tasks).

    ``runtime_discount`` is S^epsilon (times any speed factor). With nothing adopted the
    cost is 0 and so is every c_i; the floor on the cost only avoids 0/0 there.
    """
    cost = np.maximum((adoption * runtime_factor).sum(axis=1), 1e-30)
    return adoption * (compute * runtime_discount / cost)[:, None]
