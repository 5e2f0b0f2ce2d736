"""The time loop: Heun steps, what is recorded at each point, and the finished :class:`Run`.

The NumPy backend's loop is here; the JAX backend (jax_backend.py) reuses ``heun_step``,
``record`` and ``finish``, and run.py chooses between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np

from takeoff.model.engine.outputs import derive, fine_inputs, series_at_every_step, windowed
from takeoff.model.engine.setup import Settings, prepare
from takeoff.model.engine.state import RECORDED_STOCKS, Constants, State
from takeoff.model.engine.step import GWP_CAP, advance, exogenous_step, observe

#: Rates averaged between the two stages of a Heun step.
HEUN_RATES = (
    "software_growth",
    "hardware_growth",
    "capital_investment",
    "ai_capex",
    "ai_output_share",
)


def heun_step(t: float, state: State, obs: dict[str, np.ndarray], constants: Constants) -> State:
    """Second-order (Heun) step: Euler predictor, then the average of both stages' rates.

    Milestones must not hinge on dt; first-order Euler moved them by ~0.2 yr between
    dt = 0.1 and 0.025 in fast software-explosion runs.
    """
    shared = exogenous_step(t, state, constants)
    predicted = advance(t, state, obs, constants, shared)
    ahead = observe(t + constants.dt, predicted, constants)
    averaged = dict(obs)
    for name in HEUN_RATES:
        averaged[name] = 0.5 * (obs[name] + ahead[name])
    # The corrector overwrites the predictor's crossing-log entries (adoption.py).
    return advance(t, state, averaged, constants, shared, last=True)


class Run(NamedTuple):
    """What ``integrate`` returns."""

    years: np.ndarray  # the output grid
    series: dict[str, np.ndarray]  # (len(years), n) per variable
    capped: np.ndarray  # per sample: GWP reached GWP_CAP
    step_years: np.ndarray  # the step grid
    milestone_series: dict[str, np.ndarray]  # series milestones read, on the step grid


def integrate_numpy(
    p: dict[str, np.ndarray],
    settings: Settings,
    on_step: Callable[[int, int], None] | None = None,
    milestone_series: Iterable[str] = (),
) -> Run:
    """As ``run.integrate``, on the NumPy backend: one Heun step at a time."""
    milestone_series = tuple(milestone_series)
    constants, state = prepare(p, settings)
    n_steps, every = settings.n_steps, settings.record_every
    years = settings.start_year + settings.dt * np.arange(n_steps + 1)
    recorded: dict[str, np.ndarray] = {}
    fine: dict[str, np.ndarray] = {}
    for k in range(n_steps + 1):
        obs = observe(years[k], state, constants)
        point = record(state, obs)
        if k == 0:
            n = state.compute.shape[0]
            recorded = {name: np.empty((n_steps // every + 1, n)) for name in point}
            if every > 1:
                kept = fine_inputs(milestone_series, point)
                fine = {name: np.empty((n_steps + 1, n)) for name in kept}
        if k % every == 0:
            for name, value in point.items():
                recorded[name][k // every] = value
        for name, series in fine.items():
            series[k] = point[name]
        if k < n_steps:
            state = heun_step(years[k], state, obs, constants)
        if on_step is not None:
            on_step(k, n_steps)
    return finish(
        years, every, recorded, fine if every > 1 else recorded, constants, milestone_series
    )


def record(state: State, obs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The series recorded at one grid point: stocks, then observed quantities."""
    out = {name: getattr(state, name) for name in RECORDED_STOCKS}
    # Names starting with "_" are internal to a step (not (n,) series).
    out.update((name, value) for name, value in obs.items() if name[0] != "_")
    return out


def finish(
    step_years: np.ndarray,
    every: int,
    recorded: dict[str, np.ndarray],
    fine: dict[str, np.ndarray],
    constants: Constants,
    milestone_series: tuple[str, ...],
) -> Run:
    """Recorded series -> a :class:`Run`.

    ``recorded`` holds every recorded series on the output grid (every ``every``-th
    step), ``fine`` the recorded series kept at every step (``recorded`` itself when
    ``every`` is 1).
    """
    rows = slice(None, None, every)
    years = step_years[rows]
    steps = windowed(fine, constants)
    series = derive(years, recorded, {name: s[rows] for name, s in steps.items()}, constants)
    del series["years"]
    capped = (fine["gwp"] >= GWP_CAP).any(axis=0)
    known = series if every == 1 else steps
    at_steps = series_at_every_step(milestone_series, fine, constants, known)
    return Run(years, series, capped, step_years, at_steps)
