"""Growth of frontier training compute, 2010-2025, from Epoch AI's model database.

Frontier (headline definition): a model is a *frontier run* if, on its publication date, it
ranks in the top ``k = 5`` by training compute among all models in the database published on
or before that date (all domains), i.e. its running rank

    rank_i = 1 + #{j : date_j <= date_i and C_j > C_i}

is at most ``k``. Alternatives reported alongside: running top-10, the 10 largest runs of each
calendar year, Epoch's own "Compute rank when published" <= 10 (populated only from 2015 in
this file) and running top-5 without "Speculative" compute estimates.

Fit: OLS of ``log10(C)`` on decimal year ``t``, ``log10 C = a + b t``; growth per year is
``10^b`` and the doubling time ``12 log10(2) / b`` months. The 95% CI is a percentile pairs
bootstrap over frontier models (batched, see :func:`takeoff.classics.metr.bootstrap_ols`).

GPU price-performance is not fitted: ``epoch_hardware_prices.csv`` holds prices but no FLOP/s
column, and we do not add hardware specs from elsewhere.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from takeoff.classics import ClassicResult
from takeoff.classics.metr import (
    bootstrap_ols,
    decimal_year,
    ols_line,
    percentile_interval,
    to_timestamp,
    year_to_iso,
)
from takeoff.data import data_path
from takeoff.errors import FitError, ValidationError

DEFAULT_SEED = 20240501
DEFAULT_N_BOOT = 10_000
_COLUMNS = {
    "Model": "model",
    "Organization": "organization",
    "Publication date": "publication_date",
    "Domain": "domain",
    "Training compute (FLOP)": "training_compute_flop",
    "Confidence": "confidence",
    "Compute rank when published": "epoch_rank",
}
HEADLINE_DEFINITION = (
    "running top-5 by training compute at publication (whole database, all domains)"
)


def load_epoch_models() -> pd.DataFrame:
    """Epoch's models with a training-compute estimate, with our running rank added.

    Columns: model, organization, publication_date (datetime), domain,
    training_compute_flop, confidence, epoch_rank (Epoch's column, often missing),
    year_fraction, running_rank.
    """
    raw = pd.read_csv(data_path("epoch_notable_ai_models.csv"))
    missing = set(_COLUMNS) - set(raw.columns)
    if missing:
        raise ValidationError(f"epoch_notable_ai_models.csv lacks columns {sorted(missing)}")
    frame = raw[list(_COLUMNS)].rename(columns=_COLUMNS)
    frame["publication_date"] = pd.to_datetime(frame["publication_date"])
    frame = frame[frame["training_compute_flop"] > 0].sort_values(
        ["publication_date", "model"], ignore_index=True
    )
    frame["year_fraction"] = decimal_year(frame["publication_date"])
    frame["running_rank"] = running_rank(
        frame["year_fraction"].to_numpy(dtype=float),
        frame["training_compute_flop"].to_numpy(dtype=float),
    )
    return frame


def running_rank(t: np.ndarray, compute: np.ndarray) -> np.ndarray:
    """``rank_i = 1 + #{j : t_j <= t_i and C_j > C_i}`` (ties in compute share a rank).

    Same-day releases count against each other, so two runs announced together cannot both
    claim rank 1. O(n^2) memory, fine for the ~1,000 rows of the database.
    """
    t = np.asarray(t, dtype=float)
    compute = np.asarray(compute, dtype=float)
    if t.shape != compute.shape:
        raise ValidationError("t and compute must have the same shape")
    earlier_or_same = t[None, :] <= t[:, None]
    larger = compute[None, :] > compute[:, None]
    return 1 + (earlier_or_same & larger).sum(axis=1)


def _window(frame: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    if start_year > end_year:
        raise ValidationError(f"start_year {start_year} is after end_year {end_year}")
    years = frame["publication_date"].dt.year
    return frame[(years >= start_year) & (years <= end_year)]


def frontier_runs(
    start_year: int = 2010, end_year: int = 2025, top_k: int = 5, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Models published in ``[start_year, end_year]`` whose running rank is at most ``top_k``.

    The rank is taken over the whole database (back to 1950), so the window only selects
    which frontier runs are fitted, not who they compete with.
    """
    if int(top_k) < 1:
        raise ValidationError(f"top_k must be a positive integer, got {top_k}")
    frame = load_epoch_models() if frame is None else frame
    return _window(frame, start_year, end_year).loc[lambda f: f["running_rank"] <= top_k]


def top_by_year(
    start_year: int = 2010, end_year: int = 2025, k: int = 10, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``k`` largest training runs of each calendar year in the window."""
    if int(k) < 1:
        raise ValidationError(f"k must be a positive integer, got {k}")
    frame = _window(load_epoch_models() if frame is None else frame, start_year, end_year)
    ranked = frame.groupby(frame["publication_date"].dt.year)["training_compute_flop"].rank(
        ascending=False, method="first"
    )
    return frame[ranked <= k]


def largest_run_at(date: Any, frame: pd.DataFrame | None = None) -> float:
    """Largest training compute (FLOP) among models published on or before ``date``.

    ``date`` is date-like (``"2025-03-01"``, date, Timestamp) or a decimal year (``2025.2``).
    """
    return float(_largest_row_at(date, frame)["training_compute_flop"])


def _largest_row_at(date: Any, frame: pd.DataFrame | None = None) -> pd.Series:
    frame = load_epoch_models() if frame is None else frame
    # numbers.Real also catches NumPy scalars, which pd.Timestamp would read as nanoseconds.
    if isinstance(date, numbers.Real) and not isinstance(date, bool):
        if not np.isfinite(date):
            raise ValidationError(f"date: {date!r} is not a finite decimal year")
        date = year_to_iso(float(date))
    stamp = to_timestamp(date, "date")
    known = frame[frame["publication_date"] <= stamp]
    if known.empty:
        first = frame["publication_date"].min().date()
        raise ValidationError(
            f"date: {stamp.date()} is before the first model in the data ({first})"
        )
    return known.loc[known["training_compute_flop"].idxmax()]


def fit_growth(rows: pd.DataFrame) -> dict[str, float | int]:
    """OLS of ``log10(training FLOP)`` on ``year_fraction``.

    Returns growth_per_year (``10^b``), doubling_months (``12 log10 2 / b``),
    slope_log10_per_year (``b``), intercept (``a`` at year 0), r2 and n.
    """
    x = rows["year_fraction"].to_numpy(dtype=float)
    y = np.log10(rows["training_compute_flop"].to_numpy(dtype=float))
    a, b, r2 = ols_line(x, y)
    if b <= 0.0:
        raise FitError(f"training compute is not growing over the selected runs (slope {b:.3g})")
    return {
        "growth_per_year": float(10.0**b),
        "doubling_months": 12.0 * np.log10(2.0) / b,
        "slope_log10_per_year": b,
        "intercept": a,
        "r2": r2,
        "n": int(x.size),
    }


def growth_summary(
    rows: pd.DataFrame, n_boot: int = DEFAULT_N_BOOT, seed: int = DEFAULT_SEED, level: float = 0.95
) -> dict[str, Any]:
    """:func:`fit_growth` plus percentile-bootstrap CIs for growth and doubling time."""
    fit = fit_growth(rows)
    x = rows["year_fraction"].to_numpy(dtype=float)
    y = np.log10(rows["training_compute_flop"].to_numpy(dtype=float))
    _, slopes = bootstrap_ols(x, y, n_boot, np.random.default_rng(seed))
    lo, hi = percentile_interval(slopes, level)
    # Monotone maps of the slope: growth rises with b, doubling time falls with it.
    doubling_ci = [12.0 * np.log10(2.0) / hi, 12.0 * np.log10(2.0) / lo if lo > 0 else None]
    return {
        "growth_per_year": fit["growth_per_year"],
        "growth_per_year_ci": [float(10.0**lo), float(10.0**hi)],
        "doubling_months": float(fit["doubling_months"]),
        "doubling_months_ci": [float(v) if v is not None else None for v in doubling_ci],
        "r2": fit["r2"],
        "n": fit["n"],
        "first_date": rows["publication_date"].min().date().isoformat(),
        "last_date": rows["publication_date"].max().date().isoformat(),
    }


def hardware_price_performance_note() -> str:
    """Why GPU FLOP/s per $ is not fitted: the hardware file has no FLOP/s column."""
    columns = pd.read_csv(data_path("epoch_hardware_prices.csv"), nrows=0).columns
    flops = [c for c in columns if "flop" in c.lower()]
    if flops:  # pragma: no cover - the bundled file has none; guard against a future copy
        return f"not fitted: FLOP/s columns {flops} present but no fit is implemented yet"
    return "skipped: epoch_hardware_prices.csv has prices but no FLOP/s column"


def reproduce(
    seed: int = DEFAULT_SEED,
    n_boot: int = DEFAULT_N_BOOT,
    start_year: int = 2010,
    end_year: int = 2025,
    top_k: int = 5,
    **options: Any,
) -> ClassicResult:
    """Frontier compute growth (headline: running top-5), alternatives and the largest run."""
    if options:
        raise ValidationError(f"compute-trend: unknown options {sorted(options)}")
    frame = load_epoch_models()
    headline = frontier_runs(start_year, end_year, top_k, frame)
    values: dict[str, Any] = {"definition": HEADLINE_DEFINITION.replace("top-5", f"top-{top_k}")}
    values.update(growth_summary(headline, n_boot, seed))
    largest = _largest_row_at(f"{end_year}-12-31", frame)
    values["largest_run_flop"] = float(largest["training_compute_flop"])
    values["largest_run_model"] = str(largest["model"])
    values["largest_run_date"] = largest["publication_date"].date().isoformat()

    windowed = _window(frame, start_year, end_year)
    alternatives = {
        "running_top_10": frontier_runs(start_year, end_year, 10, frame),
        "top_10_by_year": top_by_year(start_year, end_year, 10, frame),
        # Epoch's rank column is only filled from 2015 on in this file.
        "epoch_rank_top_10": windowed[windowed["epoch_rank"] <= 10],
        "running_top_5_excl_speculative": headline[headline["confidence"] != "Speculative"],
        "all_models": windowed,
    }
    for key, rows in alternatives.items():
        summary = growth_summary(rows, n_boot, seed)
        values[key] = {
            k: summary[k]
            for k in ("growth_per_year", "growth_per_year_ci", "doubling_months", "n", "first_date")
        }
    values["gpu_price_performance"] = hardware_price_performance_note()

    published: dict[str, Any] = {
        "growth_per_year": [4.0, 5.0],
        "largest_run_flop": 5e26,
        "largest_run_model": "Grok 3",
        "gpu_price_performance": [1.3, 1.4],
    }

    def plot(path: str) -> None:
        plot_compute(windowed, headline, values, path)

    return ClassicResult(name="compute-trend", values=values, published=published, plot=plot)


def plot_compute(
    windowed: pd.DataFrame, frontier: pd.DataFrame, values: dict[str, Any], path: str
) -> None:
    """All models (grey), frontier runs (highlighted) and the frontier fit, on a log axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fit = fit_growth(frontier)
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.scatter(
        windowed["year_fraction"],
        windowed["training_compute_flop"],
        s=8,
        color="0.7",
        label="all models",
    )
    ax.scatter(
        frontier["year_fraction"],
        frontier["training_compute_flop"],
        s=20,
        color="C3",
        label="frontier runs",
    )
    t = np.linspace(windowed["year_fraction"].min(), windowed["year_fraction"].max(), 100)
    lo, hi = values["growth_per_year_ci"]
    ax.plot(
        t,
        10.0 ** (fit["intercept"] + fit["slope_log10_per_year"] * t),
        color="k",
        label=f"fit: {fit['growth_per_year']:.2f}x/yr (95% CI {lo:.2f}-{hi:.2f})",
    )
    ax.annotate(
        values["largest_run_model"],
        (decimal_year([values["largest_run_date"]])[0], values["largest_run_flop"]),
        xytext=(-70, -4),
        textcoords="offset points",
        fontsize=8,
        arrowprops={"arrowstyle": "-", "color": "0.4"},
    )
    ax.set_yscale("log")
    ax.set_xlabel("publication date (year)")
    ax.set_ylabel("training compute (FLOP)")
    ax.set_title("Frontier training compute (Epoch AI data)")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
