"""The ``takeoff labs`` chart (PNG): revenue vs compute cost with bands, their ratio, GW
online against the industry build-out of seed 003, and the probability of bankruptcy.

Colours are from the Okabe-Ito palette (distinct under the common colour blindnesses).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

OKABE_ITO = ("#D55E00", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Seed 003 (Amodei): industry-wide compute build-out, GW (low, high) by year.
INDUSTRY_GW = {2026: (10, 15), 2027: (30, 40), 2028: (100, 100), 2029: (300, 300)}


def _band(ax, years, values, color, label, style="-"):
    lo, mid, hi = np.quantile(values, (0.1, 0.5, 0.9), axis=0)
    ax.fill_between(years, lo, hi, color=color, alpha=0.15, lw=0)
    ax.plot(years, mid, style, color=color, lw=2, label=label)


def labs_chart(result, path: str | Path) -> Path:
    """Four panels, one colour per strategy: (a) revenue (solid) and compute cost (dashed),
    median and p10-p90, log scale; (b) revenue / compute cost with the break-even line;
    (c) GW online with the seed-003 industry build-out; (d) share of paths bankrupt by each
    year (solid) and with a loss that year (dotted)."""
    years, p = result.years, result.params
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    (rev, ratio), (gw, risk) = axes
    rev.plot(
        years, np.median(result.demand, axis=0), ":", color="#7f7f7f", lw=2, label="demand (median)"
    )
    for i, s in enumerate(result.strategies):
        color = OKABE_ITO[i % len(OKABE_ITO)]
        acc = s.accounts
        _band(rev, years, acc["revenue"], color, f"{s.label}: revenue")
        _band(rev, years, acc["compute_cost"], color, f"{s.label}: compute cost", "--")
        _band(ratio, years, acc["revenue"] / acc["compute_cost"], color, s.label)
        _band(gw, years, acc["compute_gw"], color, s.label)
        risk.plot(
            years,
            100 * s.p_yearly("bankrupt"),
            "-o",
            color=color,
            lw=2,
            label=f"{s.label}: bankrupt by",
        )
        risk.plot(
            years,
            100 * s.p_yearly("loss"),
            ":",
            color=color,
            lw=1.5,
            label=f"{s.label}: loss that year",
        )
    ratio.axhline(1 / (1 - p.other_cost_share), color="k", lw=1, label="break-even")
    shown = [y for y in INDUSTRY_GW if years[0] <= y <= years[-1]]
    if shown:
        lo = [INDUSTRY_GW[y][0] for y in shown]
        hi = [INDUSTRY_GW[y][1] for y in shown]
        gw.vlines(shown, lo, hi, color="k", lw=4, label="whole industry (seed 003)")
        gw.plot(shown, hi, "k_", ms=12)
    rev.set(
        yscale="log", ylabel="$B per year", title="(a) revenue vs compute cost: median, p10-p90"
    )
    ratio.set(
        ylabel="revenue / compute cost", title="(b) revenue per $ of compute: median, p10-p90"
    )
    gw.set(
        yscale="log", ylabel="GW online", title=f"(c) compute online, bought {p.lead_time} yr ahead"
    )
    risk.set(ylim=(-3, 103), ylabel="% of demand paths", title="(d) bankruptcy and loss years")
    for ax in axes.flat:
        ax.set_xticks(years)
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    fig.suptitle(
        f"Buying compute ahead of demand: median demand growth {p.demand_growth:g}x/yr "
        f"(trend sd {p.trend_sd:g}, yearly sd {p.demand_sd:g}), {p.n_firms} Cournot firms, "
        f"{result.n_samples} paths, seed {result.seed}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)
