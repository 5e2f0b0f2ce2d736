"""Monte Carlo over a scenario's parameter distributions.

Parameters with a ``dist`` in the scenario are sampled jointly (Gaussian copula with
the scenario's rank correlations, truncated to each parameter's allowed range); the
rest keep their point values. Samples are simulated in vectorised chunks; per chunk
only the milestone years and the yearly values of a few key series are kept, and above
``EXACT_QUANTILES_MAX`` samples those values are folded into histograms as each chunk
arrives (:mod:`takeoff.uncertainty.streaming`), so memory does not grow with the
trajectories unless ``keep_trajectories``. Chunks may run in worker processes or on a
Dask cluster (:mod:`takeoff.parallel`): the same chunks, the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from takeoff.errors import ValidationError, brief
from takeoff.io_safety import check_output_file
from takeoff.parallel import check_workers, effective_workers, imap_chunks, using_client
from takeoff.params.schema import build_parameters, registry
from takeoff.scenarios.loader import Scenario, load_scenario
from takeoff.uncertainty.streaming import (
    ALPHA,
    QuantileSketch,
    TrajectoryWriter,
    repeated,
    trajectory_file,
)

QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
BY_YEARS = (2030, 2035, 2040, 2050, 2100)
FAN_SERIES = (
    "gwp",
    "gwp_growth",
    "automatable_share",
    "automated_share",
    "cognitive_automated_share",
    "power_gw",
    "ai_compute",
    "ai_capex_share",
    "ai_capex_share_target",
    "effective_training_compute",
    "software_efficiency",
    "time_horizon_minutes",
    "wage",
    "ai_output_share",
    "largest_training_run",
)
MAX_SAMPLES = 10_000_000


@dataclass
class MCResult:
    """Milestone years per sample and yearly quantiles of key series."""

    scenario: str
    n_samples: int
    seed: int
    milestones: dict[str, np.ndarray]  # name -> (n,), NaN = not reached by end year
    years: np.ndarray  # whole years on the grid
    quantiles: dict[str, np.ndarray]  # series -> (len(QUANTILES), n_years)
    sampled: dict[str, np.ndarray]  # parameters that were sampled -> (n,)
    end_year: float
    trajectories: dict[str, np.ndarray] | None = None  # series -> (n_years, n)
    growth_capped: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    #: 0 for exact quantiles, else their relative error bound (streamed, docs/scale.md).
    quantile_error: float = 0.0

    def milestone_summary(self) -> dict[str, dict]:
        """Per milestone: p10/p50/p90 year (None = not reached by then), P(by year), SE of median."""
        return {
            name: summarise_years(years, self.end_year) for name, years in self.milestones.items()
        }


def summarise_years(years: np.ndarray, end_year: float) -> dict:
    """Percentiles with not-reached as +inf, probabilities by fixed years, median's MC SE.

    The standard error of the median comes from the binomial order-statistic interval:
    ranks n/2 -+ 1.96 sqrt(n)/2 bracket the median with ~95% confidence, and half
    its width divided by 1.96 is the SE (None when the interval reaches not-reached).
    """
    n = years.size
    filled = np.where(np.isnan(years), np.inf, years)
    ordered = np.sort(filled)

    def at(q: float):
        value = ordered[min(int(np.floor(q * n)), n - 1)]
        return None if not np.isfinite(value) else round(float(value), 2)

    half = 1.96 * np.sqrt(n) / 2
    low = ordered[max(int(np.floor(n / 2 - half)), 0)]
    high = ordered[min(int(np.ceil(n / 2 + half)), n - 1)]
    se = (high - low) / (2 * 1.96) if np.isfinite(high) and np.isfinite(low) else None
    return {
        "p10": at(0.1),
        "p50": at(0.5),
        "p90": at(0.9),
        "se_median": None if se is None else round(float(se), 3),
        "prob_by": {
            str(year): round(float(np.mean(filled <= year)), 4)
            for year in BY_YEARS
            if year <= end_year + 1e-9
        },
        "prob_reached": round(float(np.mean(np.isfinite(filled))), 4),
    }


def sample_scenario(
    scenario: Scenario, n: int, seed: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(all parameter values for n samples, the sampled ones only)."""
    from takeoff.uncertainty.distributions import parse_distribution, sample_parameters

    dists = {
        name: parse_distribution(spec, field=f"parameters.{name}")
        for name, spec in scenario.distributions.items()
    }
    specs = registry()
    bounds = {name: (specs[name].low, specs[name].high) for name in dists}
    correlations = parse_correlations(scenario.correlations, set(dists))
    sampled = (
        sample_parameters(dists, n, seed, correlations=correlations, bounds=bounds) if dists else {}
    )
    values: dict[str, object] = dict(scenario.values)
    values.update(sampled)
    return values, sampled


