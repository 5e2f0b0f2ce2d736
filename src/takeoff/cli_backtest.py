"""``takeoff backtest``: start the model in 2020 (or 2022) from what was known then and compare
it with every later observation (docs/evidence.md).

Registered on the main Typer app (:mod:`takeoff.cli_common`) when :mod:`takeoff.cli` imports
this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from takeoff.cli_common import _dump_json, app, console, user_errors


def _summary_table(result) -> Table:
    mode = "deterministic" if not result.samples else f"{result.samples} samples"
    table = Table(
        title=f"Backtest from {result.start} to {result.end:g} ({mode}; data published by "
        f"{result.initial.known_by.date()}); errors in log points, ln(model / observed)"
    )
    for name in ("worldview", "observed series", "n", "mean |error|", "mean error", "agree"):
        table.add_column(
            name, justify="left" if name in ("worldview", "observed series") else "right"
        )
    for r in result.summary().itertuples():
        table.add_row(
            escape(r.scenario),
            r.series,
            str(r.n),
            f"{r.mean_abs_log_error:.2f}",
            f"{r.mean_log_error:+.2f}",
            f"{r.agree_share:.0%}",
        )
    return table


def _look_ahead_table(rows) -> Table:
    from takeoff.evidence.look_ahead import change_cells, largest_changes

    table = Table(
        title="Look-ahead check: each backcast start value x and / 3 (rates 1.5); the largest "
        "change of any worldview's mean |error|, log points"
    )
    for name in ("start value", "factor", "value", "largest change", "where"):
        table.add_column(name, justify="right" if name in ("factor", "value") else "left")
    for r in largest_changes(rows).itertuples():
        change, where = change_cells(r)
        change = f"{change}: {r.note}" if r.note else change
        table.add_row(r.parameter, f"x{r.factor:.3g}", f"{r.value:.3g}", escape(change), where)
    return table


def _write(result, out: Path, look_ahead=None) -> list[Path]:
    from takeoff.evidence.backtest_chart import plot_backtest
    from takeoff.evidence.look_ahead import sensitivity_markdown
    from takeoff.io_safety import staged_folder

    with staged_folder(out, "--out") as staging:
        if look_ahead is not None:
            look_ahead.to_csv(staging / "look_ahead.csv", index=False)
            (staging / "look_ahead.md").write_text(
                sensitivity_markdown(look_ahead, result.start), encoding="utf-8"
            )
        result.rows.to_csv(staging / "backtest.csv", index=False)
        result.summary().to_csv(staging / "summary.csv", index=False)
        result.initial.to_frame().to_csv(staging / "initial_conditions.csv", index=False)
        (staging / "backtest.md").write_text(
            result.initial.to_markdown() + "\n" + result.to_markdown(), encoding="utf-8"
        )
        plot_backtest(result, staging / "backtest.png")
        names = sorted(p.name for p in staging.iterdir())
    return [out / name for name in names]


@app.command("backtest")
@user_errors
def backtest_cmd(
    start: Annotated[
        int, typer.Option("--start", help="Start year, 2020-2025 (data published by 1 January).")
    ] = 2020,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario", "-s", help="Worldview (built-in name or TOML path); repeat for more."
        ),
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", help="Monte Carlo samples per worldview (0 = medians).")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the samples.")] = 0,
    known_by: Annotated[
        str | None,
        typer.Option(
            "--known-by",
            help="Use data published by this date (YYYY-MM-DD; default 1 January of --start). "
            "A later date adds hindsight.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for backtest.csv, summary.csv, a chart and tables."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    look_ahead_check: Annotated[
        bool,
        typer.Option(
            "--look-ahead-check",
            help="Also rerun (deterministically) with each look-ahead start value x and / 3 "
            "(rates 1.5) and show how much each worldview's errors move.",
        ),
    ] = False,
) -> None:
    """Start in 2020 (or another year to 2025) from the data known then, run to 2026.5, and
    compare the model with every later observation, per worldview."""
    from takeoff.errors import ValidationError
    from takeoff.evidence.backtest import backtest

    if seed < 0:
        raise ValidationError(f"--seed: {seed} must be a non-negative integer")
    result = backtest(start, scenario or ["default"], samples=samples, seed=seed, known_by=known_by)
    look_ahead = None
    if look_ahead_check:
        from takeoff.evidence.look_ahead import look_ahead_sensitivity

        look_ahead = look_ahead_sensitivity(start, scenario or ["default"], known_by=known_by)
    if as_json:
        rows = result.rows.assign(agrees=result.rows["agrees"].astype(bool))
        _dump_json(json.loads(rows.to_json(orient="records")))
    else:
        console.print(_summary_table(result))
        names = ", ".join(result.initial.look_ahead()) or "none"
        console.print(f"Initial values with look-ahead (backcast from 2026): {names}")
        if look_ahead is not None:
            console.print(_look_ahead_table(look_ahead))
    if out is not None:
        for path in _write(result, out, look_ahead):
            console.print(f"wrote {escape(str(path))}", highlight=False)
