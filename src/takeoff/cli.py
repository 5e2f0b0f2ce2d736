"""The ``takeoff`` command line.

Every user-facing error is a :class:`takeoff.errors.TakeoffError`; it is printed
as one line on stderr and the command exits with code 2 (no traceback).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from takeoff.cli_common import (  # noqa: F401 - re-exported for command modules
    BackendOption,
    DaskOption,
    DtOption,
    EndYearOption,
    FormatOption,
    OutputStepOption,
    ScenarioArg,
    SeedOption,
    SetOption,
    WorkersOption,
    _check_format,
    _check_mc_args,
    _dump_json,
    _load,
    _mc_progress,
    app,
    console,
    err_console,
    user_errors,
    write_run_outputs,
)
from takeoff.errors import ValidationError
from takeoff.io_safety import (
    check_output_file,
    check_output_folder,
    overrides_label,
    safe_folder_name,
    staged_file,
)
from takeoff.parallel import check_workers
from takeoff.serialise import result_json


@app.command("run")
@user_errors
def run_cmd(
    scenario: ScenarioArg = "default",
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter: name=value (repeatable)."),
    ] = None,
    dt: DtOption = None,
    end_year: EndYearOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output folder, replaced whole (default takeoff-out/NAME, or "
            "takeoff-out/NAME-set-HASH with --set).",
        ),
    ] = None,
    fmt: FormatOption = "csv",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print milestones and yearly series as JSON.")
    ] = False,
    backend: BackendOption = None,
    output_step: OutputStepOption = None,
    observed_start: Annotated[
        int | None,
        typer.Option(
            "--observed-start",
            metavar="YEAR",
            help="Start in YEAR (2020-2026) from that year's observed state, as known then "
            "(takeoff.evidence.initial; docs/evidence.md).",
        ),
    ] = None,
) -> None:
    """Simulate one scenario: milestone table, yearly table, CSV/Parquet and a PNG chart."""
    from takeoff.api import simulate
    from takeoff.report.tables import constraints_text, milestone_table, yearly_table

    _check_format(fmt)
    # With --observed-start the end year is checked against the new start, not 2026.
    loaded, overrides = _load(
        scenario, sets, dt, None if observed_start else end_year, backend, output_step
    )
    # The name never picks a place outside takeoff-out/; a run with --set gets its own
    # folder and title, so it neither overwrites nor poses as the plain run.
    folder, title = safe_folder_name(loaded.name), loaded.name
    if overrides:
        folder, title = overrides_label(loaded.name, overrides)
    if observed_start is not None:
        loaded, overrides = observed_start_run(loaded, overrides, observed_start, end_year)
        folder, title = f"{folder}-from-{observed_start}", f"{title} from {observed_start}"
    option = "--out"
    if out is None and not as_json:
        out, option = Path("takeoff-out") / folder, "output folder"
    if out is not None:
        out = check_output_folder(out, option)
    result = simulate(loaded, overrides)
    if as_json:
        _dump_json(result_json(result))
    else:
        shown = replace(result, scenario=title)
        console.print(milestone_table(shown))
        console.print(yearly_table(shown))
        console.print(constraints_text(shown), markup=False, highlight=False)
        if bool(result.growth_capped[0]):
            err_console.print(
                "[yellow]warning:[/] GWP hit the model's cap (1e40 $/yr): growth exploded"
            )
    if out is not None:
        written = write_run_outputs(replace(result, scenario=title), out, fmt, option)
        (err_console if as_json else console).print(
            f"wrote {', '.join(str(p) for p in written)}", markup=False, highlight=False
        )


def observed_start_run(loaded, overrides: dict, year: int, end_year: float | None = None):
    """``loaded`` starting in ``year`` and the overrides that put it in that year's observed
    state (``--set`` values on top of the scenario's, then the state overlaid)."""
    from takeoff.evidence.initial import initial_conditions

    initial = initial_conditions(year)
    values = {**loaded.point_values(), **overrides}
    applied = initial.apply(values)
    changed = {
        name: float(value)
        for name, value in applied.items()
        if name in overrides or name not in values or value != values[name]
    }
    return loaded.with_settings(start_year=float(year), end_year=end_year), changed


@app.command("params")
@user_errors
def params_cmd(
    scenario: Annotated[
        str, typer.Argument(help="Built-in scenario name or TOML path.")
    ] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Every parameter with its unit, value in SCENARIO, allowed range and source."""
    from takeoff.params.schema import registry
    from takeoff.report.tables import params_table
    from takeoff.scenarios.loader import load_scenario

    loaded = load_scenario(scenario)
    if as_json:
        values = loaded.point_values()
        _dump_json(
            {
                name: {
                    "value": values.get(name, spec.default),
                    "unit": spec.unit,
                    "range": [spec.low, spec.high],
                    "plausible": list(spec.plausible),
                    "block": spec.block,
                    "description": spec.description,
                    "source": loaded.sources.get(name, spec.source),
                    "distribution": loaded.distributions.get(name),
                }
                for name, spec in registry().items()
            }
        )
        return
    console.print(params_table(loaded))


@app.command("validate")
@user_errors
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario TOML file to check.")],
) -> None:
    """Check a scenario file: every check that `run` and `mc` make before simulating
    (exit code 2 with the field and the allowed range if invalid)."""
    from takeoff.scenarios.checks import MC_SAMPLES, check_scenario
    from takeoff.scenarios.files import display_path
    from takeoff.scenarios.loader import load_scenario_file

    loaded = load_scenario_file(file)
    check_scenario(loaded, where=display_path(file))
    n_dist = len(loaded.distributions)
    checked = f", {MC_SAMPLES} Monte Carlo samples checked" if n_dist else ""
    console.print(
        f"[green]ok[/]: {escape(display_path(file))} — scenario {escape(repr(loaded.name))}, "
        f"{len(loaded.values)} point values, {n_dist} distributions{checked}",
        highlight=False,
    )


@app.command("serve")
@user_errors
def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (localhost by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    allowed_hosts: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also answer requests for this Host name (repeatable; '*.example.org', '*'). "
            "Loopback names and the bound address are always allowed.",
        ),
    ] = None,
) -> None:
    """Start the playground web page and JSON API (FastAPI + uvicorn)."""
    try:
        from takeoff.web.server import serve
    except ImportError as exc:  # the web extra is optional
        raise ValidationError(
            "the playground needs the web extra: pip install 'takeoff[web]' "
            f"(in a source checkout: pip install -e '.[web]'); {exc}"
        ) from None
    serve(host=host, port=port, allowed_hosts=allowed_hosts or ())


@app.command("mc")
@user_errors
def mc_cmd(
    scenario: ScenarioArg = "default",
    samples: Annotated[int, typer.Option("--samples", "-n", help="Number of samples.")] = 1000,
    seed: SeedOption = 0,
    sets: SetOption = None,
    dt: DtOption = None,
    end_year: EndYearOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write summary.json, milestone samples and quantile series."),
    ] = None,
    fmt: FormatOption = "csv",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the milestone summary as JSON.")
    ] = False,
    keep_trajectories: Annotated[
        bool,
        typer.Option(
            "--keep-trajectories", help="Also write every sample's yearly series (--out)."
        ),
    ] = False,
    backend: BackendOption = None,
    workers: WorkersOption = 1,
    trajectories: Annotated[
        Path | None,
        typer.Option(
            "--trajectories",
            metavar="FILE.parquet",
            help="Stream every sample's yearly series to this Parquet file as chunks finish "
            "(long format; never held in memory whole; docs/scale.md).",
        ),
    ] = None,
    dask: DaskOption = None,
) -> None:
    """Monte Carlo over SCENARIO's distributions: milestone percentiles and probabilities."""
    from takeoff.parallel import dask_cluster
    from takeoff.report.mc import mc_json, mc_table, write_mc_outputs
    from takeoff.uncertainty.montecarlo import run_mc

    _check_format(fmt)
    _check_mc_args(samples, seed)
    check_workers(workers)
    if keep_trajectories and out is None:
        raise ValidationError("--keep-trajectories: give --out DIR to write the trajectories to")
    if out is not None:
        out = check_output_folder(out, "--out")
    if trajectories is not None:
        trajectories = check_output_file(
            trajectories, "--trajectories", suffix=".parquet", example="trajectories.parquet"
        )
    loaded, overrides = _load(scenario, sets, dt, end_year, backend)
    with dask_cluster(dask), _mc_progress() as bar:
        task = bar.add_task(escape(f"mc {loaded.name}"), total=samples)
        result = run_mc(
            loaded,
            samples,
            seed,
            overrides=overrides or None,
            keep_trajectories=keep_trajectories,
            progress=lambda done, total: bar.update(task, completed=done),
            workers=workers,
            trajectories_path=trajectories,
        )
    if as_json:
        _dump_json(mc_json(result))
    else:
        console.print(mc_table(result))
    if trajectories is not None:
        (err_console if as_json else console).print(
            f"wrote {trajectories}", markup=False, highlight=False
        )
    if out is not None:
        written = write_mc_outputs(result, out, fmt)
        (err_console if as_json else console).print(
            f"wrote {', '.join(str(p) for p in written)}", markup=False, highlight=False
        )


@app.command("compare")
@user_errors
def compare_cmd(
    worldviews: Annotated[
        list[str] | None,
        typer.Argument(help="Scenario names or TOML paths (default: every built-in but default)."),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", "-n", help="Samples per worldview.")] = 10000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (shared by all views).")] = 0,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a self-contained HTML report here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every worldview's milestone summary as JSON.")
    ] = False,
    workers: WorkersOption = 1,
    no_cruxes: Annotated[
        bool,
        typer.Option(
            "--no-cruxes",
            help="Report without the Shapley attributions and Sobol indices (faster).",
        ),
    ] = False,
    cruxes_samples: Annotated[
        int,
        typer.Option(
            "--cruxes-samples",
            help="Report: samples per hybrid worldview of each attribution (16-20000; "
            "Sobol base samples: the largest power of 2 below).",
        ),
    ] = 200,
    dask: DaskOption = None,
) -> None:
    """Monte Carlo of several worldviews side by side: milestone percentiles and probabilities."""
    from takeoff.parallel import dask_cluster

    with dask_cluster(dask):  # the Monte Carlo and the report's analyses alike
        _compare(worldviews, samples, seed, report, as_json, workers, no_cruxes, cruxes_samples)


