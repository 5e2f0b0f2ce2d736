"""What can be observed, and how a user states an observation.

An *observable* is a model series (or a fixed multiple of one, or its growth over the
year before) that someone could measure in the world: AI revenue, installed compute,
power, the METR time horizon. An :class:`Observation` is one measured (or hypothetical)
value of an observable at a year, with its uncertainty expressed on the scale where the
error is roughly normal:

* ``log`` observables (quantities that span orders of magnitude) have log-normal errors;
  ``sd`` is the standard deviation of ln(value).
* ``linear`` observables (shares, growth rates) have normal errors; ``sd`` is in the
  observable's unit.

On the command line an observation is ``SERIES=VALUE@YEAR[±SD]`` (``+-`` also works):
``ai_revenue=5e11@2030±30%``. A relative SD ``s%`` means sd = ln(1 + s/100) on the log
scale and sd = value * s/100 on the linear scale; an absolute SD ``s`` (in the
observable's unit) means sd = sqrt(ln(1 + (s/value)^2)) on the log scale (the
log-normal whose mean and SD are value and s) and sd = s on the linear scale. VALUE may
end in k, M, B or T (thousand, million, billion, trillion).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from takeoff.errors import ValidationError, brief

#: OpenAI's share of the AI industry's revenue: ~$20B annualised in early 2026
#: (observations.csv, ai_revenue_openai 2026.0) against the default run's $71B of AI revenue
#: in 2026; Anthropic ($9.5B) and the rest make up the remainder.
OPENAI_REVENUE_SHARE = 0.3
#: AI revenue is the AI income share of GWP.
REVENUE = ("ai_output_share", "gwp")


@dataclass(frozen=True)
class Observable:
    """A quantity that can be observed, in terms of one model series.

    value(t) = factor * prod_j series_j(t)               (kind "level")
    value(t) = level(t) / level(t - 1)                   (kind "growth": x per year)

    The series are among those the Monte Carlo keeps every year
    (``takeoff.uncertainty.montecarlo.FAN_SERIES``); AI revenue, for instance, is the
    AI income share times GWP.
    """

    name: str
    series: tuple[str, ...]
    unit: str
    scale: str  # "log" or "linear"
    default_sd: str  # as typed after ±
    description: str
    factor: float = 1.0
    kind: str = "level"


OBSERVABLES: dict[str, Observable] = {
    o.name: o
    for o in (
        Observable(
            "ai_revenue",
            REVENUE,
            "$/yr",
            "log",
            "25%",
            "revenue of the AI industry (the value of the work AI does), 2026 dollars per year",
        ),
        Observable(
            "openai_revenue",
            REVENUE,
            "$/yr",
            "log",
            "25%",
            f"OpenAI's revenue, taken as {OPENAI_REVENUE_SHARE:g} of the AI industry's (its "
            "share in early 2026: ~$20B of ~$70B)",
            factor=OPENAI_REVENUE_SHARE,
        ),
        Observable(
            "ai_revenue_growth",
            REVENUE,
            "x/yr",
            "log",
            "25%",
            "AI revenue over AI revenue a year earlier (10 = 10x per year)",
            kind="growth",
        ),
        Observable(
            "ai_compute",
            ("ai_compute",),
            "FLOP/s",
            "log",
            "30%",
            "installed AI compute (2026-equivalent FLOP/s)",
        ),
        Observable("power_gw", ("power_gw",), "GW", "log", "25%", "power drawn by AI data centres"),
        Observable(
            "ai_capex",
            ("ai_capex_share", "gwp"),
            "$/yr",
            "log",
            "25%",
            "spending on AI compute (chips, data centres, power) per year",
        ),
        Observable(
            "largest_training_run",
            ("largest_training_run",),
            "FLOP",
            "log",
            "50%",
            "largest training run at the time",
        ),
        Observable(
            "time_horizon_minutes",
            ("time_horizon_minutes",),
            "minutes",
            "log",
            "60%",
            "METR 50% time horizon of the best model (METR's CIs are ~2x either way)",
        ),
        Observable("gwp", ("gwp",), "$/yr", "log", "5%", "gross world product, 2026 dollars"),
        Observable("wage", ("wage",), "$/yr", "log", "10%", "average wage per worker"),
        Observable(
            "gwp_growth",
            ("gwp_growth",),
            "/yr",
            "linear",
            "0.01",
            "growth of gross world product over the year (0.03 = 3%/yr)",
        ),
        Observable(
            "automated_share",
            ("automated_share",),
            "share",
            "linear",
            "0.02",
            "share of the economy's work done by AI",
        ),
    )
}

_UNIT_SUFFIX = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
_PATTERN = re.compile(
    r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>[^@±]+?)\s*@\s*"
    r"(?P<year>[0-9.]+)\s*(?:(?:±|\+-|\+/-)\s*(?P<sd>\S+))?\s*$"
)
#: Earliest and latest years an observation may refer to (the model starts in 2026).
YEAR_RANGE = (2026.0, 2100.0)


@dataclass(frozen=True)
class Observation:
    """One observed value: ``observable`` at ``year`` is ``value`` with error ``sd``
    (standard deviation of ln(value) for log observables, in the unit otherwise)."""

    observable: Observable
    year: float
    value: float
    sd: float
    source: str = ""

    @property
    def label(self) -> str:
        shown = f"{self.value:.3g}"
        return f"{self.observable.name}={shown}@{self.year:g}"


def parse_number(text: str, where: str) -> float:
    """A plain number, optionally with a k/M/B/T suffix; finite."""
    raw = text.strip()
    scale = 1.0
    if raw and raw[-1] in _UNIT_SUFFIX:
        scale, raw = _UNIT_SUFFIX[raw[-1]], raw[:-1]
    try:
        value = float(raw) * scale
    except ValueError:
        raise ValidationError(f"{where}: {brief(text)} is not a number") from None
    if not math.isfinite(value):
        raise ValidationError(f"{where}: {brief(text)} is not a finite number")
    return value


def error_sd(observable: Observable, value: float, sd_text: str, where: str) -> float:
    """The error SD on the observable's scale from ``s%`` or an absolute ``s``."""
    text = sd_text.strip()
    relative = text.endswith("%")
    amount = parse_number(text[:-1] if relative else text, f"{where} SD")
    if amount <= 0:
        raise ValidationError(f"{where} SD: {brief(sd_text)} must be positive")
    if relative and not amount <= 1000:
        raise ValidationError(f"{where} SD: {brief(sd_text)} must be in (0%, 1000%]")
    if observable.scale == "log":
        sd = math.log1p(amount / 100) if relative else math.sqrt(math.log1p((amount / value) ** 2))
    else:
        sd = abs(value) * amount / 100 if relative else amount
    if not sd > 0:
        raise ValidationError(f"{where} SD: {brief(sd_text)} gives a zero error")
    return sd


