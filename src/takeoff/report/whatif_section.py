"""The report's "What would change each view's mind" section: per worldview, its headline
milestone under the hypothetical observations its speakers named
(``takeoff.evidence.whatif``; docs/evidence.md)."""

from __future__ import annotations

from html import escape


def _years(summary: dict | None) -> str:
    if summary is None:
        return "—"

    def year(value) -> str:
        return "&gt;end" if value is None else f"{value:.1f}"

    return f"{year(summary['p50'])} [{year(summary['p10'])}–{year(summary['p90'])}]"


def what_if_section(views) -> str:
    """One table per worldview that has a what-if table; a note when none has."""
    have = [v for v in views if v.what_if is not None]
    if not have:
        return (
            '<p class="note">None of the compared worldviews has hypothetical observations '
            "defined (<code>takeoff.evidence.whatif.WHAT_IFS</code>).</p>"
        )
    parts = []
    for view in have:
        table = view.what_if
        rows = []
        for case in table["cases"]:
            if case["posterior"] is None:
                cells = [escape(case["label"]), "too far in the prior's tail", "—", "&lt; 100"]
            else:
                shift = "—" if case["shift_years"] is None else f"{case['shift_years']:+.1f} y"
                cells = [
                    escape(case["label"]),
                    _years(case["posterior"]),
                    shift,
                    f"{case['ess']:,.0f}",
                ]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append(
            f"<h3>{escape(view.key)}: <code>{escape(table['milestone'])}</code>, prior "
            f"{_years(table['prior'])}</h3>"
            '<div class="scroll"><table class="what-if"><thead><tr><th>if we observe</th>'
            "<th>posterior p50 [p10–p90]</th><th>shift of p50</th><th>effective samples</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            f'<p class="note">{escape(table["source"])}.</p>'
        )
    return "\n".join(parts) + (
        '<p class="note">Each row reweights the worldview\'s own Monte Carlo samples by the '
        "likelihood of the observation (log-normal errors with the series' default SD); no "
        "new simulation. A row whose effective sample size falls below 100 is not shown: the "
        "observation lies too far in the prior's tail. Try others with "
        "<code>takeoff update NAME --observe SERIES=VALUE@YEAR</code> (docs/evidence.md).</p>"
    )