def parse_correlations(entries: list, names: set[str]) -> dict[tuple[str, str], float]:
    """``[{between = ["a", "b"], rank = 0.5}, ...]`` -> {(a, b): 0.5}."""
    out: dict[tuple[str, str], float] = {}
    for i, entry in enumerate(entries):
        where = f"correlations[{i}]"
        if not isinstance(entry, dict) or set(entry) - {"between", "rank", "source", "note"}:
            raise ValidationError(
                f'{where}: expected {{between = ["a", "b"], rank = r, source = "..."}}'
            )
        for meta in ("source", "note"):
            if meta in entry and not isinstance(entry[meta], str):
                raise ValidationError(
                    f"{where}.{meta}: expected a string, got {brief(entry[meta])}"
                )
        pair = entry.get("between")
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            raise ValidationError(f"{where}.between: expected two parameter names")
        for name in pair:
            if name not in names:
                raise ValidationError(
                    f"{where}.between: {brief(name)} has no distribution in this scenario"
                )
        rank = entry.get("rank")
        if isinstance(rank, bool) or not isinstance(rank, int | float):
            raise ValidationError(f"{where}.rank: expected a number in [-1, 1]")
        try:
            rank = float(rank)
        except OverflowError:  # an integer beyond float range
            rank = math.inf
        if not -1.0 <= rank <= 1.0:
            raise ValidationError(f"{where}.rank: {brief(entry['rank'], 30)} is not in [-1, 1]")
        out[(pair[0], pair[1])] = rank
    return out


def _mc_chunk(chunk: tuple) -> tuple:
    """One chunk of samples: (years, milestones, yearly fan series, growth-capped flags).

    The chunk carries the raw values (sampled slices and scalars): parameters are built
    here, in the worker, so that the caller never holds every parameter for every sample.
    """
    from takeoff.api import run_parameters

    values, scenario = chunk
    params = build_parameters(values, where=f"{scenario.name}: parameters")
    result = run_parameters(params, scenario)
    rows = result.yearly()
    kept = {name: result.series[name][rows] for name in FAN_SERIES}
    return result.years[rows], result.milestones, kept, result.growth_capped


def yearly_output(scenario: Scenario) -> Scenario:
    """The scenario with series kept on whole years when its grid allows (MC keeps no more).

    Milestones are still found at every step, so results are the same; a chunk needs
    about a third of the memory and less time.
    """
    if (
        scenario.settings.output_step is not None
        or not float(scenario.settings.start_year).is_integer()
    ):
        return scenario
    try:
        return scenario.with_settings(output_step=1.0)
    except ValidationError:  # dt does not divide a year, or the span is not whole years
        return scenario


#: Largest chunk of samples simulated in one vectorised call: per-sample cost falls with the
#: chunk up to here (4,000 amodei samples in one process: 17.5 s in chunks of 500, 13.0 s of
#: 1,000, 10.0 s of 2,000, 9.4 s of 4,000; besiroglu-erdil, 2026-12-04: 2.38 ms a sample in
#: chunks of 1,250, 1.90 ms of 2,500) and not beyond (10,000 besiroglu-erdil samples in one
#: process after the rolling step block, engine/fine.py: 1.25 ms a sample in chunks of
#: 2,500, 1.15-1.29 ms of 5,000, 1.16-1.22 ms of 10,000), while memory grows with it (peak
#: resident 0.37, 0.59 and 0.93 GB). Streamed runs of any size use it: two workers at
#: ~0.37 GB each and the parent stay within 1.5 GB (benchmarks/README.md).
LARGEST_CHUNK = 2500

