"""Reported quantities derived from recorded trajectories, vectorised over (time, sample).

None of these feed back into the dynamics, so they are computed once after the loop
instead of at every step. Series have shape (T, n_samples). They are computed a few
time rows at a time (``BLOCK_ELEMENTS`` values per block): with 10,000 samples a
whole-series temporary is 60 MB, and many of them cost more in memory traffic and page
faults than the arithmetic itself, while a 16-row block stays in cache. With few
samples the blocks hold many rows, so a single run makes a handful of NumPy calls.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from takeoff.model import capabilities, compute
from takeoff.model.state import Constants

#: Values (rows x samples) per block of the derived-series computation.
BLOCK_ELEMENTS = 160_000

#: Derived series in the order they are added to the result (after the recorded ones).
DERIVED = (
    "years",
    "gwp_growth",
    "gwp_per_worker",
    "wage",
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
    "ai_capex",
)


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
    steps = np.arange(n_points)
    half = 0.5 / dt

    def at(position: np.ndarray) -> np.ndarray:
        position = np.clip(position, 0.0, n_points - 1.0)
        low = np.minimum(np.floor(position).astype(int), n_points - 2)
        frac = (position - low)[:, None]
        return log_levels[low] * (1.0 - frac) + log_levels[low + 1] * frac

    start = np.maximum(steps - half, 0.0)
    end = np.minimum(steps + half, n_points - 1.0)
    width = (end - start) * dt
    growth = np.empty_like(levels)
    for rows in row_blocks(n_points, levels.shape[1]):
        growth[rows] = np.expm1((at(end[rows]) - at(start[rows])) / width[rows, None])
    return growth


def pointwise(r: dict[str, np.ndarray], c: Constants) -> dict[str, np.ndarray]:
    """Series that depend on each time point alone, for recorded rows ``r`` (rows, n)."""
    p = c.p
    log_software = r["log_software"]
    software_efficiency = np.exp(log_software)
    hardware = np.exp(r["log_hardware"])
    log10_full = np.log10(p["full_automation_requirement"])
    x = r["log10_max_effective_compute"]
    cognitive = capabilities.continuous_share(x, log10_full, p["flop_gap_oom"])
    physical = capabilities.continuous_share(
        x, log10_full + p["physical_extra_oom"], p["flop_gap_oom"]
    )
    weight = c.economy.is_cognitive.mean(axis=1)
    doublings = capabilities.horizon_doublings(
        x - c.log10_effective_2026, p["horizon_doublings_per_oom"], p["horizon_doubling_difficulty"]
    )
    runtime_discount = np.exp(p["runtime_efficiency_exponent"] * log_software)
    inference = (1.0 - r["experiment_compute_share"]) * r["compute"]
    largest_run = c.run_seconds * np.exp(r["log_run_share"]) * r["compute"]
    gwp = r["gwp"]
    return {
        "gwp_per_worker": gwp / r["labour_force"],
        "wage": r["labour_share"] * gwp / r["labour_force"],
        "ai_revenue": r["ai_output_share"] * gwp,
        "automatable_share": weight * cognitive + (1.0 - weight) * physical,
        "cognitive_automatable_share": cognitive,
        "rnd_automatable_share": capabilities.continuous_share(
            x, log10_full - p["rnd_easier_oom"], p["flop_gap_oom"]
        ),
        "software_efficiency": software_efficiency,
        "hardware_price_performance": hardware,
        "energy_efficiency": np.exp(r["log_energy_efficiency"]),
        "power_gw": r["power"] / 1e9,
        "cost_per_gw_year": compute.cost_per_gw_year(
            r["compute"],
            r["power"],
            hardware,
            p["compute_depreciation"],
            p["cost_of_capital"],
            p["electricity_price"],
        ),
        "largest_training_run": largest_run,
        "effective_training_compute": largest_run * software_efficiency,
        "time_horizon_minutes": p["metr_horizon_2026"] * 2.0**doublings,
        "expert_equivalents": inference * runtime_discount / c.economy.runtime_factor[:, -1],
    }


def capex_spent(r: dict[str, np.ndarray], c: Constants) -> np.ndarray:
    """Capex actually spent: what bought the compute added between grid points.

    u = (Q(t+dt) - Q(t) keep) / gain is the addition rate, bought at the mid-step
    price-performance sqrt(h(t) h(t+dt)) (as in step.advance). It is below the desired
    capex where power ran out. The last point repeats the one before.
    """
    installed, desired = r["compute"], r["ai_capex_desired"]
    spent = np.empty_like(installed)
    last = installed.shape[0] - 1
    for rows in row_blocks(last, installed.shape[1]):
        nxt = slice(rows.start + 1, rows.stop + 1)
        added = (installed[nxt] - installed[rows] * c.compute_keep) / c.compute_gain
        log_price = 0.5 * (r["log_hardware"][rows] + r["log_hardware"][nxt])
        spent[rows] = added / np.exp(log_price)
    spent[-1] = spent[-2] if last > 0 else desired[-1]
    return spent


def derive(years: np.ndarray, r: dict[str, np.ndarray], c: Constants) -> dict[str, np.ndarray]:
    """Add the derived series to the recorded core ``r`` (returns a new dict).

    The automation shares are not derived here: they are recorded during the run
    (adoption.py evaluates them in closed form at every step).
    """
    derived: dict[str, np.ndarray] = {}
    for rows in row_blocks(years.size, r["gwp"].shape[1]):
        block = pointwise({name: series[rows] for name, series in r.items()}, c)
        for name, values in block.items():
            if name not in derived:
                derived[name] = np.empty((years.size, *values.shape[1:]))
            derived[name][rows] = values
    derived.update(
        years=years,
        gwp_growth=annual_growth(r["gwp"], c.dt),
        ai_compute=r["compute"],
        ai_capex_share_target=r["capex_share"],
        ai_capex=capex_spent(r, c),
    )
    derived["ai_capex_share"] = derived["ai_capex"] / r["gwp"]
    out = dict(r)
    out.update((name, derived[name]) for name in DERIVED)
    return out
