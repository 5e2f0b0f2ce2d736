"""One time step of the integrated model: the dynamic core only.

``observe`` evaluates what the dynamics need at time t (output, AI labour, research
input, growth rates); ``advance`` (advance.py) moves the stocks to t + dt. Everything else that is
reported (wages, costs, capabilities, the time horizon...) is derived afterwards from
the recorded trajectories in one vectorised pass (outputs.py), which keeps the loop
short. The automation shares are the exception: the adoption sums are linear in t
between crossing events (adoption.py), so they come with each step almost for free.

Arrays are (n_samples,) or (2, n_samples): the economy and the AI R&D sector have the
same structure (adoption, AI output per adopted weight, water-filled humans, task CES)
and go through each of those calls together, economy in row 0. The step is
dominated by per-call overhead for a single run, so coefficients are combined once in
``Constants`` and the parts of a step that do not depend on the observed rates are
computed once per Heun step (``exogenous_step``).
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks import (
    allocation,
    compute,
    economy,
    investment,
    labour,
    software,
    supply,
)
from takeoff.model.blocks.numerics import ONE, ZERO
from takeoff.model.engine.state import Constants, State

#: GWP above this ($/yr) is held there and flagged: the model has left any regime it describes.
GWP_CAP = 1e40
#: 0-d operands of the step (numerics.py).
_GWP_CAP, _BINDS = np.array(GWP_CAP), np.array(1.0 - 1e-9)
_PER_PETA, _PER_GIGA = np.array(1e15), np.array(1e-9)


def compute_shares(rnd_automated: np.ndarray, c: Constants) -> np.ndarray:
    """(2, n): c_r(t), c_x(t), shares of AI compute running AI researchers and experiments.

    Both rows in one set of calls (investment.shifted_share, elementwise the same).
    """
    return investment.shifted_share(
        c.compute_shares_2026, c.economy_share_2026, c.compute_shifts, rnd_automated
    )


def state_terms(t: float, s: State, c: Constants) -> dict[str, np.ndarray]:
    """The parts of ``observe(t, s, c)`` that depend only on t and a few stocks.

    Supply-chain markups m_j and the all-in cost factor h / h_eff, the capacities'
    feasible steps (:func:`capacity_terms`), e = exp(ln e), ln L and ln B read only t and
    the supply capacities, energy efficiency, humans and labour-augmenting technology.
    """
    xp = c.xp
    return {
        **capacity_terms(t, s, c),
        "energy_efficiency": xp.exp(s.log_energy_efficiency),
        "log_labour": xp.log(s.humans),
        "log_technology": xp.log(s.labour_augmenting_technology),
    }


def capacity_terms(t: float, s: State, c: Constants) -> dict[str, np.ndarray]:
    """The terms of :func:`state_terms` that read the supply capacities. Heun's two stages
    share every other stock they read, so the corrected state needs only these afresh
    (``loop.heun_stages``)."""
    xp = c.xp
    markup = supply.markups(s.log_supply_capacity, t - c.start_year, c, xp=xp)
    return {
        "markup": markup,
        "cost_factor": supply.cost_factor(markup, c),
        "feasible_steps": supply.feasible_steps(s.log_supply_capacity, t - c.start_year, c, xp=xp),
    }


def observe(
    t: float, s: State, c: Constants, report: bool = True, terms: dict | None = None
) -> dict[str, np.ndarray]:
    """Dynamic quantities at time t (equations in docs/model.md).

    With ``report`` False the quantities that need work of their own only to be
    reported (wages, rents, shadow prices, capacities...) are left out: Heun's
    predictor never reads them, nor does a step that is not recorded, and they are a
    good share of a step for a single run. ``terms`` is ``state_terms(t, s, c)`` where
    the caller has it already.
    """
    p, xp = c.p, c.xp
    if terms is None:
        terms = state_terms(t, s, c)
    # Mean adoption, mean a_i f_i^q, cognitive share; each (2, n): economy, AI R&D.
    sums = c.tasks.sums(t - c.start_year, s.adoption)
    adopted = sums[0]
    shares = compute_shares(adopted[1], c)
    rnd_share, experiment_share = shares[0], shares[1]
    # Inference compute of each sector; AI researchers run at their serial speed.
    # (xp.array stacks two rows at a fraction of xp.stack's overhead.)
    inference = s.compute * xp.array(
        [ONE - experiment_share - rnd_share, rnd_share * p["ai_research_speed"]]
    )
    equivalents = labour.easiest_task_equivalents(
        inference, s.log_software, p["runtime_efficiency_exponent"], c.easiest_cost, xp=xp
    )
    # Exact allocation of workers (researchers) and AI across both families' task parts.
    rho = c.family_rho
    log_labour = terms["log_labour"]
    balance = c.tasks.equilibrium(
        t - c.start_year,
        s.adoption,
        s.humans,
        equivalents,
        rho,
        adopted_share=adopted,
        log_labour=log_labour,
        sigma=c.family_sigma,
    )
    # ln X and AI's income over labour's, from the two CES terms (no cancellation at
    # either end).
    log_aggregates, ai_to_labour = allocation.income_terms(
        s.humans, equivalents, balance, rho, xp=xp, log_labour=log_labour, power=c.family_power
    )
    labour_income = ONE / (ONE + ai_to_labour)
    ai_income_share = ai_to_labour[0] * labour_income[0]  # 1 - s_L, computed without cancelling
    aggregates = xp.exp(log_aggregates)
    aggregate, research_labour = aggregates[0], aggregates[1]
    gwp, capital_income_share, task_share = economy.stacked_output_and_shares(
        c.output_2026,
        # ln k, ln z (economy.output_and_shares)
        xp.array(
            [
                xp.log(s.capital) - c.log_capital_2026,
                terms["log_technology"] + log_aggregates[0] - c.log_aggregate_2026,
            ]
        ),
        p["capital_share"],
        c.log_output_weights,
        c.capital_rho,
        xp=xp,
    )
    gwp = xp.minimum(gwp, _GWP_CAP)
    research_input = software.ces_stacked(
        p["research_labour_weight"],
        xp.array(
            [
                research_labour * c.inverse_researchers_2026,
                # Experiment compute c_x(t) Q relative to 2026's c_x0 Q_0.
                s.compute * c.inverse_compute_2026 * (ONE + c.experiment_gain * adopted[1]),
            ]
        ),
        c.research_rho,
        c.log_research_weights,
        xp=xp,
    )
    # Where output goes (investment.py): AI capex is the labs' plan or what AI's earnings
    # justify; the supply chain (supply.py) prices it and limits what it can install;
    # capital follows its return within what the saving limit leaves.
    hardware = xp.exp(s.log_hardware)
    markup = terms["markup"]
    effective_hardware = hardware / terms["cost_factor"]
    ai_output_share = task_share * ai_income_share
    ai_income = ai_output_share * gwp
    ai_wanted = xp.maximum(
        s.capex_share * gwp,
        investment.compute_investment_on_returns(
            s.compute / effective_hardware, ai_income, c, xp=xp
        ),
    )
    desired_additions = ai_wanted * effective_hardware
    energy_efficiency = terms["energy_efficiency"]
    log_targets = supply.capacity_targets(
        desired_additions, s.power, energy_efficiency, hardware, c, xp=xp
    )
    log_capacity_next = supply.capacity_step(
        s.log_supply_capacity,
        log_targets,
        c.supply_keep_gap,
        terms["feasible_steps"],
        close_gap=c.supply_close_gap,
        xp=xp,
    )
    chip_limit, stock_limits = supply.addition_limits(
        s.log_supply_capacity, log_capacity_next, s.power, energy_efficiency, hardware, c, xp=xp
    )
    # The stocks' minimum is also what advance reads (exogenous_step); the limits are
    # positive, so taking the minimum in two parts selects the same value.
    stock_limit = stock_limits.min(axis=0)
    ai_installable = (
        xp.minimum(desired_additions, xp.minimum(chip_limit, stock_limit)) / effective_hardware
    )
    capital_investment, ai_capex = investment.within_savings_limit(
        investment.capital_investment(s.capital, capital_income_share * gwp, c, xp=xp),
        ai_installable,
        gwp,
        p["max_investment_share"],
        xp=xp,
    )
    # Software and hardware grow by the same law, g_0 R^lambda exp(-beta ln(X/X_0)) D
    # (software.software_growth_rate, compute.hardware_growth_rate; R is research input
    # or capex relative to 2026): both rows in one set of calls, the same operations
    # on each. ln S_0 = 0, and ln S - 0 is ln S exactly.
    log_levels = xp.array([s.log_software, s.log_hardware])
    growth = software.software_growth_rate(
        xp.array([research_input, ai_capex / c.capex_2026]),
        log_levels - c.log_growth_start,
        c.growth_2026,
        c.growth_elasticity,
        c.neg_growth_beta,
        compute.ceiling_damping(
            log_levels,
            c.log_growth_ceiling,
            c.log_growth_start,
            log_span=c.log_growth_span,
            xp=xp,
        ),
        xp=xp,
    )
    software_growth, hardware_growth = growth[0], growth[1]
    hardware_cost_factor = hardware / effective_hardware
    log_coverage = investment.log_plan_coverage(
        ai_income, effective_hardware, s.compute, c.inverse_compute_user_cost, xp=xp
    )
    if not report:
        return {
            # What a Heun stage averages (loop.HEUN_RATES) and what ``advance`` reads.
            "_growth": growth,  # (2, n): software_growth, hardware_growth
            "software_growth": software_growth,
            "hardware_growth": hardware_growth,
            "capital_investment": capital_investment,
            "ai_capex": ai_capex,
            "ai_output_share": ai_output_share,
            "hardware_cost_factor": hardware_cost_factor,
            "_log_supply_capacity_next": log_capacity_next,
            "_log_supply_targets": log_targets,
            "_feasible_steps": terms["feasible_steps"],
            "_chip_limit": chip_limit,
            "_stock_limit": stock_limit,
            "_hardware": hardware,
            "_energy_efficiency": energy_efficiency,
            "_log_coverage": log_coverage,
            # Recorded quantities at hand (milestones may need them at every step).
            "gwp": gwp,
            "task_aggregate": aggregate,
            "desired_additions": desired_additions,
            "chip_markup": markup[0],
            "power_markup": markup[1],
            "research_labour": research_labour,
            "research_input": research_input,
            "ai_capex_desired": ai_wanted,
            "automated_share": adopted[0],
            "cognitive_automated_share": sums[2, 0],
            "rnd_automated_share": adopted[1],
            "rnd_compute_share": rnd_share,
            "experiment_compute_share": experiment_share,
        }
    rental = economy.compute_rental(gwp, ai_income_share, inference[0], task_share, xp=xp)
    # A binding capacity's price: what a unit of compute would earn, net of its own
    # user cost at today's prices, while the capacity binds.
    scarcity_rent = xp.maximum(rental - c.compute_user_cost / effective_hardware, ZERO) * (
        ai_installable < ai_wanted * _BINDS
    )
    stock_rent = scarcity_rent * energy_efficiency
    capacities = xp.exp(s.log_supply_capacity)  # chips, power, data centres
    binding = xp.concatenate([chip_limit[None], stock_limits]).argmin(axis=0)  # supply.LIMITS
    ai_labour = s.humans * ai_to_labour  # AI income / wage: AI labour in workers' pay
    return {
        "gwp": gwp,
        "task_aggregate": aggregate,
        "labour_share": task_share * labour_income[0],
        "ai_output_share": ai_output_share,
        "capital_income_share": capital_income_share,
        "wage": economy.wage(gwp, labour_income[0], s.labour_force, task_share),
        "compute_rental": rental,
        "return_on_capital": capital_income_share * gwp / s.capital - p["capital_depreciation"],
        "capital_investment": capital_investment,
        "ai_capex": ai_capex,
        "consumption": gwp - capital_investment - ai_capex,
        # $ per PFLOP/s-year of chips; $ per W-year of power (or the hard ceiling) and
        # of data-centre capacity.
        "chip_shadow_price": xp.where(binding == 0, scarcity_rent * _PER_PETA, ZERO),
        "power_shadow_price": xp.where((binding == 1) | (binding == 3), stock_rent, ZERO),
        "datacentre_shadow_price": xp.where(binding == 2, stock_rent, ZERO),
        "binding_supply": xp.where(scarcity_rent > ZERO, binding + ONE, ZERO),
        "desired_additions": desired_additions,
        "_log_supply_capacity_next": log_capacity_next,
        "_log_supply_targets": log_targets,
        "_feasible_steps": terms["feasible_steps"],
        "_chip_limit": chip_limit,
        "_stock_limit": stock_limit,
        "_hardware": hardware,
        "_energy_efficiency": energy_efficiency,
        "_log_coverage": log_coverage,
        "hardware_cost_factor": hardware_cost_factor,
        "chip_markup": markup[0],
        "power_markup": markup[1],
        "chip_capacity": capacities[0] * hardware * c.inverse_hardware_2026,
        "power_capacity_gw": capacities[1] * _PER_GIGA,
        "datacentre_capacity_gw": capacities[2] * _PER_GIGA,
        "ai_workers": ai_labour[0],
        "ai_researchers": ai_labour[1],
        "research_labour": research_labour,
        "research_input": research_input,
        "software_growth": software_growth,
        "hardware_growth": hardware_growth,
        "_growth": growth,
        "ai_capex_desired": ai_wanted,
        "automated_share": adopted[0],
        "cognitive_automated_share": sums[2, 0],
        "rnd_automated_share": adopted[1],
        "rnd_compute_share": rnd_share,
        "experiment_compute_share": experiment_share,
    }
