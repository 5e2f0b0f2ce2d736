"""The Python API: ``takeoff.simulate`` and its result object."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.model.engine.milestones import Milestone, default_milestones
from takeoff.model.engine.run import integrate
from takeoff.parallel import check_workers, imap_chunks
from takeoff.params.schema import build_parameters
from takeoff.scenarios.loader import Scenario, load_scenario

#: Fewer samples per worker process than this run in the calling process.
MIN_SAMPLES_PER_WORKER = 500

#: Largest batch the NumPy backend integrates in one call: a larger one is run this many
#: samples at a time and only its outputs are joined (into arrays allocated once), so the
#: model's working memory stays that of one chunk whatever the batch.
SIMULATE_CHUNK = 4000

#: Series shown by default in tables and the yearly CSV, in this order.
KEY_SERIES = (
    "gwp",
    "gwp_growth",
    "automatable_share",
    "automated_share",
    "cognitive_automated_share",
    "rnd_automated_share",
    "ai_compute",
    "power_gw",
    "ai_capex_share",
    "cost_per_gw_year",
    "effective_training_compute",
    "software_efficiency",
    "time_horizon_minutes",
    "ai_workers",
    "wage",
    "labour_share",
    "ai_output_share",
)


@dataclass
class Result:
    """Trajectories and milestone years of one call to :func:`simulate`.

    ``series[name]`` has shape (n_years_on_grid, n_samples); ``milestones[name]`` has
    shape (n_samples,) with NaN where the milestone is not reached by the end year.
    """

    scenario: str
    years: np.ndarray
    series: dict[str, np.ndarray]
    milestones: dict[str, np.ndarray]
    parameters: dict[str, np.ndarray]
    growth_capped: np.ndarray
    settings: object = None
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        return self.years.size and next(iter(self.series.values())).shape[1]

    def yearly(self) -> np.ndarray:
        """Indices of the grid points that fall on whole years."""
        return np.flatnonzero(np.isclose(self.years, np.round(self.years), atol=1e-9))

    def to_pandas(
        self, sample: int | None = None, yearly: bool = False, variables=None
    ) -> pd.DataFrame:
        """Trajectories as a DataFrame.

        One sample (or ``sample=i``): indexed by year, one column per variable.
        Several samples: a long frame with columns ``sample``, ``year`` and the variables.
        """
        names = list(variables) if variables is not None else list(self.series)
        rows = self.yearly() if yearly else np.arange(self.years.size)
        if sample is not None or self.n_samples == 1:
            i = 0 if sample is None else sample
            frame = pd.DataFrame({name: self.series[name][rows, i] for name in names})
            frame.index = pd.Index(np.round(self.years[rows], 6), name="year")
            return frame
        n = self.n_samples
        data = {
            "sample": np.repeat(np.arange(n), rows.size),
            "year": np.tile(np.round(self.years[rows], 6), n),
        }
        for name in names:
            data[name] = self.series[name][rows].T.reshape(-1)
        return pd.DataFrame(data)

    def milestones_frame(self) -> pd.DataFrame:
        """Milestone years, one row per sample (NaN = not reached)."""
        return pd.DataFrame(self.milestones)

    def milestone_dict(self, sample: int = 0) -> dict[str, float | None]:
        """{milestone: year or None} for one sample (JSON-friendly)."""
        return {
            name: (None if np.isnan(v[sample]) else round(float(v[sample]), 3))
            for name, v in self.milestones.items()
        }


def simulate(
    scenario: str | Scenario = "default",
    overrides: Mapping[str, object] | None = None,
    *,
    dt: float | None = None,
    end_year: float | None = None,
    n_tasks: int | None = None,
    n_rnd_tasks: int | None = None,
    backend: str | None = None,
    output_step: float | None = None,
    milestones: dict[str, Milestone] | None = None,
    on_step: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> Result:
    """Run the integrated model.

    ``scenario`` is a built-in name, a TOML path or a :class:`Scenario`. ``overrides``
    maps parameter names to a scalar or a 1-D array (one value per sample); arrays of
    equal length run as that many samples in one vectorised call. Distributions in the
    scenario are replaced by their medians (use ``takeoff.mc`` for Monte Carlo).
    ``backend="jax"`` runs the compiled JAX backend (optional extra ``takeoff[jax]``):
    the first call per shape compiles (about a second), later ones are faster than NumPy.
    ``output_step`` (years, a multiple of ``dt``) returns the series on a coarser grid,
    e.g. 1.0 for whole years: a large batch then needs a fraction of the memory and time.
    Milestones are found on the step grid either way, so they do not change.
    ``workers`` > 1 splits a large batch over that many processes (NumPy backend; same
    numbers; worth it from a few thousand samples, best with ``output_step``). A batch of
    more than ``SIMULATE_CHUNK`` samples is simulated that many at a time (NumPy backend;
    same numbers): memory is then the returned series plus one chunk's working set.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    scenario = scenario.with_settings(
        dt=dt,
        end_year=end_year,
        n_tasks=n_tasks,
        n_rnd_tasks=n_rnd_tasks,
        backend=backend,
        output_step=output_step,
    )
    values: dict[str, object] = dict(scenario.point_values())
    if overrides:
        values.update(overrides)
    params = build_parameters(values, where="parameters")
    return run_parameters(params, scenario, milestones=milestones, on_step=on_step, workers=workers)


