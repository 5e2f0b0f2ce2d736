"""The state of the integrated model at one instant, and the constants of a run."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import NamedTuple

import numpy as np

from takeoff.model.blocks.adoption import Adoption, TaskTables
from takeoff.model.blocks.capabilities import TaskGrid


class State(NamedTuple):
    """Stocks carried from step to step; every array has leading dimension n_samples."""

    log_software: np.ndarray  # ln S, S = algorithmic efficiency relative to 2026
    log_hardware: np.ndarray  # ln h, h = FLOP/s per $ of AI capex
    log_energy_efficiency: np.ndarray  # ln e, e = FLOP/s per W of new hardware
    compute: np.ndarray  # installed AI compute Q, FLOP/s
    power: np.ndarray  # power draw of installed AI compute, W
    capital: np.ndarray  # non-AI capital K, $
    capex_share: np.ndarray  # AI capex as a share of GWP
    log10_max_effective_compute: np.ndarray  # running max of log10 E, E in 2026-algorithm FLOP
    log_run_share: np.ndarray  # ln(tau_run / tau_run(2026)), the largest run's share of the fleet
    log_supply_capacity: (
        np.ndarray
    )  # (3, n): ln of chip, power and data-centre capacity (supply.py)
    humans: np.ndarray  # (2, n): labour force, human AI researchers (both exogenous)
    labour_augmenting_technology: np.ndarray  # B: 1 at the start, growing at g_0 - n (exogenous)
    adoption: Adoption  # (or adoption_dense.DenseAdoption) tasks crossed and adopted per family (economy, AI R&D); see adoption.py

    @property
    def labour_force(self) -> np.ndarray:
        return self.humans[0]

    @property
    def human_researchers(self) -> np.ndarray:
        return self.humans[1]


#: Stocks recorded as series, in this order.
RECORDED_STOCKS = (
    "log_software",
    "log_hardware",
    "log_energy_efficiency",
    "compute",
    "power",
    "capital",
    "capex_share",
    "log10_max_effective_compute",
    "log_run_share",
    "labour_force",
    "human_researchers",
    "labour_augmenting_technology",
)


@dataclass(frozen=True)
class Constants:
    """Everything fixed during a run: parameters, derived coefficients and task tables.

    Arrays are (n,) unless noted; (2, n) arrays hold the economy and the AI R&D
    family one above the other, so both sectors go through the same calls at once.
    Coefficients are combined here once so that each step makes fewer NumPy calls.
    ``xp`` is the array namespace the step computes with (numpy, or jax.numpy in the
    JAX backend) and ``tasks`` the matching adoption tables (adoption.py or
    adoption_dense.py).
    """

    p: dict[str, np.ndarray]
    start_year: float
    dt: float
    economy: TaskGrid
    rnd: TaskGrid
    tasks: TaskTables  # or adoption_dense.DenseTables
    run_seconds: np.ndarray  # 2026 largest run = run_seconds x installed FLOP/s
    run_share_decay: (
        np.ndarray
    )  # -g_T dt, as training.log_run_share_step takes it (g_T: largest_run_share_growth)
    run_share_ceiling: np.ndarray  # X_0 of training.run_share_ceiling (ln units)
    run_share_value_response: np.ndarray  # k_T of training.run_share_ceiling (ln units)
    run_share_limit: np.ndarray  # ln(1 yr / tau_2026): one run never outgrows the fleet-year
    #: (2, n) rows software, hardware of their growth law (step.observe): g_0, lambda,
    #: -beta (exp(-beta ln X) without a negation), ln X_0, ln X_max, ln X_max - ln X_0.
    growth_2026: np.ndarray
    growth_elasticity: np.ndarray
    neg_growth_beta: np.ndarray
    log_growth_start: np.ndarray
    log_growth_ceiling: np.ndarray
    log_growth_span: np.ndarray
    task_rho: np.ndarray
    family_rho: np.ndarray  # (2, n): task CES rho of economy and AI R&D tasks
    family_sigma: np.ndarray  # (2, n): sigma = 1 / (1 - rho), as frontier.equilibrium takes it
    family_power: np.ndarray  # (2, n): 1 - rho, as allocation.income_terms takes it
    research_rho: np.ndarray
    #: (2, n): ln w, ln(1 - w) of the research CES's labour weight (software.ces_stacked).
    log_research_weights: np.ndarray
    log_hardware_2026: np.ndarray
    log_hardware_ceiling: np.ndarray
    log_energy_2026: np.ndarray
    log_energy_ceiling: np.ndarray
    log10_effective_2026: np.ndarray
    capex_2026: np.ndarray
    economy_share_2026: np.ndarray  # 1 - c_x0 - c_r0, the compute the shifts move (investment.py)
    #: (2, n): c_r0, c_x0 and k_r, k_x: R&D inference and experiment shares and their shifts.
    compute_shares_2026: np.ndarray
    compute_shifts: np.ndarray
    experiment_gain: np.ndarray  # k_x (1 - c_x0 - c_r0) / c_x0: c_x(t) / c_x0 = 1 + this A_R
    easiest_cost: np.ndarray  # (2, n): F_0, runtime FLOP/s per worker on the easiest task
    cost_exponent: np.ndarray  # (2, n): q = -rho/(1-rho) of the power-mean runtime cost
    inverse_researchers_2026: np.ndarray
    inverse_compute_2026: np.ndarray
    power_ceiling_w: np.ndarray
    # The supply chain (supply.py); (3, n) rows: chips, power, data centres; (2, n): chips, power.
    chip_plan_growth: np.ndarray  # g_plan L_C: ln of the growth planned over a chip lead time
    stock_plan_years: np.ndarray  # (2, n): (e^{g L} - 1)/g for power and data centres
    log_supply_spare: np.ndarray  # ln(1 + m)
    supply_keep_gap: np.ndarray  # (3, n): e^{-dt/L}
    supply_close_gap: np.ndarray  # (3, n): 1 - e^{-dt/L}, the share of a gap closed per step
    supply_target_weights: np.ndarray  # (2, 3, n): w_0, w_1 of supply.capacity_step_moving
    supply_max_step: np.ndarray  # (3, n): g_X dt
    industry_max_step: np.ndarray  # (2, n): g_W dt of the leading-edge fab and power industries
    log_supply_reference: np.ndarray  # (2, n): ln R_0 of chips and power
    supply_reference_growth: np.ndarray  # (2, n): g_R
    supply_elasticity: np.ndarray  # (2, n): eta
    log_markup_norm: np.ndarray  # (2, n): ln(1 + (X_0/R_0)^eta)
    supply_cost_shares: np.ndarray  # (2, n): s_C, s_P
    other_cost_share: np.ndarray  # 1 - s_C - s_P
    inverse_hardware_2026: np.ndarray  # 1 / h_2026
    human_growth: np.ndarray  # (2, n): per-step factors for labour force and researchers
    labour_technology_growth: np.ndarray  # per-step factor of B: e^{(g_0 - n) dt}
    energy_keep: np.ndarray  # e^{-g_e dt / (ln e_max - ln e_0)}: the exact step's gap factor
    mpk_2026: np.ndarray  # alpha Y_2026 / K_2026: the return capital is in balance at
    capital_rate_2026: np.ndarray  # delta_K + g_0: I_K / K on the balanced path
    capital_adjustment: np.ndarray  # kappa_K
    compute_rate_2026: np.ndarray  # delta_Q + g_0: I_R / V when AI earns its user cost
    compute_adjustment: np.ndarray  # kappa_C
    log_compute_user_cost: np.ndarray  # ln(r* + delta_Q + g_h0), r* = MPK_2026 - delta_K
    compute_user_cost: np.ndarray  # exp(log_compute_user_cost)
    inverse_compute_user_cost: np.ndarray  # exp(-log_compute_user_cost)
    # Output (economy.py): Y = Y_0 [alpha k^rho_K + (1 - alpha) z^rho_K]^(1/rho_K).
    output_2026: np.ndarray  # Y_0 = GWP_2026
    log_capital_2026: np.ndarray  # ln K_0
    log_aggregate_2026: np.ndarray  # ln X_0, the economy's task aggregate at the start
    log_output_weights: (
        np.ndarray
    )  # (2, n): ln alpha, ln(1 - alpha) (economy.stacked_output_and_shares)
    capital_rho: np.ndarray  # rho_K, off zero (software.safe_rho)
    capex_decay: np.ndarray  # e^{-g dt} of the labs' plan (investment.logistic_update)
    log_plan_coverage: np.ndarray  # ln v_0: AI income / fleet user cost at the start
    compute_keep: np.ndarray
    compute_gain: np.ndarray
    capital_keep: np.ndarray
    capital_gain: np.ndarray
    #: 0-d dt and dt / 2: a Python float costs each NumPy call it is passed a conversion.
    step: np.ndarray
    half_step: np.ndarray
    xp: ModuleType = np
