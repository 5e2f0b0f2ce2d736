"""Block 6 — adoption in dense form: every task's ramp evaluated at every step.

The same model as adoption.py: task i, automatable from t_i, is adopted along

    a_i(t) = clip((t - t_i) / tau, 0, cap),

with t_i interpolated within the step where log effective compute passes the task's
threshold T_i,

    t_i = t + dt (T_i - x_old) / (x_new - x_old).

Here the three normalised sums are evaluated directly over all tasks,

    (1/N_w) sum_i w_i a_i(t) = sum_i r_i min(max(t - t_i, 0), tau cap),   r_i = w_i / (tau N_w),

at O(n N) per step instead of adoption.py's O(events). Shapes never depend on the
data, so the step traces under ``jax.jit``: this is the JAX backend's adoption
(engine/jax_backend.py). The event-driven form stays the NumPy default, where a pass over
(n, N) arrays at every step would cost more than the events it replaces.

Arrays are (2, n, M): family (economy, AI R&D), sample, task, with M = max(N_e, N_r)
and the shorter family padded with threshold +inf and weight 0. Times are years
since the start year; ``LONG_AGO`` for tasks automatable at the start (fully
adopted), ``UNCROSSED`` for tasks not crossed yet (their ramp term is 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import NamedTuple

import numpy as np

from takeoff.model.blocks import allocation
from takeoff.model.blocks.adoption import UNCROSSED, task_weights
from takeoff.model.blocks.adoption_start import start_times


class DenseAdoption(NamedTuple):
    """Adoption state: crossing times (2, n, M), years since start."""

    times: np.ndarray


@dataclass(frozen=True)
class DenseTables:
    """Static task data of both families; ``xp`` is the array namespace (numpy or jax.numpy)."""

    thresholds: np.ndarray  # (2, n, M) log10 effective FLOP, +inf padding
    rate: np.ndarray  # (3, 2, n, M): w_i / (tau N_w), 0 for padding
    span: np.ndarray  # (2, n, 1): tau cap, years from crossing to full adoption
    log_cost: np.ndarray  # (2, n, M): ln f_j = ln(F_j / F_0), +inf padding
    xp: ModuleType = np

    def sums(self, t, a: DenseAdoption) -> np.ndarray:
        """(3, 2, n): mean adoption, mean a_i (F_i/F_0)^q, cognitive share at t."""
        xp = self.xp
        ramp = xp.minimum(xp.maximum(t - a.times, 0.0), self.span)
        return (self.rate * ramp).sum(axis=-1)

    def equilibrium(
        self,
        t,
        a: DenseAdoption,
        labour,
        compute,
        rho,
        adopted_share=None,
        log_labour=None,
        sigma=None,
    ) -> allocation.Equilibrium:
        """Exact human/AI allocation of both families (allocation.dense_equilibrium), (2, n).

        ``adopted_share`` is ``sums(t, a)[0]`` where the caller has it (the same sum);
        ``log_labour`` and ``sigma`` (ln L and 1 / (1 - rho), which the event-driven
        tables reuse) are not needed here.
        """
        xp = self.xp
        ramp = xp.minimum(xp.maximum(t - a.times, 0.0), self.span)
        adopted = self.rate[0] * ramp  # alpha_j = a_j / N
        if adopted_share is None:
            adopted_share = adopted.sum(axis=-1)
        return allocation.dense_equilibrium(
            adopted,
            self.rate[1] * ramp,
            self.log_cost,
            allocation.unadopted_weight(adopted_share, xp=xp),
            labour,
            compute,
            rho,
            xp=xp,
        )

    def complete_ramps(self, a: DenseAdoption, t) -> DenseAdoption:
        """Nothing to do: ends of ramps are read off the crossing times in ``sums``."""
        return a

    def advance(self, a: DenseAdoption, x_old, x_new, t, dt, origin, in_place=False):
        """Record the crossings of thresholds reached in (t, t + dt]; t in calendar years.

        The arithmetic is adoption.record_crossings' to the last operation, so both
        forms give the same crossing times.
        """
        xp = self.xp
        per_x = dt / xp.maximum(x_new - x_old, 1e-300)
        crossed = (a.times >= UNCROSSED) & (self.thresholds <= x_new[:, None])
        when = (t + (self.thresholds - x_old[:, None]) * per_x[:, None]) - origin
        return DenseAdoption(xp.where(crossed, when, a.times))


def start(tables: DenseTables, x0: np.ndarray, head=None) -> DenseAdoption:
    """Tasks with threshold <= x0 crossed ``LONG_AGO``, and ``head`` = (count, time) of
    the economy tasks already being adopted (adoption_start.start_times); the others not yet."""
    return DenseAdoption(
        np.stack(
            [
                start_times(tables.thresholds[0], x0, *(head or (None, None))),
                start_times(tables.thresholds[1], x0),
            ]
        )
    )


def _pad(family: np.ndarray, width: int, value: float) -> np.ndarray:
    """(n, N, ...) -> (n, width, ...), filled with ``value``."""
    pad = np.full((family.shape[0], width - family.shape[1], *family.shape[2:]), value)
    return np.concatenate([family, pad], axis=1)


def build_tables(
    thresholds: tuple[np.ndarray, np.ndarray],
    runtime_factor: tuple[np.ndarray, np.ndarray],
    is_cognitive: tuple[np.ndarray, np.ndarray],
    cap: np.ndarray,
    tau: tuple[np.ndarray, np.ndarray],
    log_cost: tuple[np.ndarray, np.ndarray],
) -> DenseTables:
    """Dense tables from the same per-family (n, N_b) arrays as adoption.build_tables."""
    width = max(thresholds[0].shape[1], thresholds[1].shape[1])
    rate = []
    for b in range(2):
        weights, per_weight = task_weights(runtime_factor[b], is_cognitive[b])
        rate.append(_pad(weights * per_weight / tau[b][:, None, None], width, 0.0))
    return DenseTables(
        thresholds=np.stack([_pad(t, width, np.inf) for t in thresholds]),
        rate=np.stack(rate).transpose(3, 0, 1, 2),
        span=(np.stack(tau) * cap)[:, :, None],
        log_cost=np.stack([_pad(c, width, np.inf) for c in log_cost]),
    )
