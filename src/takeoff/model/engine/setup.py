"""Run set-up: the numerical settings of a run and the 2026 state and constants."""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.util import find_spec

import numpy as np

from takeoff.errors import ValidationError
from takeoff.model.blocks import (
    adoption,
    adoption_start,
    capabilities,
    labour,
    software,
    supply,
    training,
)
from takeoff.model.blocks.compute import decay_factors
from takeoff.model.blocks.numerics import ONE
from takeoff.model.engine.state import Constants, State
from takeoff.model.engine.step import observe

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
    p: dict[str, np.ndarray],
    settings: Settings,
    build_tables=adoption.build_tables,
    start_adoption=adoption_start.start,
) -> tuple[Constants, State]:
    """Derived constants and the 2026 state; normalises output so that Y(2026) = GWP_2026.

    ``build_tables`` makes the adoption tables and ``start_adoption(tables, x0, head)``
    their 2026 state: event-driven (adoption.py and adoption_start.py, default) or dense
    (adoption_dense.py, for the JAX backend).
    """
    settings.check()
    n = p["gwp_2026"].shape[0]
    alpha = p["capital_share"]
    growth, n_growth = p["baseline_gwp_growth"], p["labour_force_growth"]
    # Balanced growth without AI: K/Y constant, so s_K = (K0/Y0)(g_Y + delta_K).
    savings_rate = p["capital_2026"] / p["gwp_2026"] * (growth + p["capital_depreciation"])
    limit = p["max_investment_share"] - p["ai_capex_share_2026"]
    if (savings_rate >= limit).any() or (savings_rate <= 0).any():
        raise ValidationError(
            "capital_2026/gwp_2026 x (baseline_gwp_growth + capital_depreciation) is the implied "
            f"savings rate ({savings_rate.max():.3g}); it must be in "
            "(0, max_investment_share - ai_capex_share_2026)"
        )
    if (p["chip_cost_share"] + p["power_cost_share"] >= 1.0).any():
        raise ValidationError(
            "chip_cost_share + power_cost_share must be below 1 (data centres take the rest); "
            f"got {(p['chip_cost_share'] + p['power_cost_share']).max():.3g}"
        )
    mpk_2026 = alpha * p["gwp_2026"] / p["capital_2026"]
    if (mpk_2026 - p["capital_depreciation"] + p["compute_depreciation"] <= 0).any():
        raise ValidationError(
            "capital_share x gwp_2026 / capital_2026 - capital_depreciation + compute_depreciation "
            "(the user cost of compute) must be positive"
        )
    economy_tasks = capabilities.economy_tasks(p, settings.n_tasks)
    rnd_tasks = capabilities.rnd_tasks(p, settings.n_rnd_tasks)
    run_seconds = p["largest_training_run_2026"] / p["installed_ai_compute_2026"]
    log10_effective = np.log10(p["largest_training_run_2026"])
    task_rho = software.safe_rho(p["task_substitution_rho"])
    rnd_task_rho = software.safe_rho(p["rnd_task_substitution_rho"])
    cost_exponent = np.stack([labour.cost_exponent(task_rho), labour.cost_exponent(rnd_task_rho)])
    easiest_cost = np.stack([economy_tasks.runtime_factor[:, 0], rnd_tasks.runtime_factor[:, 0]])
    cap = adoption_start.effective_cap(
        p["automation_cap"],
        p["ai_work_share_2026"],
        p["ai_automatable_share_2026"],
        settings.n_tasks,
    )
    tasks = build_tables(
        (economy_tasks.log10_threshold, rnd_tasks.log10_threshold),
        (
            labour.cost_weights(economy_tasks.runtime_factor, cost_exponent[0]),
            labour.cost_weights(rnd_tasks.runtime_factor, cost_exponent[1]),
        ),
        (economy_tasks.is_cognitive, rnd_tasks.is_cognitive),
        cap,
        (p["diffusion_years"], p["rnd_diffusion_years"]),
        (
            labour.log_relative_cost(economy_tasks.runtime_factor),
            labour.log_relative_cost(rnd_tasks.runtime_factor),
        ),
    )
    # Tasks already within reach in 2026 count as fully adopted long ago.
    start = start_adoption(
        tasks,
        log10_effective,
        adoption_start.head_start(
            p["ai_work_share_2026"],
            p["ai_automatable_share_2026"],
            p["diffusion_years"],
            cap,
            settings.n_tasks,
        ),
    )
    compute_keep, compute_gain = decay_factors(p["compute_depreciation"], settings.dt)
    capital_keep, capital_gain = decay_factors(p["capital_depreciation"], settings.dt)
    economy_share = 1.0 - p["experiment_compute_share"] - p["rnd_inference_share"]
    plan = p["supply_planning_growth"]
    lead_times = np.stack([p["chip_lead_time"], p["power_lead_time"], p["datacentre_lead_time"]])
    # 2026 capacities: built for the 2026 plan with the planned spare (supply.py).
    spare = 1.0 + p["supply_spare_capacity"]
    keep_gap = np.exp(-settings.dt / lead_times)
    power_2026 = p["installed_ai_compute_2026"] / p["energy_efficiency_2026"]
    log_capacity_2026 = np.log(
        np.stack(
            [
                spare
                * p["ai_capex_share_2026"]
                * p["gwp_2026"]
                * p["hardware_price_performance_2026"],
                spare * power_2026,
                spare * power_2026,
            ]
        )
    )
    log_reference = np.stack(
        [
            log_capacity_2026[0] - np.log(p["ai_share_of_leading_edge_2026"]),
            np.log(p["world_power_generation_gw"] * 1e9),
        ]
    )
    elasticity = np.stack([p["chip_supply_elasticity"], p["power_supply_elasticity"]])
    log_user_cost = np.log(
        mpk_2026 - p["capital_depreciation"] + p["compute_depreciation"] + p["hardware_growth_2026"]
    )

    family_rho = np.stack([task_rho, software.safe_rho(p["rnd_task_substitution_rho"])])
    software_beta = p["research_parallelism"] / p["software_returns"]
    hardware_beta = p["hardware_research_elasticity"] / p["hardware_returns"]
    log_software_ceiling = p["software_ceiling_oom"] * np.log(10.0)
    log_hardware_2026 = np.log(p["hardware_price_performance_2026"])
    log_hardware_ceiling = log_hardware_2026 + p["hardware_ceiling_oom"] * np.log(10.0)
    log_energy_2026 = np.log(p["energy_efficiency_2026"])
    log_energy_ceiling = log_energy_2026 + p["energy_efficiency_ceiling_oom"] * np.log(10.0)
    log_growth_start = np.stack([np.zeros(n), log_hardware_2026])
    log_growth_ceiling = np.stack([log_software_ceiling, log_hardware_ceiling])
    constants = Constants(
        p=p,
        start_year=settings.start_year,
        dt=settings.dt,
        economy=economy_tasks,
        rnd=rnd_tasks,
        tasks=tasks,
        run_seconds=run_seconds,
        run_share_decay=-p["largest_run_share_growth"] * settings.dt,
        run_share_ceiling=p["largest_run_share_ceiling_oom"] * np.log(10.0),
        run_share_value_response=p["largest_run_share_value_response"] * np.log(10.0),
        run_share_limit=np.maximum(np.log(training.SECONDS_PER_YEAR / run_seconds), 0.0),
        growth_2026=np.stack([p["algorithmic_progress_2026"], p["hardware_growth_2026"]]),
        growth_elasticity=np.stack([p["research_parallelism"], p["hardware_research_elasticity"]]),
        neg_growth_beta=-np.stack([software_beta, hardware_beta]),
        log_growth_start=log_growth_start,
        log_growth_ceiling=log_growth_ceiling,
        # Software starts at ln S = 0 (ceiling_damping subtracted that 0 too: same values).
        log_growth_span=log_growth_ceiling - log_growth_start,
        task_rho=task_rho,
        family_rho=family_rho,
        family_sigma=ONE / (ONE - family_rho),
        family_power=ONE - family_rho,
        research_rho=software.safe_rho(p["research_substitution_rho"]),
        log_research_weights=np.stack(
            [np.log(p["research_labour_weight"]), np.log1p(-p["research_labour_weight"])]
        ),
        log_hardware_2026=log_hardware_2026,
        log_hardware_ceiling=log_hardware_ceiling,
        log_energy_2026=log_energy_2026,
        log_energy_ceiling=log_energy_ceiling,
        log10_effective_2026=log10_effective,
        capex_2026=p["ai_capex_share_2026"] * p["gwp_2026"],
        economy_share_2026=economy_share,
        compute_shares_2026=np.stack([p["rnd_inference_share"], p["experiment_compute_share"]]),
        compute_shifts=np.stack([p["rnd_compute_shift"], p["experiment_compute_shift"]]),
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
        chip_plan_growth=plan * p["chip_lead_time"],
        stock_plan_years=supply.planned_growth_factor(plan, lead_times[1:]),
        log_supply_spare=np.log(spare),
        supply_keep_gap=keep_gap,
        supply_close_gap=ONE - keep_gap,
        supply_target_weights=supply.moving_target_weights(keep_gap, lead_times, settings.dt),
        supply_max_step=settings.dt
        * np.stack(
            [
                p["chip_capacity_max_growth"],
                p["power_capacity_max_growth"],
                p["datacentre_capacity_max_growth"],
            ]
        ),
        industry_max_step=settings.dt
        * np.stack([p["leading_edge_max_growth"], p["world_power_max_growth"]]),
        log_supply_reference=log_reference,
        supply_reference_growth=np.stack([p["leading_edge_growth"], p["world_power_growth"]]),
        supply_elasticity=elasticity,
        log_markup_norm=np.logaddexp(0.0, elasticity * (log_capacity_2026[:2] - log_reference)),
        supply_cost_shares=np.stack([p["chip_cost_share"], p["power_cost_share"]]),
        other_cost_share=1.0 - p["chip_cost_share"] - p["power_cost_share"],
        inverse_hardware_2026=1.0 / p["hardware_price_performance_2026"],
        human_growth=np.exp(settings.dt * np.stack([n_growth, p["human_researcher_growth"]])),
        labour_technology_growth=np.exp(settings.dt * (growth - n_growth)),
        energy_keep=np.exp(
            -settings.dt * p["energy_efficiency_growth"] / (log_energy_ceiling - log_energy_2026)
        ),
        mpk_2026=mpk_2026,
        capital_rate_2026=p["capital_depreciation"] + growth,
        capital_adjustment=p["capital_adjustment_rate"],
        compute_rate_2026=p["compute_depreciation"] + growth,
        compute_adjustment=p["compute_adjustment_rate"],
        log_compute_user_cost=log_user_cost,
        compute_user_cost=np.exp(log_user_cost),
        inverse_compute_user_cost=np.exp(-log_user_cost),
        output_2026=p["gwp_2026"],
        log_capital_2026=np.log(p["capital_2026"]),
        log_aggregate_2026=np.zeros(n),  # set below from the start's allocation
        log_output_weights=np.stack([np.log(alpha), np.log1p(-alpha)]),
        capital_rho=software.safe_rho(p["capital_task_rho"]),
        capex_decay=np.exp(-p["ai_capex_growth"] * settings.dt),
        log_plan_coverage=np.zeros_like(log_user_cost),  # set below, once output is normalised
        compute_keep=compute_keep,
        compute_gain=compute_gain,
        capital_keep=capital_keep,
        capital_gain=capital_gain,
        step=np.array(settings.dt),
        half_step=np.array(0.5 * settings.dt),
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
        log_supply_capacity=log_capacity_2026,
        humans=np.stack([p["labour_force_2026"], p["ai_researchers_2026"]]),
        labour_augmenting_technology=np.ones(n),
        adoption=start,
    )
    # X_0 is the start's task aggregate given any tasks already automated, so that
    # Y(start) = Y_0 = GWP_2026 and capital is paid alpha.
    aggregate = observe(settings.start_year, state, constants, report=False)["task_aggregate"]
    constants = replace(constants, log_aggregate_2026=np.log(np.asarray(aggregate)))
    # The coverage the labs' plan is revised against (investment.plan_revision).
    first = observe(settings.start_year, state, constants, report=False)
    return replace(constants, log_plan_coverage=np.asarray(first["_log_coverage"])), state
