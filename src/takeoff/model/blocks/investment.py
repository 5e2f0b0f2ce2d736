"""Block 8 — investment rules: AI capex share of GWP grows toward a ceiling.

ds/dt = g_s s (1 - s / s_max(t)),  s_max(t) = min(s_ceiling + k_v a(t), s_hard)

where a(t) is AI's share of output: spending follows AI's economic value. The logistic
is integrated exactly over a step (closed form with s_max held fixed), so the path
does not depend on the time step beyond that hold.

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
    return ceiling / (1.0 + (ceiling / share - 1.0) * xp.exp(-growth * dt))
