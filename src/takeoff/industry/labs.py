"""Amodei's compute-purchase dilemma: a lab buys compute ahead of uncertain demand.

Money is in $B, flows per year; years are counted t = 1..T after ``base_year`` (t = 0),
where demand D_0 = ``base_revenue`` is known. Every function is vectorised over samples
(arrays of shape (n_samples, T)); docs/labs.md shows each equation beside its function.

* Demand (``demand_paths``): ln D_t = ln D_{t-1} + ln g + trend_sd z + demand_sd e_t, with
  z ~ N(0, 1) once per path (is it a 5x or a 10x world?) and e_t ~ N(0, 1) each year.
* Purchases (``serving_capacity``): with lead time L, the compute online in year t was
  committed in year t - L for the demand the lab then forecast by its buy growth g_b:
  S_t = D_{max(t-L, 0)} g_b^(t - max(t-L, 0)) ("observed" anchor) or S_t = D_0 g_b^t ("plan").
  S_t is in $B/yr of demand the compute can serve; the GW online are K_t = S_t / v with
  v = (1 - r) c / (1 - Lerner), the revenue one GW-year earns when fully used.
* Accounts (``lab_accounts``): revenue R_t = min(D_t, S_t); compute cost C_t = c K_t = kappa S_t
  with kappa = (1 - Lerner) / (1 - r); profit = (1 - o) R_t - C_t; cash accumulates profit;
  bankrupt once cash < -(borrowing_limit + borrowing_per_revenue R_t).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from takeoff.errors import ValidationError
from takeoff.industry.market import lerner_index
from takeoff.industry.params import LabParams

MAX_SAMPLES = 20_000
MAX_YEARS = 20
MAX_STRATEGIES = 8
BUY_GROWTH_RANGE = (0.2, 50.0)


# ------------------------------------------------------------------ closed forms


def revenue_per_gw_year(p: LabParams) -> float:
    """v = (1 - r) c / (1 - L): $B a GW-year earns when all its sold share is used.

    The market price of one GW-year of served demand is c / (1 - L) (Cournot markup over
    the compute cost c); a share r of the lab's compute is kept for research.
    """
    markup = 1.0 / (1.0 - float(lerner_index(p.n_firms, p.demand_elasticity)))
    return (1.0 - p.research_share) * p.cost_per_gw_year * markup


def compute_cost_per_revenue(p: LabParams) -> float:
    """kappa = c / v = (1 - L) / (1 - r): compute cost per $ of revenue at full use."""
    return p.cost_per_gw_year / revenue_per_gw_year(p)


def utilisation(demand_growth, buy_growth, years_ahead, lead_time: int, anchor: str = "observed"):
    """u_k = D_k / S_k on a deterministic path: (g / g_b)^min(k, L) ("observed") or (g / g_b)^k ("plan").

    With the observed anchor the mismatch stops compounding after L years, because each
    commitment starts from the demand actually seen; with a fixed plan it compounds.
    """
    k = np.asarray(years_ahead, dtype=float)
    power = np.minimum(k, lead_time) if anchor == "observed" else k
    return (np.asarray(demand_growth, dtype=float) / np.asarray(buy_growth, dtype=float)) ** power


def revenue_to_compute_cost(u, p: LabParams):
    """R / C = min(u, 1) / kappa: below (1 - o)^-1 the year is a loss."""
    return np.minimum(np.asarray(u, dtype=float), 1.0) / compute_cost_per_revenue(p)


def break_even_demand_growth(buy_growth, p: LabParams, years_ahead=None):
    """g* = g_b (kappa / (1 - o))^(1/n), n = min(k, L) ("observed") or k ("plan"): the slowest
    steady demand growth at which a lab that buys for g_b breaks even in year k (default
    k = L, when the observed anchor's mismatch has settled).

    From (1 - o) u_k = kappa with u_k as in :func:`utilisation`. Faster growth than g_b
    forgoes revenue 1 - u_k^-1 instead. Inf when kappa >= 1 - o: then even fully used
    compute does not pay for itself, whatever the growth.
    """
    k = p.lead_time if years_ahead is None else np.asarray(years_ahead, dtype=float)
    power = np.minimum(k, p.lead_time) if p.anchor == "observed" else k
    ratio = compute_cost_per_revenue(p) / (1.0 - p.other_cost_share)
    g_star = np.asarray(buy_growth, dtype=float) * ratio ** (1.0 / power)
    return np.where(ratio < 1.0, g_star, np.inf)


def shortfall_loss(planned_revenue, actual_revenue, p: LabParams):
    """Loss C - (1 - o) R of one year whose compute was bought for ``planned_revenue``:
    kappa P - (1 - o) min(A, P). Positive = a loss."""
    planned = np.asarray(planned_revenue, dtype=float)
    actual = np.minimum(np.asarray(actual_revenue, dtype=float), planned)
    return compute_cost_per_revenue(p) * planned - (1.0 - p.other_cost_share) * actual


def fatal_planned_revenue(shortfall, p: LabParams, cash=None):
    """P* = (cash + B) / (kappa - (1 - s)(1 - o + m)): the smallest planned revenue at which
    a relative shortfall s (actual = (1 - s) P) takes one year's cash below the borrowing
    limit. Inf when the shortfall is never fatal at any scale."""
    cash = p.initial_cash if cash is None else cash
    s = np.asarray(shortfall, dtype=float)
    denom = compute_cost_per_revenue(p) - (1.0 - s) * (
        1.0 - p.other_cost_share + p.borrowing_per_revenue
    )
    with np.errstate(divide="ignore"):
        return np.where(
            denom > 0, (cash + p.borrowing_limit) / np.where(denom > 0, denom, 1), np.inf
        )


# ------------------------------------------------------------------ Monte Carlo


def _whole(value) -> bool:
    """An integer (not a bool), or a float with no fractional part."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | np.integer) or (isinstance(value, float) and value.is_integer())


def _growth_factors(values, name: str) -> list[float]:
    """Each value a number in BUY_GROWTH_RANGE (x/yr), or a message naming ``name``."""
    lo, hi = BUY_GROWTH_RANGE
    out = []
    for g in values:
        try:
            g = float(g)
        except (TypeError, ValueError):
            raise ValidationError(f"{name}: {g!r:.40} is not a number") from None
        if not (np.isfinite(g) and lo <= g <= hi):
            raise ValidationError(f"{name}: {g:g} must be a number in [{lo:g}, {hi:g}] (x/yr)")
        out.append(g)
    return out


def check_run(buy_growths: Sequence[float], years: int, n_samples: int, seed: int) -> list[float]:
    """Validate the run settings; messages name the field and the allowed range."""
    growths = _growth_factors(buy_growths, "buy_growth")
    if not 1 <= len(growths) <= MAX_STRATEGIES:
        raise ValidationError(f"buy_growth: give 1 to {MAX_STRATEGIES} values, got {len(growths)}")
    for name, value, top in (("years", years, MAX_YEARS), ("samples", n_samples, MAX_SAMPLES)):
        if not (_whole(value) and 1 <= value <= top):
            raise ValidationError(f"{name}: {value!r:.40} must be an integer in [1, {top}]")
    if not (_whole(seed) and 0 <= seed < 2**63):
        raise ValidationError(f"seed: {seed!r:.40} must be a non-negative integer")
    return growths


def demand_paths(
    p: LabParams, years: int, n_samples: int, seed: int, growth_path: Sequence[float] | None = None
) -> np.ndarray:
    """Demand D_t ($B/yr), shape (n_samples, years): log-normal growth, persistent trend shock
    plus yearly shocks. ``growth_path`` (one median factor per year) replaces ``demand_growth``."""
    rng = np.random.default_rng(seed)
    trend = rng.standard_normal((n_samples, 1))
    # Drawn year by year (rows of years), so the first years do not change with the horizon.
    shocks = rng.standard_normal((years, n_samples)).T
    if growth_path is None:
        median = np.full(years, p.demand_growth)
    else:
        median = np.asarray(_growth_factors(growth_path, "growth_path"))
        if median.shape != (years,):
            raise ValidationError(f"growth_path: give {years} growth factors, one per year")
    log_growth = np.log(median) + p.trend_sd * trend + p.demand_sd * shocks
    return p.base_revenue * np.exp(np.cumsum(log_growth, axis=1))


def serving_capacity(demand: np.ndarray, p: LabParams, buy_growth: float) -> np.ndarray:
    """S_t ($B/yr of demand the lab's compute can serve), from commitments L years earlier."""
    n, years = demand.shape
    t = np.arange(1, years + 1)
    if p.anchor == "plan":
        return np.broadcast_to(p.base_revenue * buy_growth**t, (n, years)).copy()
    seen = np.maximum(t - p.lead_time, 0)  # year whose demand the commitment scaled
    with_base = np.concatenate([np.full((n, 1), p.base_revenue), demand], axis=1)
    return with_base[:, seen] * buy_growth ** (t - seen).astype(float)


def lab_accounts(demand: np.ndarray, capacity: np.ndarray, p: LabParams) -> dict[str, np.ndarray]:
    """Yearly accounts of each path (arrays (n_samples, years)); see the module docstring."""
    revenue = np.minimum(demand, capacity)
    compute_cost = compute_cost_per_revenue(p) * capacity
    profit = (1.0 - p.other_cost_share) * revenue - compute_cost
    cash = p.initial_cash + np.cumsum(profit, axis=1)
    limit = p.borrowing_limit + p.borrowing_per_revenue * revenue
    # Bankruptcy is absorbing: once below the limit, the lab stays bankrupt.
    bankrupt = np.logical_or.accumulate(cash < -limit, axis=1)
    return {
        "compute_gw": capacity / revenue_per_gw_year(p),
        "revenue": revenue,
        "compute_cost": compute_cost,
        "profit": profit,
        "cash": cash,
        "forgone_revenue": demand - revenue,
        "overbuilt": capacity > (1.0 + p.overbuild_margin) * demand,
        "loss": profit < 0,
        "bankrupt": bankrupt,
    }


@dataclass(frozen=True)
class Strategy:
    """One purchase rule ("buy for g_b x/yr") and its accounts on every demand path."""

    buy_growth: float
    accounts: dict[str, np.ndarray]

    @property
    def label(self) -> str:
        return f"buy for {self.buy_growth:g}x/yr"

    def p_any(self, name: str) -> float:
        """Share of paths where ``name`` (overbuilt, loss, bankrupt) happens in some year."""
        return float(self.accounts[name].any(axis=1).mean())

    def p_yearly(self, name: str) -> np.ndarray:
        return self.accounts[name].mean(axis=0)


@dataclass(frozen=True)
class LabsResult:
    """Demand paths shared by every strategy (common random numbers) and their accounts."""

    params: LabParams
    years: np.ndarray
    demand: np.ndarray
    strategies: list[Strategy]
    n_samples: int
    seed: int

    def to_dict(self) -> dict:
        from takeoff.industry.report import result_dict

        return result_dict(self)


def simulate_labs(
    params: LabParams | None = None,
    buy_growths: Sequence[float] = (10.0, 5.0),
    *,
    years: int = 4,
    n_samples: int = 2000,
    seed: int = 0,
    growth_path: Sequence[float] | None = None,
) -> LabsResult:
    """Run every purchase rule on the same ``n_samples`` demand paths (same seed, same result)."""
    p = params or LabParams()
    growths = check_run(buy_growths, years, n_samples, seed)
    demand = demand_paths(p, int(years), int(n_samples), int(seed), growth_path)
    strategies = [
        Strategy(g, lab_accounts(demand, serving_capacity(demand, p, g), p)) for g in growths
    ]
    return LabsResult(
        params=p,
        years=p.base_year + np.arange(1, int(years) + 1),
        demand=demand,
        strategies=strategies,
        n_samples=int(n_samples),
        seed=int(seed),
    )
