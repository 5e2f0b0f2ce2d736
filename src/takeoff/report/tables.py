"""Rich tables for the terminal."""

from __future__ import annotations

from typing import Any

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
