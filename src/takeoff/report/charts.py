"""Matplotlib charts (PNG) of single runs."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def run_chart(result, path: str | Path, sample: int = 0) -> Path:
    """Three panels: automation shares, GWP growth, compute and power; milestones marked."""
    path = Path(path)
    years = result.years
    s = {name: arr[:, sample] for name, arr in result.series.items()}
    fig, axes = plt.subplots(3, 1, figsize=(9, 10), sharex=True)

    ax = axes[0]
    ax.plot(years, s["automatable_share"], label="automatable (capability)")
    ax.plot(years, s["automated_share"], label="automated (adopted)")
    ax.plot(years, s["cognitive_automated_share"], "--", label="cognitive tasks automated")
    ax.plot(years, s["rnd_automated_share"], ":", label="AI R&D tasks automated")
    ax.set_ylabel("share of tasks")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(f"takeoff: {result.scenario}")

    ax = axes[1]
    ax.plot(years, 100 * s["gwp_growth"], color="C3")
    ax.axhline(30, color="grey", lw=0.8, ls="--")
    ax.text(years[0], 31, "explosive growth (30%/yr)", fontsize=8, color="grey")
    ax.set_ylabel("GWP growth (%/yr)")
    ax.set_yscale("symlog", linthresh=10)

    ax = axes[2]
    ax.plot(years, s["ai_compute"], color="C0", label="installed AI compute (FLOP/s)")
    ax.set_yscale("log")
    ax.set_ylabel("FLOP/s")
    twin = ax.twinx()
    twin.plot(years, s["power_gw"], color="C1", label="power (GW)")
    twin.set_yscale("log")
    twin.set_ylabel("GW")
    ax.legend(loc="upper left", fontsize=8)
    twin.legend(loc="lower right", fontsize=8)
    ax.set_xlabel("year")

    marked = ("automated_20pct", "explosive_growth", "country_of_geniuses", "automated_100pct")
    for i, name in enumerate(marked):
        year = result.milestones[name][sample] if name in result.milestones else np.nan
        if np.isfinite(year):
            for a in axes:
                a.axvline(year, color="k", lw=0.6, alpha=0.4)
            # stagger the labels: milestones often fall in the same year
            axes[0].text(year, 0.98 - 0.26 * i, name, rotation=90, fontsize=7, va="top", ha="right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
