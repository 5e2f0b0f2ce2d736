"""The state of the integrated model at one instant, and the constants of a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from takeoff.model.capabilities import TaskGrid


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
    labour_force: np.ndarray  # workers (exogenous)
    human_researchers: np.ndarray  # human AI researchers (exogenous)
    tfp: np.ndarray  # baseline TFP A (exogenous)
    crossing: np.ndarray  # (n, N_e + N_r) year each economy / AI R&D task became automatable


@dataclass(frozen=True)
class Constants:
    """Everything fixed during a run: parameters, derived coefficients and task grids."""

    p: dict[str, np.ndarray]
    start_year: float
    dt: float
    economy: TaskGrid
    rnd: TaskGrid
    tfp_2026: np.ndarray
    tfp_growth: np.ndarray
    savings_rate: np.ndarray
    run_seconds: np.ndarray  # largest run = run_seconds x installed FLOP/s
    software_beta: np.ndarray
    hardware_beta: np.ndarray
    task_rho: np.ndarray
    rnd_task_rho: np.ndarray
    research_rho: np.ndarray
    log_software_ceiling: np.ndarray
    log_hardware_2026: np.ndarray
    log_hardware_ceiling: np.ndarray
    log_energy_2026: np.ndarray
    log_energy_ceiling: np.ndarray
    log10_effective_2026: np.ndarray
    capex_2026: np.ndarray
    economy_inference_share: np.ndarray
    inverse_diffusion: np.ndarray
    inverse_rnd_diffusion: np.ndarray
    power_ceiling_w: np.ndarray
    log10_threshold: np.ndarray  # (n, N_e + N_r): economy tasks, then AI R&D tasks
    inverse_ramp: np.ndarray  # (n, N_e + N_r): 1/diffusion time of each task's family
    exogenous_growth: np.ndarray  # (3, n): per-step factors for labour, researchers, TFP
    p_automation_cap: np.ndarray  # (n, 1)
    one_minus_alpha: np.ndarray
    n_economy_tasks: int
    cognitive_mask_weight: np.ndarray  # (n, N_e) is_cognitive / number of cognitive tasks
    compute_keep: np.ndarray
    compute_gain: np.ndarray
    capital_keep: np.ndarray
    capital_gain: np.ndarray
