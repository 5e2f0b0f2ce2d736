"""Block 7 — economy: output and factor payments from the task allocation.

The task aggregate X of each family comes from the exact human/AI allocation
(allocation.py): X = (H^(1-rho) L^rho + B^(1-rho) c^rho)^(1/rho), with labour's share
of its income s_L. Output is a normalised CES of capital and the task aggregate
(Klump, McAdam & Willman 2007; FTM's goods production, Davidson 2023),

    Y = Y_0 [alpha k^rho_K + (1 - alpha) z^rho_K]^(1/rho_K),
    k = K / K_0,   z = B X / X_0,

with K_0, X_0 and Y_0 = GWP_2026 the start's values and B the labour-augmenting
technology (1 at the start, growing at g_0 - n, so that without AI k = z on the
balanced path and capital keeps the share alpha). rho_K -> 0 is the Cobb-Douglas
Y = A K^alpha X^(1-alpha) of GATE. With rho_K < 0 capital and tasks are complements:
however much AI adds to X, output is at most Y_0 alpha^(1/rho_K) k, so output grows
no faster than capital can be accumulated. Factor payments are marginal products,

    s_K = alpha k^rho_K / (alpha k^rho_K + (1 - alpha) z^rho_K),
    MPK = s_K Y / K,
    w = dY/dL = (1 - s_K) s_L Y / L,
    r_C = dY/dC = (1 - s_K) (1 - s_L) Y / C      ($ per FLOP/s-year of economy compute),

so capital, labour and AI are paid s_K, (1 - s_K) s_L and (1 - s_K)(1 - s_L) of
output, which sum to 1.
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks.software import log_ces_stacked


def output_and_shares(
    output_2026,
    log_capital_ratio,
    log_task_ratio,
    alpha,
    log_alpha,
    log_one_minus_alpha,
    rho,
    *,
    xp=np,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Y, s_K, 1 - s_K) from ln k and ln z: Y = Y_0 [alpha k^rho + (1 - alpha) z^rho]^(1/rho).

    ln(Y / Y_0) is the two-input CES in logs (software.log_ces_pair: neither power can
    overflow, and it keeps its digits near Cobb-Douglas). Each share comes from its own
    term, s_K = alpha (k Y_0 / Y)^rho and 1 - s_K = (1 - alpha)(z Y_0 / Y)^rho, so that
    neither rounds to 0 when the other is ~1; ``rho`` must be off zero (software.safe_rho).
    ``log_alpha`` and ``log_one_minus_alpha`` are log(alpha) and log1p(-alpha).
    """
    alpha, rho, *arrays = xp.broadcast_arrays(
        alpha, rho, log_alpha, log_one_minus_alpha, log_capital_ratio, log_task_ratio
    )
    return stacked_output_and_shares(
        output_2026, xp.stack(arrays[2:]), alpha, xp.stack(arrays[:2]), rho, xp=xp
    )


def stacked_output_and_shares(output_2026, log_ratios, alpha, log_weights, rho, *, xp=np):
    """:func:`output_and_shares` from (ln k, ln z) and (ln alpha, ln(1 - alpha)) stacked as
    (2, ...) arrays: each share's formula is then one set of calls for both (same numbers)."""
    log_output = log_ces_stacked(alpha, log_ratios, rho, log_weights, xp=xp)
    shares = xp.exp(log_weights + rho * (log_ratios - log_output))  # s_K, 1 - s_K
    return output_2026 * xp.exp(log_output), shares[0], shares[1]


def wage(gwp, labour_income_share, labour_force, task_share):
    """w = (1 - s_K) s_L Y / L, $ per worker-year; ``task_share`` is 1 - s_K."""
    return task_share * labour_income_share * gwp / labour_force


def compute_rental(gwp, ai_income_share, economy_compute, task_share, *, xp=np):
    """r_C = (1 - s_K)(1 - s_L) Y / C: $ per FLOP/s-year of the economy's inference compute."""
    return task_share * ai_income_share * gwp / xp.maximum(economy_compute, 1e-300)
