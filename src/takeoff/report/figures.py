"""Matplotlib figures of compared worldviews, rendered as inline SVG (no files, no network).

Each figure becomes an ``<svg>`` string that can be pasted into HTML: the XML prolog,
DOCTYPE and namespace URIs are dropped (HTML parses inline SVG natively) and every
``id`` is prefixed so several figures can share one page.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from takeoff.report.palette import view_colours  # noqa: E402
from takeoff.uncertainty.montecarlo import QUANTILES  # noqa: E402

SVG_RC = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, rendered by the browser
    "svg.hashsalt": "takeoff",  # deterministic ids
    "font.size": 9,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
}
# Fan series: (series, axis label, scale factor, y scale, reference line)
FAN_SERIES = {
    "gwp_growth": ("GWP growth (%/yr)", 100.0, "symlog", 30.0),
    "automated_share": ("tasks automated (%)", 100.0, "linear", None),
    "power_gw": ("AI power draw (GW)", 1.0, "log", None),
}
FAN_TITLES = {
    "gwp_growth": "GWP growth rate",
    "automated_share": "Share of economy tasks automated",
    "power_gw": "Power drawn by AI compute",
}
# The economy section's charts (takeoff.report.economy), same layout.
ECONOMY_FANS = {
    "gwp": ("GWP ($ trillion/yr)", 1e-12, "log", None),
    "wage": ("wage ($ per worker/yr)", 1.0, "log", None),
    "labour_share": ("labour share of GWP (%)", 100.0, "linear", None),
    "consumption": ("consumption ($ trillion/yr)", 1e-12, "log", None),
    "ai_capex_share": ("AI capex (% of GWP)", 100.0, "linear", None),
}
ECONOMY_TITLES = {
    "gwp": "Gross world product (level)",
    "wage": "Wage",
    "labour_share": "Labour share",
    "consumption": "Consumption",
    "ai_capex_share": "AI capex share of GWP",
}
_counter = itertools.count(1)


def colours_of(views) -> list[str]:
    """One colour per view: built-ins keep theirs, the others take the unused ones."""
    return view_colours([v.key for v in views], [v.scenario.name for v in views])


def inline_svg(text: str) -> str:
    """SVG text as an inline-ready ``<svg>`` string: no prolog, DOCTYPE, namespace URIs or
    metadata, and every ``id`` prefixed so several figures can share one page."""
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text, count=2)
    prefix = f"f{next(_counter)}-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', text)
    return text.replace("<svg", '<svg role="img"', 1)


def drawn_svg(draw, *args) -> str:
    """Inline SVG of a chart function that writes a file, ``draw(*args, path)`` (such as
    :func:`takeoff.cruxes.charts.waterfall`): drawn into a temporary .svg file."""
    with tempfile.TemporaryDirectory() as tmp, plt.rc_context(SVG_RC):
        path = Path(tmp) / "chart.svg"
        draw(*args, path)
        return inline_svg(path.read_text(encoding="utf-8"))


def to_svg(fig) -> str:
    """The figure as an inline-ready ``<svg>`` string with unique ids; closes the figure."""
    buf = io.StringIO()
    meta = {"Date": None, "Creator": None, "Format": None, "Type": None}
    fig.savefig(buf, format="svg", metadata=meta, bbox_inches="tight")
    plt.close(fig)
    return inline_svg(buf.getvalue())


def series_quantiles(view, series: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(years, quantiles (len(QUANTILES), n_years)) of a series: from the Monte Carlo (all
    samples) if it keeps it, else from the report's economy pass, else None."""
    if series in view.result.quantiles:
        return view.result.years, view.result.quantiles[series]
    economy = getattr(view, "economy", None)
    if economy is not None and series in economy.quantiles:
        return economy.years, economy.quantiles[series]
    return None


def fan_chart(views, series: str, colours: list[str] | None = None) -> str:
    """Small multiples, one panel per worldview: median, 25–75% and 5–95% bands by year;
    a deterministic view (one run) is a line."""
    label, scale, yscale, reference = {**FAN_SERIES, **ECONOMY_FANS}[series]
    colours = colours or colours_of(views)
    q = {round(v, 2): i for i, v in enumerate(QUANTILES)}
    n = len(views)
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    with plt.rc_context(SVG_RC):
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(3.4 * ncols, 2.5 * nrows), sharex=True, sharey=True,
            squeeze=False,
        )  # fmt: skip
        for i, ax in enumerate(axes.flat):
            if i >= n:
                ax.set_visible(False)
                continue
            view = views[i]
            found = series_quantiles(view, series)
            c = colours[i]
            deterministic = getattr(view, "deterministic", False)
            ax.set_title(f"{view.key} (deterministic)" if deterministic else view.key)
            if found is None:
                ax.text(0.5, 0.5, "not recorded", ha="center", transform=ax.transAxes)
                continue
            years, data = found[0], found[1] * scale
            if not deterministic:
                ax.fill_between(years, data[q[0.05]], data[q[0.95]], color=c, alpha=0.18, lw=0)
                ax.fill_between(years, data[q[0.25]], data[q[0.75]], color=c, alpha=0.38, lw=0)
            ax.plot(years, data[q[0.5]], color=c, lw=1.6)
            if reference is not None:
                ax.axhline(reference, color="grey", lw=0.7, ls="--")
            if yscale == "symlog":
                ax.set_yscale("symlog", linthresh=10)
            elif yscale == "log":
                ax.set_yscale("log")
            ax.grid(alpha=0.25, lw=0.5)
            if i % ncols == 0:
                ax.set_ylabel(label)
            if i // ncols == nrows - 1 or i + ncols >= n:
                ax.set_xlabel("year")
                ax.tick_params(labelbottom=True)
        if series == "automated_share":
            axes.flat[0].set_ylim(-2, 102)
        fig.tight_layout()
        return to_svg(fig)


def empirical_cdf(years: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """P(milestone reached by each grid year); not-reached samples (NaN) never count."""
    reached = np.sort(years[np.isfinite(years)])
    return np.searchsorted(reached, grid, side="right") / max(years.size, 1)


def cdf_chart(
    views, milestone: str, description: str = "", colours: list[str] | None = None
) -> str:
    """CDF of one milestone's year, worldviews overlaid; dots mark each median."""
    colours = colours or colours_of(views)
    start = min(float(v.result.years[0]) for v in views)
    end = max(float(v.result.end_year) for v in views)
    grid = np.linspace(start, end, int(round((end - start) * 10)) + 1)
    with plt.rc_context(SVG_RC):
        fig, ax = plt.subplots(figsize=(9.0, 3.4))
        for i, view in enumerate(views):
            years = view.result.milestones.get(milestone)
            if years is None:
                continue
            cdf = empirical_cdf(years, grid)
            reached = np.mean(np.isfinite(years))
            what = "deterministic: " + ("reached" if reached else "not reached")
            if not getattr(view, "deterministic", False):
                what = f"reached {reached:.0%}"
            ax.plot(grid, cdf, color=colours[i], lw=1.6, label=f"{view.key} ({what})")
            median = view.summary[milestone]["p50"]
            if median is not None:
                ax.plot([median], [0.5], "o", color=colours[i], ms=4)
        ax.axhline(0.5, color="grey", lw=0.6, ls=":")
        ax.set_xlim(start, end)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("year")
        ax.set_ylabel("P(reached by year)")
        ax.set_title(f"{milestone}" + (f": {description}" if description else ""), loc="left")
        ax.grid(alpha=0.25, lw=0.5)
        ax.legend(loc="lower right")
        fig.tight_layout()
        return to_svg(fig)
