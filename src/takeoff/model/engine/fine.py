"""What milestones and windowed series read at every step, consumed a block of steps at a time.

Milestones are found on the step grid whatever the output grid (milestones.py), and
``gwp_growth`` needs a one-year window of steps around each point (outputs.py). With an
output grid coarser than the step, the loop used to keep the recorded series those read
at every step for the whole run and derive from them at the end: 8 series x 741 steps x
2,500 samples is 118 MB, plus as much again for the derived milestone series, all of it
freshly faulted in for each chunk of a Monte Carlo. :class:`StepSeries` keeps a rolling
block of steps instead (``BLOCK_ELEMENTS`` values a series, plus the window's margin),
and each time the block fills it derives what the milestones need there, moves the
first crossings on (:class:`milestones.FirstCrossings`), keeps ``gwp_growth`` at the
output grid's rows and notes GWP reaching its cap. The numbers are those of the whole
run at once, bit for bit: every quantity is elementwise in time except the growth
window, whose rows are read from the block with the same arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from takeoff.model.engine.milestones import FirstCrossings, Milestone
from takeoff.model.engine.milestones import check_series as milestones_check
from takeoff.model.engine.outputs import (
    ALIASES,
    BLOCK_ELEMENTS,
    DERIVED,
    POINTWISE,
    WINDOWED,
    growth_rows,
    growth_window,
)
from takeoff.model.engine.state import Constants
from takeoff.model.engine.step import GWP_CAP


def milestone_inputs(milestones: dict[str, Milestone]) -> tuple[str, ...]:
    """Series the milestones' conditions read, each once, in order."""
    return tuple(
        dict.fromkeys(
            cond.series for milestone in milestones.values() for cond in milestone.conditions
        )
    )


def check_series(milestones: dict[str, Milestone], recorded: Iterable[str]) -> None:
    """Refuse a condition on a series the run does not have (recorded or derived)."""
    milestones_check(milestones, {*recorded, *DERIVED} - {"years"})


class StepSeries:
    """Series kept at every step, in blocks; see the module doc.

    ``kept`` are the recorded series written at each step (``write``), in that order
    (``outputs.fine_inputs`` of the milestone inputs). ``step_years`` is the step grid
    and ``every`` the output grid's step in steps.
    """

    def __init__(
        self,
        kept: tuple[str, ...],
        milestones: dict[str, Milestone],
        constants: Constants,
        step_years: np.ndarray,
        every: int,
        n_samples: int,
        dt: float,
    ):
        self.kept, self.constants, self.every, self.dt = kept, constants, every, dt
        self.step_years = step_years
        self.n_points = step_years.size
        self.wanted = milestone_inputs(milestones)
        self.crossings = FirstCrossings(
            cond for milestone in milestones.values() for cond in milestone.conditions
        )
        self.capped = np.zeros(n_samples, dtype=bool)
        self.bad: list[str] = []
        self.grid_growth = np.empty(((self.n_points - 1) // every + 1, n_samples))
        self.block_rows = max(1, BLOCK_ELEMENTS // max(n_samples, 1))
        # Rows the growth window reaches beyond a block, on either side.
        self.margin = int(np.ceil(0.5 / dt)) + 2
        self.buffer: np.ndarray | dict | None = None  # allocated by the first ``write``
        self.n_samples = n_samples
        self.base = 0  # the step the buffer's first row holds
        self.done = 0  # steps [0, done) are consumed

    def write(self, k: int, values: list[np.ndarray]) -> None:
        """Step k's values of ``kept`` (steps come in order)."""
        if self.buffer is None:
            rows = min(self.n_points, self.block_rows + 2 * self.margin + 1)
            self.buffer = np.empty((len(self.kept), rows, self.n_samples))
        row = k - self.base
        if row == self.buffer.shape[1]:
            self._shift()
            row = k - self.base
        self.buffer[:, row] = values
        # A step's growth window ends half a year later: consume what is complete.
        if k + 1 - self.done >= self.block_rows + self.margin:
            self._consume(self.done, k + 1 - self.margin)

    def close(self) -> None:
        """Consume the steps left (after the last ``write``)."""
        if self.done < self.n_points:
            self._consume(self.done, self.n_points)

    def consume_all(self, fine: dict[str, np.ndarray], known: dict[str, np.ndarray]) -> None:
        """Everything at once from whole (steps, n) series; ``known`` holds series already
        derived on the step grid, used as they are."""
        self.buffer = fine
        self._consume(0, self.n_points, known)

    def _shift(self) -> None:
        """Drop rows no later block reads (the growth window reaches back ``margin`` rows)."""
        keep_from = max(self.done - self.margin, self.base)
        offset = keep_from - self.base
        self.buffer[:, : self.buffer.shape[1] - offset] = self.buffer[:, offset:]
        self.base = keep_from

    def _rows(self, name: str, start: int, stop: int) -> np.ndarray:
        if isinstance(self.buffer, dict):
            return self.buffer[name][start:stop]
        return self.buffer[self.kept.index(name), start - self.base : stop - self.base]

    def _consume(self, start: int, stop: int, known: dict | None = None) -> None:
        """Steps [start, stop); the growth window reads up to ``margin`` steps either side,
        which ``write`` has written (``margin`` exceeds half a year of steps by 2)."""
        if stop <= start:
            return
        known = known or {}
        block = {name: self._rows(name, start, stop) for name in self.kept}
        low, high = growth_window(start, stop, self.n_points, self.dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_gwp = np.log(self._rows("gwp", low, high))
            growth = growth_rows(log_gwp, low, start, stop, self.n_points, self.dt)
        first = -(-start // self.every) * self.every
        self.grid_growth[first // self.every : (stop - 1) // self.every + 1] = growth[
            first - start :: self.every
        ]
        self.capped |= (block["gwp"] >= GWP_CAP).any(axis=0)
        series = {}
        for name in self.wanted:
            if name in known:
                values = known[name][start:stop]
            elif name in WINDOWED:
                values = growth
            elif name in block:
                values = block[name]
            elif name in ALIASES:
                values = block[ALIASES[name]]
            else:
                values = POINTWISE[name].compute(block, self.constants)
            if name not in known and name not in self.bad and not np.isfinite(values).all():
                self.bad.append(name)
            series[name] = values
        self.crossings.add(self.step_years[start:stop], series)
        self.done = stop
