"""How each start value of :func:`takeoff.evidence.initial.initial_conditions` is derived.

:class:`Builder` collects the values in dependency order; one function per group of values
reads the observations (``data/observations.csv``) published by ``known_by`` and adds a
record, an observed trend, or a flagged backcast (methods in the docstring of
:mod:`takeoff.evidence.initial`). Values from ``data/start_values.csv`` come through
:mod:`takeoff.evidence.initial_sources`, which takes the same builder.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.evidence import initial_sources as sources
from takeoff.evidence.initial import (
    CAPEX_PROXY_FROM,
    REFERENCE_YEAR,
    TREND_WINDOW,
    InitialValue,
)
from takeoff.params.schema import registry


def _decimal(stamp: pd.Timestamp) -> float:
    from takeoff.classics.metr import decimal_year

    return float(decimal_year([stamp])[0])


@cache
def observations() -> pd.DataFrame:
    """The bundled observations (data/observations.csv), validated once."""
    from takeoff.data.observations import load_observations

    return load_observations()


def _rows(series: str, known_by: pd.Timestamp) -> pd.DataFrame:
    frame = observations()
    return frame[(frame["series"] == series) & (frame["published"] <= known_by)]


def _loglinear(years, values, at: float) -> tuple[float, float]:
    """(value at ``at``, slope b) of the OLS line ln v = a + b t (t centred for accuracy)."""
    t = np.asarray(years, float)
    b, a = np.polyfit(t - at, np.log(np.asarray(values, float)), 1)
    return float(np.exp(a)), float(b)


def _default(name: str) -> float:
    return float(registry()[name].default)


class Builder:
    """Collects the values in dependency order (later ones read earlier ones)."""

    def __init__(self, year: int, known_by: pd.Timestamp):
        self.year, self.known_by = year, known_by
        self.gap = REFERENCE_YEAR - year
        self.values: dict[str, InitialValue] = {}

    def add(self, name, value, method, source, derivation, data_until="", look_ahead=None):
        if self.year == REFERENCE_YEAR and method == "backcast":
            value, method = _default(name), "default"
            derivation, source = "the registry's 2026 value", registry()[name].source
        if look_ahead is None:
            look_ahead = method == "backcast"
        spec = registry()[name]
        clipped = min(max(float(value), spec.low), spec.high)
        if clipped != value:
            derivation += f" (clipped from {value:.3g} to the allowed range)"
        self.values[name] = InitialValue(
            name, clipped, _default(name), method, source, derivation, data_until, look_ahead
        )

    def v(self, name: str) -> float:
        return self.values[name].value

    def backcast(self, name: str, rate_name: str, note: str = "") -> None:
        """The 2026 value moved back at the registry's ``rate_name``."""
        rate = _default(rate_name)
        self.backcast_at(name, rate, f"{rate:g}", f" ({rate_name}){note}")

    def backcast_at(self, name: str, rate: float, rate_text: str, note: str) -> None:
        """v_Y = v_2026 exp(-rate (2026 - Y)), flagged look-ahead."""
        self.add(
            name,
            _default(name) * math.exp(-rate * self.gap),
            "backcast",
            registry()[name].source,
            f"2026 value x exp(-{rate_text} x {self.gap}){note}",
        )

    def record(self, name: str, dates, values, labels, trend_dates, trend_values, source) -> None:
        """Largest value dated by min(Y, known_by), carried to Y along the trend if needed."""
        at = min(pd.Timestamp(f"{self.year}-01-01"), self.known_by)
        known = dates <= at
        if not known.any():
            raise ValidationError(f"known_by: no {name} data published by {at.date()}")
        best = int(np.flatnonzero(known)[np.argmax(values[known])])
        value, derivation = float(values[best]), f"record by {at.date()}: {labels[best]}"
        use = trend_dates <= at
        if at < pd.Timestamp(f"{self.year}-01-01") and np.unique(trend_dates[use]).size >= 2:
            from takeoff.classics.metr import decimal_year

            years = decimal_year(trend_dates[use])
            slope = float(np.polyfit(years, np.log(trend_values[use]), 1)[0])
            value *= math.exp(slope * (self.year - _decimal(at)))
            derivation += f", carried to {self.year} at the trend known then ({slope:.2f}/yr)"
        self.add(
            name, value, "record", source, derivation, pd.Timestamp(dates[best]).date().isoformat()
        )


