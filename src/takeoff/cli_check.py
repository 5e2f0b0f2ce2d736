"""``takeoff check-dt``: does a scenario's answer hinge on the time step?
(takeoff.uncertainty.time_step; docs/model.md section 15).

Registered on the main Typer app (:mod:`takeoff.cli_common`) when :mod:`takeoff.cli` imports
this module. Exit code 0 when every milestone holds within the tolerance, 1 when some do not,
2 for bad input.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from takeoff.cli_common import (
    DtOption,
    EndYearOption,
    ScenarioArg,
    SeedOption,
    SetOption,
    WorkersOption,
    _dump_json,
    _load,
    _mc_progress,
    app,
    console,
    err_console,
    user_errors,
)


def check_table(check) -> Table:
    """The per-milestone differences of a :class:`TimeStepCheck` as a Rich table."""
    table = Table(
        title=f"Time-step check — {escape(check.scenario)}: dt {check.dt:g} against "
        f"dt {check.dt / check.refine:g} ({check.n_samples:,} "
        f"{'sample' if check.n_samples == 1 else 'samples'})",
        caption=f"years; reached: share of samples reaching the milestone by the end year; "
        f"beyond: share of samples more than {check.tolerance:g} yr apart; one step only: "
        "samples reaching it at one of the two steps",
    )
    table.add_column("milestone")
    for name in ("reached", "largest", "p99", "beyond", "one step only", ""):
        table.add_column(name, justify="right")
    for name, row in check.table.iterrows():
        bad = row.largest_difference_years > check.tolerance or row.reached_at_one_step_only
        table.add_row(
            name,
            f"{row.reached_share:.0%}",
            f"{row.largest_difference_years:.3f}",
            f"{row.p99_difference_years:.3f}",
            f"{row.share_beyond_tolerance:.1%}",
            str(int(row.reached_at_one_step_only)),
            "[bold red]beyond[/]" if bad else "ok",
        )
    return table


@app.command("check-dt")
@user_errors
def check_dt_cmd(
    scenario: ScenarioArg = "default",
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Samples of the scenario's distributions.")
    ] = 100,
    seed: SeedOption = 0,
    sets: SetOption = None,
    dt: DtOption = None,
    end_year: EndYearOption = None,
    refine: Annotated[
        int, typer.Option("--refine", help="Compare with a step this many times finer (2-16).")
    ] = 4,
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", help="Largest difference of a milestone accepted (years)."),
    ] = 0.1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
    workers: WorkersOption = 1,
) -> None:
    """Run SCENARIO's samples at its dt and at dt / refine: do the milestones move?

    Exits with 1 when some milestone moves by more than the tolerance in some sample.
    """
    from takeoff.uncertainty.time_step import check_time_step

    loaded, overrides = _load(scenario, sets, dt, end_year)
    with _mc_progress() as bar:
        task = bar.add_task(escape(f"check-dt {loaded.name}"), total=None)
        check = check_time_step(
            loaded,
            samples,
            seed,
            overrides=overrides or None,
            refine=refine,
            tolerance=tolerance,
            workers=workers,
            on_step=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        _dump_json(
            {
                "scenario": check.scenario,
                "samples": check.n_samples,
                "dt": check.dt,
                "fine_dt": check.dt / check.refine,
                "tolerance_years": check.tolerance,
                "passed": check.passed,
                "milestones": check.table.to_dict(orient="index"),
            }
        )
    else:
        console.print(check_table(check))
    if not check.passed:
        err_console.print(
            f"milestones beyond {check.tolerance:g} yr: {', '.join(check.failing())} "
            "(docs/model.md section 15 says why this can happen)",
            highlight=False,
        )
        raise typer.Exit(code=1)
