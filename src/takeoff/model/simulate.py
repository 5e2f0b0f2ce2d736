"""Run the integrated model over time for many samples at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.util import find_spec
from typing import NamedTuple

import numpy as np

from takeoff.errors import ValidationError
from takeoff.model import adoption, capabilities, economy, labour, software, training
from takeoff.model.compute import decay_factors
from takeoff.model.outputs import derive, fine_inputs, series_at_every_step, windowed
from takeoff.model.state import RECORDED_STOCKS, Constants, State
from takeoff.model.step import GWP_CAP, advance, exogenous_step, observe

BACKENDS = ("numpy", "jax")


@dataclass(frozen=True)
class Settings:
    """Numerical settings of a run (not economic parameters)."""

    start_year: float = 2026.0
    end_year: float = 2100.0
    dt: float = 0.1
    n_tasks: int = 100
    n_rnd_tasks: int = 20
    #: "numpy" (default) or "jax" (the optional extra: compiled once per shape, then fast).
    backend: str = "numpy"
    #: Years between points of the output grid (a multiple of dt); None = every step.
    #: Milestones are found on the step grid either way.
    output_step: float | None = None

    def check(self) -> None:
        if not 0.001 <= self.dt <= 1.0:
            raise ValidationError(
                f"simulation.dt: {self.dt} is outside the allowed range [0.001, 1] years"
            )
        if not self.start_year < self.end_year <= 2300:
            raise ValidationError(
                f"simulation.end_year: {self.end_year} must be after start_year {self.start_year} and <= 2300"
            )
        if not 2 <= self.n_tasks <= 2000:
            raise ValidationError(
                f"simulation.n_tasks: {self.n_tasks} is outside the allowed range [2, 2000]"
            )
        if not 1 <= self.n_rnd_tasks <= 2000:
            raise ValidationError(
                f"simulation.n_rnd_tasks: {self.n_rnd_tasks} is outside the allowed range [1, 2000]"
            )
        if self.backend not in BACKENDS:
            raise ValidationError(
                f"simulation.backend: {self.backend!r} is not one of {', '.join(BACKENDS)}"
            )
        if self.output_step is not None:
            every = self.output_step / self.dt
            if not (
                self.dt <= self.output_step <= self.end_year - self.start_year
                and abs(every - round(every)) < 1e-6
                and self.n_steps % round(every) == 0
            ):
                raise ValidationError(
                    f"simulation.output_step: {self.output_step} must be a whole multiple of dt "
                    f"({self.dt}) that divides end_year - start_year "
                    f"({self.end_year - self.start_year:g} years)"
                )
        if self.backend == "jax" and find_spec("jax") is None:
            raise ValidationError(
                "simulation.backend: 'jax' needs the optional extra: pip install 'takeoff[jax]'"
            )

    @property
    def n_steps(self) -> int:
        return int(round((self.end_year - self.start_year) / self.dt))

    @property
    def record_every(self) -> int:
        """Steps between points of the output grid."""
        return 1 if self.output_step is None else int(round(self.output_step / self.dt))


def prepare(
    p: dict[str, np.ndarray], settings: Settings, build_tables=adoption.build_tables
) -> tuple[Constants, State]:
    """Derived constants and the 2026 state; calibrates TFP so that Y(2026) = GWP_2026.

    ``build_tables`` makes the adoption tables: event-driven (adoption.py, default)
    or dense (adoption_dense.py, for the JAX backend).
    """
    settings.check()
    n = p["gwp_2026"].shape[0]
    alpha = p["capital_share"]
    growth, n_growth = p["baseline_gwp_growth"], p["labour_force_growth"]
    # Balanced growth without AI: K/Y constant, so s_K = (K0/Y0)(g_Y + delta_K).
    savings_rate = p["capital_2026"] / p["gwp_2026"] * (growth + p["capital_depreciation"])
    if (savings_rate + p["ai_capex_ceiling_max"] >= 0.95).any() or (savings_rate <= 0).any():
        raise ValidationError(
            "capital_2026/gwp_2026 x (baseline_gwp_growth + capital_depreciation) is the implied "
            f"savings rate ({savings_rate.max():.3g}); it must be in (0, 0.95 - ai_capex_ceiling_max)"
        )
    economy_tasks = capabilities.economy_tasks(p, settings.n_tasks)
    rnd_tasks = capabilities.rnd_tasks(p, settings.n_rnd_tasks)
    run_seconds = p["largest_training_run_2026"] / p["installed_ai_compute_2026"]
    log10_effective = np.log10(p["largest_training_run_2026"])
    task_rho = software.safe_rho(p["task_substitution_rho"])
    rnd_task_rho = software.safe_rho(p["rnd_task_substitution_rho"])
    cost_exponent = np.stack([labour.cost_exponent(task_rho), labour.cost_exponent(rnd_task_rho)])
    easiest_cost = np.stack([economy_tasks.runtime_factor[:, 0], rnd_tasks.runtime_factor[:, 0]])
    tasks = build_tables(
        (economy_tasks.log10_threshold, rnd_tasks.log10_threshold),
        (
            labour.cost_weights(economy_tasks.runtime_factor, cost_exponent[0]),
            labour.cost_weights(rnd_tasks.runtime_factor, cost_exponent[1]),
        ),
        (economy_tasks.is_cognitive, rnd_tasks.is_cognitive),
        p["automation_cap"],
        (p["diffusion_years"], p["rnd_diffusion_years"]),
    )
    # Tasks already within reach in 2026 count as fully adopted long ago.
    start = tasks.start(log10_effective)
    compute_keep, compute_gain = decay_factors(p["compute_depreciation"], settings.dt)
    capital_keep, capital_gain = decay_factors(p["capital_depreciation"], settings.dt)
    economy_share = 1.0 - p["experiment_compute_share"] - p["rnd_inference_share"]

    # TFP so that 2026 output matches GWP_2026 given any tasks already automated.
    share, weighted_cost, _ = tasks.sums(0.0, start)[:, 0]
    ai_per_weight = labour.ai_output_per_weight(
        share,
        weighted_cost,
        easiest_cost[0],
        cost_exponent[0],
        economy_share * p["installed_ai_compute_2026"],
    )
    level = economy.water_level(p["labour_force_2026"], share, ai_per_weight)
    aggregate = economy.task_aggregate(share, ai_per_weight, level, task_rho)
    tfp_2026 = p["gwp_2026"] / (p["capital_2026"] ** alpha * aggregate ** (1 - alpha))

    constants = Constants(
        p=p,
        start_year=settings.start_year,
        dt=settings.dt,
        economy=economy_tasks,
        rnd=rnd_tasks,
        tasks=tasks,
        run_seconds=run_seconds,
        run_share_growth=p["largest_run_share_growth"],
        run_share_ceiling=p["largest_run_share_ceiling_oom"] * np.log(10.0),
        run_share_value_response=p["largest_run_share_value_response"] * np.log(10.0),
        run_share_limit=np.maximum(np.log(training.SECONDS_PER_YEAR / run_seconds), 0.0),
        software_beta=p["research_parallelism"] / p["software_returns"],
        hardware_beta=p["hardware_research_elasticity"] / p["hardware_returns"],
        task_rho=task_rho,
        family_rho=np.stack([task_rho, software.safe_rho(p["rnd_task_substitution_rho"])]),
        research_rho=software.safe_rho(p["research_substitution_rho"]),
        log_software_ceiling=p["software_ceiling_oom"] * np.log(10.0),
        log_hardware_2026=np.log(p["hardware_price_performance_2026"]),
        log_hardware_ceiling=np.log(p["hardware_price_performance_2026"])
        + p["hardware_ceiling_oom"] * np.log(10.0),
        log_energy_2026=np.log(p["energy_efficiency_2026"]),
        log_energy_ceiling=np.log(p["energy_efficiency_2026"])
        + p["energy_efficiency_ceiling_oom"] * np.log(10.0),
        log10_effective_2026=log10_effective,
        capex_2026=p["ai_capex_share_2026"] * p["gwp_2026"],
        economy_share_2026=economy_share,
        experiment_gain=np.where(
            p["experiment_compute_share"] > 0,
            p["experiment_compute_shift"]
            * economy_share
            / np.maximum(p["experiment_compute_share"], 1e-300),
            0.0,
        ),
        easiest_cost=easiest_cost,
        cost_exponent=cost_exponent,
        inverse_researchers_2026=1.0 / p["ai_researchers_2026"],
        inverse_compute_2026=1.0 / p["installed_ai_compute_2026"],
        power_ceiling_w=p["ai_power_ceiling_gw"] * 1e9,
        human_growth=np.exp(settings.dt * np.stack([n_growth, p["human_researcher_growth"]])),
        tfp_growth=np.exp(settings.dt * ((1 - alpha) * (growth - n_growth))),
        energy_step=settings.dt * p["energy_efficiency_growth"],
        savings_gain=savings_rate * capital_gain,
        one_minus_alpha=1.0 - alpha,
        compute_keep=compute_keep,
        compute_gain=compute_gain,
        capital_keep=capital_keep,
        capital_gain=capital_gain,
    )
    state = State(
        log_software=np.zeros(n),
        log_hardware=np.log(p["hardware_price_performance_2026"]),
        log_energy_efficiency=np.log(p["energy_efficiency_2026"]),
        compute=p["installed_ai_compute_2026"].copy(),
        power=p["installed_ai_compute_2026"] / p["energy_efficiency_2026"],
        capital=p["capital_2026"].copy(),
        capex_share=p["ai_capex_share_2026"].copy(),
        log10_max_effective_compute=log10_effective.copy(),
        log_run_share=np.zeros(n),
        humans=np.stack([p["labour_force_2026"], p["ai_researchers_2026"]]),
        tfp=tfp_2026,
        adoption=start,
    )
    return constants, state


#: Rates averaged between the two stages of a Heun step.
HEUN_RATES = ("software_growth", "hardware_growth", "gwp", "ai_capex_desired", "ai_output_share")


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


def integrate(
    p: dict[str, np.ndarray],
    settings: Settings,
    on_step: Callable[[int, int], None] | None = None,
    milestone_series: Iterable[str] = (),
) -> Run:
    """Integrate from start to end year on ``settings.backend``.

    Every series is returned on the output grid (every ``settings.record_every``-th
    step); ``milestone_series`` are also returned at every step, so that milestones do
    not depend on the output grid. With a coarse grid only the recorded series those
    need are kept at every step, which saves most of the memory of a large batch.
    ``on_step(k, n_steps)`` is called after each step (the JAX backend, which runs all
    steps in one compiled call, calls it once at the end).
    """
    milestone_series = tuple(milestone_series)
    if settings.backend == "jax":
        from takeoff.model.jax_backend import integrate as integrate_jax

        return integrate_jax(p, settings, on_step, milestone_series)
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
    out.update(obs)
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
