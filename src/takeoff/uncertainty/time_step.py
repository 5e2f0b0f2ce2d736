"""Does a scenario's answer hinge on the time step? Run the same samples at dt and dt / k.

Milestones converge at second order in dt for most runs (docs/model.md section 15), but
three things no fixed step resolves can move them by more: a software explosion inside one
step, a series creeping toward its threshold (stalled capabilities), and a growth rate that
jumps at each task crossing (no adoption lag). Which of these a scenario meets depends on
its parameters, so a user's own scenario gets the check the built-in ones got:

    d_i = |t_i(dt) - t_i(dt / k)|   for each sample i and milestone,

reported per milestone as the largest d_i, its 99th percentile, the share of samples with
d_i above a tolerance, and the samples that reach the milestone at one step and not the
other. The finer run stands in for the dt -> 0 limit (at second order its own error is
1 / k^2 of the coarse run's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.scenarios.loader import Scenario

#: Default tolerance (years): issue 10's bound on milestones at the default step.
TOLERANCE = 0.1
#: Default refinement: the fine run's step is dt / REFINE.
REFINE = 4
#: Largest sample count: the fine run costs ``refine`` times the coarse one, and a scenario
#: whose step does not divide a year keeps every coarse step (~0.36 MB a sample).
MAX_SAMPLES = 2_000


@dataclass(frozen=True)
class TimeStepCheck:
    """Milestone differences between a run at ``dt`` and at ``dt / refine``."""

    scenario: str
    n_samples: int
    dt: float
    refine: int
    tolerance: float
    table: pd.DataFrame  # one row per milestone (see :func:`difference_table`)

    @property
    def passed(self) -> bool:
        """Every milestone within the tolerance in every sample, reached in the same samples."""
        return bool(
            (self.table["largest_difference_years"] <= self.tolerance).all()
            and (self.table["reached_at_one_step_only"] == 0).all()
        )

    def failing(self) -> list[str]:
        """Milestones beyond the tolerance in some sample, or reached at one step only."""
        bad = (self.table["largest_difference_years"] > self.tolerance) | (
            self.table["reached_at_one_step_only"] > 0
        )
        return list(self.table.index[bad])


def difference_table(
    coarse: dict[str, np.ndarray], fine: dict[str, np.ndarray], tolerance: float
) -> pd.DataFrame:
    """Per milestone: the share of samples reaching it (at the coarse step), the largest
    |difference| (years), its 99th percentile over samples, the share of samples beyond
    ``tolerance``, and how many samples reach it at one step only.

    Samples that reach it at neither step count as a difference of 0.
    """
    rows = {}
    for name, years in coarse.items():
        other = fine[name]
        both = np.isfinite(years) & np.isfinite(other)
        difference = np.where(both, np.abs(years - other), 0.0)
        rows[name] = {
            "reached_share": float(np.mean(np.isfinite(years))),
            "largest_difference_years": float(difference.max(initial=0.0)),
            "p99_difference_years": float(np.percentile(difference, 99)),
            "share_beyond_tolerance": float(np.mean(difference > tolerance)),
            "reached_at_one_step_only": int(np.sum(np.isfinite(years) != np.isfinite(other))),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "milestone"
    return table


def check_time_step(
    scenario: str | Scenario,
    n_samples: int = 100,
    seed: int = 0,
    overrides: dict | None = None,
    refine: int = REFINE,
    tolerance: float = TOLERANCE,
    workers: int = 1,
    on_step: Callable[[int, int], None] | None = None,
) -> TimeStepCheck:
    """Run ``n_samples`` of ``scenario`` (its distributions, seeded) at its dt and at
    dt / ``refine`` and compare every milestone (:func:`difference_table`).

    A scenario without distributions is one run. ``overrides`` fix parameters in every
    sample, as in ``run_mc``. ``on_step(done, total)`` reports progress over both runs, in
    steps of either (what each costs).
    """
    from takeoff.api import run_parameters
    from takeoff.params.schema import build_parameters
    from takeoff.uncertainty.montecarlo import load_scenario, sample_scenario, yearly_output

    _check_arguments(n_samples, seed, refine, tolerance)
    loaded = load_scenario(scenario) if isinstance(scenario, str) else scenario
    dt = float(loaded.settings.dt)
    # Milestones are found at every step whatever the output grid: keep series only on
    # whole years where the grid allows, else at the coarse steps, so the fine run holds
    # no more than the coarse one.
    loaded = yearly_output(loaded)
    if loaded.settings.output_step is None:
        loaded = loaded.with_settings(output_step=dt)
    try:
        fine_scenario = loaded.with_settings(dt=dt / refine)
    except ValidationError as exc:
        raise ValidationError(f"refine: dt / {refine} is not a usable step ({exc})") from None
    n = n_samples if loaded.distributions else 1
    values, _ = sample_scenario(loaded, n, seed)
    values.update(overrides or {})
    params = build_parameters(values, where=f"{loaded.name}: parameters")
    coarse_steps = loaded.settings.n_steps
    total = coarse_steps * (1 + refine)  # in steps of either run: the cost of each

    def progress(offset: int):
        if on_step is None:
            return None
        return lambda done, _: on_step(min(offset + done, total), total)

    coarse = run_parameters(params, loaded, on_step=progress(0), workers=workers)
    fine = run_parameters(params, fine_scenario, on_step=progress(coarse_steps), workers=workers)
    return TimeStepCheck(
        loaded.name,
        n,
        dt,
        refine,
        tolerance,
        difference_table(coarse.milestones, fine.milestones, tolerance),
    )


def _check_arguments(n_samples, seed, refine, tolerance) -> None:
    def is_int(x):
        return isinstance(x, int | np.integer) and not isinstance(x, bool)

    if not is_int(n_samples) or not 1 <= n_samples <= MAX_SAMPLES:
        raise ValidationError(f"samples: {n_samples!r} must be an integer in [1, {MAX_SAMPLES}]")
    if not is_int(seed) or seed < 0:
        raise ValidationError(f"seed: {seed!r} must be a non-negative integer")
    if not is_int(refine) or not 2 <= refine <= 16:
        raise ValidationError(f"refine: {refine!r} must be an integer in [2, 16]")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        raise ValidationError(f"tolerance: {tolerance!r} must be a number of years in (0, 10]")
    if not 0.0 < float(tolerance) <= 10.0:
        raise ValidationError(f"tolerance: {tolerance!r} must be a number of years in (0, 10]")
