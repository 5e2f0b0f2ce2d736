"""The report's economy pass: series the Monte Carlo does not keep, and binding constraints.

``run_mc`` keeps yearly quantiles of a fixed list of series
(``takeoff.uncertainty.montecarlo.FAN_SERIES``) and no per-sample trajectories, so the
report's charts of the labour share and consumption, and the table of binding
constraints (:mod:`takeoff.report.constraints`), need the full series of some samples.
This pass simulates the *first* ``n`` samples of each worldview's Monte Carlo again, from
the sampled values that ``MCResult.sampled`` holds (so they are exactly those samples),
and keeps per sample only what the report reads: the yearly values of
:data:`ECONOMY_SERIES` (reduced to quantiles) and each constraint's first binding year.
A deterministic worldview (every sample the same) is simulated once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from takeoff.evidence.first_year import START_YEAR, FirstYear, first_year
from takeoff.parallel import map_chunks
from takeoff.params.schema import build_parameters
from takeoff.report.constraints import (
    Binding,
    binding_indicators,
    first_years,
    ranked,
    summarise,
)
from takeoff.uncertainty.montecarlo import QUANTILES, yearly_output

#: Series charted in the report's economy section (quantiles over the pass's samples).
ECONOMY_SERIES = ("gwp", "wage", "labour_share", "consumption", "ai_capex_share")
#: Samples per worldview in the economy pass (the first ones of its Monte Carlo).
ECONOMY_SAMPLES = 1000
#: Most samples per simulated chunk (a chunk keeps every series: ~40 MB per 1,000 samples).
MAX_CHUNK = 2000


@dataclass
class Economy:
    """What the economy pass keeps of one worldview."""

    n_samples: int  # samples simulated (1 for a deterministic view)
    years: np.ndarray
    quantiles: dict[str, np.ndarray]  # series -> (len(QUANTILES), n_years)
    bindings: list[Binding]
    first_year: FirstYear | None = None  # against 2025-2026 (None: not a 2026 start)


def is_deterministic(result) -> bool:
    """True when no parameter varies across the Monte Carlo's samples."""
    return all(np.ptp(np.asarray(v)) == 0 for v in result.sampled.values())


def _chunk(job: tuple) -> tuple:
    """One chunk: (years, kept series (T, m), {constraint: (source, first years, at end)},
    AI revenue (2, m) at the first two whole years)."""
    from takeoff.api import run_parameters

    params, scenario = job
    result = run_parameters(params, scenario, milestones={})
    rows = result.yearly()
    years = result.years[rows]
    series = {name: arr[rows] for name, arr in result.series.items()}
    found = binding_indicators(series, params.get("max_investment_share"))
    bindings = {
        name: (source, first_years(years, binds), binds[-1])
        for name, (source, binds) in found.items()
    }
    kept = {name: series[name] for name in ECONOMY_SERIES}
    return years, kept, bindings, series["ai_revenue"][:2]


def run_economy(
    view,
    n_samples: int = ECONOMY_SAMPLES,
    workers: int = 1,
    pool: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Economy:
    """The economy pass of one compared worldview (:class:`takeoff.report.compare.Worldview`)."""
    result = view.result
    n = 1 if is_deterministic(result) else min(n_samples, result.n_samples)
    values: dict[str, object] = dict(view.scenario.values)
    values.update({name: np.asarray(arr)[:n] for name, arr in result.sampled.items()})
    params = build_parameters(values, where=f"{view.key}: parameters")
    params = {name: np.broadcast_to(arr, (n,)).copy() for name, arr in params.items()}
    scenario = yearly_output(view.scenario)
    # One chunk per worker: each call pays ~1 s of per-step Python work whatever its size.
    chunk = min(MAX_CHUNK, -(-n // workers))
    jobs = [
        ({name: arr[s : s + chunk] for name, arr in params.items()}, scenario)
        for s in range(0, n, chunk)
    ]

    def done(count: int) -> None:
        if progress is not None:
            progress(min(count * chunk, n), n)

    parts = map_chunks(_chunk, jobs, workers, done, pool)
    years = parts[0][0]
    joined = {name: np.concatenate([p[1][name] for p in parts], axis=1) for name in ECONOMY_SERIES}
    bindings = ranked(
        summarise(
            name,
            parts[0][2][name][0],
            np.concatenate([p[2][name][1] for p in parts]),
            np.concatenate([p[2][name][2] for p in parts]),
        )
        for name in parts[0][2]
    )
    checked = None
    if years[0] == START_YEAR and len(years) > 1 and years[1] == START_YEAR + 1.0:
        revenue = np.concatenate([p[3] for p in parts], axis=1)
        checked = first_year(revenue[0], revenue[1])
    return Economy(
        n_samples=n,
        years=years,
        quantiles={name: np.quantile(arr, QUANTILES, axis=1) for name, arr in joined.items()},
        bindings=bindings,
        first_year=checked,
    )
