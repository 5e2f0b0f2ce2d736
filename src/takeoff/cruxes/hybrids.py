"""Simulate the hybrid worldviews of an attribution, stopping early where that is exact.

Most of an attribution's time is the model, and for a median year most of a run's
steps come after the median: a hybrid whose samples mostly reach the milestone by 2060
does not need 2060-2100 simulated to know its median. So, for ``median`` metrics:

1. the two end views (no group swapped, every group swapped) run to the end year; they
   fix the reported values and censored shares;
2. every other hybrid runs to an earlier horizon H, the first step after the year by
   which both end views have reached the milestone in a share ``level`` of samples
   (0.55 + 2.5/sqrt(n)), plus two years;
3. a sample counts as known if it reached the milestone by H - 1 (the one-year growth
   window of ``explosive_growth`` looks half a year ahead, so the last year before H
   is not trusted); the others are set to the end year. The median is exact when more
   than half the samples are known; a hybrid with fewer than
   ``need = (0.5 + 2.5/sqrt(n)) n`` known samples is run again to the end year.

The margin of five binomial standard errors (2.5/sqrt(n) = 5 sqrt(0.25/n)) also keeps
every bootstrap replicate's median among known samples, up to a chance of ~3e-7 per
replicate. The model is causal (a run to H and a run to the end agree up to H; tested),
so the medians are the same as with full runs, at about half the cost when H is ~2060
instead of 2100.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from takeoff.cruxes.batch import Mix, evaluate
from takeoff.cruxes.metrics import Metric
from takeoff.parallel import worker_pool
from takeoff.scenarios.loader import Scenario


@dataclass
class Stages:
    """How the hybrids were run: the early horizon (None = all to the end) and reruns."""

    horizon: float | None = None
    reruns: int = 0


def margin(n: int) -> float:
    """Share of samples that must be known: 1/2 plus five binomial standard errors."""
    return 0.5 + 2.5 / math.sqrt(n)


def simulate(masks, a, b, bits, run: Scenario, metrics: list[Metric], options: dict) -> list:
    """Per-sample values (len(masks), n) of each metric for the hybrids ``masks``, all run
    to ``run``'s end year. ``options``: workers, chunk_size, progress, pool."""
    n = next(iter(a.values())).size
    total = len(masks) * n
    if total == 0:
        return [np.empty((0, n)) for _ in metrics]
    # Split a small stage (e.g. A and B alone) so that every worker has a share.
    size = min(options["chunk_size"], math.ceil(total / options["workers"]))
    diff = {p: b[p] for p in bits}
    jobs = [
        Mix(a, diff, bits, tuple(masks), lo, min(lo + size, total)) for lo in range(0, total, size)
    ]
    sizes = [job.hi - job.lo for job in jobs]
    flat = evaluate(
        jobs, sizes, run, metrics, options["workers"], options["progress"], options["pool"]
    )
    return [values.reshape(len(masks), n) for values in flat]


def early_horizon(ends: np.ndarray, run: Scenario) -> float | None:
    """H for the other hybrids from the end views' per-sample years (see the module)."""
    s = run.settings
    n = ends.shape[1]
    level = margin(n) + 0.05
    if level >= 1.0:  # too few samples (n <= 31) for the margin: run every hybrid whole
        return None
    year = float(np.quantile(ends, level, axis=1).max())
    steps = math.ceil((math.ceil(year) + 2 - s.start_year) / s.dt - 1e-9)
    horizon = s.start_year + steps * s.dt
    return None if horizon >= s.end_year - 1 else horizon


def run_hybrids(
    unique: list[int],
    ends: list[int],
    a: dict[str, np.ndarray],
    b: dict[str, np.ndarray],
    bits: dict[str, int],
    run: Scenario,
    metric: Metric | list[Metric],
    *,
    workers: int,
    chunk_size: int,
    progress: Callable[[int, int], None] | None,
    early: bool = True,
) -> tuple:
    """The (len(unique), n) table of per-sample values, rows in the order of ``unique``;
    for a list of metrics, a list of such tables (of one table for a list of one) from one
    simulation of every hybrid; a list of several runs to the end year (no early stop: the
    metrics would need different horizons)."""
    metrics = list(metric) if isinstance(metric, list | tuple) else [metric]
    n = next(iter(a.values())).size
    planned = [len(unique) * n]
    done = [0]

    def options() -> dict:
        offset = done[0]

        def report(count: int, _total: int) -> None:
            if progress is not None:
                progress(offset + count, planned[0])

        return {"workers": workers, "chunk_size": chunk_size, "progress": report, "pool": pool}

    def stage(masks: list[int], scenario: Scenario, unplanned: bool = False) -> list:
        if unplanned:  # a rerun: the progress bar's total grows
            planned[0] += len(masks) * n
        values = simulate(masks, a, b, bits, scenario, metrics, options())
        done[0] += len(masks) * n
        return values

    with worker_pool(workers) as pool:  # started once for every stage
        if len(metrics) > 1:
            return stage(unique, run), Stages()
        table, stages = _stages(
            unique,
            ends,
            run,
            n,
            lambda *args, **kw: stage(*args, **kw)[0],
            early and metrics[0].kind == "median",
        )
    # A list of one metric gets a list of one table, as a list of several does.
    return ([table] if isinstance(metric, list | tuple) else table), stages


def _stages(unique, ends, run, n, stage, early) -> tuple[np.ndarray, Stages]:
    rows: dict[int, np.ndarray] = {}
    if not early:
        return stage(unique, run), Stages()
    ends = sorted(set(ends))
    rows.update(zip(ends, stage(ends, run), strict=True))
    rest = [m for m in unique if m not in rows]
    horizon = early_horizon(np.array([rows[m] for m in ends]), run) if rest else None
    stages = Stages(horizon)
    if horizon is None:
        rows.update(zip(rest, stage(rest, run), strict=True))
    else:
        short = run.with_settings(end_year=horizon)  # keeps the yearly output grid
        end = float(run.settings.end_year)
        values = stage(rest, short)
        known = values <= horizon - 1.0
        values = np.where(known, values, end)
        need = math.ceil(margin(n) * n)
        again = [m for m, k in zip(rest, known, strict=True) if k.sum() < need]
        rows.update(zip(rest, values, strict=True))
        stages.reruns = len(again)
        rows.update(zip(again, stage(again, run, unplanned=True), strict=True))
    return np.array([rows[m] for m in unique]), stages