def make_observation(
    name: str, value: float, year: float, sd: str | float | None = None, source: str = ""
) -> Observation:
    """An :class:`Observation`, checked: a known observable, a year in range, a value
    the observable can take, a positive SD (default: the observable's)."""
    where = f"observation {name}"
    if name not in OBSERVABLES:
        raise ValidationError(
            f"{where}: unknown series {brief(name)}; observable series are "
            + ", ".join(OBSERVABLES)
        )
    observable = OBSERVABLES[name]
    for label, number in (("value", value), ("year", year)):
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValidationError(f"{where}: {label} {brief(number)} is not a number")
        if not math.isfinite(number):
            raise ValidationError(f"{where}: {label} {brief(number)} is not a finite number")
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise ValidationError(
            f"{where}: year {year:g} is outside [{low:g}, {high:g}] (the model starts in 2026; "
            "earlier data belong to the backtest, `takeoff backtest`)"
        )
    if observable.scale == "log" and not value > 0:
        raise ValidationError(f"{where}: value {value:g} must be positive ({observable.unit})")
    if observable.kind == "growth" and year < low + 1:
        raise ValidationError(f"{where}: a growth over the year before needs year >= {low + 1:g}")
    sd_text = observable.default_sd if sd is None else sd
    if isinstance(sd_text, bool):
        raise ValidationError(f"{where}: SD {brief(sd_text)} is not a number")
    if isinstance(sd_text, int | float):
        sd_text = repr(float(sd_text))
    return Observation(
        observable, float(year), float(value), error_sd(observable, value, sd_text, where), source
    )


def parse_observation(text: str) -> Observation:
    """``SERIES=VALUE@YEAR[±SD]`` -> :class:`Observation` (module docstring)."""
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            f"observation {brief(text)}: expected SERIES=VALUE@YEAR[±SD], "
            "e.g. ai_revenue=5e11@2030±30%"
        )
    name = match["name"]
    where = f"observation {name}"
    value = parse_number(match["value"], f"{where} value")
    year = parse_number(match["year"], f"{where} year")
    return make_observation(name, value, year, match["sd"])


#: Keys of one ``[[observe]]`` table in an observations file.
FILE_KEYS = {"series", "value", "year", "sd", "source"}


def load_observations(path: str | Path) -> list[Observation]:
    """Observations from a TOML file of ``[[observe]]`` tables (series, value, year and
    optionally sd (a number in the unit, or "30%") and source)."""
    from takeoff.scenarios.files import read_toml

    path = Path(path)
    try:
        data = read_toml(path)  # a small regular UTF-8 file, never a FIFO or a device
    except ValidationError as exc:
        raise ValidationError(f"observations file: {exc}") from None
    unknown = set(data) - {"observe"}
    if unknown:
        raise ValidationError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; expected [[observe]]"
        )
    entries = data.get("observe")
    if not isinstance(entries, list) or not entries:
        raise ValidationError(f"{path}: expected at least one [[observe]] table")
    out = []
    for i, entry in enumerate(entries):
        where = f"{path}: observe[{i}]"
        if not isinstance(entry, dict):
            raise ValidationError(f"{where}: expected a table")
        extra = set(entry) - FILE_KEYS
        if extra:
            raise ValidationError(
                f"{where}: unknown key(s) {', '.join(sorted(extra))}; allowed: "
                + ", ".join(sorted(FILE_KEYS))
            )
        missing = {"series", "value", "year"} - set(entry)
        if missing:
            raise ValidationError(f"{where}: missing {', '.join(sorted(missing))}")
        source = entry.get("source", "")
        if not isinstance(source, str):
            raise ValidationError(f"{where}.source: expected a string")
        try:
            out.append(
                make_observation(
                    entry["series"], entry["value"], entry["year"], entry.get("sd"), source
                )
            )
        except ValidationError as exc:
            raise ValidationError(f"{where}: {exc}") from None
    return out
