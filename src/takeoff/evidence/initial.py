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
  2018; capex of Amazon, Microsoft, Alphabet and Facebook 2015-2018) make GWP and the labour
  force observed for 2020 and 2022 starts (the capex rows before 2023 are not AI capex:
  :data:`CAPEX_PROXY_FROM`). Start values that are not model series (accelerator
  price-performance and efficiency, researchers, world power, the hardware and software
  rates, and the AI capex share and installed compute from NVIDIA's quarterly data-centre
  revenue) come from ``data/start_values.csv`` through
  :mod:`takeoff.evidence.initial_sources` for starts up to 2025;
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
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
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

    def with_value(self, name: str, value: float, note: str) -> InitialConditions:
        """A copy with ``name`` set to ``value`` (``note`` is added to its derivation)."""
        old = self[name]
        new = replace(old, value=float(value), derivation=f"{old.derivation}; {note}")
        return replace(self, values=tuple(new if v.name == name else v for v in self.values))

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


def initial_conditions(year: int, *, known_by: Any = None) -> InitialConditions:
    """The initial state for a start at the beginning of ``year`` (2020-2026) from the data
    published by ``known_by`` (default 1 January of ``year``); see the module docstring."""
    from takeoff.evidence.start_builder import build  # it builds InitialValue from here

    year = check_year(year)
    stamp = check_known_by(known_by, year)
    return InitialConditions(year, stamp, build(year, stamp))
