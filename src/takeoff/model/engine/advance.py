"""The second half of a time step: stocks at t + dt from the rates ``observe`` gave at t.

``exogenous_step`` holds what does not depend on the observed rates (depreciation,
exogenous growth, ends of adoption ramps), computed once for both Heun stages;
``advance`` applies the observed rates, exactly for the linear parts (docs/model.md,
section 2).
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks import compute, investment, training
from takeoff.model.blocks.numerics import HALF
from takeoff.model.engine.state import Constants, State

LN10 = np.array(np.log(10.0))


def exogenous_step(t: float, s: State, c: Constants, obs: dict | None = None) -> dict:
    """The parts of a step from (t, s) that do not depend on observed rates.

    Both Heun stages advance from the same state, so these are computed once per step.
    With ``obs``, the observation at (t, s), the compute the power and data-centre
    capacities let the fleet add at mid-step efficiency is included: it reads only
    observe's limits and efficiency, which Heun's averaged rates carry unchanged.
    """
    log_energy_efficiency = compute.energy_efficiency_step(
        s.log_energy_efficiency, c.log_energy_ceiling, c.energy_keep, xp=c.xp
    )
    # Hardware bought during the step draws power at mid-step efficiency.
    efficiency_mid = c.xp.exp(HALF * (s.log_energy_efficiency + log_energy_efficiency))
    return {
        "adoption": c.tasks.complete_ramps(s.adoption, t + c.dt - c.start_year),
        "log_energy_efficiency": log_energy_efficiency,
        "efficiency_mid": efficiency_mid,
        "humans": s.humans * c.human_growth,
        "labour_augmenting_technology": s.labour_augmenting_technology * c.labour_technology_growth,
        # What is left of the stocks after a step of depreciation.
        "compute": s.compute * c.compute_keep,
        "power": s.power * c.compute_keep,
        "capital": s.capital * c.capital_keep,
        "log_levels": c.xp.array([s.log_software, s.log_hardware]),  # as observe's _growth
        # observe's stock limits at mid-step efficiency (supply.addition_limits; see advance).
        "stock_additions": None
        if obs is None
        else obs["_stock_limit"] * (efficiency_mid / obs["_energy_efficiency"]),
    }


def advance(
    t: float,
    s: State,
    obs: dict[str, np.ndarray],
    c: Constants,
    exogenous: dict | None = None,
    last: bool = False,
) -> State:
    """Stocks at t + dt from the rates observed at t (exact for the linear parts).

    ``exogenous`` is ``exogenous_step(t, s, c, obs)`` when already computed (for an
    ``obs`` with the same limits and efficiency as this one); ``last`` says
    it is not used again, so its adoption state may be updated in place (unless that
    is ``s``'s own: ``complete_ramps`` returns it where no ramp ended). Appends new
    task crossings to the shared log (see adoption.py): of two states advanced from
    the same ``s``, only the later one stays valid.
    """
    p, dt, xp = c.p, c.step, c.xp
    ex = exogenous_step(t, s, c, obs) if exogenous is None else exogenous
    # Hardware bought during the step is priced, and draws power, at mid-step
    # price-performance and efficiency: start-of-step prices made the scheme first order.
    growth = obs["_growth"]  # software, hardware
    hardware_mid = xp.exp(
        xp.minimum(s.log_hardware + c.half_step * growth[1], c.log_hardware_ceiling)
    )
    efficiency_mid = ex["efficiency_mid"]
    # observe's limits at mid-step prices: the chip limit is proportional to
    # price-performance and the stock limits to efficiency (supply.addition_limits), and
    # both stages of a Heun step advance from the state observe saw.
    added_compute = xp.minimum(
        obs["ai_capex"] * hardware_mid / obs["hardware_cost_factor"],
        xp.minimum(
            obs["_chip_limit"] * (hardware_mid / obs["_hardware"]),
            ex["stock_additions"],
        ),
    )
    # Growth stops at a ceiling; clamping keeps a large step from overshooting it.
    log_levels = xp.minimum(ex["log_levels"] + dt * growth, c.log_growth_ceiling)
    log_software = log_levels[0]
    gained = added_compute * c.compute_gain
    new_compute = ex["compute"] + gained
    capex_ceiling = investment.capex_ceiling(
        p["ai_capex_ceiling"],
        p["ai_capex_value_response"],
        obs["ai_output_share"],
        p["ai_capex_ceiling_max"],
        xp=xp,
    )
    x_old = s.log10_max_effective_compute
    run_share_ceiling = training.run_share_ceiling(
        c.run_share_ceiling,
        c.run_share_value_response,
        obs["ai_output_share"],
        c.run_share_limit,
        xp=xp,
    )
    log_share = training.log_run_share_step(
        s.log_run_share, c.run_share_decay, run_share_ceiling, xp=xp
    )
    log_effective = xp.log(c.run_seconds * new_compute) + log_share + log_software
    x_new = xp.maximum(x_old, log_effective / LN10)
    return State(
        log_software=log_software,
        log_hardware=log_levels[1],
        log_energy_efficiency=ex["log_energy_efficiency"],
        compute=new_compute,
        power=ex["power"] + gained / efficiency_mid,
        capital=ex["capital"] + c.capital_gain * obs["capital_investment"],
        capex_share=investment.logistic_update(s.capex_share, capex_ceiling, c.capex_decay)
        * investment.plan_revision(
            obs["_log_coverage"], c.log_plan_coverage, p["ai_capex_plan_revision"], dt, xp=xp
        ),
        log10_max_effective_compute=x_new,
        log_run_share=log_share,
        log_supply_capacity=obs["_log_supply_capacity_next"],
        humans=ex["humans"],
        labour_augmenting_technology=ex["labour_augmenting_technology"],
        adoption=c.tasks.advance(
            ex["adoption"],
            x_old,
            x_new,
            t,
            c.dt,
            c.start_year,
            in_place=last and ex["adoption"] is not s.adoption,
        ),
    )
