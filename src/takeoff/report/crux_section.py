"""HTML of the report's crux analyses (:mod:`takeoff.report.divergence`), already escaped.

Per explained pair: a line with both values, the difference and its standard error, the
Shapley waterfall (``takeoff.cruxes.charts.waterfall`` drawn as inline SVG) and one
sentence per top group (``Attribution.sentences``). Then, per worldview, its top three
Sobol total indices for the milestone year and for GWP growth.
"""

from __future__ import annotations

from html import escape

import numpy as np

from takeoff.cruxes.attribution import BOOTSTRAP
from takeoff.report.figures import drawn_svg

TOP = 3


def _censored(att) -> str:
    if not (att.censored_a or att.censored_b):
        return ""
    return (
        f" Never reached by the end year (counted as the end year): {escape(att.a)} "
        f"{att.censored_a:.0%}, {escape(att.b)} {att.censored_b:.0%}."
    )


def attribution_block(pair, att, error: str | None) -> str:
    """One explained pair: heading, the difference with its SE, waterfall, sentences."""
    why = "furthest apart" if pair.furthest else "always shown"
    head = (
        f"<h4><code>{escape(pair.milestone)}</code>: {escape(pair.a)} vs {escape(pair.b)} "
        f'<span class="note">({why})</span></h4>'
    )
    if att is None:
        return head + f'<p class="note">Not attributed: {escape(error or "")}</p>'
    from takeoff.cruxes.charts import waterfall

    m = att.metric
    how = "exact" if att.exact else f"estimated from {att.orders} sampled orders"
    summary = (
        f"<p>{escape(m.label)}: {escape(att.a)} {escape(m.fmt(att.value_a))} → {escape(att.b)} "
        f"{escape(m.fmt(att.value_b))}, <b>{escape(m.fmt_delta(att.total))}</b> "
        f"(SE {m.scale * att.se_total:.2f}). Shapley values {how} over {len(att.groups)} "
        f"groups of parameters ({att.coalitions} hybrid worldviews × {att.n_samples:,} "
        f"samples).{_censored(att)}</p>"
    )
    svg = drawn_svg(waterfall, att)
    caption = (
        f"From {escape(att.a)} (top) to {escape(att.b)} (bottom): each bar adds one group's "
        "Shapley value, ±1 SE; circle: the group swapped alone into "
        f"{escape(att.a)}; cross: taken last out of {escape(att.b)}."
    )
    items = "".join(f"<li>{escape(s)}</li>" for s in att.sentences(top=TOP))
    return (
        head + summary + f'<figure class="waterfall">{svg}<figcaption>{caption}</figcaption>'
        f'</figure><ul class="sentences">{items}</ul>'
    )


def _index_cell(sens, ix, g: int) -> str:
    group = sens.groups[g]
    st, conf, s1 = ix.ST[g], ix.ST_conf[g], ix.S1[g]
    if not np.isfinite(st):
        return "—"
    return (
        f"<code>{escape(group.name)}</code> ST {st:.2f} ± {conf:.2f}"
        f' <span class="note">(S1 {s1:.2f})</span>'
    )


def sensitivity_table(cruxes, views) -> str:
    """Per worldview and output, the three largest total indices."""
    rows = []
    for v in views:
        sens, error = cruxes.sensitivities.get(v.key, (None, "not run"))
        if sens is None:
            rows.append(
                f'<tr><td><b>{escape(v.key)}</b></td><td colspan="4" class="note">'
                f"{escape(error or '')}</td></tr>"
            )
            continue
        for key, ix in sens.outputs.items():
            note = f"; never reached: {ix.censored:.0%}" if ix.censored else ""
            label = f'{escape(ix.label)} <span class="note">(sd {ix.sd:.2f} {escape(ix.unit)}{escape(note)})</span>'
            ranked = [g for g in ix.ranked() if np.isfinite(ix.ST[g])][:TOP]
            cells = [_index_cell(sens, ix, g) for g in ranked]
            if not cells:
                cells = ['<span class="note">no variance: indices undefined</span>']
            cells += [""] * (TOP - len(cells))
            name = f"<b>{escape(v.key)}</b>" if key == "year" else ""
            rows.append(
                "<tr>"
                + f"<td>{name}</td><td>{label}</td>"
                + "".join(f"<td>{c}</td>" for c in cells)
                + "</tr>"
            )
    head = "<tr><th>worldview</th><th>output</th><th>1st</th><th>2nd</th><th>3rd</th></tr>"
    return f'<div class="scroll"><table class="sobol"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def cruxes_section(cruxes, views) -> str:
    """The crux part of the divergence section, with the sample sizes and errors stated."""
    parts = [
        "<h3>Why the views furthest apart differ</h3>",
        '<p class="note">For each headline milestone, the two worldviews whose medians are '
        "furthest apart (a sample that never reaches the milestone counts as the end year), "
        "and amodei vs besiroglu-erdil when both are compared. The difference of their "
        "median years is split between groups of parameters by Shapley attribution "
        "(<code>takeoff cruxes A B</code>, docs/cruxes.md): each group's value is its "
        "average contribution over every order in which the groups could be swapped from "
        f"one view into the other; the values sum to the difference. Monte Carlo size: "
        f"{cruxes.n_samples:,} samples per hybrid worldview (seed {cruxes.seed}, common "
        f"random numbers); SE: bootstrap standard error over samples ({BOOTSTRAP} "
        "replicates). Each sentence reads: group (its parameters): Shapley value (SE) of "
        "the total; what the group changes when swapped alone into the first view, and "
        "when taken last out of the second (far apart: it interacts with other groups).</p>",
    ]
    if cruxes.skipped:
        parts.append(
            '<p class="note">Not attributed (every view has the same median): '
            + ", ".join(f"<code>{escape(m)}</code>" for m in cruxes.skipped)
            + ".</p>"
        )
    parts += [attribution_block(p, att, err) for p, att, err in cruxes.attributions]
    parts += [
        "<h3>What matters within each view</h3>",
        '<p class="note">Sobol indices (<code>takeoff sensitivity NAME</code>, SALib): the '
        "total index ST is the share of the output's variance in which a group of "
        "parameters takes part (alone or with others); S1 the share it explains alone. "
        "Rank-correlated parameters form one group. The three largest ST per output, with "
        f"their 95% bootstrap interval (±); {cruxes.n_base:,} base samples per view "
        "(N (G + 2) runs for G groups). With so few samples the intervals are wide: read "
        "the order of the largest groups, not the second digit.</p>",
        sensitivity_table(cruxes, views),
        f'<p class="note">Crux analyses took {cruxes.seconds:.0f} s.</p>',
    ]
    return "\n".join(parts)
