"""One self-contained HTML report comparing worldviews (``takeoff compare --report``).

Everything is inline: CSS in the template (``compare.html`` beside this module),
charts as matplotlib SVG, no JavaScript. The file works offline and fetches nothing.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path
from string import Template

from takeoff import __version__
from takeoff.params.schema import registry
from takeoff.report.compare import KEY_MILESTONES, Worldview, comparison_rows, table_legend
from takeoff.report.figures import FAN_SERIES, FAN_TITLES, cdf_chart, colours_of, fan_chart
from takeoff.report.narrative import effective_values, fmt_value, narrative
from takeoff.report.sections import constraints_section, economy_section, first_year_section
from takeoff.report.whatif_section import what_if_section

FAN_CAPTIONS = {
    "gwp_growth": "Annual growth rate of gross world product (%/yr, symmetric-log axis); the "
    "dashed line is the 30%/yr threshold for explosive growth.",
    "automated_share": "Share of economy tasks actually automated (adoption-weighted).",
    "power_gw": "Electric power drawn by installed AI compute (GW, log axis).",
}
DIST_META = {"dist", "source", "unit", "note"}


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """An HTML table from already-escaped cells; ``classes`` per column (e.g. 'num')."""
    classes = classes or [""] * len(headers)
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for cls, cell in zip(classes, row, strict=True):
            if isinstance(cell, tuple):  # (text, extra class)
                cell, extra = cell
                cls = f"{cls} {extra}".strip()
            attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{attr}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def describe_entry(scenario, name: str) -> str:
    """A parameter as the scenario gives it: a value or 'family(key=value, ...)'."""
    if name in scenario.distributions:
        spec = scenario.distributions[name]
        args = ", ".join(
            f"{k}={fmt_value(v) if isinstance(v, int | float) and not isinstance(v, bool) else v}"
            for k, v in spec.items()
            if k not in DIST_META
        )
        return f"{spec['dist']}({args})"
    return fmt_value(scenario.values[name])


def _given(scenario) -> list[str]:
    """Parameters the scenario sets (value or distribution), in registry order."""
    given = set(scenario.values) | set(scenario.distributions)
    return [name for name in registry() if name in given]


def worldviews_section(views: list[Worldview], colours: list[str]) -> str:
    rows = []
    for i, v in enumerate(views):
        swatch = f'<span class="swatch" style="background:{colours[i]}"></span>'
        sampled = ", ".join(sorted(v.result.sampled)) or "none"
        if v.deterministic:
            sampled = "none: deterministic (one run)"
        rows.append(
            [
                f"{swatch}<b>{escape(v.key)}</b>",
                escape(v.title),
                escape(v.scenario.description),
                escape(sampled),
                f"{v.result.end_year:.0f}",
            ]
        )
    return _table(
        ["worldview", "title", "description", "sampled parameters", "end year"],
        rows,
        ["", "", "", "", "num"],
    )


def summary_section(views: list[Worldview]) -> str:
    rows = [[escape(label), *map(escape, cells)] for label, cells in comparison_rows(views)]
    headers = [""] + [escape(v.key) for v in views]
    return _table(headers, rows, [""] + ["num"] * len(views))


def parameter_section(views: list[Worldview]) -> str:
    specs = registry()
    varied = []
    for name in specs:
        if not any(name in v.scenario.values or name in v.scenario.distributions for v in views):
            continue
        varied.append(name)
    parts = [
        "<h3>Side by side</h3>",
        '<p class="note">Every parameter that at least one worldview sets; grey cells are the '
        "registry default (see <code>takeoff params</code>).</p>",
    ]
    rows = []
    for name in varied:
        cells: list = [f"<code>{escape(name)}</code>", escape(specs[name].unit)]
        for v in views:
            if name in v.scenario.values or name in v.scenario.distributions:
                cells.append(escape(describe_entry(v.scenario, name)))
            else:
                cells.append((escape(fmt_value(effective_values(v.scenario)[name])), "default"))
        rows.append(cells)
    headers = ["parameter", "unit"] + [escape(v.key) for v in views]
    parts.append(
        '<div class="scroll">' + _table(headers, rows, ["", ""] + ["num"] * len(views)) + "</div>"
    )
    for v in views:
        given = _given(v.scenario)
        rows = [
            [
                f"<code>{escape(name)}</code>",
                escape(describe_entry(v.scenario, name)),
                escape(specs[name].unit),
                (
                    escape(v.scenario.sources[name])
                    if name in v.scenario.sources
                    else escape(specs[name].source) + " <i>(registry)</i>"
                ),
            ]
            for name in given
        ]
        body = (
            _table(
                ["parameter", "value or distribution", "unit", "source"],
                rows,
                ["", "num", "", "src"],
            )  # fmt: skip
            if rows
            else '<p class="note">Every parameter at its registry default.</p>'
        )
        n_default = len(specs) - len(given)
        parts.append(
            f'<details open id="params-{escape(v.key)}"><summary>{escape(v.key)} — '
            f"{len(given)} parameters set, {n_default} at registry defaults</summary>"
            f'<div class="scroll">{body}</div></details>'
        )
    return "\n".join(parts)


def _figure(svg: str, caption: str, kind: str) -> str:
    return f'<figure class="{kind}">{svg}<figcaption>{caption}</figcaption></figure>'


def divergence_section(views: list[Worldview], cruxes=None) -> str:
    """The computed narrative, then the crux analyses (or a note that they were skipped)."""
    from takeoff.report.crux_section import cruxes_section

    paragraphs = "\n".join(f"<p>{p}</p>" for p in narrative(views, pointers=cruxes is None))
    if cruxes is None:
        return paragraphs + (
            '\n<p class="note">The Shapley attribution between the views furthest apart and '
            "the Sobol indices within each view were not run (<code>--no-cruxes</code>); the "
            "pointers above are heuristics.</p>"
        )
    return paragraphs + "\n" + cruxes_section(cruxes, views)


def render_report(views: list[Worldview], cruxes=None) -> str:
    """The complete HTML document as a string; ``cruxes`` from
    :func:`takeoff.report.divergence.run_cruxes` (None: not run)."""
    from takeoff.model.engine.milestones import default_milestones

    described = default_milestones()
    colours = colours_of(views)
    fans = "\n".join(
        f"<h3>{escape(FAN_TITLES[s])}</h3>"
        + _figure(fan_chart(views, s, colours), escape(FAN_CAPTIONS[s]), "fan")
        for s in FAN_SERIES
    )
    cdfs = []
    for name in KEY_MILESTONES:
        if not any(name in v.result.milestones for v in views):
            continue
        text = described[name].description if name in described else ""
        caption = f"<code>{escape(name)}</code>: {escape(text)}"
        cdfs.append(_figure(cdf_chart(views, name, colours=colours), caption, "cdf"))
    first = views[0].result
    return Template(
        resources.files("takeoff.report").joinpath("compare.html").read_text()
    ).substitute(
        title="takeoff — worldviews compared",
        version=escape(__version__),
        meta=escape(
            f"{len(views)} worldviews, {first.n_samples:,} Monte Carlo samples each, seed {first.seed}"
        ),
        worldviews=worldviews_section(views, colours),
        summary=summary_section(views),
        summary_note=escape(table_legend(views)),
        narrative=divergence_section(views, cruxes),
        what_if=what_if_section(views),
        fans=fans,
        economy=economy_section(views, colours),
        constraints=constraints_section(views),
        first_year=first_year_section(views),
        cdfs="\n".join(cdfs),
        parameters=parameter_section(views),
        n_views=len(views),
        samples=f"{first.n_samples:,}",
        seed=first.seed,
    )


def write_report(views: list[Worldview], path: str | Path, cruxes=None) -> Path:
    """Render and write the report atomically (a temporary file, then rename)."""
    from takeoff.io_safety import staged_file

    path = Path(path)
    text = render_report(views, cruxes)
    with staged_file(path, "--report") as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
