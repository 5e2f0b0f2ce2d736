"""Block 7 — economy: task CES with optimal human allocation, and output.

Task aggregate (normalised so that N equal tasks with L/N workers each give X = L):

    X = ( (1/N) sum_i (N x_i)^rho )^(1/rho),    x_i = h_i + c_i,

with AI labour c_i and human labour h_i perfect substitutes within a task. Humans
are allocated to maximise X given c (sum_i h_i = L): for rho < 1 the optimum fills
the tasks with the least AI labour up to a common level x* ("water-filling"),

    sum_i max(x* - c_i, 0) = L,     x_i = max(c_i, x*),

so displaced workers move to the tasks AI cannot do, where they are worth most.
Output and factor prices:

    Y = A K^alpha X^(1-alpha),
    w = dY/dL = (1-alpha) (Y/X) (X / (N x*))^(1-rho),
    labour share = w L / Y,   AI share = (1-alpha) - labour share.

With a share beta of tasks holding AI labour C spread evenly and humans on the rest,
X reduces to the Aghion-Jones-Jones form (beta^(1-rho) C^rho + (1-beta)^(1-rho) L^rho)^(1/rho).
"""

from __future__ import annotations

import numpy as np


def water_level(ai_labour_ascending: np.ndarray, humans: np.ndarray) -> np.ndarray:
    """Common output level x* of the tasks humans work on.

    ``ai_labour_ascending``: (n, N) AI labour per task sorted ascending. With
    x*_k = (L + sum_{j<=k} c_j) / k the average over the k tasks with least AI labour,

        x* = min_k x*_k,

    because sum_{j<=k} max(x* - c_j, 0) <= L gives x* <= x*_k for every k, with
    equality for the k tasks that humans actually fill.
    """
    n_tasks = ai_labour_ascending.shape[1]
    levels = (humans[:, None] + ai_labour_ascending.cumsum(axis=1)) / np.arange(1.0, n_tasks + 1.0)
    return levels.min(axis=1)


def task_aggregate(ai_labour: np.ndarray, level: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """X = N x* ( mean_i max(c_i/x*, 1)^rho )^(1/rho)   (rho kept off 0 by the caller)."""
    n_tasks = ai_labour.shape[1]
    ratio = np.maximum(ai_labour / level[:, None], 1.0)
    mean_power = (ratio ** rho[:, None]).sum(axis=1) / n_tasks
    return n_tasks * level * mean_power ** (1.0 / rho)


def output(tfp: np.ndarray, capital: np.ndarray, aggregate: np.ndarray, alpha: np.ndarray):
    """Y = A K^alpha X^(1-alpha)."""
    return tfp * capital**alpha * aggregate ** (1.0 - alpha)


def wage(
    gwp: np.ndarray, aggregate: np.ndarray, level: np.ndarray, n_tasks: int, rho, alpha
) -> np.ndarray:
    """Marginal product of human labour, $ per worker-year."""
    return (1.0 - alpha) * gwp / aggregate * (aggregate / (n_tasks * level)) ** (1.0 - rho)


def labour_share(
    labour_force: np.ndarray, aggregate: np.ndarray, level: np.ndarray, n_tasks: int, rho, alpha
) -> np.ndarray:
    """w L / Y = (1-alpha) (L/X) (X / (N x*))^(1-rho)."""
    return (1.0 - alpha) * labour_force / aggregate * (aggregate / (n_tasks * level)) ** (1.0 - rho)
