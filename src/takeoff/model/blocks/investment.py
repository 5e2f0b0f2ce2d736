"""Block 8 — investment: where output goes, Y = C + I_K + I_AI.

Non-AI capital follows its return (``capital_investment``); AI capex is the labs'
build-out plan below or what AI's earnings justify (``compute_investment_on_returns``),
whichever is larger, cut to what compute the power supply can take (engine/step.py); the
two together stay within the saving limit s_max Y (``within_savings_limit``).
Consumption is the rest. Equations in docs/model.md, section 10.

The build-out plan: the AI capex share of GWP grows toward a ceiling,

ds/dt = g_s s (1 - s / s_max(t)),  s_max(t) = min(s_ceiling + k_v a(t), s_hard)

where a(t) is AI's share of output: spending follows AI's economic value. The logistic
is integrated exactly over a step (closed form with s_max held fixed), so the path
does not depend on the time step beyond that hold. The plan is then revised down while
AI's income covers less of its fleet's user cost than at the start (``plan_revision``),

    s <- s exp(-lambda_s max(0, ln(v_0 / v)) dt),  v = I_AI income / (u V),

with v_0 its 2026 value and lambda_s = ``ai_capex_plan_revision`` (1/yr per log point):
labs may build as far ahead of revenue as in 2026, not ever further ahead.

The compute split follows AI R&D automation: as AI researchers become useful, labs
move a share k_r of the economy's inference compute to running them and a share k_x
to experiments (research needs experiment compute as a complement),

    c_r(t) = c_r0 + k_r A_R(t) (1 - c_x0 - c_r0),
    c_x(t) = c_x0 + k_x A_R(t) (1 - c_x0 - c_r0),

with A_R the automated share of AI R&D tasks. The economy's AI workers get the rest,
1 - c_x(t) - c_r(t) = (1 - c_x0 - c_r0)(1 - (k_r + k_x) A_R); k_r + k_x <= 0.95 keeps
it positive, and k_r = k_x = 0 keeps the split fixed. The largest training run's
share of the fleet (training.py) follows AI's share of output.
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks.numerics import ONE, TINY, ZERO


def capex_ceiling(
    base_ceiling: np.ndarray,
    value_response: np.ndarray,
    ai_output_share: np.ndarray,
    hard_ceiling: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """s_max = min(s_ceiling + k_v * AI share of output, s_hard)."""
    return xp.minimum(base_ceiling + value_response * ai_output_share, hard_ceiling)


def shifted_share(
    share_2026: np.ndarray, economy_share_2026: np.ndarray, shift: np.ndarray, rnd_automated
) -> np.ndarray:
    """c(t) = c_0 + k A_R(t) (1 - c_x0 - c_r0): R&D inference (k_r) or experiments (k_x)."""
    return share_2026 + shift * rnd_automated * economy_share_2026


def logistic_step(
    share: np.ndarray, growth: np.ndarray, ceiling: np.ndarray, dt: float, *, xp=np
) -> np.ndarray:
    """Exact logistic update s(t+dt) = s_max / (1 + (s_max/s - 1) e^{-g dt}).

    Also valid when s > s_max (the ceiling fell): s then decays toward s_max.
    """
    return logistic_update(share, ceiling, xp.exp(-growth * dt))


def logistic_update(share: np.ndarray, ceiling: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """:func:`logistic_step` from decay = e^{-g dt}, which the step keeps for the whole run."""
    return ceiling / (ONE + (ceiling / share - ONE) * decay)


def log_plan_coverage(ai_income, effective_hardware, compute, inverse_user_cost, *, xp=np):
    """ln v, v = I_AI / (u V): how much of its fleet's user cost AI's income covers, with the
    fleet's value V = C / h_eff (compute at the all-in price) and u its user cost per $.

    Both logs are floored at TINY so that an economy without AI (no income, no fleet) has
    a finite coverage.
    """
    return xp.log(xp.maximum(ai_income * inverse_user_cost * effective_hardware, TINY)) - xp.log(
        xp.maximum(compute, TINY)
    )


def plan_revision(log_coverage, log_coverage_start, rate, dt, *, xp=np):
    """exp(-lambda max(0, ln(v_0 / v)) dt): the plan's share shrinks while AI's income covers
    less of its fleet's user cost (v = I_AI / (u V)) than at the start (v_0).

    Labs and their investors build ahead of revenue (in 2026 AI earns a small part of its
    fleet's user cost), but not ever further ahead: when the coverage falls below where it
    started, they revise the plan down at rate lambda per log point of the shortfall.
    """
    shortfall = xp.maximum(log_coverage_start - log_coverage, ZERO)
    return xp.exp(-rate * shortfall * dt)


# --- the resource constraint and investment that follows returns ------------------------


def capital_investment(capital, capital_income, c, *, xp=np):
    """I_K = (delta_K + g_0) K + kappa_K (K* - K), K* = s_K Y / MPK_2026, at least 0; $ per year.

    A flexible accelerator (Jorgenson 1963) toward the capital stock whose marginal
    product s_K Y / K* equals the 2026 one, the return the economy was in balance at
    (at today's output and capital income s_K Y, ``capital_income``): without AI,
    K = K* and investment keeps it on its balanced path, (delta_K + g_0) K. kappa_K is
    the share of the gap closed per year (adjustment costs, time to build).
    """
    target = capital_income / c.mpk_2026
    return xp.maximum(
        c.capital_rate_2026 * capital + c.capital_adjustment * (target - capital), ZERO
    )


def compute_investment_on_returns(fleet_value, ai_income, c, *, xp=np):
    """I_R = (delta_Q + g_0) V + kappa_C (V* - V), V* = AI income / u, at least 0; $ per year.

    The same accelerator for the AI fleet, V = Q / h its replacement value: V* is the
    fleet whose gross return AI income / V* equals the user cost of compute
    u = r* + delta_Q + g_h0 (the 2026 net return on capital r* = MPK_2026 - delta_K,
    physical depreciation, and obsolescence at the hardware price trend). While AI
    earns less than the user cost of the fleet it has, this is below replacement.
    """
    target = ai_income * c.inverse_compute_user_cost
    return xp.maximum(
        c.compute_rate_2026 * fleet_value + c.compute_adjustment * (target - fleet_value), ZERO
    )


def within_savings_limit(capital_spending, ai_spending, gwp, max_share, *, xp=np):
    """(I_K, I_AI) with I_K + I_AI <= s_max Y, so consumption >= (1 - s_max) Y.

    AI capex comes first: it is already cut to what the power supply can install and
    earns at least its user cost wherever it exceeds the labs' plan; capital takes
    what the limit leaves.
    """
    limit = max_share * gwp
    ai_spending = xp.minimum(ai_spending, limit)
    return xp.minimum(capital_spending, limit - ai_spending), ai_spending
