"""The Python API: ``takeoff.simulate`` and its result object."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.model.milestones import Milestone, milestone_years
from takeoff.model.simulate import integrate
from takeoff.params.schema import build_parameters
from takeoff.scenarios.loader import Scenario, load_scenario

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
    milestones: dict[str, Milestone] | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> Result:
    """Run the integrated model.

    ``scenario`` is a built-in name, a TOML path or a :class:`Scenario`. ``overrides``
    maps parameter names to a scalar or a 1-D array (one value per sample); arrays of
    equal length run as that many samples in one vectorised call. Distributions in the
    scenario are replaced by their medians (use ``takeoff.mc`` for Monte Carlo).
    ``backend="jax"`` runs the compiled JAX backend (optional extra ``takeoff[jax]``):
    the first call per shape compiles (about a second), later ones are faster than NumPy.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    scenario = scenario.with_settings(
        dt=dt, end_year=end_year, n_tasks=n_tasks, n_rnd_tasks=n_rnd_tasks, backend=backend
    )
    values: dict[str, object] = dict(scenario.point_values())
    if overrides:
        values.update(overrides)
    params = build_parameters(values, where="parameters")
    return run_parameters(params, scenario, milestones=milestones, on_step=on_step)


def run_parameters(
    params: dict[str, np.ndarray],
    scenario: Scenario,
    milestones: dict[str, Milestone] | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> Result:
    """Integrate already-validated parameter arrays under a scenario's settings."""
    years, series, capped = integrate(params, scenario.settings, on_step=on_step)
    bad = [name for name, arr in series.items() if not np.isfinite(arr).all()]
    if bad:  # a bug, not bad input: the model promises finite numbers across its ranges
        raise ValidationError(f"non-finite values in {bad[:5]}; please report this parameter set")
    return Result(
        scenario=scenario.name,
        years=years,
        series=series,
        milestones=milestone_years(years, series, milestones),
        parameters=params,
        growth_capped=capped,
        settings=scenario.settings,
        sources=dict(scenario.sources),
    )
