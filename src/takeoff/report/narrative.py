"""A short narrative of where worldviews diverge, computed from the Monte Carlo numbers.

Nothing here is hard-coded prose about particular worldviews: every sentence is
filled in from the medians, probabilities and parameter values of the views given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

import numpy as np
from scipy.stats import rankdata

from takeoff.params.schema import registry
from takeoff.report.compare import KEY_MILESTONES

FOCUS = "automated_100pct"


def effective_values(scenario) -> dict[str, float]:
    """Every parameter's value in a deterministic run: registry default, file value or median."""
    values = {name: spec.default for name, spec in registry().items()}
    values.update(scenario.point_values())
    return values


def parameter_distance(name: str, a: float, b: float) -> float:
    """|a - b| in units of the parameter's plausible range (log10 for log-scale parameters)."""
    spec = registry()[name]
    low, high = spec.plausible
    if spec.log_scale and min(a, b, low) > 0 and high > low:
        return abs(math.log10(a) - math.log10(b)) / math.log10(high / low)
    width = high - low if high > low else max(abs(low), 1.0)
    return abs(a - b) / width


def median_year(view, milestone: str) -> float:
    """Median year; +inf where fewer than half the samples reach the milestone."""
    s = view.summary.get(milestone)
    return math.inf if s is None or s["p50"] is None else float(s["p50"])


def fmt_year(year: float, end: float) -> str:
    return f"after {end:.0f}" if not math.isfinite(year) else f"{year:.0f}"


def fmt_value(value: float) -> str:
    return f"{value:.3g}"


def spearman_crux(view, milestone: str = FOCUS) -> tuple[str, float] | None:
    """The sampled parameter most rank-correlated with the milestone year (NaN ranked last)."""
    years = view.result.milestones.get(milestone)
    if years is None or not view.result.sampled:
        return None
    y = rankdata(np.where(np.isnan(years), np.inf, years))
    if np.ptp(y) == 0:
        return None
    best: tuple[str, float] | None = None
    for name, values in sorted(view.result.sampled.items()):
        x = rankdata(np.broadcast_to(values, years.shape))
        if np.ptp(x) == 0:
            continue
        rho = float(np.corrcoef(x, y)[0, 1])
        if best is None or abs(rho) > abs(best[1]):
            best = (name, rho)
    return best


@dataclass
class Divergence:
    """The computed facts behind the narrative (also handy for tests)."""

    milestone: str
    order: list[tuple[str, float]]  # (worldview, median year) earliest first
    spread: float  # years between earliest and latest median (inf if the latest never)
    top_parameters: list[tuple[str, float, float, float]] = field(default_factory=list)
    explosive: list[tuple[str, float]] = field(default_factory=list)  # P(by 2050), high first
    # (milestone, spread of medians, lower bound of the spread if a median is past the end)
    agreement: list[tuple[str, float, float]] = field(default_factory=list)
    cruxes: list[tuple[str, str, float]] = field(default_factory=list)


def divergence(views, milestone: str = FOCUS) -> Divergence:
    order = sorted(((v.key, median_year(v, milestone)) for v in views), key=lambda kv: kv[1])
    spread = order[-1][1] - order[0][1] if len(order) > 1 else 0.0
    by_key = {v.key: v for v in views}
    end = max(v.result.end_year for v in views)
    facts = Divergence(milestone, order, spread)
    if len(views) > 1:
        first = effective_values(by_key[order[0][0]].scenario)
        last = effective_values(by_key[order[-1][0]].scenario)
        ranked = sorted(
            ((n, first[n], last[n], parameter_distance(n, first[n], last[n])) for n in first),
            key=lambda item: -item[3],
        )
        facts.top_parameters = [item for item in ranked if item[3] > 1e-9][:3]
        for name in KEY_MILESTONES:
            medians = [median_year(v, name) for v in views if name in v.summary]
            if len(medians) > 1:
                spread = max(medians) - min(medians)
                floor = spread if math.isfinite(spread) else end - min(medians)
                facts.agreement.append((name, spread, floor))
        facts.agreement.sort(key=lambda item: (item[1], item[2]))
    probs = [
        (v.key, v.summary["explosive_growth"]["prob_by"].get("2050"))
        for v in views
        if "explosive_growth" in v.summary
    ]
    facts.explosive = sorted(
        ((k, p) for k, p in probs if p is not None), key=lambda kv: -kv[1]
    )  # fmt: skip
    for v in views:
        crux = spearman_crux(v, milestone)
        if crux is not None:
            facts.cruxes.append((v.key, *crux))
    return facts


def _spread_text(spread: float, floor: float) -> str:
    """'N years', or 'at least FLOOR years' when one median lies beyond the end year."""
    return f"{spread:.0f} years" if math.isfinite(spread) else f"at least {floor:.0f} years"


