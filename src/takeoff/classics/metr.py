"""METR time horizons: doubling time of the 50% (and 80%) horizon of frontier models.

Data: METR's published per-model results (``metr_time_horizons_v1_1.yaml`` and ``_v1_0``),
one row per model with the p50/p80 horizon in minutes and METR's own ``is_sota`` flag (the
model's p50 horizon is at least that of every model released on or before its release date).

Method: ordinary least squares of ``log2(horizon)`` on the release date measured in decimal
years, on the SOTA models only. With ``log2 H = a + b t`` the doubling time is ``365.25 / b``
days. Confidence intervals come from a percentile bootstrap that resamples models (pairs),
vectorised as one batched least-squares over an index array. Extrapolation solves
``a + b t* = log2(target)`` for the year ``t*`` a target horizon is reached.

The batched-OLS helpers (:func:`ols_line`, :func:`bootstrap_ols`, :func:`decimal_year`) are
reused by :mod:`takeoff.classics.compute_trend`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import yaml

from takeoff.classics import ClassicResult
from takeoff.data import data_path
from takeoff.errors import FitError, ValidationError

DEFAULT_SEED = 20250319
DEFAULT_N_BOOT = 10_000
DAYS_PER_YEAR = 365.25
#: Work month and work year in minutes (167 h and 2000 h of working time).
WORK_MONTH_MINUTES = 167.0 * 60.0
WORK_YEAR_MINUTES = 2000.0 * 60.0
SINCE_2023 = "2023-01-01"
_EPOCH = pd.Timestamp("2000-01-01")
_VERSIONS = {"1.1": "metr_time_horizons_v1_1.yaml", "1.0": "metr_time_horizons_v1_0.yaml"}
_HORIZONS = {"p50": "p50_minutes", "p80": "p80_minutes"}


# --------------------------------------------------------------------------- dates


def to_timestamp(value: Any, field: str = "date") -> pd.Timestamp:
    """Parse a date-like value (ISO string, date, datetime, Timestamp) or raise ValidationError."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"{field}: cannot parse {value!r} as a date (use YYYY-MM-DD)"
        ) from exc
    if pd.isna(stamp):
        raise ValidationError(f"{field}: {value!r} is not a date")
    return stamp


def decimal_year(dates: Any) -> np.ndarray:
    """Uniform-day decimal year: ``t = 2000 + (date - 2000-01-01) / 365.25 days``.

    Every day has the same length in ``t``, so a slope ``b`` per year is exactly
    ``b / 365.25`` per day (this is why our doubling times agree with METR's to the day);
    ``t`` is within one day of the calendar decimal year.
    """
    stamps = pd.to_datetime(pd.Series(dates))
    days = (stamps - _EPOCH) / pd.Timedelta(days=1)
    return 2000.0 + days.to_numpy(dtype=float) / DAYS_PER_YEAR


def year_to_iso(year: float) -> str:
    """Inverse of :func:`decimal_year` for one value, as an ISO date string."""
    return (_EPOCH + pd.Timedelta(days=(year - 2000.0) * DAYS_PER_YEAR)).date().isoformat()


# --------------------------------------------------------------------------- OLS


