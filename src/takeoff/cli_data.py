"""``takeoff data``: the bundled observations of the AI industry (docs/data.md).

Registered on the main Typer app (:mod:`takeoff.cli_common`) when :mod:`takeoff.cli` imports
this module.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from takeoff.cli_common import _dump_json, app, console, user_errors
from takeoff.errors import ValidationError


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _check_series(series: str | None) -> None:
    """An unknown ``--series`` is an error that lists the known names."""
    from takeoff.data.observations import series_mapping

    known = series_mapping()
    if series is not None and series not in known:
        raise ValidationError(f"--series: unknown series {series!r}; known: {', '.join(known)}")


def _observations_table(frame) -> Table:
    table = Table(title=f"Observations ({len(frame)} rows; takeoff/data/observations.csv)")
    for name in ("series", "year", "value", "unit", "low – high", "published"):
        table.add_column(name, justify="right" if name in ("year", "value") else "left")
    table.add_column("source", overflow="fold", ratio=1)
    for row in frame.itertuples():
        table.add_row(
            escape(row.series),
            f"{row.year:.2f}",
            _fmt(row.value),
            escape(row.unit),
            f"{_fmt(row.low)} – {_fmt(row.high)}",
            row.published.date().isoformat(),
            escape(row.source),
        )
    return table


def _mapping_table(mapping: dict) -> Table:
    table = Table(title="Observed series -> model series (takeoff.data.observations)")
    for name in ("observed series", "model series", "unit", "compared as", "tolerance"):
        table.add_column(name)
    table.add_column("meaning", overflow="fold", ratio=1)
    for name, m in mapping.items():
        table.add_row(
            name, m.model_series, m.unit, m.comparison, f"{m.tolerance:g}x", escape(m.meaning)
        )
    return table


def _records(frame) -> list[dict]:
    out = frame.assign(published=frame["published"].dt.strftime("%Y-%m-%d"))
    return out.to_dict(orient="records")


@app.command("data")
@user_errors
def data_cmd(
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Only this observed series.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    mapping: Annotated[
        bool,
        typer.Option("--mapping", help="Show how each observed series maps to a model series."),
    ] = False,
) -> None:
    """List the observed values (2020-2026) the model is calibrated and checked against."""
    from takeoff.data.observations import load_observations, series_mapping

    _check_series(series)
    if mapping:
        rows = {k: m for k, m in series_mapping().items() if series in (None, k)}
        if as_json:
            _dump_json({name: asdict(m) for name, m in rows.items()})
        else:
            console.print(_mapping_table(rows))
        return
    frame = load_observations()
    if series is not None:
        frame = frame[frame["series"] == series]
    if as_json:
        _dump_json(_records(frame))
    else:
        console.print(_observations_table(frame))
