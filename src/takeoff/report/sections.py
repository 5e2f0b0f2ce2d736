"""HTML of the report's economy and binding-constraints sections (already escaped)."""

from __future__ import annotations

from html import escape

from takeoff.report.constraints import SAVINGS, SHADOW_SUFFIX
from takeoff.report.figures import ECONOMY_FANS, ECONOMY_TITLES, fan_chart, series_quantiles

ECONOMY_CAPTIONS = {
    "gwp": "Gross world product, $ trillion per year (log axis).",
    "wage": "Wage per worker, $ per year (log axis): the marginal product of labour.",
    "labour_share": "Labour's share of GWP (%): wages times workers over output.",
    "consumption": "Consumption, $ trillion per year (log axis): GWP less non-AI investment "
    "and AI capex.",
    "ai_capex_share": "AI capital expenditure as a share of GWP (%).",
}


def _figure(svg: str, caption: str, kind: str) -> str:
    return f'<figure class="{kind}">{svg}<figcaption>{caption}</figcaption></figure>'


def _source_note(views, series: str) -> str:
    """Which samples a chart's bands come from, per view where they differ."""
    parts = []
    for v in views:
        if v.deterministic:
            continue
        if series in v.result.quantiles:
            parts.append(f"{escape(v.key)}: all {v.result.n_samples:,} samples")
        elif series_quantiles(v, series) is not None:
            parts.append(f"{escape(v.key)}: the first {v.economy.n_samples:,} samples")
    return ("Bands from " + "; ".join(parts) + ".") if parts else ""


def economy_section(views, colours: list[str]) -> str:
    """Fan charts of the GWP level, wage, labour share, consumption and AI capex share."""
    out = []
    for series in ECONOMY_FANS:
        if all(series_quantiles(v, series) is None for v in views):
            continue
        caption = f"{escape(ECONOMY_CAPTIONS[series])} {_source_note(views, series)}"
        out.append(
            f"<h3>{escape(ECONOMY_TITLES[series])}</h3>"
            + _figure(fan_chart(views, series, colours), caption.strip(), "economy")
        )
    return "\n".join(out)


def constraint_label(name: str) -> str:
    """'power limit' for ``power_shadow_price``; the investment limit as named."""
    return name if name == SAVINGS else f"{name.replace('_', ' ')} limit"


def binding_cell(binding, view) -> str:
    """'from 2031 · 87% of samples · 62% still in 2100'; deterministic: 'from 2031, still
    in 2100'; 'never' when it never binds."""
    end = f"{view.result.end_year:.0f}"
    if binding is None:
        return "—"
    if binding.first_year is None:
        return "never"
    first = f"from {binding.first_year:.0f}"
    if view.deterministic:
        return f"{first}, {'still' if binding.share_at_end else 'no longer'} binding in {end}"
    return (
        f"{first} (median) · in {binding.share:.0%} of samples · "
        f"{binding.share_at_end:.0%} still in {end}"
    )


def constraints_section(views) -> str:
    """A table: one row per worldview, one column per constraint the series show."""
    have = [v for v in views if v.economy is not None]
    if not have:
        return '<p class="note">Not computed.</p>'
    names = list(dict.fromkeys(b.name for v in have for b in v.economy.bindings))
    if not names:
        return '<p class="note">The runs record no constraint that could bind.</p>'
    headers = ["worldview", "samples read"] + [escape(constraint_label(n)) for n in names]
    rows = []
    for v in have:
        found = {b.name: b for b in v.economy.bindings}
        read = "deterministic" if v.deterministic else f"first {v.economy.n_samples:,}"
        cells = [f"<b>{escape(v.key)}</b>", read]
        cells += [escape(binding_cell(found.get(n), v)) for n in names]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in headers)
    sources = "; ".join(
        f"{escape(constraint_label(n))}: "
        + (
            "<code>capital_investment + ai_capex</code> at <code>max_investment_share</code> × GWP"
            if n == SAVINGS
            else f"<code>{escape(n + SHADOW_SUFFIX)}</code> &gt; 0"
        )
        for n in names
    )
    return (
        '<div class="scroll"><table class="constraints"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<p class="note">A constraint binds in a year when {sources}. "from YEAR" is the '
        "first whole year it binds (the median over the samples in which it binds at all); "
        "then the share of samples in which it binds at some point, and the share in which "
        "it still binds in the last year.</p>"
    )


def first_year_section(views) -> str:
    """Each worldview's first year against the 2025-2026 observations (evidence.first_year)."""
    from takeoff.evidence.first_year import FACTOR, START_SHARE, observed

    have = [v for v in views if v.economy is not None]
    if not have:
        return '<p class="note">Not computed.</p>'
    seen = observed()
    rows = []
    for v in have:
        check = v.economy.first_year
        read = "deterministic" if v.deterministic else f"first {v.economy.n_samples:,}"
        if check is None:
            cells = [f"<b>{escape(v.key)}</b>", read, "—", "—", "—", "not a 2026 start"]
        else:
            verdicts = [
                "growth within range" if check.growth_ok else "growth outside range",
                "starts as observed" if check.start_ok else "starts below observed",
            ]
            cells = [
                f"<b>{escape(v.key)}</b>",
                read,
                f"${check.revenue_2026_median / 1e9:,.1f}B",
                f"{check.growth_median:.2g}x",
                f"{check.share_started:.0%}",
                escape("; ".join(verdicts)),
            ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    headers = [
        "worldview",
        "samples read",
        "AI revenue 2026 (median)",
        "growth 2026→2027 (median)",
        "samples starting at ≥ half the labs' run rates",
        "verdict",
    ]
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    low, high = seen.slowest_growth / FACTOR, seen.fastest_growth * FACTOR
    return (
        '<div class="scroll"><table class="first-year"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<p class="note">Observed just before the start (<code>takeoff data</code>): the two '
        f"largest labs' AI revenue grew {seen.slowest_growth:.2g}x (OpenAI) to "
        f"{seen.fastest_growth:.2g}x (Anthropic) in 2025-2026, and their run rates were "
        f"${seen.labs_run_rate / 1e9:,.1f}B together at the start of 2026. A view's first "
        f"year agrees when its median growth is within {FACTOR:g}x of that range "
        f"({low:.2g}x to {high:.2g}x) and at least {START_SHARE:.0%} of its samples start "
        "with half the labs' run rates or more. A view that fails contradicts what had "
        "already happened; docs/worldviews.md says why for the built-in ones.</p>"
    )
