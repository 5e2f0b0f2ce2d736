"""Kremer (1993): population growth proportional to population level.

Model. Output ``Y = A p^α T^(1-α)`` with land ``T`` fixed, population at the Malthusian level
where income per head is at subsistence, so ``p ∝ A^(1/(1-α))``; technology grows in
proportion to population, ``dA/A = g p``. Together these give

    dp/dt / p = g / (1 - α) · p,

i.e. the population growth rate is proportional to the population level (hyperbolic growth,
``p(t) = C / (T* - t)``).

Test (Kremer's Table II). Regress the growth rate on the level,

    n_i = β0 + β1 · p_i + ε_i,

by ordinary least squares on Kremer's Table I. ``n_i = ln(p_{i+1} / p_i) / (t_{i+1} - t_i)``
is the continuously compounded rate per year over the interval that *starts* at observation
``i`` and is attributed to the starting level ``p_i``. That is the convention of Kremer's own
tables (the printed rate in row ``t`` is the rate from ``t`` to the next date), and with raw
year differences (-200 to 1 is 201 years) it reproduces 35 of the 37 printed rates within
1% (their printed precision); the other two (-25,000 and 1900) are misprints, so rates are always
recomputed from levels. Population is in millions, so ``β1`` is per year per million people.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from takeoff.classics import ClassicResult
from takeoff.data import data_path
from takeoff.errors import FitError

DATA_FILE = "kremer_1993_population.csv"
#: Start of the second sample: intervals starting in 200 BC or later.
LATE_SAMPLE_START = -200


@dataclass(frozen=True)
class OLSFit:
    """Least-squares line ``y = intercept + slope · x`` with classical standard errors."""

    slope: float
    intercept: float
    slope_se: float
    intercept_se: float
    r2: float
    n: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "slope": self.slope,
            "intercept": self.intercept,
            "slope_se": self.slope_se,
            "intercept_se": self.intercept_se,
            "r2": self.r2,
            "n": self.n,
            # Kremer reads the slope per billion people; same fit, rescaled.
            "slope_per_billion": self.slope * 1000.0,
        }


def load_table(path: Path | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kremer's Table I: ``(year, population in millions, printed growth rate)``."""
    frame = pd.read_csv(path or data_path(DATA_FILE))
    return (
        frame["year"].to_numpy(dtype=float),
        frame["population_millions"].to_numpy(dtype=float),
        frame["growth_rate_per_year_as_printed"].to_numpy(dtype=float),
    )


