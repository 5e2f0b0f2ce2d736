"""Simulate many parameter sets in chunks and keep only what the metrics need.

Crux analyses run the model on tens or hundreds of thousands of parameter sets but need
one number per set and metric (a milestone year, a growth rate). So each chunk is
simulated on the yearly output grid, only to the metrics' horizon, with only the
milestones the metrics read, and returns just the per-sample quantities; chunks may run
in worker processes (:mod:`takeoff.parallel`), which gives the same numbers.

Attribution's chunks are built in the worker from a compact :class:`Mix` (the two views'
samples and which groups each coalition swaps), so that the parent never holds the
parameter arrays of every coalition at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from takeoff.api import run_parameters
from takeoff.cruxes.metrics import Metric
from takeoff.model.engine.milestones import default_milestones
from takeoff.parallel import map_chunks
from takeoff.scenarios.loader import Scenario
from takeoff.uncertainty.montecarlo import yearly_output

#: Parameter sets per simulated chunk: large enough that the per-call cost (set-up,
#: ~900 Python-level steps) is small next to the per-sample work, small enough that a
#: chunk's yearly series stay well under a gigabyte.
CHUNK_SIZE = 4000


@dataclass(frozen=True)
class Mix:
    """Coalition samples to build in a worker: rows [lo, hi) of the flattened
    (coalition, sample) table, where coalition i takes the parameters whose group bit is
    in ``masks[i]`` from ``b`` and the rest from ``a``."""

    a: dict[str, np.ndarray]  # every parameter, (n,)
    b: dict[str, np.ndarray]  # the differing parameters, (n,)
    bits: dict[str, int]  # differing parameter -> its group's bit
    masks: tuple[int, ...]
    lo: int
    hi: int

    def build(self) -> dict[str, np.ndarray]:
        n = next(iter(self.a.values())).size
        parts: list[dict[str, np.ndarray]] = []
        for i in range(self.lo // n, (self.hi - 1) // n + 1):
            start, stop = max(self.lo - i * n, 0), min(self.hi - i * n, n)
            parts.append(coalition(self.a, self.b, self.bits, self.masks[i], slice(start, stop)))
        return {name: np.concatenate([p[name] for p in parts]) for name in self.a}


def coalition(a, b, bits, mask: int, rows: slice = slice(None)) -> dict[str, np.ndarray]:
    """Parameter arrays of one coalition: b's values for the groups in ``mask``."""
    out = {name: arr[rows] for name, arr in a.items()}
    for name, bit in bits.items():
        if mask >> bit & 1:
            out[name] = b[name][rows]
    return out


def run_scenario(scenario: Scenario, metrics: Sequence[Metric]) -> Scenario:
    """The scenario as the metrics need it run: to the furthest horizon, yearly output."""
    s = scenario.settings
    end = max(m.horizon(s.start_year, s.end_year, s.dt) for m in metrics)
    for m in metrics:
        m.check(s.start_year, s.end_year)
    return yearly_output(scenario.with_settings(end_year=end))


def _evaluate(job: tuple) -> list[np.ndarray]:
    """One chunk: simulate, then each metric's per-sample quantity."""
    params, scenario, metrics = job
    if isinstance(params, Mix):
        params = params.build()
    wanted = {m.milestone for m in metrics if m.kind != "mean-growth"}
    milestones = {name: default_milestones()[name] for name in wanted}
    result = run_parameters(params, scenario, milestones=milestones)
    return [m.observe(result) for m in metrics]


def evaluate(
    jobs: list,
    sizes: list[int],
    scenario: Scenario,
    metrics: Sequence[Metric],
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    pool: Executor | None = None,
) -> list[np.ndarray]:
    """Per metric, the per-sample quantities of all jobs, concatenated in order."""
    total = sum(sizes)
    done_at = np.cumsum(sizes)

    def on_done(count: int) -> None:
        if progress is not None:
            progress(int(done_at[count - 1]), total)

    parts = map_chunks(
        _evaluate, [(job, scenario, tuple(metrics)) for job in jobs], workers, on_done, pool
    )
    return [np.concatenate([p[j] for p in parts]) for j in range(len(metrics))]


def evaluate_params(
    params: dict[str, np.ndarray],
    scenario: Scenario,
    metrics: Sequence[Metric],
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> list[np.ndarray]:
    """:func:`evaluate` of validated parameter arrays (n,), ``chunk_size`` at a time."""
    n = next(iter(params.values())).size
    starts = range(0, n, chunk_size)
    jobs = [{k: v[s : s + chunk_size] for k, v in params.items()} for s in starts]
    sizes = [min(chunk_size, n - s) for s in starts]
    return evaluate(jobs, sizes, scenario, metrics, workers, progress)
