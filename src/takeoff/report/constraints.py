"""Which constraints bind in a run, and since when: read from the run's series.

A constraint *binds* at year t in sample i when

- ``NAME_shadow_price[t, i] > 0`` for any series whose name ends in ``_shadow_price``
  (the model's price of a limit: today ``power_shadow_price``, the value a watt would
  earn while the power supply caps AI capex; other limits are read the same way as soon
  as the model records their price), or
- the investment (savings) limit: ``capital_investment + ai_capex >= (1 - tol) s_max gwp``,
  where ``s_max`` is the parameter ``max_investment_share``: total investment is at its
  cap I_K + I_AI <= s_max Y (``takeoff.model.blocks.investment.within_savings_limit``),
  so consumption is at its floor (1 - s_max) Y.

Per constraint and sample, the first binding year is the first whole year on the output
grid at which it binds (NaN if it never does). Summarised over samples
(:func:`summarise`): the share of samples in which it binds at some point, the median
first year among those samples, and the share still binding in the last year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

SHADOW_SUFFIX = "_shadow_price"
#: Name of the investment limit in the tables (it has no shadow-price series).
SAVINGS = "investment (savings limit)"
#: Relative tolerance of "at the investment cap" (the model computes it in float64).
TOLERANCE = 1e-6
_SAVINGS_INPUTS = ("capital_investment", "ai_capex", "gwp")


@dataclass(frozen=True)
class Binding:
    """One constraint in one view, summarised over samples."""

    name: str  # "power", ..., or SAVINGS
    source: str  # the series it was read from
    share: float  # share of samples in which it binds at some year
    first_year: float | None  # median first binding year over those samples (None: never)
    share_at_end: float  # share of samples in which it binds in the last year


def binding_indicators(
    series: Mapping[str, np.ndarray], max_investment_share: np.ndarray | float | None = None
) -> dict[str, tuple[str, np.ndarray]]:
    """{constraint: (source series, binds (T, n) bool)} for every constraint the series show.

    ``series`` maps names to (T, n) arrays; ``max_investment_share`` is s_max, a scalar or
    one value per sample; without it (or without the investment series) the investment
    limit is not checked.
    """
    out: dict[str, tuple[str, np.ndarray]] = {}
    for name in sorted(series):
        if name.endswith(SHADOW_SUFFIX) and len(name) > len(SHADOW_SUFFIX):
            price = np.asarray(series[name], dtype=float)
            out[name[: -len(SHADOW_SUFFIX)]] = (name, np.nan_to_num(price, nan=0.0) > 0.0)
    if max_investment_share is not None and all(k in series for k in _SAVINGS_INPUTS):
        invested = np.asarray(series["capital_investment"]) + np.asarray(series["ai_capex"])
        cap = np.asarray(max_investment_share, dtype=float) * np.asarray(series["gwp"])
        out[SAVINGS] = ("capital_investment + ai_capex", invested >= (1.0 - TOLERANCE) * cap)
    return out


def first_years(years: np.ndarray, binds: np.ndarray) -> np.ndarray:
    """(n,) the first of ``years`` (T,) at which ``binds`` (T, n) holds; NaN where never."""
    binds = np.asarray(binds, dtype=bool)
    first = np.argmax(binds, axis=0)  # 0 where never: masked below
    return np.where(binds.any(axis=0), np.asarray(years, dtype=float)[first], np.nan)


def summarise(name: str, source: str, first: np.ndarray, at_end: np.ndarray) -> Binding:
    """A :class:`Binding` from per-sample first years (NaN = never) and last-year flags."""
    first = np.asarray(first, dtype=float)
    ever = np.isfinite(first)
    return Binding(
        name=name,
        source=source,
        share=float(ever.mean()) if first.size else 0.0,
        first_year=float(np.median(first[ever])) if ever.any() else None,
        share_at_end=float(np.mean(at_end)) if np.size(at_end) else 0.0,
    )


def binding_constraints(
    years: np.ndarray,
    series: Mapping[str, np.ndarray],
    max_investment_share: np.ndarray | float | None = None,
) -> list[Binding]:
    """Every constraint the series show, binding or not, with when and how often it binds.

    ``years`` (T,) and ``series[name]`` (T, n): one column per sample (n = 1 for a
    deterministic run). Sorted: binding constraints first, most often binding first.
    """
    return ranked(
        summarise(name, source, first_years(years, binds), binds[-1])
        for name, (source, binds) in binding_indicators(series, max_investment_share).items()
    )


def ranked(bindings) -> list[Binding]:
    """Most often binding first, then earliest first binding, then by name."""
    return sorted(
        bindings,
        key=lambda b: (-b.share, np.inf if b.first_year is None else b.first_year, b.name),
    )
