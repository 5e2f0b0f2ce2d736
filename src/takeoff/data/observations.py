"""Observed values of the AI industry, 2020-2026, with provenance (issues 11 and 13).

``observations.csv`` holds one row per observation: the observed series, the decimal year
the value refers to, the value in the model's units, an interval ``[low, high]`` (what kind
is said in ``interval``), the source, the date the source was published and notes. Rows
whose ``derived_by`` is set are computed from bundled raw files by the functions here
(:data:`DERIVATIONS`) and must equal what those functions give (a test checks it); all
other rows are typed from the cited source. ``python -m takeoff.data.observations``
recomputes the derived rows and keeps the typed ones.

Every observed series maps to one model series (:func:`series_mapping`). An observation
and a model value ``m`` at the same year agree (:func:`agrees`), with the series'
tolerance factor ``f >= 1``, when

    value_at_year, running_max, proxy:   low / f <= m <= high * f
    lower_bound:                          m >= low / f

``running_max`` says the observation is the best (or largest) seen by that date, e.g.
"METR horizon of the best model released by date t"; ``lower_bound`` that it covers only
part of the model's quantity (one company's revenue, chip power without the data centre).
No network access: everything is read from the package.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.data import data_path
from takeoff.errors import ValidationError

FILENAME = "observations.csv"
COLUMNS = (
    "series",
    "year",
    "value",
    "unit",
    "low",
    "high",
    "interval",
    "source",
    "published",
    "derived_by",
    "notes",
)
REQUIRED_TEXT = ("series", "unit", "interval", "source", "published")
NUMBERS = ("year", "value", "low", "high")
YEAR_RANGE = (1950.0, 2100.0)
COMPARISONS = ("value_at_year", "running_max", "lower_bound", "proxy")
#: Trend evaluation year and interval level of the Epoch frontier-trend rows.
TREND_YEAR = 2026.0
TREND_LEVEL = 0.90
#: Years whose start gets an Epoch "largest run published so far" row.
RECORD_YEARS = tuple(range(2020, 2026))
SIG_DIGITS = 6


@dataclass(frozen=True)
class SeriesMapping:
    """How an observed series is compared with a model series (see the module docstring)."""

    model_series: str
    unit: str
    comparison: str
    tolerance: float
    meaning: str


_MAPPING: dict[str, SeriesMapping] = {
    "largest_training_run": SeriesMapping(
        "largest_training_run",
        "FLOP",
        "running_max",
        2.0,
        "largest training run published on or before the date (Epoch notable models); the "
        "model's value is the largest run at that time. Tolerance 2x: runs are lumpy.",
    ),
    "time_horizon_minutes": SeriesMapping(
        "time_horizon_minutes",
        "minutes",
        "running_max",
        1.0,
        "METR 50% time horizon of the best model released by the date (v1.1, 95% CI).",
    ),
    "compute": SeriesMapping(
        "compute",
        "FLOP/s",
        "value_at_year",
        1.0,
        "installed AI accelerator compute, 16-bit dense: Epoch chip sales in H100-equivalents "
        "x 9.895e14 FLOP/s (H100 dense FP8 1,979 TFLOP/s halved).",
    ),
    "power_gw": SeriesMapping(
        "power_gw",
        "GW",
        "value_at_year",
        1.5,
        "power of AI data centres (facility level). Tolerance 1.5x: sources give points.",
    ),
    "ai_chip_power_gw": SeriesMapping(
        "power_gw",
        "GW",
        "lower_bound",
        1.0,
        "chip TDP of AI accelerators sold (Epoch), before server and data-centre overhead: "
        "a floor for facility power (Epoch's supercomputer method multiplies by 1.82 x PUE).",
    ),
    "power_gw_openai": SeriesMapping(
        "power_gw",
        "GW",
        "lower_bound",
        1.0,
        "compute capacity available to OpenAI alone: a floor for the industry's power.",
    ),
    "hyperscaler_capex": SeriesMapping(
        "ai_capex",
        "$/yr",
        "proxy",
        2.0,
        "total capital spending of the largest US cloud/AI firms: includes non-AI capex, "
        "misses other AI buyers (Oracle, CoreWeave, xAI, Chinese firms); hence a 2x tolerance.",
    ),
    "ai_revenue_openai": SeriesMapping(
        "ai_revenue",
        "$/yr",
        "lower_bound",
        1.0,
        "OpenAI's annualised revenue run rate: one company, a floor for industry AI revenue.",
    ),
    "ai_revenue_anthropic": SeriesMapping(
        "ai_revenue",
        "$/yr",
        "lower_bound",
        1.0,
        "Anthropic's annualised revenue run rate: one company, a floor for industry AI "
        "revenue (OpenAI + Anthropic together is a tighter floor).",
    ),
    "gwp_nominal": SeriesMapping(
        "gwp",
        "$/yr",
        "value_at_year",
        1.1,
        "world GDP at market exchange rates, current US$ (equal to the model's 2025 dollars "
        "in 2025; earlier years are not deflated, hence the 1.1x tolerance).",
    ),
    "labour_force": SeriesMapping(
        "labour_force",
        "workers",
        "value_at_year",
        1.05,
        "global labour force (employed plus unemployed, ILO). Tolerance 1.05x: ILO gives "
        "rounded figures and revises its estimates.",
    ),
}


def series_mapping() -> dict[str, SeriesMapping]:
    """Observed series -> :class:`SeriesMapping` (model series, unit, comparison, tolerance)."""
    return dict(_MAPPING)


# --------------------------------------------------------------------------- loading


def load_observations(path: str | Path | None = None) -> pd.DataFrame:
    """The observations as a validated DataFrame (bundled file unless ``path`` is given).

    Columns :data:`COLUMNS`; ``year, value, low, high`` are floats, ``published`` a
    Timestamp. Raises :class:`ValidationError` naming the row (1-based, as in a
    spreadsheet below the header) and field of the first problem found.
    """
    path = data_path(FILENAME) if path is None else Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"observations file {path} does not exist") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"observations file {path.name}: cannot parse CSV ({exc})") from None
    return validate_observations(raw, path.name)


def _fail(name: str, row: int, field: str, message: str) -> ValidationError:
    return ValidationError(f"{name} row {row + 1}, field {field!r}: {message}")


def validate_observations(raw: pd.DataFrame, name: str = FILENAME) -> pd.DataFrame:
    """Check and type a frame of strings read from the CSV (see :func:`load_observations`)."""
    missing = [c for c in COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in COLUMNS]
    if missing or extra:
        raise ValidationError(
            f"{name}: columns must be {', '.join(COLUMNS)}; missing {missing}, unknown {extra}"
        )
    frame = raw[list(COLUMNS)].fillna("").apply(lambda col: col.str.strip()).reset_index(drop=True)
    for field in REQUIRED_TEXT:
        empty = frame.index[frame[field] == ""]
        if len(empty):
            raise _fail(name, empty[0], field, "is empty")
    _check_series_and_units(frame, name)
    _check_derived_by(frame, name)
    for field in NUMBERS:
        numbers = pd.to_numeric(frame[field], errors="coerce")
        bad = frame.index[~np.isfinite(numbers.to_numpy(dtype=float))]
        if len(bad):
            raise _fail(name, bad[0], field, f"{frame.at[bad[0], field]!r} is not a finite number")
        frame[field] = numbers.astype(float)
    _check_numbers(frame, name)
    published = pd.to_datetime(frame["published"], format="%Y-%m-%d", errors="coerce")
    bad = frame.index[published.isna()]
    if len(bad):
        text = frame.at[bad[0], "published"]
        raise _fail(name, bad[0], "published", f"{text!r} is not a date YYYY-MM-DD")
    frame["published"] = published
    return frame


def _check_series_and_units(frame: pd.DataFrame, name: str) -> None:
    unknown = frame.index[~frame["series"].isin(list(_MAPPING))]
    if len(unknown):
        series = frame.at[unknown[0], "series"]
        raise _fail(
            name, unknown[0], "series", f"unknown series {series!r}; known: {', '.join(_MAPPING)}"
        )
    expected = frame["series"].map(lambda s: _MAPPING[s].unit)
    wrong = frame.index[frame["unit"] != expected]
    if len(wrong):
        i = wrong[0]
        raise _fail(
            name,
            i,
            "unit",
            f"{frame.at[i, 'unit']!r} for series {frame.at[i, 'series']!r}, which is in "
            f"{expected[i]!r} (the model's unit)",
        )


def _check_derived_by(frame: pd.DataFrame, name: str) -> None:
    bad = frame.index[~frame["derived_by"].isin(["", *DERIVATIONS])]
    if len(bad):
        raise _fail(
            name,
            bad[0],
            "derived_by",
            f"{frame.at[bad[0], 'derived_by']!r}; allowed: empty or {', '.join(DERIVATIONS)}",
        )


def _check_numbers(frame: pd.DataFrame, name: str) -> None:
    lo, hi = YEAR_RANGE
    checks = (
        ("year", (frame["year"] < lo) | (frame["year"] > hi), f"must lie in [{lo:g}, {hi:g}]"),
        ("value", frame["value"] <= 0, "must be positive"),
        ("low", frame["low"] <= 0, "must be positive"),
        ("low", frame["low"] > frame["value"], "must not exceed value"),
        ("high", frame["high"] < frame["value"], "must not be below value"),
    )
    for field, bad_mask, rule in checks:
        bad = frame.index[bad_mask]
        if len(bad):
            raise _fail(name, bad[0], field, f"{frame.at[bad[0], field]:g} {rule}")


# --------------------------------------------------------------------------- comparing


def agrees(observations: pd.DataFrame, model_values) -> np.ndarray:
    """Whether each observation agrees with the model value at its year (module docstring).

    ``model_values`` is one model value per row (same order, model units). Vectorised.
    """
    m = np.asarray(model_values, dtype=float)
    if m.shape != (len(observations),):
        raise ValidationError(
            f"model_values: need one value per observation ({len(observations)}), got {m.shape}"
        )
    mapping = observations["series"].map(_MAPPING)
    tol = mapping.map(lambda s: s.tolerance).to_numpy(dtype=float)
    lower_only = mapping.map(lambda s: s.comparison == "lower_bound").to_numpy(dtype=bool)
    low = observations["low"].to_numpy(dtype=float) / tol
    high = np.where(lower_only, np.inf, observations["high"].to_numpy(dtype=float) * tol)
    return (m >= low) & (m <= high)


# --------------------------------------------------------------------------- derived rows


def _row(series: str, year: float, value: float, low: float, high: float, **text) -> dict:
    def rounded(x: float) -> float:
        return float(f"{x:.{SIG_DIGITS}g}")

    return {
        "series": series,
        "year": round(float(year), 4),
        "value": rounded(value),
        "unit": _MAPPING[series].unit,
        "low": rounded(low),
        "high": rounded(high),
        **text,
    }


def epoch_record_rows() -> pd.DataFrame:
    """Largest training run published before the start of each year in :data:`RECORD_YEARS`,
    and at the last date in the Epoch file (``largest_run_at`` of the compute-trend module)."""
    from takeoff.classics import compute_trend
    from takeoff.classics.metr import decimal_year

    frame = compute_trend.load_epoch_models()
    last = frame["publication_date"].max()
    dates = [(float(y), pd.Timestamp(f"{y - 1}-12-31")) for y in RECORD_YEARS]
    dates.append((float(decimal_year([last])[0]), last))
    rows = []
    for year, date in dates:
        best = compute_trend._largest_row_at(date, frame)
        flop = float(best["training_compute_flop"])
        rows.append(
            _row(
                "largest_training_run",
                year,
                flop,
                flop,
                flop,
                interval=f"point (Epoch confidence: {best['confidence']})",
                source="Epoch AI notable models (bundled epoch_notable_ai_models.csv), "
                f"largest run published by {date.date()}: {best['model']}",
                published=best["publication_date"].date().isoformat(),
                derived_by="epoch_record",
                notes=f"{best['organization']}; file ends {last.date()}",
            )
        )
    return pd.DataFrame(rows)


def epoch_trend_rows() -> pd.DataFrame:
    """Frontier-trend value of training compute at :data:`TREND_YEAR`, two definitions.

    OLS ``log10 C = a + b t`` over 2010-2025 frontier runs (running top-5, the project's
    headline, and running top-1, i.e. the records); interval: percentile pairs bootstrap of
    ``a + b t`` at :data:`TREND_LEVEL` (seed and resamples of the compute-trend module).
    """
    from takeoff.classics import compute_trend
    from takeoff.classics.metr import bootstrap_ols, percentile_interval

    frame = compute_trend.load_epoch_models()
    rows = []
    for top_k, label in ((5, "running top-5 (headline)"), (1, "running record (top-1)")):
        runs = compute_trend.frontier_runs(2010, 2025, top_k, frame)
        fit = compute_trend.fit_growth(runs)
        x = runs["year_fraction"].to_numpy(dtype=float)
        y = np.log10(runs["training_compute_flop"].to_numpy(dtype=float))
        rng = np.random.default_rng(compute_trend.DEFAULT_SEED)
        intercepts, slopes = bootstrap_ols(x, y, compute_trend.DEFAULT_N_BOOT, rng)
        lo, hi = percentile_interval(intercepts + slopes * TREND_YEAR, TREND_LEVEL)
        point = fit["intercept"] + fit["slope_log10_per_year"] * TREND_YEAR
        rows.append(
            _row(
                "largest_training_run",
                TREND_YEAR,
                10.0**point,
                10.0**lo,
                10.0**hi,
                interval=f"{TREND_LEVEL:.0%} bootstrap CI of the trend line",
                source="takeoff classics compute-trend fit to Epoch AI notable models, "
                f"{label}, 2010-2025, evaluated at {TREND_YEAR:g}",
                published=runs["publication_date"].max().date().isoformat(),
                derived_by=f"epoch_trend_top{top_k}",
                notes=f"n = {fit['n']}, {fit['growth_per_year']:.2f}x/yr; line only, "
                "without the scatter of single runs around it",
            )
        )
    return pd.DataFrame(rows)


def metr_record_rows() -> pd.DataFrame:
    """METR v1.1 p50 horizon of each model that beat every model released before it."""
    from takeoff.classics.metr import load_metr

    frame = load_metr("1.1").sort_values(["release_date", "p50_minutes"], ignore_index=True)
    previous_best = frame["p50_minutes"].cummax().shift(fill_value=0.0)
    records = frame[frame["p50_minutes"] > previous_best]
    rows = [
        _row(
            "time_horizon_minutes",
            r.year_fraction,
            r.p50_minutes,
            r.p50_ci_low,
            r.p50_ci_high,
            interval="95% CI (METR)",
            source=f"METR Time Horizon v1.1 (bundled metr_time_horizons_v1_1.yaml): {r.model}",
            published=r.release_date.date().isoformat(),
            derived_by="metr_record",
            notes="best p50 horizon of models released by this date; published = release "
            "date (METR measured later)",
        )
        for r in records.itertuples()
    ]
    return pd.DataFrame(rows)


DERIVATIONS = {
    "epoch_record": epoch_record_rows,
    "epoch_trend_top5": epoch_trend_rows,
    "epoch_trend_top1": epoch_trend_rows,
    "metr_record": metr_record_rows,
}


def derived_rows() -> pd.DataFrame:
    """All derived rows, in file order, with the file's columns (``year, value, ...`` floats)."""
    builders = dict.fromkeys(DERIVATIONS.values())  # one call per function, in order
    frame = pd.concat([build() for build in builders], ignore_index=True)
    return frame.reindex(columns=list(COLUMNS), fill_value="")


def write_derived(path: str | Path | None = None) -> Path:
    """Recompute the derived rows of the observations file, keeping the typed ones first."""
    path = data_path(FILENAME) if path is None else Path(path)
    current = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    typed = current[current["derived_by"].str.strip() == ""]
    fresh = derived_rows().astype({c: object for c in NUMBERS})
    for c in NUMBERS:  # repr-free, readable numbers: 4.64e+26, 2025.3771
        fresh[c] = fresh[c].map(lambda v: f"{v:.{SIG_DIGITS}g}" if abs(v) >= 1e4 else repr(v))
    out = pd.concat([typed, fresh.astype(str)], ignore_index=True)[list(COLUMNS)]
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    load_observations(path)  # never leave an invalid file behind unnoticed
    return path


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(f"wrote {write_derived(sys.argv[1] if len(sys.argv) > 1 else None)}")
