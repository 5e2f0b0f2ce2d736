"""Run the integrated model over time for many samples at once, on the chosen backend.

The JAX backend is imported only when asked for (jax is an optional extra).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from takeoff.model.engine.loop import Run, integrate_numpy
from takeoff.model.engine.setup import Settings


def integrate(
    p: dict[str, np.ndarray],
    settings: Settings,
    on_step: Callable[[int, int], None] | None = None,
    milestone_series: Iterable[str] = (),
) -> Run:
    """Integrate from start to end year on ``settings.backend``.

    Every series is returned on the output grid (every ``settings.record_every``-th
    step); ``milestone_series`` are also returned at every step, so that milestones do
    not depend on the output grid. With a coarse grid only the recorded series those
    need are kept at every step, which saves most of the memory of a large batch.
    ``on_step(k, n_steps)`` is called after each step (the JAX backend, which runs all
    steps in one compiled call, calls it once at the end).
    """
    milestone_series = tuple(milestone_series)
    if settings.backend == "jax":
        from takeoff.model.engine.jax_backend import integrate as integrate_jax

        return integrate_jax(p, settings, on_step, milestone_series)
    return integrate_numpy(p, settings, on_step, milestone_series)
