"""Rich tables for the terminal."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.table import Table


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict | list):
        text = str(value)
        return text if len(text) < 60 else text[:57] + "..."
    return str(value)


def classic_table(result) -> Table:
    """Estimated vs published values of one classic reproduction."""
    table = Table(title=f"classics: {result.name}")
    table.add_column("quantity")
    table.add_column("ours", justify="right")
    table.add_column("published", justify="right")
    for key, value in result.values.items():
        table.add_row(key, _fmt(value), _fmt(result.published.get(key, "")))
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

    table = Table(title=f"Milestones — {result.scenario}")
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
    table = Table(title=f"Parameters — {scenario.name}", show_lines=False)
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
            scenario.sources.get(name, spec.source),
        )
    return table
