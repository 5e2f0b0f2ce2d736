"""Reported quantities derived from recorded trajectories, vectorised over (time, sample).

None of these feed back into the dynamics, so they are computed once after the loop
instead of at every step. Series have shape (T, n_samples). They are computed a few
time rows at a time (``BLOCK_ELEMENTS`` values per block): with 10,000 samples a
whole-series temporary is 60 MB, and many of them cost more in memory traffic and page
faults than the arithmetic itself, while a 16-row block stays in cache. With few
samples the blocks hold many rows, so a single run makes a handful of NumPy calls.

Each pointwise series is one small function of the recorded series it names
(``POINTWISE``), so a subset can be derived from a subset of the record: the output
grid may be coarser than the time step (``Settings.output_step``), and then only the
series that milestones and the windowed quantities need are kept at every step
(``fine_inputs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import numpy as np

from takeoff.model.blocks import capabilities, compute
from takeoff.model.engine.state import Constants

#: Values (rows x samples) per block of the derived-series computation.
BLOCK_ELEMENTS = 160_000

Record = dict[str, np.ndarray]


class Pointwise(NamedTuple):
    """A series that depends on one time point: f(recorded rows, constants)."""

    inputs: tuple[str, ...]
    compute: Callable[[Record, Constants], np.ndarray]


def _automatable(r: Record, c: Constants, shift_oom, frontier=None) -> np.ndarray:
    """Automatable share of a family whose requirement is ``shift_oom`` above cognitive tasks'."""
    p = c.p
    return capabilities.continuous_share(
        r["log10_max_effective_compute"],
        np.log10(p["full_automation_requirement"]) + shift_oom,
        p["flop_gap_oom"],
        frontier,
    )


def _automatable_share(r: Record, c: Constants) -> np.ndarray:
    weight = c.economy.is_cognitive.mean(axis=1)
    cognitive = _automatable(r, c, 0.0, np.log10(c.p["largest_training_run_2026"]))
    return weight * cognitive + (1.0 - weight) * _automatable(r, c, c.p["physical_extra_oom"])


def _largest_run(r: Record, c: Constants) -> np.ndarray:
    return c.run_seconds * np.exp(r["log_run_share"]) * r["compute"]


def _time_horizon(r: Record, c: Constants) -> np.ndarray:
    p = c.p
    doublings = capabilities.horizon_doublings(
        r["log10_max_effective_compute"] - c.log10_effective_2026,
        p["horizon_doublings_per_oom"],
        p["horizon_doubling_difficulty"],
    )
    return p["metr_horizon_2026"] * 2.0**doublings


def _expert_equivalents(r: Record, c: Constants) -> np.ndarray:
    inference = (1.0 - r["experiment_compute_share"]) * r["compute"]
    runtime_discount = np.exp(c.p["runtime_efficiency_exponent"] * r["log_software"])
    return inference * runtime_discount / c.economy.runtime_factor[:, -1]


def _cost_per_gw_year(r: Record, c: Constants) -> np.ndarray:
    p = c.p
    return compute.cost_per_gw_year(
        r["compute"],
        r["power"],
        np.exp(r["log_hardware"]) / r["hardware_cost_factor"],
        p["compute_depreciation"],
        p["cost_of_capital"],
        p["electricity_price"] * r["power_markup"],
    )


#: Pointwise series: name -> (recorded inputs, function); see docs/model.md section 13.
POINTWISE: dict[str, Pointwise] = {
    "gwp_per_worker": Pointwise(("gwp", "labour_force"), lambda r, c: r["gwp"] / r["labour_force"]),
    "ai_revenue": Pointwise(
        ("ai_output_share", "gwp"), lambda r, c: r["ai_output_share"] * r["gwp"]
    ),
    "automatable_share": Pointwise(("log10_max_effective_compute",), _automatable_share),
    "cognitive_automatable_share": Pointwise(
        ("log10_max_effective_compute",),
        lambda r, c: _automatable(r, c, 0.0, np.log10(c.p["largest_training_run_2026"])),
    ),
    "rnd_automatable_share": Pointwise(
        ("log10_max_effective_compute",), lambda r, c: _automatable(r, c, -c.p["rnd_easier_oom"])
    ),
    "software_efficiency": Pointwise(("log_software",), lambda r, c: np.exp(r["log_software"])),
    "hardware_price_performance": Pointwise(
        ("log_hardware",), lambda r, c: np.exp(r["log_hardware"])
    ),
    "energy_efficiency": Pointwise(
        ("log_energy_efficiency",), lambda r, c: np.exp(r["log_energy_efficiency"])
    ),
    "power_gw": Pointwise(("power",), lambda r, c: r["power"] / 1e9),
    "ai_capex_share": Pointwise(("ai_capex", "gwp"), lambda r, c: r["ai_capex"] / r["gwp"]),
    "cost_per_gw_year": Pointwise(
        ("compute", "power", "log_hardware", "hardware_cost_factor", "power_markup"),
        _cost_per_gw_year,
    ),
    "largest_training_run": Pointwise(("log_run_share", "compute"), _largest_run),
    "effective_training_compute": Pointwise(
        ("log_run_share", "compute", "log_software"),
        lambda r, c: _largest_run(r, c) * np.exp(r["log_software"]),
    ),
    "time_horizon_minutes": Pointwise(("log10_max_effective_compute",), _time_horizon),
    "expert_equivalents": Pointwise(
        ("experiment_compute_share", "compute", "log_software"), _expert_equivalents
    ),
}