def _chance(view, p: float) -> str:
    """'P = 40%', or for a deterministic view whether its one run gets there."""
    if getattr(view, "deterministic", False):
        return "its one run gets there: deterministic" if p >= 0.5 else "deterministic: not reached"
    return f"P = {p:.0%}"


def narrative(views, milestone: str = FOCUS, pointers: bool = True) -> list[str]:
    """HTML paragraphs (already escaped) describing where the worldviews diverge.

    ``pointers``: also the heuristic pointers (the inputs furthest apart in units of their
    plausible range, each view's most rank-correlated parameter), which the report replaces
    by Shapley attributions and Sobol indices when it runs them."""
    if not views:
        return []
    facts = divergence(views, milestone)
    end = max(v.result.end_year for v in views)
    by_key = {v.key: v for v in views}
    units = registry()
    name = escape(milestone)
    paragraphs = []
    first_key, first_year = facts.order[0]
    ranges = {
        k: by_key[k].summary.get(milestone, {}) for k, _ in facts.order
    }  # p10/p90 for the text

    def position(key: str, year: float) -> str:
        s = ranges[key]
        if getattr(by_key[key], "deterministic", False):  # one run: a year, not a range
            if not math.isfinite(year):
                return f"no year by {end:.0f} (deterministic: its one run never gets there)"
            return f"the year {year:.0f} (deterministic: one run, no range)"
        if math.isfinite(year):
            high = fmt_year(math.inf if s["p90"] is None else s["p90"], end)
            return f"a median of {year:.0f} (10–90%: {fmt_year(s['p10'], end)}–{high})"
        reached = s.get("prob_reached", 0.0) if s else 0.0
        if reached == 0:
            share = "none of its samples reach it"
        elif reached < 0.01:
            share = "fewer than 1% of its samples reach it"
        else:
            share = f"only {reached:.0%} of its samples reach it"
        return f"a median after {end:.0f} ({share} by then)"

    if len(views) == 1:
        paragraphs.append(
            f"Only one worldview (<b>{escape(first_key)}</b>) was run: on <code>{name}</code> it "
            f"has {position(first_key, first_year)}."
        )
    else:
        last_key, last_year = facts.order[-1]
        order = " &lt; ".join(f"{escape(k)} ({fmt_year(y, end)})" for k, y in facts.order)
        paragraphs.append(
            f"On <code>{name}</code>, <b>{escape(first_key)}</b> is earliest with "
            f"{position(first_key, first_year)} and <b>{escape(last_key)}</b> is latest with "
            f"{position(last_key, last_year)}: the medians are "
            f"{_spread_text(facts.spread, end - first_year)} apart. Order of medians: {order}."
        )
    if facts.top_parameters and pointers:
        items = []
        for pname, a, b, dist in facts.top_parameters:
            items.append(
                f"<code>{escape(pname)}</code> ({fmt_value(a)} vs {fmt_value(b)} "
                f"{escape(units[pname].unit)}; {dist:.2g} plausible ranges apart)"
            )
        paragraphs.append(
            f"The inputs that differ most between {escape(facts.order[0][0])} and "
            f"{escape(facts.order[-1][0])} (distance in units of each parameter's plausible range, "
            f"on a log scale where the range spans orders of magnitude): {'; '.join(items)}."
        )
    elif len(views) > 1 and pointers:
        paragraphs.append(
            "The earliest and latest worldviews use the same central parameter values; "
            "they differ only in their uncertainty."
        )
    if len(facts.explosive) > 1:
        (hi_k, hi_p), (lo_k, lo_p) = facts.explosive[0], facts.explosive[-1]
        paragraphs.append(
            f"Explosive growth (GWP growth above 30%/yr) by 2050 is most likely under "
            f"<b>{escape(hi_k)}</b> ({_chance(by_key[hi_k], hi_p)}) and least likely under "
            f"<b>{escape(lo_k)}</b> ({_chance(by_key[lo_k], lo_p)})."
        )
    if len(facts.agreement) > 1:
        (agree, *a_spread), (split, *s_spread) = facts.agreement[0], facts.agreement[-1]
        paragraphs.append(
            f"Across worldviews the medians agree most on <code>{escape(agree)}</code> "
            f"(within {_spread_text(*a_spread)}) and least on <code>{escape(split)}</code> "
            f"({_spread_text(*s_spread)} apart)."
        )
    if facts.cruxes and pointers:
        items = [
            f"{escape(k)}: <code>{escape(p)}</code> (Spearman ρ = {rho:+.2f})"
            for k, p, rho in facts.cruxes
        ]
        paragraphs.append(
            f"Within each worldview, the sampled parameter most rank-correlated with the "
            f"<code>{name}</code> year: {'; '.join(items)}."
        )
    return paragraphs
