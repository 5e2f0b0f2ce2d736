"""Monte Carlo outputs: the JSON summary, a Rich table and files (``takeoff mc``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from takeoff.uncertainty.montecarlo import BY_YEARS, QUANTILES, MCResult

QUANTILE_COLUMNS = tuple(f"q{round(100 * q):02d}" for q in QUANTILES)


def mc_json(result: MCResult) -> dict:
    """The documented JSON shape of ``takeoff mc --json`` (stable key order)."""
    return {
        "scenario": result.scenario,
        "n_samples": int(result.n_samples),
        "seed": int(result.seed),
        "end_year": float(result.end_year),
        "sampled_parameters": sorted(result.sampled),
        "milestones": result.milestone_summary(),
    }


def fmt_year(value, end_year: float) -> str:
    """A percentile year, or '>END' where fewer samples than that reached the milestone."""
    return f">{end_year:.0f}" if value is None else f"{value:.1f}"


def fmt_prob(summary: dict, year: int | str) -> str:
    value = summary["prob_by"].get(str(year))
    return "—" if value is None else f"{100 * value:.0f}%"


def mc_table(result: MCResult) -> Table:
    """Per milestone: 10/50/90th percentile year, SE of the median, P(by year)."""
    summary = result.milestone_summary()
    years = [y for y in BY_YEARS if y <= result.end_year + 1e-9]
    sampled = ", ".join(sorted(result.sampled)) or "none (every sample is identical)"
    table = Table(
        title=f"Monte Carlo — {escape(result.scenario)} ({result.n_samples:,} samples, seed {result.seed})",
        caption=f"sampled: {escape(sampled)}. >{result.end_year:.0f}: not reached by the end year. "
        "SE: Monte Carlo standard error of the median (years).",
    )
    table.add_column("milestone")
    for col in ("p10", "p50", "p90", "SE p50"):
        table.add_column(col, justify="right")
    for year in years:
        table.add_column(f"P≤{year}", justify="right")
    table.add_column("reached", justify="right")
    for name, s in summary.items():
        se = "—" if s["se_median"] is None else f"±{s['se_median']:.2f}"
        table.add_row(
            Text(name),
            fmt_year(s["p10"], result.end_year),
            fmt_year(s["p50"], result.end_year),
            fmt_year(s["p90"], result.end_year),
            se,
            *(fmt_prob(s, y) for y in years),
            f"{100 * s['prob_reached']:.0f}%",
        )
    return table


def milestone_frame(result: MCResult) -> pd.DataFrame:
    """One row per sample: sampled parameter values (``param.NAME``) and milestone years."""
    frame = pd.DataFrame({"sample": np.arange(result.n_samples)})
    for name in sorted(result.sampled):
        frame[f"param.{name}"] = np.broadcast_to(result.sampled[name], (result.n_samples,))
    for name, years in result.milestones.items():
        frame[name] = years
    return frame


def quantile_frame(result: MCResult) -> pd.DataFrame:
    """Long table: series, year and one column per quantile (q05 ... q95)."""
    parts = []
    for name, arr in result.quantiles.items():
        part = pd.DataFrame(arr.T, columns=list(QUANTILE_COLUMNS))
        part.insert(0, "year", result.years)
        part.insert(0, "series", name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def trajectory_frame(result: MCResult) -> pd.DataFrame:
    """Long table: sample, year and one column per kept series (yearly points)."""
    assert result.trajectories is not None
    n_years = result.years.size
    frame = pd.DataFrame(
        {
            "sample": np.repeat(np.arange(result.n_samples), n_years),
            "year": np.tile(result.years, result.n_samples),
        }
    )
    for name, arr in result.trajectories.items():  # (n_years, n)
        frame[name] = arr.T.reshape(-1)
    return frame


def write_mc_outputs(result: MCResult, out: Path, fmt: str = "csv") -> list[Path]:
    """Write summary.json, milestones, quantiles (and trajectories); all or nothing
    (``out`` is replaced whole: see :func:`takeoff.io_safety.staged_folder`)."""
    from takeoff.io_safety import staged_folder

    with staged_folder(out, "--out") as staging:
        frames = {"milestones": milestone_frame(result), "quantiles": quantile_frame(result)}
        if result.trajectories is not None:
            frames["trajectories"] = trajectory_frame(result)
        for stem, frame in frames.items():
            if fmt == "parquet":
                frame.to_parquet(staging / f"{stem}.parquet", index=False)
            else:
                frame.to_csv(staging / f"{stem}.csv", index=False)
        text = json.dumps(mc_json(result), indent=2, allow_nan=False)
        (staging / "summary.json").write_text(text + "\n")
        names = sorted(p.name for p in staging.iterdir())
    return [out / name for name in names]
