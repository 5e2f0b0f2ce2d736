"""Chart of a backtest: observed points with their intervals against the model's paths, one
panel per model series, log y (docs/evidence.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from takeoff.evidence.backtest import Backtest

#: Panel order and titles (model series -> title with unit).
PANELS = {
    "compute": "Installed AI compute (FLOP/s)",
    "power_gw": "AI power (GW)",
    "ai_capex": "AI capex ($/yr)",
    "ai_revenue": "AI revenue ($/yr)",
    "gwp": "Gross world product ($/yr)",
    "largest_training_run": "Largest training run (FLOP)",
    "time_horizon_minutes": "METR 50% time horizon (minutes)",
}
MARKERS = ("o", "s", "D", "v", "P", "X")
STYLES = ("-", "--", "-.", ":")


def plot_backtest(result: Backtest, path: str | Path) -> Path:
    """Save the chart as PNG at ``path`` and return it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(17, 8), constrained_layout=True)
    flat = axes.ravel()
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    rows = result.rows
    first = rows["scenario"].iloc[0]
    observed = rows[rows["scenario"] == first]
    for ax, (series, title) in zip(flat, PANELS.items(), strict=False):
        for i, paths in enumerate(result.paths.values()):
            if series not in paths:
                continue
            low, median, high = paths[series]
            colour = colours[i % len(colours)]
            # Worldviews that share a path would hide the first one (the default): draw it on top.
            ax.plot(result.years, median, color=colour, lw=1.6, ls=STYLES[i % 4], zorder=9 - i)
            if result.samples:
                ax.fill_between(result.years, low, high, color=colour, alpha=0.15, lw=0)
        here = observed[observed["model_series"] == series]
        for j, (obs_name, group) in enumerate(here.groupby("series", sort=False)):
            floor = (group["comparison"] == "lower_bound").all()
            y = group["observed"].to_numpy()
            err = np.vstack([y - group["low"].to_numpy(), group["high"].to_numpy() - y])
            ax.errorbar(
                group["year"],
                y,
                yerr=err,
                fmt="^" if floor else MARKERS[j % len(MARKERS)],
                mfc="none" if floor else "black",
                color="black",
                ms=5,
                capsize=2,
                lw=0.8,
                label=f"{obs_name}{' (floor)' if floor else ''}",
            )
        ax.set_yscale("log")
        # Medians and observations set the scale; a band reaching 1e16 minutes would hide them.
        seen = [here[["low", "high"]].to_numpy().ravel()]
        seen += [p[series][1] for p in result.paths.values() if series in p]
        seen = np.concatenate(seen)
        seen = seen[np.isfinite(seen) & (seen > 0)]
        if seen.size:
            pad = 10.0 ** (0.08 * np.log10(seen.max() / seen.min()) + 0.02)
            ax.set_ylim(seen.min() / pad, seen.max() * pad)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(result.start, result.end)
        ax.grid(alpha=0.3, which="major")
        ax.legend(fontsize=7, loc="upper left")
    info = flat[-1]
    info.axis("off")
    lines = [
        plt.Line2D([], [], color=colours[i % len(colours)], lw=1.6, ls=STYLES[i % 4], label=name)
        for i, name in enumerate(result.paths)
    ]
    info.legend(handles=lines, loc="upper left", fontsize=9, title="worldview")
    info.text(
        0.0,
        0.22,
        f"Backtest from {result.start} (data published by {result.initial.known_by.date()}).\n"
        "Lines: model medians per worldview"
        + (" with 90% bands" if result.samples else " (deterministic)")
        + ".\nBlack: observations with intervals;\nopen triangles: floors (one company, chips "
        "only).\nSource: takeoff/data/observations.csv.",
        fontsize=9,
        va="center",
    )
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