def interval_growth(
    years: np.ndarray, pop: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Growth over consecutive observations, attributed to the interval's start.

    Returns ``(t_i, p_i, n_i)`` for ``i = 0..N-2`` with
    ``n_i = ln(p_{i+1}/p_i) / (t_{i+1} - t_i)``.
    """
    years = np.asarray(years, dtype=float)
    pop = np.asarray(pop, dtype=float)
    if years.shape != pop.shape or years.ndim != 1 or years.size < 3:
        raise FitError("need at least three (year, population) observations of equal length")
    dt = np.diff(years)
    if np.any(dt <= 0) or np.any(pop <= 0):
        raise FitError("years must increase strictly and populations must be positive")
    return years[:-1], pop[:-1], np.diff(np.log(pop)) / dt


def ols(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> OLSFit:
    """(Weighted) least squares of ``y`` on ``[1, x]``.

    With ``W = diag(w)`` and ``X = [1, x]``: ``β = (X'WX)⁻¹ X'Wy``, residual variance
    ``s² = Σ w e² / (n - 2)``, ``Var β = s² (X'WX)⁻¹``; ``R² = 1 - Σw e² / Σw (y - ȳ_w)²``.
    Unweighted when ``weights`` is None.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    n = x.size
    if n < 3 or np.ptp(x) == 0:
        raise FitError("regression needs at least three observations with varying x")
    design = np.column_stack([np.ones(n), x])
    xtwx = design.T @ (design * w[:, None])
    beta = np.linalg.solve(xtwx, design.T @ (w * y))
    resid = y - design @ beta
    s2 = float(np.sum(w * resid**2) / (n - 2))
    cov = s2 * np.linalg.inv(xtwx)
    ybar = np.sum(w * y) / np.sum(w)
    r2 = 1.0 - float(np.sum(w * resid**2) / np.sum(w * (y - ybar) ** 2))
    return OLSFit(
        slope=float(beta[1]),
        intercept=float(beta[0]),
        slope_se=float(np.sqrt(cov[1, 1])),
        intercept_se=float(np.sqrt(cov[0, 0])),
        r2=r2,
        n=int(n),
    )


def kremer_regressions(
    years: np.ndarray, pop: np.ndarray, start: float = LATE_SAMPLE_START
) -> dict[str, dict[str, OLSFit]]:
    """Table II style fits: all intervals and intervals starting at ``start`` or later.

    ``"ols"`` is unweighted; ``"period_weighted"`` weights each interval by its length in
    years (the weighting Roodman's code attributes to Kremer), shown as a sensitivity check.
    """
    t0, p0, growth = interval_growth(years, pop)
    late = t0 >= start
    dt = np.diff(np.asarray(years, dtype=float))
    return {
        "ols": {"all": ols(p0, growth), "late": ols(p0[late], growth[late])},
        "period_weighted": {
            "all": ols(p0, growth, dt),
            "late": ols(p0[late], growth[late], dt[late]),
        },
    }


def _plot(years: np.ndarray, pop: np.ndarray, fits: dict[str, OLSFit], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t0, p0, growth = interval_growth(years, pop)
    fig, ax = plt.subplots(figsize=(7.5, 5))
    ax.scatter(p0, growth * 100, s=18, color="black", zorder=3, label="intervals (Table I)")
    for t, p, g in zip(t0, p0, growth, strict=True):
        if p > 1000:
            ax.annotate(
                f"{int(t)}", (p, g * 100), fontsize=7, xytext=(3, 3), textcoords="offset points"
            )
    grid = np.linspace(0, p0.max() * 1.05, 100)
    for (label, fit), style in zip(fits.items(), ("-", "--"), strict=True):
        ax.plot(
            grid,
            (fit.intercept + fit.slope * grid) * 100,
            style,
            label=f"{label}: slope {fit.slope * 1e5:.3g} %/yr per billion, R² {fit.r2:.2f}",
        )
    ax.set_xlabel("population at start of interval (millions)")
    ax.set_ylabel("growth rate over interval (% per year)")
    ax.set_title("Kremer (1993): growth rate vs population level")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def reproduce(**options: Any) -> ClassicResult:
    """Regress population growth on population level (Kremer 1993, Table II).

    Options: ``path`` (CSV with Kremer's Table I; defaults to the bundled copy) and
    ``start`` (first interval start year of the late sample, default -200).
    """
    start = float(options.get("start", LATE_SAMPLE_START))
    years, pop, _printed = load_table(options.get("path"))
    fits = kremer_regressions(years, pop, start)
    values: dict[str, Any] = dict(fits["ols"]["all"].as_dict())
    values["from_minus_200"] = fits["ols"]["late"].as_dict()
    values["period_weighted"] = {
        "all": fits["period_weighted"]["all"].as_dict(),
        "from_minus_200": fits["period_weighted"]["late"].as_dict(),
    }
    values["n_levels"] = int(years.size)

    def plot(path: str) -> None:
        _plot(
            years, pop, {"all": fits["ols"]["all"], f"from {int(start)}": fits["ols"]["late"]}, path
        )

    # Kremer's Table II figures could not be retrieved (see docs/classics/kremer.md), so
    # nothing is put in ``published`` rather than an unverified number.
    return ClassicResult(name="kremer", values=values, published={}, plot=plot)