#: Reporting names of recorded series (the same arrays, not copies).
ALIASES = {"ai_compute": "compute", "ai_capex_share_target": "capex_share"}

#: Series that need neighbouring time steps, and the recorded series they read at every step.
WINDOWED = {
    "gwp_growth": ("gwp",),
}

#: Derived series in the order they are added to the result (after the recorded ones).
DERIVED = (
    "years",
    "gwp_growth",
    "gwp_per_worker",
    "ai_revenue",
    "automatable_share",
    "cognitive_automatable_share",
    "rnd_automatable_share",
    "software_efficiency",
    "hardware_price_performance",
    "energy_efficiency",
    "ai_compute",
    "power_gw",
    "ai_capex_share",
    "ai_capex_share_target",
    "cost_per_gw_year",
    "largest_training_run",
    "effective_training_compute",
    "time_horizon_minutes",
    "expert_equivalents",
)


def fine_inputs(names: Iterable[str], recorded: Iterable[str]) -> tuple[str, ...]:
    """Recorded series needed at every step to compute ``names`` (plus the windowed ones)."""
    recorded = tuple(recorded)
    needed = {name for inputs in WINDOWED.values() for name in inputs}
    for name in names:
        if name in POINTWISE:
            needed.update(POINTWISE[name].inputs)
        elif name in WINDOWED:
            needed.update(WINDOWED[name])
        elif name in ALIASES:
            needed.add(ALIASES[name])
        else:
            needed.add(name)
    return tuple(name for name in recorded if name in needed)


def row_blocks(n_rows: int, n_samples: int) -> Iterator[slice]:
    """Consecutive slices covering range(n_rows), at most ``BLOCK_ELEMENTS`` values each."""
    size = max(1, BLOCK_ELEMENTS // max(n_samples, 1))
    for start in range(0, n_rows, size):
        yield slice(start, min(start + size, n_rows))


def annual_growth(levels: np.ndarray, dt: float) -> np.ndarray:
    """Growth over the one-year window centred on t: exp((ln Y(b) - ln Y(a))/(b - a)) - 1.

    a = max(t - 1/2, t_0), b = min(t + 1/2, t_end), with ln Y interpolated linearly
    between grid points. A one-year window (rather than the instantaneous rate) is
    what "GWP grows by more than 30% in a year" means, and it does not depend on dt:
    a burst of output within a few hundredths of a year is not a year of 30% growth.
    """
    log_levels = np.log(levels)
    n_points = levels.shape[0]
    growth = np.empty_like(levels)
    for rows in row_blocks(n_points, levels.shape[1]):
        growth[rows] = growth_rows(log_levels, 0, rows.start, rows.stop, n_points, dt)
    return growth


def growth_window(start: int, stop: int, n_points: int, dt: float) -> tuple[int, int]:
    """Rows of ln Y that :func:`growth_rows` reads for rows [start, stop) of n_points."""
    half = 0.5 / dt
    low = max(0, min(int(np.floor(max(start - half, 0.0))), n_points - 2))
    high = min(n_points - 1, int(np.floor(min(stop - 1 + half, n_points - 1.0))) + 1)
    return low, high + 1


def growth_rows(
    log_levels: np.ndarray, base: int, start: int, stop: int, n_points: int, dt: float
) -> np.ndarray:
    """:func:`annual_growth` at rows [start, stop) of an n_points grid, from ln Y held from row
    ``base`` on (``log_levels[i]`` is row ``base + i``; it must cover :func:`growth_window`)."""
    steps = np.arange(start, stop)
    half = 0.5 / dt

    def at(position: np.ndarray) -> np.ndarray:
        position = np.clip(position, 0.0, n_points - 1.0)
        low = np.minimum(np.floor(position).astype(int), n_points - 2)
        frac = (position - low)[:, None]
        return log_levels[low - base] * (1.0 - frac) + log_levels[low + 1 - base] * frac

    begin = np.maximum(steps - half, 0.0)
    end = np.minimum(steps + half, n_points - 1.0)
    width = (end - begin) * dt
    return np.expm1((at(end) - at(begin)) / width[:, None])


def pointwise(r: Record, c: Constants, names: Iterable[str]) -> Record:
    """Pointwise series ``names`` of recorded series ``r`` (rows, n), a block of rows at a time."""
    names = tuple(names)
    n_rows, n = next(iter(r.values())).shape
    out = {name: np.empty((n_rows, n)) for name in names}
    for rows in row_blocks(n_rows, n):
        block = {key: series[rows] for key, series in r.items()}
        for name in names:
            out[name][rows] = POINTWISE[name].compute(block, c)
    return out


def derive(
    years: np.ndarray,
    r: Record,
    windowed_rows: Record,
    c: Constants,
    computed: Record | None = None,
) -> Record:
    """Recorded series ``r`` on the output grid ``years`` plus every derived series.

    ``windowed_rows`` are the windowed series, computed on the step grid and taken at
    the output grid's rows; ``computed`` pointwise series already derived on this grid.
    The automation shares are not derived here: they are recorded during the run
    (adoption.py evaluates them in closed form at every step).
    """
    computed = computed or {}
    derived = pointwise(r, c, [name for name in POINTWISE if name not in computed])
    derived.update(computed)
    derived.update(windowed_rows)
    derived.update((alias, r[name]) for alias, name in ALIASES.items())
    derived["years"] = years
    out = dict(r)
    out.update((name, derived[name]) for name in DERIVED)
    return out
