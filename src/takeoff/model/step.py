"""One time step of the integrated model: the dynamic core only.

``observe`` evaluates what the dynamics need at time t (output, AI labour, research
input, growth rates); ``advance`` moves the stocks to t + dt. Everything else that is
reported (wages, costs, capability shares, the time horizon...) is derived afterwards
from the recorded trajectories in one vectorised pass (outputs.py), which keeps the
loop short. Both functions are pure over arrays of shape (n_samples,) and
(n_samples, n_tasks); economy tasks and AI R&D tasks share one (n, N_e + N_r) array
for crossing times and adoption.
"""

from __future__ import annotations

import numpy as np

from takeoff.model import adoption, compute, economy, investment, labour, software
from takeoff.model.state import Constants, State

#: GWP above this ($/yr) is held there and flagged: the model has left any regime it describes.
GWP_CAP = 1e40
LN10 = np.log(10.0)


def observe(t: float, s: State, c: Constants) -> dict[str, np.ndarray]:
    """Dynamic quantities at time t (equations in docs/model.md)."""
    p = c.p
    n_economy = c.n_economy_tasks
    runtime_discount = np.exp(p["runtime_efficiency_exponent"] * s.log_software)
    adopted_all = adoption.adoption_level(t, s.crossing, c.inverse_ramp, c.p_automation_cap)
    adopted, rnd_adopted = adopted_all[:, :n_economy], adopted_all[:, n_economy:]

    # Economy: AI output per adopted weight, humans water-filled around it.
    adopted_share, weighted_cost = labour.adoption_sums(adopted, c.economy.runtime_factor)
    ai_per_weight = labour.ai_output_per_weight(
        weighted_cost,
        c.economy.runtime_factor[:, 0],
        c.economy_inference_share * s.compute,
        runtime_discount,
    )
    level = economy.water_level(s.labour_force, adopted_share, ai_per_weight)
    aggregate = economy.task_aggregate(adopted_share, ai_per_weight, level, c.task_rho)
    gwp = np.minimum(economy.output(s.tfp, s.capital, aggregate, p["capital_share"]), GWP_CAP)
    labour_share = economy.labour_share(
        s.labour_force, aggregate, level, c.task_rho, p["capital_share"]
    )

    # AI R&D: the same structure over R&D tasks, AI researchers at their serial speed.
    rnd_share, rnd_cost = labour.adoption_sums(rnd_adopted, c.rnd.runtime_factor)
    researchers_per_weight = labour.ai_output_per_weight(
        rnd_cost,
        c.rnd.runtime_factor[:, 0],
        p["rnd_inference_share"] * s.compute,
        runtime_discount * p["ai_research_speed"],
    )
    rnd_level = economy.water_level(s.human_researchers, rnd_share, researchers_per_weight)
    research_labour = economy.task_aggregate(
        rnd_share, researchers_per_weight, rnd_level, c.rnd_task_rho
    )
    research_input = software.ces_pair(
        p["research_labour_weight"],
        research_labour / p["ai_researchers_2026"],
        s.compute / p["installed_ai_compute_2026"],
        c.research_rho,
    )
    software_growth = software.software_growth_rate(
        research_input,
        s.log_software,
        p["algorithmic_progress_2026"],
        p["research_parallelism"],
        c.software_beta,
        compute.ceiling_damping(s.log_software, c.log_software_ceiling, 0.0),
    )
    capex = s.capex_share * gwp
    hardware_growth = compute.hardware_growth_rate(
        capex,
        c.capex_2026,
        s.log_hardware - c.log_hardware_2026,
        p["hardware_growth_2026"],
        p["hardware_research_elasticity"],
        c.hardware_beta,
        compute.ceiling_damping(s.log_hardware, c.log_hardware_ceiling, c.log_hardware_2026),
    )
    return {
        "gwp": gwp,
        "task_aggregate": aggregate,
        "labour_share": labour_share,
        "ai_output_share": np.maximum(c.one_minus_alpha - labour_share, 0.0),
        "ai_workers": adopted_share * ai_per_weight,
        "ai_researchers": rnd_share * researchers_per_weight,
        "research_labour": research_labour,
        "research_input": research_input,
        "software_growth": software_growth,
        "hardware_growth": hardware_growth,
        "ai_capex_desired": capex,
    }


def advance(t: float, s: State, obs: dict[str, np.ndarray], c: Constants) -> State:
    """Stocks at t + dt from the rates observed at t (exact for the linear parts)."""
    p, dt = c.p, c.dt
    energy_efficiency = np.exp(s.log_energy_efficiency)
    added_compute = compute.power_limited_additions(
        obs["ai_capex_desired"] * np.exp(s.log_hardware),
        s.power,
        energy_efficiency,
        c.power_ceiling_w,
        c.compute_keep,
        c.compute_gain,
    )
    # Growth stops at a ceiling; clamping keeps a large step from overshooting it.
    log_software = np.minimum(s.log_software + dt * obs["software_growth"], c.log_software_ceiling)
    energy_damping = compute.ceiling_damping(
        s.log_energy_efficiency, c.log_energy_ceiling, c.log_energy_2026
    )
    new_compute = s.compute * c.compute_keep + added_compute * c.compute_gain
    ceiling = investment.capex_ceiling(
        p["ai_capex_ceiling"],
        p["ai_capex_value_response"],
        obs["ai_output_share"],
        p["ai_capex_ceiling_max"],
    )
    x_old = s.log10_max_effective_compute
    x_new = np.maximum(x_old, np.log10(c.run_seconds * new_compute) + log_software / LN10)
    growth = c.exogenous_growth
    return State(
        log_software=log_software,
        log_hardware=np.minimum(
            s.log_hardware + dt * obs["hardware_growth"], c.log_hardware_ceiling
        ),
        log_energy_efficiency=s.log_energy_efficiency
        + dt * p["energy_efficiency_growth"] * energy_damping,
        compute=new_compute,
        power=s.power * c.compute_keep + added_compute / energy_efficiency * c.compute_gain,
        capital=s.capital * c.capital_keep + c.savings_rate * obs["gwp"] * c.capital_gain,
        capex_share=investment.logistic_step(s.capex_share, p["ai_capex_growth"], ceiling, dt),
        log10_max_effective_compute=x_new,
        labour_force=s.labour_force * growth[0],
        human_researchers=s.human_researchers * growth[1],
        tfp=s.tfp * growth[2],
        crossing=adoption.update_crossing_times(s.crossing, c.log10_threshold, x_old, x_new, t, dt),
    )
