"""Initial conditions for a start in any year 2020-2026, from what was known then (issue 13).

The model's initial state is the ``*_2026`` parameters (and a few other levels "in 2026":
``world_power_generation_gw``). :func:`initial_conditions` gives their values at the start
of year ``Y`` (read as "at start_year"; the dynamics are unchanged), using only the
observations (``takeoff/data/observations.csv``) and bundled raw data published on or
before ``known_by`` (default: 1 January of ``Y``, i.e. no look-ahead). Each value carries
its source and how it was derived, one of

* ``record``: the largest value published by ``min(Y, known_by)`` (Epoch's largest training
  run, METR's best time horizon); if ``known_by`` is before ``Y`` it is carried forward
  along the log-linear trend of the records known by then;
* ``observed``: a log-linear trend ``ln v = a + b t`` fitted to the observations published
  by ``known_by`` (those within :data:`TREND_WINDOW` years of the newest one) and evaluated
  at ``Y`` (needs two distinct years); GWP moves its latest observation to ``Y`` at the
  registry's baseline growth and the labour force its latest at ``labour_force_growth``.
  Observations published before 2020 and 2022 (World Bank GDP 2018-2019; ILO labour force
  2018; capex of Amazon, Microsoft, Alphabet and Facebook 2015-2018) make GWP, the labour
  force and the capex share observed for 2020 and 2022 starts. Start values that are not
  model series (accelerator price-performance and efficiency, researchers, world power, the
  hardware and software rates) come from ``data/start_values.csv`` through
  :mod:`takeoff.evidence.initial_sources` for starts up to 2022;
* ``backcast``: no data published by then; the registry's 2026 value moved back at a
  stated rate, ``v_Y = v_2026 exp(-g (2026 - Y))``, or through a stated relation to the
  other initial values. These carry **look-ahead** (the 2026 level was not known in ``Y``)
  and say so (``look_ahead = True``);
* ``default``: ``Y = 2026``, where no data come first, the registry's own value.

Some parameters are measured *relative to 2026* (task thresholds and runtime in 2026
algorithms, ceilings in OOM above 2026). :meth:`InitialConditions.apply` converts them to
the start year's units so that the same absolute thresholds and ceilings apply (a change of
units, not of dynamics): with software progress ``A = exp(g_S (2026 - Y))`` between the
start and 2026 (``g_S`` = ``algorithmic_progress_2026``),

    full_automation_requirement x A,   runtime_flop_per_worker x A^runtime_efficiency_exponent,
    software_ceiling_oom + log10 A,    hardware_ceiling_oom + log10(h_2026 / h_Y),
    energy_efficiency_ceiling_oom + log10(e_2026 / e_Y).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.evidence import initial_sources as sources
from takeoff.params.schema import registry

#: Start years with initial conditions (every record series has data by 2020).
YEARS = (2020, 2026)
#: Where the registry's initial state sits.
REFERENCE_YEAR = 2026
#: Earliest ``known_by`` date accepted (every record series has data by then).
EARLIEST_KNOWN_BY = pd.Timestamp("2020-01-01")
METHODS = ("record", "observed", "backcast", "default")
#: An ``observed`` trend uses the data of the last this many years before its newest datum, so
#: that e.g. the 2015-2018 capex rows do not bend the 2023-2024 trend of a 2026 start.
TREND_WINDOW = 5.0
#: First year whose big-tech capex stands in for AI capex: before the 2023 build-out most of
#: the four firms' capital spending was not for AI (general cloud, offices, logistics), so
#: their 2015-2019 totals would put 2020's AI capex at ~$140B, several times what it was.
CAPEX_PROXY_FROM = 2023.0


@dataclass(frozen=True)
class InitialValue:
    """One initial-state parameter at the start year, with its provenance."""

    name: str
    value: float
    default_2026: float
    method: str  # one of METHODS
    source: str
    derivation: str
    data_until: str  # publication date of the newest datum used (ISO), "" if none
    look_ahead: bool  # uses information published after known_by


@dataclass(frozen=True)
class InitialConditions:
    """Initial state for a start in ``year`` as known on ``known_by``."""

    year: int
    known_by: pd.Timestamp
    values: tuple[InitialValue, ...]

    def overrides(self) -> dict[str, float]:
        """Parameter name -> value, to overlay on a scenario's parameters."""
        return {v.name: v.value for v in self.values}

    def look_ahead(self) -> list[str]:
        """Names of the values that use information published after ``known_by``."""
        return [v.name for v in self.values if v.look_ahead]

    def __getitem__(self, name: str) -> InitialValue:
        for v in self.values:
            if v.name == name:
                return v
        raise KeyError(name)

    @property
    def algorithm_factor(self) -> float:
        """A = exp(g_S (2026 - Y)): how much less compute 2026 algorithms need than Y's."""
        rate = self["algorithmic_progress_2026"].value
        return math.exp(rate * (REFERENCE_YEAR - self.year))

    def apply(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` (a scenario's point values or per-sample arrays) with the initial state
        overlaid and the 2026-relative parameters converted (module docstring), each clipped
        to the registry's allowed range (e.g. a runtime near its 1e22 cap). Vectorised."""
        specs = registry()

        def get(name: str):
            return np.asarray(values.get(name, specs[name].default), dtype=float)

        log_factor = math.log10(self.algorithm_factor)
        hardware = self["hardware_price_performance_2026"]
        energy = self["energy_efficiency_2026"]
        converted = {
            "full_automation_requirement": get("full_automation_requirement") * 10.0**log_factor,
            "runtime_flop_per_worker": get("runtime_flop_per_worker")
            * 10.0 ** (log_factor * get("runtime_efficiency_exponent")),
            "software_ceiling_oom": get("software_ceiling_oom") + log_factor,
            "hardware_ceiling_oom": get("hardware_ceiling_oom")
            + math.log10(hardware.default_2026 / hardware.value),
            "energy_efficiency_ceiling_oom": get("energy_efficiency_ceiling_oom")
            + math.log10(energy.default_2026 / energy.value),
        }
        out = dict(values)
        out.update(self.overrides())
        for name, value in converted.items():
            out[name] = np.clip(value, specs[name].low, specs[name].high)
        return out

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame([v.__dict__ for v in self.values])
        frame["ratio_to_2026"] = frame["value"] / frame["default_2026"]
        return frame

    def to_markdown(self) -> str:
        """The values as a Markdown table (parameter, value, 2026 default, method, look-ahead,
        derivation and source)."""
        head = (
            f"Initial conditions for a start in {self.year}, data published by "
            f"{self.known_by.date()}\n\n"
            "| parameter | value | 2026 default | method | look-ahead | derivation | source |\n"
            "|---|---:|---:|---|---|---|---|\n"
        )
        rows = [
            f"| {v.name} | {v.value:.3g} | {v.default_2026:.3g} | {v.method} | "
            f"{'yes' if v.look_ahead else 'no'} | {v.derivation} | {v.source} |"
            for v in self.values
        ]
        return head + "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- inputs


def check_year(year: Any, field: str = "year") -> int:
    low, high = YEARS
    if isinstance(year, bool) or not isinstance(year, int | float | np.integer | np.floating):
        raise ValidationError(f"{field}: expected a whole year in [{low}, {high}], got {year!r}")
    if not (math.isfinite(year) and float(year).is_integer() and low <= year <= high):
        raise ValidationError(f"{field}: {year!r} must be a whole year in [{low}, {high}]")
    return int(year)


def check_known_by(known_by: Any, year: int) -> pd.Timestamp:
    """``known_by`` as a Timestamp: None -> 1 January of ``year``; a date (ISO text, date,
    Timestamp) or a decimal year."""
    if known_by is None:
        return pd.Timestamp(f"{year}-01-01")
    from takeoff.classics.metr import to_timestamp, year_to_iso

    if isinstance(known_by, int | float) and not isinstance(known_by, bool):
        if not math.isfinite(known_by):
            raise ValidationError(f"known_by: {known_by!r} is not a finite year")
        whole = float(known_by).is_integer()
        known_by = f"{int(known_by)}-01-01" if whole else year_to_iso(float(known_by))
    stamp = to_timestamp(known_by, "known_by")
    if stamp < EARLIEST_KNOWN_BY or stamp > pd.Timestamp("2100-01-01"):
        raise ValidationError(
            f"known_by: {stamp.date()} must be between {EARLIEST_KNOWN_BY.date()} and 2100-01-01"
        )
    return stamp


def _decimal(stamp: pd.Timestamp) -> float:
    from takeoff.classics.metr import decimal_year

    return float(decimal_year([stamp])[0])


@cache
def _observations() -> pd.DataFrame:
    from takeoff.data.observations import load_observations

    return load_observations()


def _rows(series: str, known_by: pd.Timestamp) -> pd.DataFrame:
    frame = _observations()
    return frame[(frame["series"] == series) & (frame["published"] <= known_by)]


def _loglinear(years, values, at: float) -> tuple[float, float]:
    """(value at ``at``, slope b) of the OLS line ln v = a + b t (t centred for accuracy)."""
    t = np.asarray(years, float)
    b, a = np.polyfit(t - at, np.log(np.asarray(values, float)), 1)
    return float(np.exp(a)), float(b)


def _default(name: str) -> float:
    return float(registry()[name].default)


# --------------------------------------------------------------------------- builders


class _Builder:
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
        rate = _default(rate_name)
        self.add(
            name,
            _default(name) * math.exp(-rate * self.gap),
            "backcast",
            registry()[name].source,
            f"2026 value x exp(-{rate:g} x {self.gap}) ({rate_name}){note}",
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


def _largest_run(b: _Builder) -> None:
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


def _metr_horizon(b: _Builder) -> None:
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


def _latest_moved(b: _Builder, series: str, name: str, rate_name: str, unit: str = "") -> None:
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


def _gwp(b: _Builder) -> None:
    _latest_moved(b, "gwp_nominal", "gwp_2026", "baseline_gwp_growth", " (current US$)")


def _trend_or_backcast(
    b: _Builder,
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


def _capex(b: _Builder) -> None:
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
        backcast,
        ", / GWP",
        from_year=CAPEX_PROXY_FROM,
    )


def _purchase_ratio(b: _Builder) -> float:
    """(I_Y h_Y) / (I_2026 h_2026): a year's purchases of compute relative to 2026's."""
    capex = b.v("ai_capex_share_2026") * b.v("gwp_2026")
    capex_2026 = _default("ai_capex_share_2026") * _default("gwp_2026")
    return (
        capex
        * b.v("hardware_price_performance_2026")
        / (capex_2026 * _default("hardware_price_performance_2026"))
    )


def _compute(b: _Builder) -> None:
    def backcast():
        b.add(
            "installed_ai_compute_2026",
            _default("installed_ai_compute_2026") * _purchase_ratio(b),
            "backcast",
            registry()["installed_ai_compute_2026"].source,
            "2026 value x (capex x price-performance)_Y / (same)_2026: the fleet is the same "
            "number of years of purchases as in 2026",
        )

    _trend_or_backcast(b, "compute", "installed_ai_compute_2026", lambda v: v, backcast)


def _adoption(b: _Builder) -> None:
    """AI's share of work and revenue scale with the observed growth of OpenAI's run rate."""
    rows = _observations()
    rows = rows[rows["series"] == "ai_revenue_openai"].groupby("year")["value"].min()
    _, rate = _loglinear(rows.index.to_numpy(), rows.to_numpy(), float(REFERENCE_YEAR))
    note = f" (OpenAI run-rate growth {rows.index.min():g}-{rows.index.max():g}, published 2026)"
    for name in ("ai_work_share_2026", "ai_revenue_2026"):
        b.add(
            name,
            _default(name) * math.exp(-rate * b.gap),
            "backcast",
            registry()[name].source,
            f"2026 value x exp(-{rate:.2f} x {b.gap}){note}",
        )


def _leading_edge(b: _Builder) -> None:
    growth = _default("leading_edge_growth")
    b.add(
        "ai_share_of_leading_edge_2026",
        _default("ai_share_of_leading_edge_2026") * _purchase_ratio(b) * math.exp(growth * b.gap),
        "backcast",
        registry()["ai_share_of_leading_edge_2026"].source,
        "2026 share x chip purchases_Y / purchases_2026 x exp(leading_edge_growth x "
        f"{b.gap}): the world's leading-edge output moves back at its trend {growth:g}",
    )


def _rate_kept(b: _Builder, name: str) -> None:
    b.add(name, _default(name), "backcast", registry()[name].source, "2026 rate kept")


def initial_conditions(year: int, *, known_by: Any = None) -> InitialConditions:
    """The initial state for a start at the beginning of ``year`` (2020-2026) from the data
    published by ``known_by`` (default 1 January of ``year``); see the module docstring."""
    year = check_year(year)
    b = _Builder(year, check_known_by(known_by, year))
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
    return InitialConditions(year, b.known_by, tuple(b.values.values()))
