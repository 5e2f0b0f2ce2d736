"""Reported quantities derived from recorded trajectories, vectorised over (time, sample).

None of these feed back into the dynamics, so they are computed once after the loop
instead of at every step. Arrays here have shape (T, n_samples).
"""

from __future__ import annotations

import numpy as np

from takeoff.model import adoption, capabilities, compute
from takeoff.model.state import Constants


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
    width = ((end - start) * dt)[:, None]
    return np.expm1((at(end) - at(start)) / width)


def adoption_shares(
    years: np.ndarray, crossing: np.ndarray, c: Constants, chunk: int = 64
) -> dict[str, np.ndarray]:
    """Realised automation shares over time from the final crossing times.

    A crossing time, once recorded, never changes, so a_i(t) = clip((t - t_i)/tau, 0, cap)
    can be evaluated for all t after the run; time is processed in chunks to bound memory.
    """
    n_economy = c.economy.log10_threshold.shape[1]
    out = {
        name: np.empty((years.size, crossing.shape[0]))
        for name in ("automated_share", "cognitive_automated_share", "rnd_automated_share")
    }
    for start in range(0, years.size, chunk):
        t = years[start : start + chunk, None, None]
        a = adoption.adoption_level(
            t, crossing[None], c.inverse_ramp[None], c.p_automation_cap[None]
        )
        rows = slice(start, start + chunk)
        out["automated_share"][rows] = a[:, :, :n_economy].mean(axis=2)
        out["cognitive_automated_share"][rows] = (
            a[:, :, :n_economy] * c.cognitive_mask_weight
        ).sum(axis=2)
        out["rnd_automated_share"][rows] = a[:, :, n_economy:].mean(axis=2)
    return out


def derive(
    years: np.ndarray, r: dict[str, np.ndarray], c: Constants, crossing: np.ndarray
) -> dict[str, np.ndarray]:
    """Add the derived series to the recorded core ``r`` (returns a new dict)."""
    p = c.p
    out = dict(r)
    out.update(adoption_shares(years, crossing, c))
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
    inference = (1.0 - p["experiment_compute_share"]) * r["compute"]
    largest_run = c.run_seconds * r["compute"]
    gwp = r["gwp"]
    out.update(
        years=years,
        gwp_growth=annual_growth(gwp, c.dt),
        gwp_per_capita=gwp / r["labour_force"],
        wage=r["labour_share"] * gwp / r["labour_force"],
        ai_revenue=r["ai_output_share"] * gwp,
        automatable_share=weight * cognitive + (1.0 - weight) * physical,
        cognitive_automatable_share=cognitive,
        rnd_automatable_share=capabilities.continuous_share(
            x, log10_full - p["rnd_easier_oom"], p["flop_gap_oom"]
        ),
        software_efficiency=software_efficiency,
        hardware_price_performance=hardware,
        energy_efficiency=np.exp(r["log_energy_efficiency"]),
        ai_compute=r["compute"],
        power_gw=r["power"] / 1e9,
        ai_capex_share=r["capex_share"],
        cost_per_gw_year=compute.cost_per_gw_year(
            r["compute"],
            r["power"],
            hardware,
            p["compute_depreciation"],
            p["cost_of_capital"],
            p["electricity_price"],
        ),
        largest_training_run=largest_run,
        effective_training_compute=largest_run * software_efficiency,
        time_horizon_minutes=p["metr_horizon_2026"] * 2.0**doublings,
        expert_equivalents=inference * runtime_discount / c.economy.runtime_factor[:, -1],
    )
    spent = np.empty_like(r["compute"])
    # Capex actually spent: what bought the compute added between grid points.
    added = (r["compute"][1:] - r["compute"][:-1] * c.compute_keep) / c.compute_gain
    spent[:-1] = np.minimum(added / hardware[:-1], r["ai_capex_desired"][:-1])
    spent[-1] = spent[-2] if spent.shape[0] > 1 else r["ai_capex_desired"][-1]
    out["ai_capex"] = spent
    return out
