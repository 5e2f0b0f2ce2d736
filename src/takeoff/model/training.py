"""Block 3 — training: the largest training run and effective training compute.

The largest run uses a share of the installed fleet, expressed as fleet-seconds
tau_run(t) (largest run = tau_run Q). In 2026 tau_run is fixed by the initial
conditions (largest run / installed compute). Frontier runs have grown faster than
the fleet (Epoch: 4.4x/yr against ~2.5x/yr), so the share rises toward a ceiling X
(in ln units above 2026) at initial rate g, slowing as it nears it:

    d ln tau_run / dt = g (1 - ln(tau_run / tau_2026) / X),
    ln(tau_run(t) / tau_2026) = X (1 - exp(-g (t - t_0) / X)),

exact in closed form (no step error). Effective training compute is physical
compute times algorithmic efficiency: E = tau_run Q S, in 2026-algorithm FLOP.
"""

from __future__ import annotations

import numpy as np


def log_run_share(
    years_since_start, growth: np.ndarray, log_ceiling: np.ndarray, *, xp=np
) -> np.ndarray:
    """ln(tau_run(t) / tau_2026) = X (1 - e^{-g t / X}); X = 0 keeps the 2026 share."""
    safe_ceiling = xp.where(log_ceiling > 0, log_ceiling, 1.0)
    rising = log_ceiling * -xp.expm1(-growth * years_since_start / safe_ceiling)
    return xp.where(log_ceiling > 0, rising, 0.0)
