"""Calibration of model parameters against the bundled trend data.

The METR time-horizon mapping needs the number of horizon doublings bought by one order
of magnitude (OOM) of effective training compute. Over the METR sample the horizon
doubled every T_d days while effective compute grew by g_phys x g_alg per year, so

    doublings per OOM = (365.25 / T_d) / log10(g_phys g_alg)

with T_d from METR's frontier models (``takeoff.classics.metr``), g_phys from the Epoch
frontier training runs (``takeoff.classics.compute_trend``) and g_alg = e^{algorithmic
progress rate} from the registry (Epoch's ~3x/yr).
"""

from __future__ import annotations

import math

from takeoff.params.schema import registry


def horizon_doublings_per_oom() -> dict[str, float]:
    """Doublings of the METR 50% horizon per OOM of effective compute, with its inputs."""
    from takeoff.classics import compute_trend, metr

    doubling_days = metr.fit_doubling_time(metr.load_metr("1.1"))["doubling_days"]
    physical = compute_trend.fit_growth(compute_trend.frontier_runs())["growth_per_year"]
    algorithmic = math.exp(registry()["algorithmic_progress_2026"].default)
    oom_per_year = math.log10(physical * algorithmic)
    doublings_per_year = 365.25 / doubling_days
    return {
        "doubling_days": doubling_days,
        "physical_growth_per_year": physical,
        "algorithmic_growth_per_year": algorithmic,
        "effective_oom_per_year": oom_per_year,
        "doublings_per_year": doublings_per_year,
        "doublings_per_oom": doublings_per_year / oom_per_year,
    }