def _largest_run(b: Builder) -> None:
    from takeoff.classics import compute_trend

    frame = compute_trend.load_epoch_models()
    top5 = frame[(frame["running_rank"] <= 5) & (frame["publication_date"].dt.year >= 2010)]
    b.record(
        "largest_training_run_2026",
        frame["publication_date"].to_numpy(dtype="datetime64[ns]"),
        frame["training_compute_flop"].to_numpy(dtype=float),
        frame["model"].to_numpy(),
        top5["publication_date"].to_numpy(dtype="datetime64[ns]"),
        top5["training_compute_flop"].to_numpy(dtype=float),
        "Epoch AI notable models (bundled epoch_notable_ai_models.csv); trend: running top-5 "
        "runs since 2010",
    )


def _metr_horizon(b: Builder) -> None:
    from takeoff.classics.metr import load_metr

    frame = load_metr("1.1")
    dates = frame["release_date"].to_numpy(dtype="datetime64[ns]")
    values = frame["p50_minutes"].to_numpy(dtype=float)
    records = values > np.concatenate([[0.0], np.maximum.accumulate(values)[:-1]])
    b.record(
        "metr_horizon_2026",
        dates,
        values,
        frame["model"].to_numpy(),
        dates[records],
        values[records],
        "METR Time Horizon v1.1 (bundled metr_time_horizons_v1_1.yaml), p50, by release date "
        "(METR measured these models later; the dataset dates them at release)",
    )


def _latest_moved(b: Builder, series: str, name: str, rate_name: str, unit: str = "") -> None:
    """The latest observation of ``series`` published by then, moved to Y at the registry's
    ``rate_name``; a backcast at that rate if none was published."""
    rows = _rows(series, b.known_by)
    growth = _default(rate_name)
    if rows.empty:
        b.backcast(name, rate_name)
        return
    last = rows.loc[rows["year"].idxmax()]
    b.add(
        name,
        last["value"] * math.exp(growth * (b.year - last["year"])),
        "observed",
        last["source"],
        f"{last['value']:.4g} at {last['year']:g}{unit} moved to {b.year} at "
        f"{rate_name} {growth:g}",
        last["published"].date().isoformat(),
    )


def _gwp(b: Builder) -> None:
    _latest_moved(b, "gwp_nominal", "gwp_2026", "baseline_gwp_growth", " (current US$)")


def _trend_or_backcast(
    b: Builder,
    series: str,
    name: str,
    to_param,
    backcast,
    suffix: str = "",
    from_year: float = -np.inf,
) -> None:
    """A log-linear trend of ``series`` known by then (two or more years within
    :data:`TREND_WINDOW` years of its newest datum, none before ``from_year``), else
    ``backcast``."""
    rows = _rows(series, b.known_by)
    rows = rows[rows["year"] >= from_year]
    rows = rows[rows["year"] >= rows["year"].max() - TREND_WINDOW]
    if rows["year"].nunique() < 2:
        backcast()
        return
    value, slope = _loglinear(rows["year"], rows["value"], b.year)
    b.add(
        name,
        to_param(value),
        "observed",
        "; ".join(dict.fromkeys(rows["source"])),
        f"ln-linear trend of {len(rows)} {series} rows ({slope:.2f}/yr) at {b.year}{suffix}",
        rows["published"].max().date().isoformat(),
    )


def _capex(b: Builder) -> None:
    def backcast():
        b.backcast(
            "ai_capex_share_2026", "ai_capex_growth", "; the model's own initial capex-share growth"
        )

    share = "ai_capex_share_2026"
    gwp = b.v("gwp_2026")
    _trend_or_backcast(
        b,
        "hyperscaler_capex",
        share,
        lambda v: v / gwp,
        lambda: sources.ai_capex(b, backcast),
        ", / GWP",
        from_year=CAPEX_PROXY_FROM,
    )


def _purchase_ratio(b: Builder) -> float:
    """(I_Y h_Y) / (I_2026 h_2026): a year's purchases of compute relative to 2026's."""
    capex = b.v("ai_capex_share_2026") * b.v("gwp_2026")
    capex_2026 = _default("ai_capex_share_2026") * _default("gwp_2026")
    return (
        capex
        * b.v("hardware_price_performance_2026")
        / (capex_2026 * _default("hardware_price_performance_2026"))
    )


