"""Start values observed from sources published before the start (issue 13, item 2).

``takeoff/data/start_values.csv`` holds what was published about quantities that are not
model series (so not in ``observations.csv``, whose series each map to a model output):
accelerator price-performance and energy efficiency at launch, measured algorithmic
progress, the number of AI researchers, world electricity generation. Same columns as
``observations.csv``; ``published`` is what the ``known_by`` filter uses. Each builder here
takes the rows published by ``known_by`` and falls back to the backcast of
:mod:`takeoff.evidence.initial` (flagged look-ahead) when there are none.

Conversions to the model's units (stated in each value's derivation):

* price-performance: the newest accelerator's dense 16-bit FLOP/s per $ of its launch price
  (per GPU of NVIDIA's DGX server), halved for the rest of the data centre: the registry's
  ``hardware_price_performance_2026`` is all-in at ~2x the chip price. Not moved to the start
  year: it is the newest generation on sale then (V100 in Jan 2020, A100 in Jan 2022);
* energy efficiency: FLOP/s per W of chip TDP / (1000/700 x 1.2), the registry's own 2026
  convention (an H100 of 700 W TDP takes ~1,000 W with its host; PUE ~1.2);
* hardware growth: the log-linear slope of the price-performance rows (needs two), else the
  newest published trend of FLOP/s per $ (AI Impacts 2017, single precision);
* algorithmic progress: the published rate as is; before one was published, the published
  ratio of algorithmic to hardware gains (Grace 2013) times the start's hardware growth;
* researchers, power: the latest level moved to the start at the registry's growth rate;
* AI's work share and revenue: OpenAI's latest reported run rate before the start, as AI
  revenue through the share OpenAI is taken to have (``observables.OPENAI_REVENUE_SHARE``),
  and as work share through the registry's 2026 calibration (work share per $ of AI
  revenue); not moved to the start;
* AI capex: NVIDIA's data-centre revenue in the last quarter reported before the start
  (annualised), less networking (Mellanox, from mid-2020: about a third), times
  :data:`ALL_IN_COST_FACTOR` for servers, networking and buildings, the same factor that makes
  the price-performance all-in; over GWP. A lower bound of AI capex: other accelerators (TPUs)
  are left out, and some of the data-centre revenue is not for AI (HPC, virtual desktops);
* installed compute: every reported quarter's accelerator revenue times the newest launch
  price-performance (per $ of DGX price) by then, depreciated to the start at the registry's
  ``compute_depreciation``. Quarters before late 2017 (pre-Volta GPUs, no tensor cores) are not
  in the file: an undercount.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.data import data_path
from takeoff.errors import ValidationError

FILENAME = "start_values.csv"
UNITS = {
    "gpu_flops_per_dollar": "FLOP/s per $",
    "gpu_flops_per_watt": "FLOP/s per W",
    "algorithmic_progress": "1/yr",
    "algorithmic_to_hardware_gain": "ratio",
    "ai_researchers": "researchers",
    "world_power_generation": "TWh/yr",
    "datacenter_revenue": "$/yr",
    "price_performance_trend": "1/yr",
    "openai_revenue_run_rate": "$/yr",
}
#: All-in data-centre cost over the accelerator's price (registry, hardware_price_performance).
ALL_IN_COST_FACTOR = 2.0
#: Facility watts per watt of chip TDP: H100 ~1,000 W with host for 700 W TDP, x PUE 1.2.
FACILITY_WATTS_PER_CHIP_WATT = 1000.0 / 700.0 * 1.2
HOURS_PER_YEAR = 8760.0
#: NVIDIA closed the Mellanox acquisition on 2020-04-27; data-centre revenue after that includes
#: networking, "about one-third of data center revenue" (Q3 FY2021, Fierce Electronics
#: 2020-11-18; 14% of Q2 FY2021's total revenue, ~31% of Data Center). Not accelerators.
MELLANOX_FROM = 2020.32
NETWORKING_SHARE = 1.0 / 3.0
#: Each datacenter_revenue row is one quarter's revenue x 4.
QUARTER = 0.25
#: Last start year the file covers: its newest accelerator is the B200 (priced December 2024),
#: its last data-centre quarter Q3 FY2025. A 2026 start is the registry's own state.
LAST_SOURCED_START = 2025


@cache
def load_start_values(path: str | Path | None = None) -> pd.DataFrame:
    """The start-value sources as a typed, checked DataFrame (columns of observations.csv)."""
    from takeoff.data.observations import COLUMNS

    path = data_path(FILENAME) if path is None else Path(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(raw.columns) != list(COLUMNS):
        raise ValidationError(f"{path.name}: columns must be {', '.join(COLUMNS)}")
    frame = raw.apply(lambda col: col.str.strip())
    for i, row in frame.iterrows():
        where = f"{path.name} row {i + 1}"
        if row["series"] not in UNITS:
            raise ValidationError(f"{where}: unknown series {row['series']!r}")
        if row["unit"] != UNITS[row["series"]]:
            raise ValidationError(
                f"{where}: unit {row['unit']!r}, expected {UNITS[row['series']]!r}"
            )
        if not row["source"] or not row["interval"]:
            raise ValidationError(f"{where}: source and interval are required")
    for field in ("year", "value", "low", "high"):
        frame[field] = pd.to_numeric(frame[field], errors="raise").astype(float)
    if not ((frame["low"] <= frame["value"]) & (frame["value"] <= frame["high"])).all():
        raise ValidationError(f"{path.name}: need low <= value <= high")
    if not (frame["value"] > 0).all():
        raise ValidationError(f"{path.name}: values must be positive")
    frame["published"] = pd.to_datetime(frame["published"], format="%Y-%m-%d")
    return frame


def start_rows(series: str, known_by: pd.Timestamp, year: int) -> pd.DataFrame:
    """Rows of ``series`` published on or before ``known_by``, oldest first; none for a start
    after :data:`LAST_SOURCED_START`."""
    frame = load_start_values()
    rows = frame[(frame["series"] == series) & (frame["published"] <= known_by)]
    if year > LAST_SOURCED_START:
        rows = rows.iloc[:0]
    return rows.sort_values(["year", "published"])


def _sources(rows: pd.DataFrame) -> str:
    return "; ".join(dict.fromkeys(rows["source"]))


def _newest(b, series: str, name: str, convert, how: str, fallback) -> None:
    rows = start_rows(series, b.known_by, b.year)
    if rows.empty:
        fallback()
        return
    last = rows.iloc[-1]
    b.add(
        name,
        convert(last["value"]),
        "observed",
        last["source"],
        f"{last['value']:.4g} {last['unit']} at {last['year']:g} {how}",
        last["published"].date().isoformat(),
    )


def hardware_price_performance(b, fallback) -> None:
    _newest(
        b,
        "gpu_flops_per_dollar",
        "hardware_price_performance_2026",
        lambda v: v / ALL_IN_COST_FACTOR,
        f"(newest accelerator known, per $ of DGX price) / {ALL_IN_COST_FACTOR:g} all-in; "
        "not moved to the start (still the newest generation)",
        fallback,
    )


def energy_efficiency(b, fallback) -> None:
    _newest(
        b,
        "gpu_flops_per_watt",
        "energy_efficiency_2026",
        lambda v: v / FACILITY_WATTS_PER_CHIP_WATT,
        "(per W of chip TDP) / (1000/700 x 1.2): host and PUE as in the registry's 2026 value",
        fallback,
    )


def hardware_growth(b, fallback) -> None:
    rows = start_rows("gpu_flops_per_dollar", b.known_by, b.year)
    if rows["year"].nunique() < 2:
        _newest(
            b,
            "price_performance_trend",
            "hardware_growth_2026",
            lambda v: v,
            "(published trend of the cheapest single-precision FLOPS per $), used as the "
            "start's rate: one accelerator generation gives no slope",
            fallback,
        )
        return
    slope = float(np.polyfit(rows["year"], np.log(rows["value"]), 1)[0])
    b.add(
        "hardware_growth_2026",
        slope,
        "observed",
        _sources(rows),
        f"log-linear slope of {len(rows)} launch price-performance rows "
        f"({rows['year'].min():g}-{rows['year'].max():g}): {slope:.3f}/yr",
        rows["published"].max().date().isoformat(),
    )


def algorithmic_progress(b, fallback) -> None:
    """The newest measured rate once one is published (Hernandez & Brown, May 2020, image
    classification; Ho et al., March 2024, language models); before that Grace's
    (2013) ratio of algorithmic to hardware gains times the start's hardware growth:

        g_S = r g_H,   r = 0.75 (the midpoint of her "fifty to one hundred percent")

    so a 2020 start does not borrow the 2026 rate. Look-ahead only if g_H is."""
    if not start_rows("algorithmic_progress", b.known_by, b.year).empty:
        _newest(
            b,
            "algorithmic_progress",
            "algorithmic_progress_2026",
            lambda v: v,
            "(the newest published rate at which the compute for a fixed performance falls: "
            "see the source), used as the start's rate",
            fallback,
        )
        return
    rows = start_rows("algorithmic_to_hardware_gain", b.known_by, b.year)
    if rows.empty:
        fallback()
        return
    ratio, hardware = rows.iloc[-1], b.values["hardware_growth_2026"]
    b.add(
        "algorithmic_progress_2026",
        ratio["value"] * hardware.value,
        "observed",
        f"{ratio['source']}; hardware growth: {hardware.source}",
        f"{ratio['value']:g} (algorithmic gains over hardware gains, {ratio['low']:g}-"
        f"{ratio['high']:g} stated) x hardware_growth_2026 {hardware.value:.3f}/yr",
        max(ratio["published"].date().isoformat(), hardware.data_until),
        look_ahead=hardware.look_ahead,
    )


def _moved(b, series, name, rate, how, convert=lambda v: v) -> bool:
    rows = start_rows(series, b.known_by, b.year)
    if rows.empty:
        return False
    last = rows.iloc[-1]
    b.add(
        name,
        convert(last["value"]) * math.exp(rate * (b.year - last["year"])),
        "observed",
        last["source"],
        f"{last['value']:.4g} {last['unit']} at {last['year']:g}{how} moved to {b.year} at "
        f"{rate:g}/yr",
        last["published"].date().isoformat(),
    )
    return True


def ai_researchers(b, rate: float, fallback) -> None:
    how = " (authors at the top ML conferences)"
    if not _moved(b, "ai_researchers", "ai_researchers_2026", rate, how):
        fallback()


def world_power(b, rate: float, fallback) -> None:
    how = f" (/ {HOURS_PER_YEAR:g} h = GW average)"
    convert = lambda v: v * 1e3 / HOURS_PER_YEAR  # noqa: E731  TWh/yr -> GW
    if not _moved(b, "world_power_generation", "world_power_generation_gw", rate, how, convert):
        fallback()


def _accelerator_share(year: float) -> float:
    return 1.0 - NETWORKING_SHARE if year >= MELLANOX_FROM else 1.0


def _quarters_before_start(b) -> pd.DataFrame:
    """Data-centre quarters reported by ``known_by`` whose midpoint is before the start:
    purchases after the start are not part of the state at the start, whatever the hindsight."""
    rows = start_rows("datacenter_revenue", b.known_by, b.year)
    return rows[rows["year"] < b.year]


def ai_capex(b, fallback) -> None:
    """AI capex share of GWP from NVIDIA's last quarter before the start reported by
    ``known_by`` (a later ``known_by`` adds quarters reported late, never later quarters)."""
    rows = _quarters_before_start(b)
    if rows.empty:
        fallback()
        return
    last = rows.iloc[-1]
    share = _accelerator_share(last["year"])
    capex = last["value"] * share * ALL_IN_COST_FACTOR
    net = f" x {share:.3g} (less networking: Mellanox)" if share < 1 else ""
    b.add(
        "ai_capex_share_2026",
        capex / b.v("gwp_2026"),
        "observed",
        f"NVIDIA data-centre revenue, {last['notes'].split(':')[0]}: {last['source']}",
        f"NVIDIA data-centre revenue {last['value']:.4g} $/yr (the quarter at {last['year']:g}, "
        f"x 4){net} x "
        f"{ALL_IN_COST_FACTOR:g} all-in = {capex:.3g} $/yr of AI capex, / GWP; not moved to the "
        "start (the last quarter reported). A lower bound: other accelerators (TPUs) left out",
        last["published"].date().isoformat(),
    )


def installed_compute(b, depreciation: float, fallback) -> None:
    """Installed AI compute: each reported quarter's accelerator purchases at the price-
    performance of the newest accelerator launched by then, depreciated to the start."""
    revenue = _quarters_before_start(b)
    prices = start_rows("gpu_flops_per_dollar", b.known_by, b.year)
    total, used, parts = 0.0, [], {}
    for _, row in revenue.iterrows():
        launched = prices[prices["year"] <= row["year"]]
        if launched.empty:
            continue
        flops_per_dollar = float(launched.iloc[-1]["value"])
        spend = row["value"] * QUARTER * _accelerator_share(row["year"])
        survival = math.exp(-depreciation * (b.year - row["year"]))
        total += spend * flops_per_dollar * survival
        used.append(row)
        parts[flops_per_dollar] = parts.get(flops_per_dollar, 0) + spend
    if not used:
        fallback()
        return
    used = pd.DataFrame(used)
    bought = ", ".join(f"${v / 1e9:.1f}B at {k:.3g} FLOP/s per $" for k, v in parts.items())
    b.add(
        "installed_ai_compute_2026",
        total,
        "observed",
        "NVIDIA data-centre revenue per quarter (data/start_values.csv), first and last: "
        f"{_sources(used.iloc[[0, -1]])}; price-performance: "
        f"{_sources(prices)}",
        f"sum over {len(used)} NVIDIA data-centre quarters {used['year'].min():g}-"
        f"{used['year'].max():g} of accelerator revenue (networking removed after the Mellanox "
        f"deal; {bought}) x the newest launch FLOP/s per $ (DGX price) by then x exp(-"
        f"{depreciation:g} x age) (compute_depreciation). Pre-Volta purchases and other "
        "accelerators (TPUs) are not counted",
        max(used["published"].max(), prices["published"].max()).date().isoformat(),
    )


def ai_adoption(b, fallback) -> None:
    """AI revenue and work share from OpenAI's last run rate reported before the start:

        R_Y = r_OpenAI / s_OpenAI,    w_Y = w_2026 R_Y / R_2026

    (s_OpenAI = ``OPENAI_REVENUE_SHARE``; w_2026 / R_2026 the registry's calibration, work
    share per $ of AI revenue). Before any report, ``fallback``."""
    from takeoff.evidence.observables import OPENAI_REVENUE_SHARE
    from takeoff.params.schema import registry

    rows = start_rows("openai_revenue_run_rate", b.known_by, b.year)
    rows = rows[rows["year"] < b.year]
    if rows.empty:
        fallback()
        return
    last = rows.iloc[-1]
    revenue = float(last["value"]) / OPENAI_REVENUE_SHARE
    specs = registry()
    per_dollar = specs["ai_work_share_2026"].default / specs["ai_revenue_2026"].default
    how = (
        f"OpenAI run rate {last['value']:.3g} $/yr at {last['year']:g} / {OPENAI_REVENUE_SHARE:g} "
        "(OpenAI's share of AI revenue)"
    )
    published = last["published"].date().isoformat()
    b.add("ai_revenue_2026", revenue, "observed", last["source"], how, published)
    b.add(
        "ai_work_share_2026",
        revenue * per_dollar,
        "observed",
        last["source"],
        f"{how} x {per_dollar:.3g} work share per $ (the registry's 2026 calibration)",
        published,
    )
