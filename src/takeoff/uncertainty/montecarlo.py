"""Monte Carlo over a scenario's parameter distributions.

Parameters with a ``dist`` in the scenario are sampled jointly (Gaussian copula with
the scenario's rank correlations, truncated to each parameter's allowed range); the
rest keep their point values. Samples are simulated in vectorised chunks; per chunk
only the milestone years and the yearly values of a few key series are kept, so
memory does not grow with the number of trajectories unless ``keep_trajectories``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from takeoff.errors import ValidationError, brief
from takeoff.parallel import check_workers, map_chunks
from takeoff.params.schema import build_parameters, registry
from takeoff.scenarios.loader import Scenario, load_scenario

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
)
MAX_SAMPLES = 1_000_000


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
    """One chunk of samples: (years, milestones, yearly fan series, growth-capped flags)."""
    from takeoff.api import run_parameters

    params, scenario = chunk
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
#: chunk (4,000 amodei samples in one process: 17.5 s in chunks of 500, 13.0 s of 1,000,
#: 10.0 s of 2,000, 9.4 s of 4,000) while memory grows with it.
LARGEST_CHUNK = 2500


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
) -> MCResult:
    """Sample the scenario's distributions and simulate every sample (vectorised chunks).

    ``workers`` > 1 runs the chunks in that many processes (``takeoff.parallel``): the
    same numbers, faster for large runs on several cores. ``chunk_size`` (samples per
    vectorised call and per progress update) defaults to :func:`auto_chunk_size`; ``pool``
    (``takeoff.parallel.worker_pool``) reuses processes across calls.
    """
    check_workers(workers)
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
    values, sampled = sample_scenario(scenario, n_samples, seed)
    if overrides:
        values.update(overrides)
        for name in overrides:
            sampled.pop(name, None)
    full = build_parameters(values, where=f"{scenario.name}: parameters")
    if full["gwp_2026"].size == 1 and n_samples > 1:
        full = {name: np.repeat(arr, n_samples) for name, arr in full.items()}

    if all((arr == arr[0]).all() for arr in full.values()):
        # Nothing varies across samples and the model is deterministic: run one, repeat it.
        years, milestones, kept, capped = _mc_chunk(({k: v[:1] for k, v in full.items()}, scenario))
        if progress is not None:
            progress(n_samples, n_samples)
        milestones = {name: np.repeat(arr, n_samples) for name, arr in milestones.items()}
        joined = {name: np.repeat(arr, n_samples, axis=1) for name, arr in kept.items()}
        capped = np.repeat(capped, n_samples)
    else:
        size = auto_chunk_size(n_samples, workers) if chunk_size is None else chunk_size
        years, milestones, joined, capped = _run_chunks(
            full, scenario, size, workers, progress, pool
        )
    quantiles = {name: np.quantile(arr, QUANTILES, axis=1) for name, arr in joined.items()}
    return MCResult(
        scenario=scenario.name,
        n_samples=n_samples,
        seed=seed,
        milestones=milestones,
        years=years,
        quantiles=quantiles,
        sampled=sampled,
        end_year=float(scenario.settings.end_year),
        trajectories=joined if keep_trajectories else None,
        growth_capped=capped,
    )


def _run_chunks(full, scenario, chunk_size, workers, progress, pool) -> tuple:
    """Every sample, ``chunk_size`` at a time (in ``workers`` processes): as ``_mc_chunk``."""
    n_samples = full["gwp_2026"].size
    chunks = [
        ({name: arr[start : start + chunk_size] for name, arr in full.items()}, scenario)
        for start in range(0, n_samples, chunk_size)
    ]

    def done(count: int) -> None:
        if progress is not None:
            progress(min(count * chunk_size, n_samples), n_samples)

    parts = map_chunks(_mc_chunk, chunks, workers, done, pool)
    milestones = {name: np.concatenate([p[1][name] for p in parts]) for name in parts[0][1]}
    joined = {name: np.concatenate([p[2][name] for p in parts], axis=1) for name in FAN_SERIES}
    return parts[0][0], milestones, joined, np.concatenate([p[3] for p in parts])