#: Up to this many samples the fan-series quantiles are exact (``np.quantile`` over every
#: sample's yearly values, ~8.4 kB a sample, 170 MB here); above it they are streamed
#: (:class:`takeoff.uncertainty.streaming.QuantileSketch`, relative error <= 0.5%) unless
#: ``keep_trajectories`` holds every trajectory anyway. Milestones are always exact.
EXACT_QUANTILES_MAX = 20_000

#: Parameter sets validated per call of ``build_parameters`` before a run starts.
VALIDATE_BLOCK = 50_000


def auto_chunk_size(n_samples: int, workers: int = 1) -> int:
    """Chunk size for speed: as few chunks as ``LARGEST_CHUNK`` allows, a multiple of
    ``workers`` of them so that every worker gets the same share."""
    rounds = max(1, math.ceil(n_samples / (workers * LARGEST_CHUNK)))
    return max(1, math.ceil(n_samples / (workers * rounds)))


def run_mc(
    scenario: str | Scenario = "default",
    n_samples: int = 1000,
    seed: int = 0,
    *,
    overrides: dict[str, float] | None = None,
    keep_trajectories: bool = False,
    chunk_size: int | None = None,
    dt: float | None = None,
    end_year: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    pool: Executor | None = None,
    trajectories_path: str | Path | None = None,
    client: Any = None,
) -> MCResult:
    """Sample the scenario's distributions and simulate every sample (vectorised chunks).

    ``workers`` > 1 runs the chunks in that many processes (``takeoff.parallel``): the
    same numbers, faster for large runs on several cores. ``chunk_size`` (samples per
    vectorised call and per progress update) defaults to :func:`auto_chunk_size`; ``pool``
    (``takeoff.parallel.worker_pool``) reuses processes across calls. ``client`` (a
    ``distributed.Client``) runs the chunks on that Dask cluster instead, with the same
    numbers (docs/scale.md).

    Results are accumulated chunk by chunk: milestone years exactly, fan-series quantiles
    exactly up to ``EXACT_QUANTILES_MAX`` samples and by histogram above (see
    :mod:`takeoff.uncertainty.streaming`). ``trajectories_path`` streams every sample's
    yearly fan series to that Parquet file (long format) as chunks finish;
    ``keep_trajectories`` holds them in memory instead.
    """
    check_workers(workers)
    with using_client(client):
        return _run_mc(
            scenario, n_samples, seed, overrides, keep_trajectories, chunk_size, dt, end_year,
            progress, workers, pool, trajectories_path,
        )  # fmt: skip


