"""Run the integrated model over time for many samples at once, on the chosen backend.

The JAX backend is imported only when asked for (jax is an optional extra).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from takeoff.model.engine.loop import Run, integrate_numpy
from takeoff.model.engine.milestones import Milestone, default_milestones
from takeoff.model.engine.setup import Settings


def integrate(
    p: dict[str, np.ndarray],
    settings: Settings,
    on_step: Callable[[int, int], None] | None = None,
    milestones: dict[str, Milestone] | None = None,
) -> Run:
    """Integrate from start to end year on ``settings.backend``.

    Every series is returned on the output grid (every ``settings.record_every``-th
    step); ``milestones`` (default: ``default_milestones()``) are found on the step grid
    whatever the output grid, from the series they read kept at every step a block of
    steps at a time (engine/fine.py). ``on_step(k, n_steps)`` is called after each step
    (the JAX backend, which runs all steps in one compiled call, calls it once at the end).
    """
    milestones = default_milestones() if milestones is None else milestones
    if settings.backend == "jax":
        from takeoff.model.engine.jax_backend import integrate as integrate_jax

        return integrate_jax(p, settings, on_step, milestones)
    return integrate_numpy(p, settings, on_step, milestones)
