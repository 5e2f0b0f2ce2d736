"""Block 6 — adoption: realised automation lags capability.

A task that became automatable at time t_i is adopted along a linear ramp,

    a_i(t) = clip((t - t_i) / tau, 0, cap),

reaching the regulatory cap ``cap`` (1 = no cap) tau years after t_i. The crossing
time t_i is found by interpolating log effective compute within the step, so the
ramp does not depend on the time step.
"""

from __future__ import annotations

import numpy as np


def update_crossing_times(
    crossing: np.ndarray,
    log10_threshold: np.ndarray,
    x_old: np.ndarray,
    x_new: np.ndarray,
    t_old: float,
    dt: float,
) -> np.ndarray:
    """Record when running-max log10 effective compute first reaches each threshold.

    Between steps x is taken linear in time, so a task with x_old < T <= x_new crossed
    at t_old + dt (T - x_old)/(x_new - x_old). Candidates are floored at t_old, which
    is never earlier than an already recorded crossing, so ``minimum`` keeps old ones.
    """
    slope = (dt / np.maximum(x_new - x_old, 1e-300))[:, None]
    candidate = np.maximum(t_old + (log10_threshold - x_old[:, None]) * slope, t_old)
    return np.minimum(crossing, np.where(log10_threshold <= x_new[:, None], candidate, np.inf))


def adoption_level(t: float, crossing: np.ndarray, inverse_tau: np.ndarray, cap: np.ndarray):
    """a_i(t) = clip((t - t_i)/tau, 0, cap); tasks never crossed have t_i = +inf.

    ``inverse_tau`` and ``cap`` broadcast against ``crossing`` (shape (n, 1) or (n, N)).
    """
    return np.minimum(np.maximum((t - crossing) * inverse_tau, 0.0), cap)
