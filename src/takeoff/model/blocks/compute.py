"""Block 1 — compute supply: AI capex buys hardware, compute depreciates, power follows.

Equations (documented in docs/model.md, section "Compute supply"):

* installed compute:  dQ/dt = I(t) h(t) - delta_Q Q            [FLOP/s]
* power draw:         dP/dt = I(t) h(t) / e(t) - delta_Q P     [W]
* hardware progress:  dln h/dt = g_h0 (I/I0)^lambda_h (h/h0)^(-beta_h) D_h,
  beta_h = lambda_h / r_h and D_h the ceiling damping (see :func:`ceiling_damping`)
* energy efficiency:  dln e/dt = g_e D_e (stepped exactly, :func:`energy_efficiency_step`)
* annualised cost per GW-year = ((delta_Q + i) capital value + electricity) / GW
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks.numerics import ONE, ZERO

SECONDS_PER_YEAR = 365.25 * 24 * 3600.0
HOURS_PER_YEAR = 365.25 * 24.0


def ceiling_damping(
    log_level: np.ndarray,
    log_ceiling: np.ndarray,
    log_start: np.ndarray,
    *,
    log_span: np.ndarray | None = None,
    xp=np,
):
    """Damping factor D = clip((ln X_max - ln X) / (ln X_max - ln X_0), 0, 1).

    Growth slows linearly in log distance to the ceiling, as in GATE; D = 1 at the
    start and 0 at the ceiling, so X approaches X_max without overshooting.
    ``log_span`` is ln X_max - ln X_0 where the caller keeps it (fixed during a run).
    """
    if log_span is None:
        log_span = log_ceiling - log_start
    return xp.minimum(xp.maximum((log_ceiling - log_level) / log_span, ZERO), ONE)


def energy_efficiency_step(log_efficiency, log_ceiling, keep, *, xp=np):
    """Exact step of dln e/dt = g_e D_e with D_e = (ln e_max - ln e)/(ln e_max - ln e_0):

        ln e_max - ln e(t+dt) = (ln e_max - ln e(t)) k,   k = e^{-g_e dt / (ln e_max - ln e_0)}

    (``keep``). The gap to the ceiling closes geometrically, so e approaches e_max
    without overshooting; a level at or above the ceiling stays. An Euler step of the
    same equation was first order in dt.
    """
    return xp.maximum(log_efficiency, log_ceiling - (log_ceiling - log_efficiency) * keep)


def decay_factors(rate: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact one-step factors for dX/dt = u - rate X with u constant over the step.

    X(t+dt) = X(t) e^{-rate dt} + u (1 - e^{-rate dt}) / rate; the second factor tends
    to dt as rate -> 0. Exact integration keeps stocks independent of the time step.
    """
    keep = np.exp(-rate * dt)
    safe_rate = np.where(rate > 1e-12, rate, 1.0)
    gain = np.where(rate > 1e-12, -np.expm1(-rate * dt) / safe_rate, dt)
    return keep, gain


def hardware_growth_rate(
    capex: np.ndarray,
    capex_2026: np.ndarray,
    log_h_rel: np.ndarray,
    growth_2026: np.ndarray,
    research_elasticity: np.ndarray,
    neg_beta: np.ndarray,
    damping: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """dln h/dt = g_h0 (I/I_0)^lambda_h exp(-beta_h ln(h/h_0)) D_h; ``neg_beta`` is -beta_h.

    Semi-endogenous hardware R&D normalised so that the 2026 rate is the observed trend;
    hardware R&D spending is taken to scale with AI capex. lambda_h = 0 gives a trend.
    """
    return (
        growth_2026
        * (capex / capex_2026) ** research_elasticity
        * xp.exp(neg_beta * log_h_rel)
        * damping
    )


def cost_per_gw_year(
    compute: np.ndarray,
    power_w: np.ndarray,
    price_performance: np.ndarray,
    depreciation: np.ndarray,
    cost_of_capital: np.ndarray,
    electricity_price: np.ndarray,
) -> np.ndarray:
    """Annualised cost of one GW of installed AI compute, $ per GW-year.

    Capital is valued at today's replacement cost Q / h; its yearly cost is
    (delta_Q + i) Q / h; electricity adds price x 1e6 kW x hours per year.
    """
    gw = power_w / 1e9
    capital_cost = (depreciation + cost_of_capital) * compute / price_performance
    energy_cost = electricity_price * 1e6 * HOURS_PER_YEAR * gw
    return (capital_cost + energy_cost) / np.maximum(gw, 1e-30)


def power_limited_additions(
    desired: np.ndarray,
    power: np.ndarray,
    energy_efficiency: np.ndarray,
    power_ceiling: np.ndarray,
    keep: np.ndarray,
    gain: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """Compute added per year (FLOP/s per yr), cut so power stays under its ceiling.

    With additions u over the step, P(t+dt) = P keep + (u / e) gain <= P_max, so
    u <= (P_max - P keep) e / gain. Capex the power supply cannot take is not spent: it
    stays in the economy's resource constraint (investment.py).
    """
    headroom = xp.maximum(power_ceiling - power * keep, 0.0) * energy_efficiency / gain
    return xp.minimum(desired, headroom)
