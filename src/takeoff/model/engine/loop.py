"""The time loop: Heun steps, what is recorded at each point, and the finished :class:`Run`.

The NumPy backend's loop is here; the JAX backend (jax_backend.py) reuses ``heun_step``,
``record`` and ``finish``, and run.py chooses between them.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from takeoff.model.blocks import numerics, supply
from takeoff.model.engine.advance import advance, exogenous_step
from takeoff.model.engine.exact_crossings import refine
from takeoff.model.engine.fine import StepSeries, check_series, milestone_inputs
from takeoff.model.engine.milestones import Milestone, default_milestones
from takeoff.model.engine.outputs import POINTWISE, derive, fine_inputs, pointwise
from takeoff.model.engine.setup import Settings, prepare
from takeoff.model.engine.state import RECORDED_STOCKS, Constants, State
from takeoff.model.engine.step import capacity_terms, observe, state_terms

#: Rates averaged between the two stages of a Heun step.
HEUN_RATES = (
    "_growth",  # software_growth and hardware_growth as one (2, n) array
    "capital_investment",
    "ai_capex",
    "ai_output_share",
    "_log_coverage",
    "hardware_cost_factor",  # the all-in price of the compute bought during the step
)


def heun_step(t: float, state: State, obs: dict[str, np.ndarray], constants: Constants) -> State:
    """Second-order (Heun) step: Euler predictor, then the average of both stages' rates.

    Milestones must not hinge on dt; first-order Euler moved them by ~0.2 yr between
    dt = 0.1 and 0.025 in fast software-explosion runs.
    """
    return heun_stages(t, state, obs, constants)[0]


def heun_stages(
    t: float, state: State, obs: dict[str, np.ndarray], constants: Constants
) -> tuple[State, dict[str, np.ndarray]]:
    """``heun_step``'s state at t + dt, and ``step.state_terms`` there for the next observe.

    Besides the averaged rates (``HEUN_RATES``), the corrector moves the supply
    capacities toward a target that moves from the one observed at t to the one
    observed at the predicted state (``supply.capacity_step_moving``). Both states share
    every stock ``state_terms`` reads except the capacities, so only the capacity terms
    (markups, cost factor, feasible steps) are computed afresh for the new state.
    """
    # The averaged rates below carry obs's limits and efficiency: ``shared`` holds for both.
    c = constants
    shared = exogenous_step(t, state, c, obs)
    predicted = advance(t, state, obs, c, shared)
    terms = state_terms(t + c.dt, predicted, c)
    ahead = observe(t + c.dt, predicted, c, report=False, terms=terms)
    averaged = dict(obs)
    for name in HEUN_RATES:
        averaged[name] = numerics.HALF * (obs[name] + ahead[name])
    averaged["_log_supply_capacity_next"] = supply.capacity_step_moving(
        state.log_supply_capacity,
        obs["_log_supply_targets"],
        ahead["_log_supply_targets"],
        c.supply_target_weights,
        obs["_feasible_steps"],
        xp=c.xp,
    )
    # The corrector overwrites the predictor's crossing-log entries (adoption.py).
    corrected = advance(t, state, averaged, c, shared, last=True)
    return corrected, terms | capacity_terms(t + c.dt, corrected, c)


class Run(NamedTuple):
    """What ``integrate`` returns."""

    years: np.ndarray  # the output grid
    series: dict[str, np.ndarray]  # (len(years), n) per variable
    capped: np.ndarray  # per sample: GWP reached GWP_CAP
    step_years: np.ndarray  # the step grid
    milestones: dict[str, np.ndarray]  # year each milestone is reached, per sample (NaN: not)
    bad: list[str]  # series milestones read that were not finite at some step


def integrate_numpy(
    p: dict[str, np.ndarray],
    settings: Settings,
    on_step: Callable[[int, int], None] | None = None,
    milestones: dict[str, Milestone] | None = None,
) -> Run:
    """As ``run.integrate``, on the NumPy backend: one Heun step at a time."""
    milestones = default_milestones() if milestones is None else milestones
    constants, state = prepare(p, settings)
    n_steps, every = settings.n_steps, settings.record_every
    years = settings.start_year + settings.dt * np.arange(n_steps + 1)
    # Python floats: NumPy scalars make every scalar operation in a step slower.
    times = years.tolist()
    # One (series, rows, n) block for the output grid, each point written with one
    # assignment: a write per series was a good share of a one-sample step. With a coarser
    # grid the series milestones read at every step go to ``steps`` (fine.py), a block of
    # steps at a time.
    names: tuple[str, ...] = ()
    report = True  # whether steps off the output grid need observe's reported quantities
    terms = None  # step.state_terms of the current state, from the step that made it
    steps = None
    # Edge cases the blocks select away warn nothing, at the cost of one errstate per run.
    with numerics.silenced():
        for k in range(n_steps + 1):
            recorded_here = k % every == 0
            obs = observe(times[k], state, constants, report=recorded_here or report, terms=terms)
            if k == 0:
                names = tuple(record(state, obs))
                check_series(milestones, names)
                observed = names[len(RECORDED_STOCKS) :]
                n = state.compute.shape[0]
                block = np.empty((len(names), n_steps // every + 1, n))
                kept = fine_inputs(milestone_inputs(milestones), names) if every > 1 else ()
                kept_at = [names.index(name) for name in kept]
                if kept:
                    steps = StepSeries(kept, milestones, constants, years, every, n, settings.dt)
                    # Between output points only the series kept at every step are
                    # written: when observe's brief form holds them all, it need not
                    # report the others.
                    brief = observe(times[k], state, constants, report=False)
                    report = not set(kept) <= set(RECORDED_STOCKS) | set(brief)
            if recorded_here:
                values = [*_stocks(state), *map(obs.__getitem__, observed)]
                block[:, k // every] = values
                if kept:
                    steps.write(k, [values[i] for i in kept_at])
            elif kept:
                point = dict(zip(RECORDED_STOCKS, _stocks(state), strict=True)) | obs
                steps.write(k, [point[name] for name in kept])
            if k < n_steps:
                state, terms = heun_stages(times[k], state, obs, constants)
                # The terms are at t + dt, which need not round to the grid's next time.
                if times[k + 1] != times[k] + constants.dt:
                    terms = None
            if on_step is not None:
                on_step(k, n_steps)
    recorded = dict(zip(names, block, strict=True))
    if steps is not None:
        steps.close()
    return finish(years, every, recorded, recorded, constants, milestones, steps, state.adoption)


#: The recorded stocks of a state, in ``RECORDED_STOCKS`` order.
_stocks = attrgetter(*RECORDED_STOCKS)


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
    milestones: dict[str, Milestone],
    steps: StepSeries | None = None,
    adoption=None,
) -> Run:
    """Recorded series -> a :class:`Run`.

    ``recorded`` holds every recorded series on the output grid (every ``every``-th
    step). ``steps`` has consumed the series milestones read at every step where the loop
    fed it; otherwise ``fine`` holds them for the whole run (``recorded`` itself when
    ``every`` is 1) and they are consumed here. ``adoption`` is the final adoption
    state: with it, conditions on the adoption shares are met at their exact times
    (exact_crossings.py) rather than interpolated ones.
    """
    years = step_years[::every]
    early = {}
    if steps is None:
        n = next(iter(recorded.values())).shape[1]
        check_series(milestones, recorded)
        steps = StepSeries(
            tuple(fine), milestones, constants, step_years, every, n, float(constants.dt)
        )
        if every == 1:  # derived milestone series are reported anyway: derive them once
            wanted = [name for name in steps.wanted if name in POINTWISE]
            early = pointwise(recorded, constants, wanted)
        steps.consume_all(fine, early)
    if adoption is not None:
        refine(steps.crossings, constants.tasks, adoption, step_years, constants.start_year)
    series = derive(years, recorded, {"gwp_growth": steps.grid_growth}, constants, early)
    del series["years"]
    return Run(
        years,
        series,
        steps.capped,
        step_years,
        steps.crossings.milestone_years(milestones),
        steps.bad,
    )
