"""Rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text


def _fmt(value: Any) -> Text:
    """A cell: numbers to 4 significant digits, short lists inline; as plain text (a
    "[" in a value is not Rich markup)."""
    if isinstance(value, float):
        return Text(f"{value:.4g}")
    if isinstance(value, list | tuple):
        return Text("[" + ", ".join(str(_fmt(v)) for v in value) + "]")
    return Text(str(value))


def _is_series(value: dict) -> bool:
    """A table of equal-length columns (e.g. {years: [...], probability: [...]})."""
    lengths = {len(v) if isinstance(v, list) else -1 for v in value.values()}
    return len(lengths) == 1 and lengths.pop() > 2


def _rows(values: dict, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted name, value) with nested tables flattened; a list of tables ("cases") or
    a table of columns ("series") is yielded whole as (kind, value)."""
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and _is_series(value):
            yield name, ("series", value)
        elif isinstance(value, dict):
            yield from _rows(value, name + ".")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            yield name, ("cases", value)
        else:
            yield name, value


def classic_tables(result) -> list[Table]:
    """Estimated vs published values of one classic reproduction: one table of the
    quantities (nested results under dotted names), one per list of cases (a column per
    case) and one per table of columns."""
    main = Table(title=Text(f"classics: {result.name}"))
    main.add_column("quantity")
    main.add_column("ours", justify="right")
    main.add_column("published", justify="right")
    published = dict(_rows(result.published))
    more = []
    for key, value in _rows(result.values):
        if isinstance(value, tuple) and value[0] == "cases":
            more.append(_cases_table(f"{result.name}: {key}", value[1]))
        elif isinstance(value, tuple) and value[0] == "series":
            more.append(_series_table(f"{result.name}: {key}", value[1]))
        else:
            main.add_row(Text(key), _fmt(value), _fmt(published.get(key, "")))
    return [main, *more]


def _cases_table(title: str, cases: list[dict]) -> Table:
    table = Table(title=Text(title))
    table.add_column("quantity")
    for i in range(len(cases)):
        table.add_column(f"case {i + 1}", justify="right")
    flat = [dict(_rows(case)) for case in cases]
    for name in dict.fromkeys(name for case in flat for name in case):
        cells = [case.get(name, "") for case in flat]
        table.add_row(Text(name), *(_fmt(c[1] if isinstance(c, tuple) else c) for c in cells))
    return table


def _series_table(title: str, columns: dict[str, list]) -> Table:
    table = Table(title=Text(title))
    for name in columns:
        table.add_column(name, justify="right")
    for row in zip(*columns.values(), strict=True):
        table.add_row(*(_fmt(v) for v in row))
    return table


def _fmt_number(value: float, unit: str = "") -> str:
    if not np.isfinite(value):
        return "—"
    if unit == "%":
        pct = 100 * value
        return f"{pct:.0f}%" if abs(pct) >= 100 else f"{pct:.1f}%"
    magnitude = abs(value)
    if magnitude != 0 and (magnitude >= 1e4 or magnitude < 1e-2):
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.3g}"


def milestone_table(result, sample: int = 0) -> Table:
    """Milestone years of one run; 'not reached' where the end year comes first."""
    from takeoff.model.engine.milestones import default_milestones

    table = Table(title=Text(f"Milestones — {result.scenario}"))  # Text: a name is not markup
    table.add_column("milestone")
    table.add_column("year", justify="right")
    table.add_column("meaning", style="dim")
    described = default_milestones()
    end = result.years[-1]
    for name, values in result.milestones.items():
        year = values[sample]
        text = f"{year:.1f}" if np.isfinite(year) else f"not reached by {end:.0f}"
        table.add_row(name, text, described[name].description if name in described else "")
    return table


YEARLY_COLUMNS = (
    ("gwp", "GWP $T", 1e-12, ""),
    ("gwp_growth", "growth", 1.0, "%"),
    ("automatable_share", "able", 1.0, "%"),
    ("automated_share", "done", 1.0, "%"),
    ("power_gw", "GW", 1.0, ""),
    ("ai_capex_share", "capex", 1.0, "%"),
    ("effective_training_compute", "eFLOP", 1.0, ""),
    ("time_horizon_minutes", "horizon h", 1 / 60, ""),
    ("wage", "wage $", 1.0, ""),
)


def yearly_table(result, sample: int = 0, every: int = 2) -> Table:
    """Key variables every ``every`` years."""
    table = Table(
        title="Key variables",
        caption="able/done: share of economy tasks automatable/automated; capex: AI capex / GWP; "
        "eFLOP: effective training compute (2026 algorithms); horizon: METR 50% time horizon",
    )
    table.add_column("year", justify="right")
    for _, header, _, _ in YEARLY_COLUMNS:
        table.add_column(header, justify="right")
    rows = result.yearly()
    start = result.years[rows[0]]
    for i in rows:
        year = result.years[i]
        if round(year - start) % every:
            continue
        cells = [
            _fmt_number(result.series[name][i, sample] * scale, unit)
            for name, _, scale, unit in YEARLY_COLUMNS
        ]
        table.add_row(f"{year:.0f}", *cells)
    return table


def params_table(scenario) -> Table:
    """Every parameter: block, value in this scenario, unit, allowed range, source."""
    from takeoff.params.schema import registry

    values = scenario.point_values()
    table = Table(title=Text(f"Parameters — {scenario.name}"), show_lines=False)
    for col in ("parameter", "block", "value", "unit", "range", "source"):
        table.add_column(col, overflow="fold")
    for name, spec in registry().items():
        value = values.get(name, spec.default)
        mark = "*" if name in values else ""
        dist = " (dist)" if name in scenario.distributions else ""
        table.add_row(
            name,
            spec.block,
            f"{value:.4g}{mark}{dist}",
            spec.unit,
            f"[{spec.low:g}, {spec.high:g}]",
            Text(scenario.sources.get(name, spec.source)),  # from the file: not markup
        )
    return table


def constraints_text(result, sample: int = 0) -> str:
    """One line: which limits bind in one run and from when (report/constraints.py).

    e.g. "Binding limits: power from 2039 (still at the end); savings limit from 2038".
    """
    from takeoff.report.constraints import binding_constraints

    cap = result.parameters.get("max_investment_share")
    series = {name: values[:, sample : sample + 1] for name, values in result.series.items()}
    binding = [
        b
        for b in binding_constraints(
            result.years, series, None if cap is None else cap[sample : sample + 1]
        )
        if b.share > 0
    ]
    if not binding:
        return "Binding limits: none (supply chain, power cap and savings limit never bind)"
    parts = [
        f"{b.name} from {b.first_year:.0f}" + (" (still at the end)" if b.share_at_end else "")
        for b in binding
    ]
    return "Binding limits: " + "; ".join(parts)
