"""Block 1b — the compute supply chain: chips, power and data centres.

Equations (docs/model.md, section "Compute supply chain"). Three capacities are stocks
that suppliers build ahead of demand, with a lead time and a fastest feasible growth:

* chips      F  [FLOP/s per yr at 2026 technology]  flow limit:  u <= F h / h_2026
* power      G  [W]                                  stock limit: P(t+dt) <= G
* data centres D [W]                                 stock limit: P(t+dt) <= D

u is the compute added per year and P the installed fleet's power draw (compute.py).
Each capacity X moves toward the level its suppliers plan for,

    X* = (1 + m) N_X(u*, g_plan, L_X),     d ln X/dt = min((ln X* - ln X)^+ / L_X, g_X)

with u* the additions the labs want, g_plan the demand growth suppliers plan for,
m the spare capacity they keep, L_X the lead time and g_X the fastest feasible growth.
N_X is what the plan needs one lead time ahead: chips u* e^{g L}; power and data
centres P + (u*/e)(e^{g L} - 1)/g, the draw after L years of additions growing at g.
While demand grows no faster than planned and no faster than g_X, capacity keeps up;
when it does not, the scarce capacity binds and its scarcity rent is reported as a
price (a shadow price), never as spending that disappears.

Prices rise along supply curves against physical references: the cost of chips and
of power scale with m_j = (1 + (X_j / R_j)^eta_j) / (1 + (X_j0 / R_j0)^eta_j), with
R_power the world's electricity generation and R_chips the world's leading-edge fab
output (both growing at their own trend). The all-in cost of compute is then
1/h_eff = (1/h)(s_C m_C + s_P m_P + 1 - s_C - s_P), s_C and s_P the 2026 cost shares.
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks.numerics import HALF, ONE, ZERO

#: Order of the capacity limits in :func:`addition_limits` and ``binding_supply``.
LIMITS = ("chips", "power", "datacentres", "power_ceiling")


def planned_growth_factor(growth: np.ndarray, lead_time: np.ndarray, *, xp=np):
    """(e^{g L} - 1)/g: years of current additions a plan growing at g adds over L."""
    safe = xp.where(xp.abs(growth) > 1e-9, growth, 1.0)
    return xp.where(xp.abs(growth) > 1e-9, xp.expm1(growth * lead_time) / safe, lead_time)


def capacity_targets(desired_additions, power, energy_efficiency, hardware, c, *, xp=np):
    """(3, n) log targets ln X* of chips, power and data centres.

    Chips: ln((1 + m) u* e^{g L_C} h_2026 / h); power and data centres:
    ln((1 + m)(P + (u*/e)(e^{g L} - 1)/g)).
    """
    desired_power = desired_additions / energy_efficiency
    log_spare = c.log_supply_spare
    chips = (
        log_spare
        + xp.log(desired_additions)
        + c.chip_plan_growth
        + c.log_hardware_2026
        - xp.log(hardware)
    )
    stock_need = power + desired_power * c.stock_plan_years  # (2, n): power, data centres
    return xp.concatenate([chips[None], log_spare + xp.log(stock_need)])


def capacity_step(log_capacity, log_target, keep_gap, max_step, *, close_gap=None, xp=np):
    """ln X(t+dt) = ln X + min((ln X* - ln X)^+ (1 - e^{-dt/L}), g_X dt).

    Exact over a step for a fixed target: the gap closes at rate 1/L; growth never
    exceeds the fastest feasible rate g_X, and capacity is never scrapped here (an
    overbuilt capacity waits for demand). ``close_gap`` is 1 - e^{-dt/L} where the
    caller keeps it (fixed during a run).
    """
    if close_gap is None:
        close_gap = ONE - keep_gap
    gap = xp.maximum(log_target - log_capacity, ZERO)
    return log_capacity + xp.minimum(gap * close_gap, max_step)


def moving_target_weights(keep_gap, lead_time, dt):
    """(w_0, w_1) of :func:`capacity_step_moving`: w_1 = 1 - a L/dt, w_0 = a - w_1."""
    close = ONE - keep_gap
    end = ONE - close * lead_time / dt
    return np.stack([close - end, end])


def capacity_step_moving(log_capacity, log_target, log_target_end, weights, max_step, *, xp=np):
    """ln X(t+dt) = ln X + min((w_0 (ln X*_0 - ln X) + w_1 (ln X*_1 - ln X))^+, g_X dt),
    w_1 = 1 - a L/dt, w_0 = a - w_1, a = 1 - e^{-dt/L} (``weights`` = (w_0, w_1)).

    Exact for d ln X/dt = (ln X*(t) - ln X)/L with the target moving linearly from
    ln X*_0 to ln X*_1 over the step (a (ln X*_0 - ln X) + w_1 (ln X*_1 - ln X*_0),
    written so that a target of -inf, no demand, gives no growth rather than NaN).
    Heun's corrector (``loop.heun_stages``) takes it with the targets its two stages
    observed: holding the target at its start value (:func:`capacity_step`, the
    predictor) lags a growing target by an extra ~dt/2 years, which made the capacities,
    and through their prices everything else, first order in dt.
    """
    gap = weights[0] * (log_target - log_capacity) + weights[1] * (log_target_end - log_capacity)
    return log_capacity + xp.minimum(xp.maximum(gap, ZERO), max_step)


def feasible_steps(log_capacity, t, c, *, xp=np):
    """(3, n) largest ln-growth of each capacity over a step, g_X dt.

    Chips and power cannot grow faster than AI's own build-out allows (g_C, g_G) nor add
    more in a year than their whole industry can build, g_W (R(t) + X), with R(t) the
    world's leading-edge fab output or electricity generation:
    d ln X/dt <= min(g_X, g_W (1 + R(t)/X)). The second limit is loose while AI is a
    small part of the industry and tends to g_W once it is most of it. Data centres
    have no such reference (buildings are not a world-scale constraint).
    """
    log_other = c.log_supply_reference + c.supply_reference_growth * t - log_capacity[:2]
    industry = xp.minimum(c.supply_max_step[:2], c.industry_max_step * (ONE + xp.exp(log_other)))
    return xp.concatenate([industry, c.supply_max_step[2:]])


def markups(log_capacity, t, c, *, xp=np):
    """(chips, power) cost multipliers m = (1 + (X/R(t))^eta) / (1 + (X_0/R_0)^eta).

    R(t) = R_0 e^{g_R t}: world leading-edge fab output and world electricity
    generation, in the capacities' units. log1p/exp keep this finite far past R.
    """
    log_ratio = log_capacity[:2] - c.log_supply_reference - c.supply_reference_growth * t
    return xp.exp(xp.logaddexp(ZERO, c.supply_elasticity * log_ratio) - c.log_markup_norm)


def cost_factor(markup, c):
    """h / h_eff = s_C m_C + s_P m_P + (1 - s_C - s_P): the all-in cost relative to 2026 prices."""
    return (
        c.supply_cost_shares[0] * markup[0]
        + c.supply_cost_shares[1] * markup[1]
        + c.other_cost_share
    )


def addition_limits(
    log_capacity, log_capacity_next, power, energy_efficiency, hardware, c, *, xp=np
):
    """Most compute each capacity lets the fleet add per year (FLOP/s per yr): (n,) for
    chips and (3, n) for the stocks (power, data centres, the hard power ceiling), kept
    apart because the step reads the chip limit and the stocks' minimum separately
    (``LIMITS`` is their order one after the other).

    Chips: F h / h_2026 with F at mid-step (geometric mean of both ends). Power, data
    centres and the hard power ceiling: with additions u over the step,
    P(t+dt) = P keep + (u / e) gain <= X(t+dt), so u <= (X(t+dt) - P keep) e / gain
    (as compute.power_limited_additions). Using the capacity at the end of the step
    keeps the limit from depending on the time step.
    """
    chips = (
        xp.exp(HALF * (log_capacity[0] + log_capacity_next[0])) * hardware * c.inverse_hardware_2026
    )
    stocks = xp.concatenate([xp.exp(log_capacity_next[1:]), c.power_ceiling_w[None]])
    headroom = (
        xp.maximum(stocks - power * c.compute_keep, ZERO) * energy_efficiency / c.compute_gain
    )
    return chips, headroom