def ols_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares line ``y = a + b x``; returns ``(a, b, r2)``.

    ``b = S_xy / S_xx`` and ``a = ȳ - b x̄`` with centred sums; ``r2 = 1 - SS_res / SS_tot``.
    Raises FitError with fewer than 3 points or no spread in ``x``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValidationError(f"x and y must be 1-D of equal length, got {x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValidationError("x and y must be finite (is a horizon or compute value <= 0?)")
    if x.size < 3:
        raise FitError(f"need at least 3 points for a trend line, got {x.size}")
    dx, dy = x - x.mean(), y - y.mean()
    sxx = float(dx @ dx)
    if sxx <= 0.0:
        raise FitError("all points share the same date; the slope is undefined")
    slope = float(dx @ dy) / sxx
    intercept = float(y.mean()) - slope * float(x.mean())
    ss_tot = float(dy @ dy)
    resid = dy - slope * dx
    r2 = 1.0 - float(resid @ resid) / ss_tot if ss_tot > 0.0 else 1.0
    return intercept, slope, r2


def bootstrap_ols(
    x: np.ndarray, y: np.ndarray, n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs bootstrap of :func:`ols_line`, batched over resamples.

    Draws an index array ``I`` of shape ``(n_boot, n)`` and solves all ``n_boot`` least-squares
    problems at once from row-wise centred sums. Returns ``(intercepts, slopes)``; resamples
    whose dates are all equal (``S_xx = 0``) have no slope and are dropped, so the arrays can be
    slightly shorter than ``n_boot``.
    """
    if n_boot < 100:
        raise ValidationError(f"n_boot must be at least 100, got {n_boot}")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    # Centre on the full-sample mean first so the row sums do not lose digits near t ~ 2020.
    xc = x - x.mean()
    xb, yb = xc[idx], y[idx]
    xm = xb.mean(axis=1, keepdims=True)
    ym = yb.mean(axis=1, keepdims=True)
    sxx = ((xb - xm) ** 2).sum(axis=1)
    sxy = ((xb - xm) * (yb - ym)).sum(axis=1)
    ok = sxx > 1e-12 * max(float(xc @ xc), 1e-300)
    slopes = sxy[ok] / sxx[ok]
    intercepts = ym[ok, 0] - slopes * (xm[ok, 0] + x.mean())
    if slopes.size < n_boot // 2:
        raise FitError("most bootstrap resamples were degenerate; too few distinct dates")
    return intercepts, slopes


def percentile_interval(samples: np.ndarray, level: float = 0.95) -> list[float | None]:
    """Percentile interval ``[q_(1-level)/2, q_(1+level)/2]``; ``+inf`` ends become ``None``.

    Uses the inverted-CDF quantile so infinite samples (e.g. "never reached") are not
    interpolated into NaN.
    """
    if not 0.0 < level < 1.0:
        raise ValidationError(f"level must lie in (0, 1), got {level}")
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(samples, [alpha, 1.0 - alpha], method="inverted_cdf")
    return [float(v) if np.isfinite(v) else None for v in (lo, hi)]


def crossing_year(intercept: Any, slope: Any, target: float) -> np.ndarray:
    """Year ``t*`` solving ``a + b t* = log2(target)``; ``+inf`` where ``b <= 0`` (never)."""
    a = np.asarray(intercept, dtype=float)
    b = np.asarray(slope, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (np.log2(target) - a) / b
    return np.where(b > 0.0, t, np.inf)


def doubling_interval(slopes: np.ndarray, level: float = 0.95) -> list[float | None]:
    """Interval for ``365.25 / b`` (days) from bootstrap slopes (non-positive slope: no doubling)."""
    with np.errstate(divide="ignore"):
        days = np.where(slopes > 0.0, DAYS_PER_YEAR / slopes, np.inf)
    return percentile_interval(days, level)


# --------------------------------------------------------------------------- data


def load_metr(version: str = "1.1") -> pd.DataFrame:
    """METR's per-model results, sorted by release date.

    Columns: model, release_date (datetime), year_fraction (see :func:`decimal_year`),
    p50_minutes, p50_ci_low, p50_ci_high, p80_minutes, p80_ci_low, p80_ci_high, is_sota.
    """
    if version not in _VERSIONS:
        raise ValidationError(f"version: {version!r} is not one of {sorted(_VERSIONS)}")
    with open(data_path(_VERSIONS[version]), encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    rows = []
    for name, entry in doc["results"].items():
        m = entry["metrics"]
        p50, p80 = m["p50_horizon_length"], m["p80_horizon_length"]
        rows.append(
            {
                "model": name,
                "release_date": pd.Timestamp(entry["release_date"]),
                "p50_minutes": float(p50["estimate"]),
                "p50_ci_low": float(p50["ci_low"]),
                "p50_ci_high": float(p50["ci_high"]),
                "p80_minutes": float(p80["estimate"]),
                "p80_ci_low": float(p80["ci_low"]),
                "p80_ci_high": float(p80["ci_high"]),
                "is_sota": bool(m["is_sota"]),
            }
        )
    frame = pd.DataFrame(rows).sort_values(["release_date", "model"], ignore_index=True)
    frame.insert(2, "year_fraction", decimal_year(frame["release_date"]))
    return frame


def published_doubling(version: str = "1.1") -> dict[str, Any]:
    """METR's own doubling-time figures stored in the yaml (empty for v1.0, which has none)."""
    if version not in _VERSIONS:
        raise ValidationError(f"version: {version!r} is not one of {sorted(_VERSIONS)}")
    with open(data_path(_VERSIONS[version]), encoding="utf-8") as fh:
        return yaml.safe_load(fh).get("doubling_time_in_days", {})


def _select(frame: pd.DataFrame, start: Any, horizon: str, sota_only: bool) -> pd.DataFrame:
    if horizon not in _HORIZONS:
        raise ValidationError(f"horizon: {horizon!r} is not one of {sorted(_HORIZONS)}")
    needed = {"release_date", "year_fraction", _HORIZONS[horizon]} | (
        {"is_sota"} if sota_only else set()
    )
    missing = needed - set(frame.columns)
    if missing:
        raise ValidationError(f"frame is missing columns {sorted(missing)} (use load_metr())")
    rows = frame[frame["is_sota"].astype(bool)] if sota_only else frame
    if start is not None:
        rows = rows[rows["release_date"] >= to_timestamp(start, "start")]
    if (rows[_HORIZONS[horizon]] <= 0).any():
        raise ValidationError(f"{_HORIZONS[horizon]} must be positive to take log2")
    return rows


def fit_doubling_time(
    frame: pd.DataFrame, start: Any = None, horizon: str = "p50", sota_only: bool = True
) -> dict[str, float | int]:
    """OLS of ``log2(horizon minutes)`` on ``year_fraction`` over frontier models.

    Returns doubling_days (``365.25 / b``), intercept (``a``, log2 minutes at year 0, so
    ``log2 H(t) = a + b t``), slope_log2_per_year (``b``), r2 and n. ``start`` keeps models
    released on or after that date; ``sota_only`` keeps METR's ``is_sota`` rows.
    """
    rows = _select(frame, start, horizon, sota_only)
    x = rows["year_fraction"].to_numpy(dtype=float)
    y = np.log2(rows[_HORIZONS[horizon]].to_numpy(dtype=float))
    a, b, r2 = ols_line(x, y)
    if b <= 0.0:
        raise FitError(f"{horizon} horizon is not growing over the selected models (slope {b:.3g})")
    return {
        "doubling_days": DAYS_PER_YEAR / b,
        "intercept": a,
        "slope_log2_per_year": b,
        "r2": r2,
        "n": int(x.size),
    }


def trend_summary(
    frame: pd.DataFrame,
    start: Any = None,
    horizon: str = "p50",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> dict[str, Any]:
    """Point fit, bootstrap CI and work-month / work-year crossing years for one selection."""
    fit = fit_doubling_time(frame, start=start, horizon=horizon)
    rows = _select(frame, start, horizon, sota_only=True)
    x = rows["year_fraction"].to_numpy(dtype=float)
    y = np.log2(rows[_HORIZONS[horizon]].to_numpy(dtype=float))
    # A fresh generator per fit keeps each result independent of the order fits are run in.
    intercepts, slopes = bootstrap_ols(x, y, n_boot, np.random.default_rng(seed))
    out: dict[str, Any] = {
        "doubling_days": fit["doubling_days"],
        "doubling_days_ci": doubling_interval(slopes, level),
        "r2": fit["r2"],
        "n": fit["n"],
    }
    for label, target in (("work_month", WORK_MONTH_MINUTES), ("work_year", WORK_YEAR_MINUTES)):
        year = float(crossing_year(fit["intercept"], fit["slope_log2_per_year"], target))
        out[f"year_1_{label}"] = year
        out[f"date_1_{label}"] = year_to_iso(year)
        out[f"year_1_{label}_ci"] = percentile_interval(
            crossing_year(intercepts, slopes, target), level
        )
    return out


def _with_suffix(key: str, suffix: str) -> str:
    """``doubling_days_ci`` + ``all`` -> ``doubling_days_all_ci`` (the ``_ci`` stays last)."""
    if not suffix:
        return key
    stem, ci = (key[:-3], "_ci") if key.endswith("_ci") else (key, "")
    return f"{stem}_{suffix}{ci}"


def _variant(frame: pd.DataFrame, horizon: str, n_boot: int, seed: int) -> dict[str, Any]:
    """All-time and since-2023 summaries under flat keys.

    Fit statistics get ``_all`` / ``_since_2023``; the crossing years keep their bare names
    (``year_1_work_month``) for the all-time fit and get ``_since_2023`` otherwise.
    """
    out: dict[str, Any] = {}
    for suffix, start in (("all", None), ("since_2023", SINCE_2023)):
        for key, value in trend_summary(frame, start, horizon, n_boot, seed).items():
            bare = suffix == "all" and key.startswith(("year_1_", "date_1_"))
            out[_with_suffix(key, "" if bare else suffix)] = value
    return out


def reproduce(
    seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_N_BOOT, **options: Any
) -> ClassicResult:
    """Doubling times and extrapolations for METR v1.1 (p50 headline; p80 and v1.0 nested)."""
    if options:
        raise ValidationError(f"metr: unknown options {sorted(options)}")
    frame = load_metr("1.1")
    values = _variant(frame, "p50", n_boot, seed)
    sota = frame[frame["is_sota"]]
    latest = sota.sort_values(["release_date", "p50_minutes"]).iloc[-1]
    values["latest_model"] = str(latest["model"])
    values["latest_release_date"] = latest["release_date"].date().isoformat()
    values["latest_p50_minutes"] = float(latest["p50_minutes"])
    values["latest_p80_minutes"] = float(latest["p80_minutes"])
    values["p80"] = _variant(frame, "p80", n_boot, seed)
    frame_v10 = load_metr("1.0")
    values["v1_0"] = _variant(frame_v10, "p50", n_boot, seed)
    values["v1_0_p80"] = _variant(frame_v10, "p80", n_boot, seed)

    pub = published_doubling("1.1")
    published: dict[str, Any] = {
        "doubling_days_all": pub["all_time_stitched"]["point_estimate"],
        "doubling_days_since_2023": pub["from_2023_on"]["point_estimate"],
        "doubling_days_since_2023_ci": [
            pub["from_2023_on"]["ci_low"],
            pub["from_2023_on"]["ci_high"],
        ],
    }

    def plot(path: str) -> None:
        plot_horizons(frame, values, path)

    return ClassicResult(name="metr", values=values, published=published, plot=plot)


def plot_horizons(frame: pd.DataFrame, values: dict[str, Any], path: str) -> None:
    """p50 horizon vs release date (log axis), both fit lines and the work-month/year levels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    other = frame[~frame["is_sota"]]
    sota = frame[frame["is_sota"]]
    ax.scatter(
        other["year_fraction"], other["p50_minutes"], color="0.6", s=18, label="other models"
    )
    ax.errorbar(
        sota["year_fraction"],
        sota["p50_minutes"],
        yerr=[sota["p50_minutes"] - sota["p50_ci_low"], sota["p50_ci_high"] - sota["p50_minutes"]],
        fmt="o",
        color="C0",
        ms=4,
        capsize=2,
        label="SOTA models (95% CI)",
    )
    t_end = max(values["year_1_work_year"], values["year_1_work_year_since_2023"]) + 0.3
    for start, color, label in ((None, "C1", "all"), (SINCE_2023, "C2", "since_2023")):
        fit = fit_doubling_time(frame, start=start)
        t0 = frame["year_fraction"].min() if start is None else decimal_year([start])[0]
        t = np.linspace(t0, t_end, 200)
        ax.plot(
            t,
            2.0 ** (fit["intercept"] + fit["slope_log2_per_year"] * t),
            color=color,
            label=f"fit {label}: doubling {fit['doubling_days']:.0f} d",
        )
    for minutes, name in (
        (WORK_MONTH_MINUTES, "1 work-month (167 h)"),
        (WORK_YEAR_MINUTES, "1 work-year (2000 h)"),
    ):
        ax.axhline(minutes, color="k", ls=":", lw=1)
        ax.text(frame["year_fraction"].min(), minutes * 1.15, name, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(top=WORK_YEAR_MINUTES * 30)
    ax.set_xlabel("release date (year)")
    ax.set_ylabel("50% time horizon (minutes)")
    ax.set_title("METR time horizons v1.1")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
