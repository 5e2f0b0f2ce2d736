"""Block 3 — training: the largest training run and effective training compute.

The largest run uses a share of the installed fleet, expressed as fleet-seconds
tau_run(t) (largest run = tau_run Q). In 2026 tau_run is fixed by the initial
conditions (largest run / installed compute). Frontier runs have grown faster than
the fleet (Epoch: 4.4x/yr against ~2.5x/yr), so the share rises toward a ceiling X
(in ln units above 2026) at initial rate g, slowing as it nears it:

    d L / dt = g (1 - L / X(t)),   L = ln(tau_run / tau_2026).

The ceiling follows AI's economic value (labs pay more for a model that earns more)
and never lets one run use more than the whole fleet for a year:

    X(t) = clip(X_0 + k_T a(t), 0, ln(1 yr / tau_2026)),

with a(t) AI's share of output. Over a step X is held and the equation is integrated
exactly, L(t+dt) = X + (L - X) e^{-g dt / X}; with k_T = 0 this is the closed form
L(t) = X_0 (1 - e^{-g (t - t_0) / X_0}) for every dt. Effective training compute is
physical compute times algorithmic efficiency: E = tau_run Q S, in 2026-algorithm FLOP.
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks.numerics import ZERO, quiet

SECONDS_PER_YEAR = 365.25 * 24 * 3600


def run_share_ceiling(
    base_ceiling: np.ndarray,
    value_response: np.ndarray,
    ai_output_share: np.ndarray,
    physical_limit: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """X(t) = clip(X_0 + k_T a(t), 0, ln(1 yr / tau_2026)), all in ln units."""
    # minimum(maximum()) is clip's definition, without its several microseconds of wrapper.
    return xp.minimum(
        xp.maximum(base_ceiling + value_response * ai_output_share, ZERO), physical_limit
    )


def log_run_share_step(
    log_share: np.ndarray, decay: np.ndarray, ceiling: np.ndarray, *, xp=np
) -> np.ndarray:
    """Exact step of dL/dt = g (1 - L/X) with X held: X + (L - X) e^{-g dt / X}.

    ``decay`` is -g dt (fixed during a run). X = 0 (no room above 2026) puts the
    share back at its 2026 value.
    """
    room = ceiling > ZERO
    # A ceiling just above 0 makes the rate overflow to inf: the share is then at it.
    # Where X = 0 the division gives -inf or NaN, which the where below replaces.
    with quiet():
        relaxed = ceiling + (log_share - ceiling) * xp.exp(decay / ceiling)
    return xp.where(room, relaxed, ZERO)