def run_parameters(
    params: dict[str, np.ndarray],
    scenario: Scenario,
    milestones: dict[str, Milestone] | None = None,
    on_step: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> Result:
    """Integrate already-validated parameter arrays under a scenario's settings.

    With ``workers`` > 1 and at least ``MIN_SAMPLES_PER_WORKER`` samples per worker,
    the samples are split over worker processes (``takeoff.parallel``) and joined
    again; ``on_step`` is then called once, at the end. With the NumPy backend a batch of
    more than ``SIMULATE_CHUNK`` samples runs in chunks of at most that size.
    """
    check_workers(workers)
    n = params["gwp_2026"].size
    parts = min(workers, n // MIN_SAMPLES_PER_WORKER)
    if parts > 1 and scenario.settings.backend != "numpy":
        raise ValidationError("workers: more than 1 worker needs backend 'numpy'")
    if parts > 1 or (n > SIMULATE_CHUNK and scenario.settings.backend == "numpy"):
        size = min(SIMULATE_CHUNK, math.ceil(n / max(parts, 1)))
        bounds = list(range(0, n, size)) + [n]
        chunks = [
            ({name: arr[a:b] for name, arr in params.items()}, scenario, milestones)
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        if parts > 1:
            results = imap_chunks(_run_chunk, chunks, parts)
        else:
            results = _in_turn(chunks, scenario.settings.n_steps, on_step)
        joined = join_into(results, bounds, params)
        if on_step is not None and parts > 1:
            n_steps = scenario.settings.n_steps
            on_step(n_steps, n_steps)
        return joined
    milestones = default_milestones() if milestones is None else milestones
    run = integrate(params, scenario.settings, on_step=on_step, milestones=milestones)
    bad = [name for name, arr in run.series.items() if not np.isfinite(arr).all()]
    bad += [name for name in run.bad if name not in bad]  # at steps between output points
    if bad:  # a bug, not bad input: the model promises finite numbers across its ranges
        raise ValidationError(f"non-finite values in {bad[:5]}; please report this parameter set")
    return Result(
        scenario=scenario.name,
        years=run.years,
        series=run.series,
        milestones=run.milestones,
        parameters=params,
        growth_capped=run.capped,
        settings=scenario.settings,
        sources=dict(scenario.sources),
    )


def _run_chunk(chunk: tuple) -> Result:
    """One worker's share of a split batch (module-level so that processes can import it)."""
    params, scenario, milestones = chunk
    return run_parameters(params, scenario, milestones=milestones)


def _in_turn(chunks: list[tuple], n_steps: int, on_step) -> Iterator[Result]:
    """Each chunk in this process, ``on_step`` counting the steps of all of them."""
    total = len(chunks) * n_steps
    for i, (params, scenario, milestones) in enumerate(chunks):
        step = None
        if on_step is not None:

            def step(k: int, _n: int, i: int = i) -> None:
                on_step(i * n_steps + k, total)

        yield run_parameters(params, scenario, milestones=milestones, on_step=step)


def join_into(parts: Iterable[Result], bounds: list[int], params: dict) -> Result:
    """Results of the chunks ``bounds[i]:bounds[i + 1]`` as one result, copied as each
    arrives into arrays allocated once (no list of parts, no second copy)."""
    n = bounds[-1]
    out: Result | None = None
    for i, part in enumerate(parts):
        a, b = bounds[i], bounds[i + 1]
        if out is None:
            out = Result(
                scenario=part.scenario,
                years=part.years,
                series={k: np.empty(v.shape[:-1] + (n,), v.dtype) for k, v in part.series.items()},
                milestones={k: np.empty(n, v.dtype) for k, v in part.milestones.items()},
                parameters=params,
                growth_capped=np.empty(n, part.growth_capped.dtype),
                settings=part.settings,
                sources=part.sources,
            )
        for k, v in part.series.items():
            out.series[k][..., a:b] = v
        for k, v in part.milestones.items():
            out.milestones[k][a:b] = v
        out.growth_capped[a:b] = part.growth_capped
    assert out is not None
    return out


def join_results(parts: list[Result], params: dict[str, np.ndarray]) -> Result:
    """Results of consecutive chunks of samples as one result (samples in order)."""
    first = parts[0]
    return Result(
        scenario=first.scenario,
        years=first.years,
        series={name: np.concatenate([p.series[name] for p in parts], 1) for name in first.series},
        milestones={
            name: np.concatenate([p.milestones[name] for p in parts]) for name in first.milestones
        },
        parameters=params,
        growth_capped=np.concatenate([p.growth_capped for p in parts]),
        settings=first.settings,
        sources=first.sources,
    )


def labs(
    buy_growth: list[float] | tuple[float, ...] = (10.0, 5.0),
    *,
    years: int = 4,
    n_samples: int = 2000,
    seed: int = 0,
    growth_path: list[float] | tuple[float, ...] | None = None,
    **params: object,
):
    """Amodei's compute-purchase dilemma (docs/labs.md): each purchase rule "buy for g x/yr"
    run on the same ``n_samples`` demand paths.

    ``params`` are :class:`takeoff.industry.LabParams` fields (e.g. ``demand_growth=5``,
    ``n_firms=4``, ``lead_time=2``); ``growth_path`` gives one median demand growth factor per
    year instead of ``demand_growth``. Returns a :class:`takeoff.industry.LabsResult`: sample
    paths in ``.strategies[i].accounts`` and the JSON-able summary in ``.to_dict()``. Bad
    values raise :class:`takeoff.errors.ValidationError` naming the field and its range.
    """
    from takeoff.industry.labs import simulate_labs
    from takeoff.industry.params import make_params

    return simulate_labs(
        make_params(params),
        list(buy_growth),
        years=years,
        n_samples=n_samples,
        seed=seed,
        growth_path=growth_path,
    )