def _run_mc(
    scenario, n_samples, seed, overrides, keep, chunk_size, dt, end_year, progress, workers,
    pool, trajectories_path,
) -> MCResult:  # fmt: skip
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    scenario = yearly_output(scenario.with_settings(dt=dt, end_year=end_year))
    if (
        isinstance(n_samples, bool)
        or not isinstance(n_samples, int)
        or not 1 <= n_samples <= MAX_SAMPLES
    ):
        raise ValidationError(f"samples: {n_samples!r} must be an integer in [1, {MAX_SAMPLES}]")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError(f"seed: {seed!r} must be a non-negative integer")
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
    ):
        raise ValidationError(f"chunk_size: {chunk_size!r} must be a positive integer")
    path = None if trajectories_path is None else Path(trajectories_path)
    if path is not None:
        path = check_output_file(path, "trajectories_path", suffix=".parquet")
    values, sampled = sample_scenario(scenario, n_samples, seed)
    if overrides:
        values.update(overrides)
        for name in overrides:
            sampled.pop(name, None)
    per_sample = _validate(values, n_samples, f"{scenario.name}: parameters")
    acc = _Accumulator(keep or n_samples <= EXACT_QUANTILES_MAX, keep)
    if all((np.asarray(values[k]) == np.asarray(values[k]).flat[0]).all() for k in per_sample):
        # Nothing varies across samples and the model is deterministic: run one, repeat it.
        one = {k: (np.asarray(v)[:1] if k in per_sample else v) for k, v in values.items()}
        parts = repeated(_mc_chunk((one, scenario)), n_samples, LARGEST_CHUNK)
    else:
        size = chunk_size or auto_chunk_size(n_samples, effective_workers(workers))
        chunks = [
            ({k: (v[a : a + size] if k in per_sample else v) for k, v in values.items()}, scenario)
            for a in range(0, n_samples, size)
        ]
        parts = imap_chunks(_mc_chunk, chunks, workers, pool)
    with trajectory_file(path, FAN_SERIES, "trajectories_path") as writer:
        for part in parts:
            acc.add(part, writer)
            if progress is not None:
                progress(acc.done, n_samples)
    return MCResult(
        scenario=scenario.name,
        n_samples=n_samples,
        seed=seed,
        sampled=sampled,
        end_year=float(scenario.settings.end_year),
        **acc.finish(),
    )


def _validate(values: dict[str, object], n: int, where: str) -> set[str]:
    """Check every parameter set (``build_parameters``, ``VALIDATE_BLOCK`` at a time, so
    that the check holds no more than a block); the names of per-sample arrays."""
    per_sample = {k for k, v in values.items() if np.ndim(v) == 1 and np.size(v) > 1}
    for name in per_sample:
        if np.size(values[name]) != n:
            raise ValidationError(
                f"{where}.{name}: {np.size(values[name])} values for {n} samples; give one "
                "value or one per sample"
            )
    for a in range(0, n, VALIDATE_BLOCK):
        block = {
            k: (v[a : a + VALIDATE_BLOCK] if k in per_sample else v) for k, v in values.items()
        }
        build_parameters(block, where=where)
    return per_sample


class _Accumulator:
    """What ``run_mc`` keeps of the chunks as they arrive (in sample order)."""

    def __init__(self, exact: bool, keep: bool) -> None:
        self.exact, self.keep, self.done = exact, keep, 0
        self.years = np.zeros(0)
        self.milestones: list[dict] = []
        self.capped: list[np.ndarray] = []
        self.series: list[dict] = []  # exact: every chunk's fan series
        self.sketches: dict[str, QuantileSketch] = {}

    def add(self, part: tuple, writer: TrajectoryWriter | None) -> None:
        """One chunk's (years, milestones, fan series, capped flags)."""
        self.years, milestones, kept, capped = part
        self.milestones.append(milestones)
        self.capped.append(capped)
        if self.exact:
            self.series.append(kept)
        else:
            for name, arr in kept.items():
                self.sketches.setdefault(name, QuantileSketch(arr.shape[0])).add(arr)
        if writer is not None:
            writer.write(self.done, self.years, kept)
        self.done += capped.size

    def finish(self) -> dict:
        milestones = {
            k: np.concatenate([m[k] for m in self.milestones]) for k in self.milestones[0]
        }
        out = {"years": self.years, "milestones": milestones}
        out["growth_capped"] = np.concatenate(self.capped)
        if self.exact:
            joined = {k: np.concatenate([p[k] for p in self.series], axis=1) for k in FAN_SERIES}
            self.series = []
            out["quantiles"] = {k: np.quantile(a, QUANTILES, axis=1) for k, a in joined.items()}
            out["trajectories"] = joined if self.keep else None
        else:
            out["quantiles"] = {k: s.quantiles(QUANTILES) for k, s in self.sketches.items()}
            out["trajectories"] = None
            out["quantile_error"] = ALPHA
        return out