def _compare(worldviews, samples, seed, report, as_json, workers, no_cruxes, cruxes_samples):
    from takeoff.report.compare import compare_json, compare_table, load_worldviews, run_worldviews
    from takeoff.report.divergence import check_cruxes_samples

    _check_mc_args(samples, seed)
    check_workers(workers)
    check_cruxes_samples(cruxes_samples)
    if report is not None:  # before a minute of Monte Carlo, not after
        report = check_output_file(report, "--report")
    loaded = load_worldviews(worldviews)
    n = len(loaded)
    with _mc_progress() as bar:
        overall = bar.add_task("worldviews", total=n)
        current = bar.add_task(escape(loaded[0][0]), total=samples)

        def progress(index: int, done: int, total: int) -> None:
            bar.update(overall, completed=index + done / total)
            bar.update(current, completed=done, description=escape(f"  {loaded[index][0]}"))

        views = run_worldviews(loaded, samples, seed, progress, workers=workers)
    if as_json:
        _dump_json(compare_json(views))
    else:
        console.print(compare_table(views))
    if report is not None:
        from takeoff.report.divergence import report_analyses
        from takeoff.report.html import write_report

        with _mc_progress() as bar:  # the economy pass, then the crux analyses
            cruxes = report_analyses(
                views, seed, workers, None if no_cruxes else cruxes_samples, bar
            )
        path = write_report(views, report, cruxes)
        (err_console if as_json else console).print(f"wrote {path}", markup=False, highlight=False)