def _compute(b: Builder) -> None:
    def backcast():
        b.add(
            "installed_ai_compute_2026",
            _default("installed_ai_compute_2026") * _purchase_ratio(b),
            "backcast",
            registry()["installed_ai_compute_2026"].source,
            "2026 value x (capex x price-performance)_Y / (same)_2026: the fleet is the same "
            "number of years of purchases as in 2026",
        )

    depreciation = _default("compute_depreciation")
    _trend_or_backcast(
        b,
        "compute",
        "installed_ai_compute_2026",
        lambda v: v,
        lambda: sources.installed_compute(b, depreciation, backcast),
    )


def _adoption(b: Builder) -> None:
    """AI's share of work and revenue: OpenAI's run rate reported before the start
    (``initial_sources.ai_adoption``), else scaled back with the observed growth of
    OpenAI's run rate (published 2026: look-ahead)."""

    def backcast() -> None:
        rows = observations()
        rows = rows[rows["series"] == "ai_revenue_openai"].groupby("year")["value"].min()
        _, rate = _loglinear(rows.index.to_numpy(), rows.to_numpy(), float(REFERENCE_YEAR))
        note = (
            f" (OpenAI run-rate growth {rows.index.min():g}-{rows.index.max():g}, published 2026)"
        )
        for name in ("ai_work_share_2026", "ai_revenue_2026"):
            b.backcast_at(name, rate, f"{rate:.2f}", note)

    sources.ai_adoption(b, backcast)


def _leading_edge(b: Builder) -> None:
    growth = _default("leading_edge_growth")
    b.add(
        "ai_share_of_leading_edge_2026",
        _default("ai_share_of_leading_edge_2026") * _purchase_ratio(b) * math.exp(growth * b.gap),
        "backcast",
        registry()["ai_share_of_leading_edge_2026"].source,
        "2026 share x chip purchases_Y / purchases_2026 x exp(leading_edge_growth x "
        f"{b.gap}): the world's leading-edge output moves back at its trend {growth:g}",
    )


def _rate_kept(b: Builder, name: str) -> None:
    b.add(name, _default(name), "backcast", registry()[name].source, "2026 rate kept")


def build(year: int, known_by: pd.Timestamp) -> tuple[InitialValue, ...]:
    """Every start value for ``year`` from what was published by ``known_by`` (checked)."""
    b = Builder(year, known_by)
    _gwp(b)
    gwp_ratio = b.v("gwp_2026") / _default("gwp_2026")
    b.add(
        "capital_2026",
        _default("capital_2026") * gwp_ratio,
        "backcast",
        registry()["capital_2026"].source,
        "2026 capital-output ratio x GWP (balanced growth: K/Y constant)",
    )
    _latest_moved(b, "labour_force", "labour_force_2026", "labour_force_growth", " (ILO)")
    _largest_run(b)
    _metr_horizon(b)
    sources.hardware_price_performance(
        b, lambda: b.backcast("hardware_price_performance_2026", "hardware_growth_2026")
    )
    sources.energy_efficiency(
        b, lambda: b.backcast("energy_efficiency_2026", "energy_efficiency_growth")
    )
    _capex(b)
    _compute(b)
    for name, build in (
        ("hardware_growth_2026", sources.hardware_growth),
        ("algorithmic_progress_2026", sources.algorithmic_progress),
    ):
        build(b, lambda name=name: _rate_kept(b, name))
    _adoption(b)
    b.add(
        "ai_automatable_share_2026",
        _default("ai_automatable_share_2026"),
        "backcast",
        registry()["ai_automatable_share_2026"].source,
        "2026 value kept (one task of n_tasks at least: the model's resolution)",
    )
    sources.ai_researchers(
        b,
        _default("human_researcher_growth"),
        lambda: b.backcast("ai_researchers_2026", "human_researcher_growth"),
    )
    _leading_edge(b)
    sources.world_power(
        b,
        _default("world_power_growth"),
        lambda: b.backcast("world_power_generation_gw", "world_power_growth"),
    )
    return tuple(b.values.values())
