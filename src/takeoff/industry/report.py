"""JSON-able summaries of a :class:`takeoff.industry.labs.LabsResult` (CLI ``--json``,
``takeoff.api.labs(...).to_dict()`` and ``POST /api/labs`` share this shape)."""

from __future__ import annotations

import numpy as np

from takeoff.industry import labs
from takeoff.industry.market import margin_table
from takeoff.serialise import finite_list

#: Quantiles of the yearly bands (p10, median, p90).
QUANTILES = (0.1, 0.5, 0.9)
#: Relative revenue shortfall of Amodei's example ($800B instead of $1T).
SEED_SHORTFALL = 0.2
BANDED = ("compute_gw", "revenue", "compute_cost", "profit", "cash")


def bands(values: np.ndarray) -> dict[str, list]:
    """{"p10": [...], "p50": [...], "p90": [...]} over samples, one value per year."""
    q = np.quantile(values, QUANTILES, axis=0)
    return {
        f"p{round(100 * level)}": finite_list(row) for level, row in zip(QUANTILES, q, strict=True)
    }


def market_dict(p) -> dict:
    return {
        "n_firms": p.n_firms,
        "demand_elasticity": p.demand_elasticity,
        "lerner_index": 1.0 / (p.n_firms * p.demand_elasticity),
        "price_over_cost": p.n_firms * p.demand_elasticity / (p.n_firms * p.demand_elasticity - 1),
        "by_n_firms": margin_table((3, 4, 5), p.demand_elasticity),
        "revenue_per_gw_year": labs.revenue_per_gw_year(p),
        "compute_cost_per_revenue": labs.compute_cost_per_revenue(p),
    }


def strategy_dict(result, strategy) -> dict:
    p, acc = result.params, strategy.accounts
    u = labs.utilisation(
        p.demand_growth, strategy.buy_growth, result.years.size, p.lead_time, p.anchor
    )
    first = np.where(acc["bankrupt"].any(axis=1), acc["bankrupt"].argmax(axis=1), -1)
    years_bankrupt = result.years[first[first >= 0]]
    demand = result.demand
    return {
        "buy_growth": strategy.buy_growth,
        "label": strategy.label,
        "p_overbuilt_any_year": strategy.p_any("overbuilt"),
        "p_loss_any_year": strategy.p_any("loss"),
        "p_bankrupt": strategy.p_any("bankrupt"),
        "median_bankruptcy_year": float(np.median(years_bankrupt)) if years_bankrupt.size else None,
        "forgone_revenue_share": float(acc["forgone_revenue"].sum() / demand.sum()),
        "break_even_demand_growth": finite_list(
            [labs.break_even_demand_growth(strategy.buy_growth, p, result.years.size)]
        )[0],
        "median_path": {
            "utilisation_final_year": float(u),
            "revenue_to_compute_cost_final_year": float(labs.revenue_to_compute_cost(u, p)),
        },
        "yearly": {
            **{name: bands(acc[name]) for name in BANDED},
            "compute_committed_in": [int(y) for y in result.years - p.lead_time],
            "p_overbuilt": finite_list(strategy.p_yearly("overbuilt")),
            "p_loss": finite_list(strategy.p_yearly("loss")),
            "p_bankrupt_by": finite_list(strategy.p_yearly("bankrupt")),
        },
    }


def result_dict(result) -> dict:
    """The documented JSON shape (docs/labs.md, "JSON")."""
    p = result.params
    fatal = labs.fatal_planned_revenue(SEED_SHORTFALL, p)
    return {
        "params": p.model_dump(),
        "n_samples": result.n_samples,
        "seed": result.seed,
        "years": [int(y) for y in result.years],
        "quantiles": list(QUANTILES),
        "market": market_dict(p),
        "demand": bands(result.demand),
        "shortfall": {
            "share": SEED_SHORTFALL,
            "fatal_planned_revenue": float(fatal) if np.isfinite(fatal) else None,
        },
        "strategies": [strategy_dict(result, s) for s in result.strategies],
    }