@app.command("classics")
@user_errors
def classics_cmd(
    name: Annotated[
        str,
        typer.Argument(
            help="kremer, roodman, jones, aghion-jones, metr, compute-trend, sie or ai2027"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the estimates as JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Write the chart to this PNG file (a file name ending in .png)."
        ),
    ] = None,
) -> None:
    """Reproduce a classic model or trend estimate from the bundled data."""
    from takeoff import classics
    from takeoff.report.tables import classic_tables

    module = classics.get(name)
    if plot is not None:
        plot = check_output_file(plot, "--plot", suffix=".png", example=f"{name}.png")
    result = module.reproduce()
    if plot is not None:
        if result.plot is None:
            raise ValidationError(f"--plot: classics {name} has no chart")
        with staged_file(plot, "--plot") as tmp:
            result.plot(str(tmp))
    if as_json:
        _dump_json(result.values)
    else:
        for table in classic_tables(result):
            console.print(table)


# Registers `takeoff backtest`, `check-dt`, `cruxes`, `sensitivity`, `discover` (issue 12),
# `data` (issue 13), `labs` (issue 11) and `update` on `app`.
from takeoff import (  # noqa: E402, F401
    cli_backtest,
    cli_check,
    cli_cruxes,
    cli_data,
    cli_labs,
    cli_update,
)


def main() -> None:  # pragma: no cover - entry point
    app()
