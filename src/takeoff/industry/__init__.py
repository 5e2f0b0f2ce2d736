"""AI revenue and the labs: market structure and the compute-purchase dilemma (docs/labs.md).

>>> from takeoff.industry import LabParams, simulate_labs
>>> result = simulate_labs(LabParams(), buy_growths=(10, 5), years=4, n_samples=2000, seed=0)
>>> [round(s.p_any("bankrupt"), 2) for s in result.strategies]  # doctest: +SKIP
"""

from __future__ import annotations

from takeoff.industry.labs import (
    LabsResult,
    Strategy,
    break_even_demand_growth,
    compute_cost_per_revenue,
    fatal_planned_revenue,
    revenue_per_gw_year,
    shortfall_loss,
    simulate_labs,
    utilisation,
)
from takeoff.industry.market import cournot_equilibrium, lerner_index, price_over_cost
from takeoff.industry.params import LabParams, field_info, make_params

__all__ = [
    "LabParams",
    "LabsResult",
    "Strategy",
    "break_even_demand_growth",
    "compute_cost_per_revenue",
    "cournot_equilibrium",
    "fatal_planned_revenue",
    "field_info",
    "lerner_index",
    "make_params",
    "price_over_cost",
    "revenue_per_gw_year",
    "shortfall_loss",
    "simulate_labs",
    "utilisation",
]
