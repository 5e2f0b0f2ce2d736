"""Block 4 — capabilities: effective-compute thresholds of tasks, and the time horizon.

Thresholds (log10 effective FLOP, 2026 algorithms). A cognitive task at rank
q in (0, 1] needs

    log10 T(q) = log10 T_100 - G (1 - q) / 0.8

so q = 0.2 sits G OOM below the full-automation requirement T_100 (the FLOP gap of
FTM) and q = 1 at T_100. Physical tasks add ``physical_extra_oom``; AI R&D tasks
subtract ``rnd_easier_oom``. The continuous automatable share of a task family at
effective compute E is the N -> infinity limit of the same distribution,

    f(E) = clip(1 - 0.8 (log10 T_100 + shift - log10 E) / G, 0, 1),

which equals the discrete count k/N at each discrete task's threshold.

Time horizon (METR): with x = log10(E_max / E_2026) OOMs of progress, k doublings
per OOM, and each doubling needing d times the OOMs of the previous one,

    n(x) = k x                         (d = 1)
    n(x) = ln(1 + k x (d - 1)) / ln d  (d != 1),    horizon = h_2026 2^n.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Rank of the task whose threshold is one FLOP gap below full automation (FTM's 20%).
GAP_RANK = 0.2
MAX_HORIZON_DOUBLINGS = 60.0  # 2^60 x today's horizon: effectively unbounded


@dataclass(frozen=True)
class TaskGrid:
    """Static task data for one run; arrays are (n_samples, n_tasks), sorted by threshold."""

    log10_threshold: np.ndarray
    runtime_factor: np.ndarray  # runtime FLOP/s per human-equivalent at 2026 algorithms
    is_cognitive: np.ndarray  # bool; all True for AI R&D tasks


def family_log10_thresholds(
    log10_full: np.ndarray,
    flop_gap_oom: np.ndarray,
    n_tasks: np.ndarray | int,
    n_max: int,
    log10_frontier: np.ndarray | None = None,
) -> np.ndarray:
    """Thresholds of ranks q_k = (k+1)/n for k < n; NaN-free padding (+inf) beyond n.

    ``n_tasks`` may differ by sample (array of shape (n_samples,)); the result is
    (n_samples, n_max) with +inf for unused slots. With ``log10_frontier`` (the start's
    largest run), ranks below ``GAP_RANK`` are at most :func:`lower_tail`.
    """
    n_tasks = np.broadcast_to(np.asarray(n_tasks), log10_full.shape)
    k = np.arange(n_max)[None, :]
    rank = (k + 1) / np.maximum(n_tasks, 1)[:, None]  # a family may have no tasks
    thresholds = log10_full[:, None] - flop_gap_oom[:, None] * (1.0 - rank) / (1.0 - GAP_RANK)
    if log10_frontier is not None:
        gap_point = (log10_full - flop_gap_oom)[:, None]
        tail = lower_tail(rank, log10_frontier[:, None], gap_point)
        thresholds = np.where(rank < GAP_RANK, np.minimum(thresholds, tail), thresholds)
    return np.where(k < n_tasks[:, None], thresholds, np.inf)


def lower_tail(rank, log10_frontier, log10_gap_point):
    """Thresholds of ranks q < GAP_RANK spread evenly (in log compute) from the start's
    frontier (q = 0) to the gap point (q = GAP_RANK):

        log10 T(q) = log10 E_0 + (q / 0.2) (log10 T_20 - log10 E_0)

    AI already does some cognitive work at the start, and more of it with every OOM,
    rather than nothing new until the linear rule's first task several OOM further on.
    Where the gap point is already behind the frontier this is above the linear rule,
    which then holds.
    """
    return log10_frontier + rank / GAP_RANK * (log10_gap_point - log10_frontier)


def runtime_factors(
    flop_per_worker: np.ndarray, spread_oom: np.ndarray, n_tasks: int
) -> np.ndarray:
    """Runtime FLOP/s per human-equivalent, rising log-linearly with task difficulty rank."""
    position = np.arange(n_tasks) / max(n_tasks - 1, 1)
    return flop_per_worker[:, None] * 10.0 ** (spread_oom[:, None] * position[None, :])


def economy_tasks(p: dict[str, np.ndarray], n_tasks: int) -> TaskGrid:
    """Cognitive and physical economy tasks merged and sorted by threshold."""
    n_cognitive = np.clip(np.rint(p["cognitive_task_share"] * n_tasks), 1, n_tasks).astype(int)
    n_physical = n_tasks - n_cognitive
    log10_full = np.log10(p["full_automation_requirement"])
    cognitive = family_log10_thresholds(
        log10_full,
        p["flop_gap_oom"],
        n_cognitive,
        n_tasks,
        np.log10(p["largest_training_run_2026"]),
    )
    physical = family_log10_thresholds(
        log10_full + p["physical_extra_oom"], p["flop_gap_oom"], np.maximum(n_physical, 0), n_tasks
    )
    both = np.concatenate([cognitive, physical], axis=1)
    flags = np.concatenate([np.ones_like(cognitive, bool), np.zeros_like(physical, bool)], axis=1)
    order = np.argsort(both, axis=1, kind="stable")[:, :n_tasks]
    return TaskGrid(
        log10_threshold=np.take_along_axis(both, order, axis=1),
        runtime_factor=runtime_factors(
            p["runtime_flop_per_worker"], p["runtime_spread_oom"], n_tasks
        ),
        is_cognitive=np.take_along_axis(flags, order, axis=1),
    )


def rnd_tasks(p: dict[str, np.ndarray], n_tasks: int) -> TaskGrid:
    """AI R&D tasks: the cognitive distribution shifted down by ``rnd_easier_oom``."""
    log10_full = np.log10(p["full_automation_requirement"]) - p["rnd_easier_oom"]
    thresholds = family_log10_thresholds(log10_full, p["flop_gap_oom"], n_tasks, n_tasks)
    return TaskGrid(
        log10_threshold=thresholds,
        runtime_factor=runtime_factors(
            p["runtime_flop_per_worker"], p["runtime_spread_oom"], n_tasks
        ),
        is_cognitive=np.ones_like(thresholds, bool),
    )


def continuous_share(
    log10_effective: np.ndarray,
    log10_full: np.ndarray,
    flop_gap_oom: np.ndarray,
    log10_frontier: np.ndarray | None = None,
):
    """Automatable share f(E) of a task family in the continuous limit (see module doc),
    with the :func:`lower_tail` below ``GAP_RANK`` when ``log10_frontier`` is given."""
    linear = np.clip(
        1.0 - (1.0 - GAP_RANK) * (log10_full - log10_effective) / flop_gap_oom, 0.0, 1.0
    )
    if log10_frontier is None:
        return linear
    gap_point = log10_full - flop_gap_oom
    span = gap_point - log10_frontier
    safe_span = np.where(span > 0, span, 1.0)
    tail = np.where(
        span > 0, GAP_RANK * np.clip((log10_effective - log10_frontier) / safe_span, 0.0, 1.0), 0.0
    )
    return np.maximum(linear, tail)


def horizon_doublings(oom_progress: np.ndarray, per_oom: np.ndarray, difficulty: np.ndarray):
    """Number of horizon doublings after ``oom_progress`` OOMs of effective compute."""
    x = np.maximum(oom_progress, 0.0)
    log_d = np.log(difficulty)
    exponential = np.abs(log_d) < 1e-9
    safe_log_d = np.where(exponential, 1.0, log_d)
    argument = 1.0 + per_oom * x * (difficulty - 1.0)
    # d < 1: the argument reaches 0 after finitely many OOMs -> infinitely many doublings.
    general = np.where(argument > 0, np.log(np.maximum(argument, 1e-300)) / safe_log_d, np.inf)
    doublings = np.where(exponential, per_oom * x, general)
    return np.minimum(doublings, MAX_HORIZON_DOUBLINGS)
