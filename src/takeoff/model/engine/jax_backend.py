"""JAX backend: the same step, compiled once per shape and scanned over time.

``step.observe``/``advance.advance`` and the block functions they call take their array
namespace from ``Constants.xp``; here it is ``jax.numpy``, adoption uses the dense
tables of adoption_dense.py (no data-dependent shapes), and the whole 2026-2100 loop
is one ``jax.lax.scan`` inside ``jax.jit``. Parameters, dt and the start year are
traced arguments, so a new parameter set reuses the compiled code. The scan runs to a
multiple of ``STEP_BUCKET`` steps and the rows past the end year are dropped (they
come after it, so they change nothing), so end years and time steps share a few
compiled shapes. A new shape (sample count, task counts, step bucket) compiles
again, in about a second; the cache lives as long as the process.

Set-up (``prepare``) and the derived series (outputs.py) stay in NumPy: they run once
per call, not once per step. Everything runs in float64 (``jax.enable_x64`` as a
context, so no global JAX setting is changed) and matches the NumPy backend to
rounding (tests/model/test_jax_backend.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import fields, replace
from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from takeoff.model.blocks import adoption_dense
from takeoff.model.engine.fine import milestone_inputs
from takeoff.model.engine.loop import Run, finish, heun_step, record
from takeoff.model.engine.milestones import Milestone
from takeoff.model.engine.outputs import fine_inputs
from takeoff.model.engine.setup import Settings, prepare
from takeoff.model.engine.state import Constants
from takeoff.model.engine.step import observe

#: Environment variable naming a folder for JAX's persistent compilation cache (opt-in).
CACHE_ENV = "TAKEOFF_JAX_CACHE"


def use_compile_cache(folder: str | Path) -> Path:
    """Keep compiled programs in ``folder`` so that later processes skip compiling.

    A process-wide JAX setting (the compilation cache is JAX's own, one per process),
    so it is opt-in: call this, or set ``TAKEOFF_JAX_CACHE=DIR`` before the JAX backend is
    first used. Every program is cached, however fast it compiled. The first JAX run in a
    new process then takes about a second instead of ~5 (benchmarks/bench_jax_cache.py).
    """
    path = Path(folder).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    return path


if os.environ.get(CACHE_ENV):
    use_compile_cache(os.environ[CACHE_ENV])

#: Fields of Constants that are not arrays: part of the compiled function's identity.
STATIC_FIELDS = ("economy", "rnd", "xp")
#: The scan length is rounded up to a multiple of this many steps.
STEP_BUCKET = 64
#: With a coarser output grid, the number of grid points is rounded up to a multiple of this.
POINT_BUCKET = 8

jax.tree_util.register_dataclass(
    Constants,
    data_fields=[f.name for f in fields(Constants) if f.name not in STATIC_FIELDS],
    meta_fields=list(STATIC_FIELDS),
)
jax.tree_util.register_dataclass(
    adoption_dense.DenseTables,
    data_fields=["thresholds", "rate", "span", "log_cost"],
    meta_fields=["xp"],
)


@jax.jit
def _scan(constants: Constants, state, years) -> tuple:
    """Heun steps over ``years[:-1]``: ({series: (years.size, n)}, the final adoption state)."""

    def body(current, t):
        obs = observe(t, current, constants)
        return heun_step(t, current, obs, constants), record(current, obs)

    final, recorded = jax.lax.scan(body, state, years[:-1])
    last = record(final, observe(years[-1], final, constants))
    joined = jax.tree.map(lambda many, one: jnp.concatenate([many, one[None]]), recorded, last)
    return joined, final.adoption


@partial(jax.jit, static_argnames=("every", "milestone_series"))
def _scan_grid(constants: Constants, state, years, every: int, milestone_series: tuple) -> tuple:
    """As ``_scan`` on an output grid of every ``every``-th step (``years`` has a multiple
    of ``every`` steps): (every recorded series at the grid points, the series milestones
    and windowed quantities need (``outputs.fine_inputs``) at every step).

    An outer scan over grid points records everything there and runs an inner scan over
    the steps between them, which records only the kept series; XLA drops what the inner
    steps compute only for the report. The same steps as ``_scan``, in a fifth to a
    third of its memory. The final adoption state comes third.
    """
    names = tuple(record(state, observe(years[0], state, constants)))
    kept = fine_inputs(milestone_series, names)

    def inner(current, t):
        obs = observe(t, current, constants)
        point = record(current, obs)
        return heun_step(t, current, obs, constants), {name: point[name] for name in kept}

    def outer(current, times):
        obs = observe(times[0], current, constants)
        point = record(current, obs)
        after, between = jax.lax.scan(
            inner, heun_step(times[0], current, obs, constants), times[1:]
        )
        fine = {name: jnp.concatenate([point[name][None], between[name]]) for name in kept}
        return after, (point, fine)

    final, (points, fine) = jax.lax.scan(outer, state, years[:-1].reshape(-1, every))
    last = record(final, observe(years[-1], final, constants))
    points = jax.tree.map(lambda many, one: jnp.concatenate([many, one[None]]), points, last)
    fine = {
        name: jnp.concatenate([values.reshape(-1, *values.shape[2:]), last[name][None]])
        for name, values in fine.items()
    }
    return points, fine, final.adoption


def integrate(
    p: dict[str, np.ndarray],
    settings: Settings,
    on_step: Callable[[int, int], None] | None,
    milestones: dict[str, Milestone],
) -> Run:
    """As ``run.integrate``, on the JAX backend (the scan keeps every step)."""
    constants, state = prepare(p, settings, adoption_dense.build_tables, adoption_dense.start)
    n_steps, every = settings.n_steps, settings.record_every
    if every > 1:
        return _integrate_grid(constants, state, settings, on_step, milestones)
    n_scan = -(-n_steps // STEP_BUCKET) * STEP_BUCKET
    years = settings.start_year + settings.dt * np.arange(n_scan + 1)
    with jax.enable_x64(True):
        # NumPy arguments convert on the way in.
        recorded, final = jax.device_get(_scan(_traced(constants), state, years))
        # One transfer of every series, cut in NumPy: a JAX slice per series cost a
        # dispatch each, a third of a warm run.
        recorded = {name: values[: n_steps + 1] for name, values in recorded.items()}
    if on_step is not None:
        on_step(n_steps, n_steps)
    # Steps past the end (the scan's padding) cross later than any time the milestones read.
    return finish(years[: n_steps + 1], 1, recorded, recorded, constants, milestones, None, final)


def _traced(constants: Constants) -> Constants:
    return replace(
        constants,
        economy=None,  # task grids are only used by the derived series
        rnd=None,
        tasks=replace(constants.tasks, xp=jnp),
        xp=jnp,
    )


def grid_years(settings: Settings) -> tuple[np.ndarray, int]:
    """(step times ``_scan_grid`` runs over, grid points to keep after the first): the
    grid padded to a multiple of ``POINT_BUCKET`` points, so end years share shapes."""
    n_points = settings.n_steps // settings.record_every
    n_outer = -(-n_points // POINT_BUCKET) * POINT_BUCKET
    years = settings.start_year + settings.dt * np.arange(n_outer * settings.record_every + 1)
    return years, n_points


def _integrate_grid(
    constants: Constants,
    state,
    settings: Settings,
    on_step: Callable[[int, int], None] | None,
    milestones: dict[str, Milestone],
) -> Run:
    """``integrate`` with an output grid coarser than the step (``_scan_grid``)."""
    n_steps, every = settings.n_steps, settings.record_every
    years, n_points = grid_years(settings)
    with jax.enable_x64(True):
        points, fine, final = jax.device_get(
            _scan_grid(_traced(constants), state, years, every, milestone_inputs(milestones))
        )
    if on_step is not None:
        on_step(n_steps, n_steps)
    coarse = {name: values[: n_points + 1] for name, values in points.items()}
    fine = {name: values[: n_steps + 1] for name, values in fine.items()}
    return finish(years[: n_steps + 1], every, coarse, fine, constants, milestones, None, final)
