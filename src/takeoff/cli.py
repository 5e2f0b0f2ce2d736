"""The ``takeoff`` command line.

Every user-facing error is a :class:`takeoff.errors.TakeoffError`; it is printed
as one line on stderr and the command exits with code 2 (no traceback).
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from takeoff.errors import FitError, TakeoffError, ValidationError
from takeoff.parallel import check_workers

# Options shared by several commands.
ScenarioArg = Annotated[str, typer.Argument(help="Built-in scenario name or path to a TOML file.")]
DtOption = Annotated[float | None, typer.Option("--dt", help="Time step in years [0.001, 1].")]
EndYearOption = Annotated[float | None, typer.Option("--end-year", help="Last simulated year.")]
FormatOption = Annotated[str, typer.Option("--format", help="csv or parquet.")]
OutputStepOption = Annotated[
    float | None,
    typer.Option(
        "--output-step",
        help="Years between output points (a multiple of --dt; default every step). "
        "Milestones are found at every step either way.",
    ),
]
WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        "-j",
        help="Processes to share the samples (same results; each costs ~1 s to start).",
    ),
]
BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend",
        help="numpy (default) or jax (optional extra; compiles on first use, then faster).",
    ),
]


app = typer.Typer(
    help="Compute-centric AI takeoff simulator: automation, growth and the cruxes between views.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(width=None if sys.stdout.isatty() else 120)
err_console = Console(stderr=True, soft_wrap=True)


@app.callback()
def _root() -> None:
    """Compute-centric AI takeoff simulator."""


def user_errors(func):
    """Turn :class:`TakeoffError` into a one-line message and exit code 2."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except FitError as exc:
            err_console.print(f"[bold red]fit failed:[/] {exc}", highlight=False)
            raise typer.Exit(code=3) from None
        except TakeoffError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(code=2) from None

    return wrapper


def _dump_json(payload) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, allow_nan=False) + "\n")


def _load(scenario: str, sets: list[str] | None, dt, end_year, backend=None, output_step=None):
    from takeoff.scenarios.loader import load_scenario, parse_override

    loaded = load_scenario(scenario)
    loaded = loaded.with_settings(
        dt=dt, end_year=end_year, backend=backend, output_step=output_step
    )
    overrides = dict(parse_override(text) for text in sets or [])
    return loaded, overrides


def _finite_list(values) -> list:
    return [None if not np.isfinite(v) else float(v) for v in values]


def result_json(result) -> dict:
    """The documented JSON shape of ``takeoff run --json`` (yearly points)."""
    rows = result.yearly()
    series = {name: _finite_list(arr[rows, 0]) for name, arr in result.series.items()}
    series["year"] = [float(y) for y in np.round(result.years[rows], 6)]
    return {"scenario": result.scenario, "milestones": result.milestone_dict(), "series": series}


def write_run_outputs(result, out: Path, fmt: str) -> list[Path]:
    """Write yearly series, the full-resolution series, milestones and a chart; all or nothing."""
    import tempfile

    from takeoff.report.charts import run_chart

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".takeoff-", dir=out.parent))
    try:
        frame = result.to_pandas()
        yearly = result.to_pandas(yearly=True)
        milestones = {k: v for k, v in result.milestone_dict().items()}
        if fmt == "parquet":
            frame.to_parquet(staging / "series.parquet")
            yearly.to_parquet(staging / "yearly.parquet")
        else:
            frame.to_csv(staging / "series.csv")
            yearly.to_csv(staging / "yearly.csv")
        (staging / "milestones.json").write_text(json.dumps(milestones, indent=2))
        run_chart(result, staging / "chart.png")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for item in staging.iterdir():
            target = out / item.name
            item.replace(target)
            written.append(target)
        return sorted(written)
    finally:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)


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
        Path | None, typer.Option("--out", help="Output folder (default takeoff-out/SCENARIO).")
    ] = None,
    fmt: FormatOption = "csv",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print milestones and yearly series as JSON.")
    ] = False,
    backend: BackendOption = None,
    output_step: OutputStepOption = None,
) -> None:
    """Simulate one scenario: milestone table, yearly table, CSV/Parquet and a PNG chart."""
    from takeoff.api import simulate
    from takeoff.report.tables import milestone_table, yearly_table

    if fmt not in ("csv", "parquet"):
        raise ValidationError(f"--format: 'csv' or 'parquet', got {fmt!r}")
    loaded, overrides = _load(scenario, sets, dt, end_year, backend, output_step)
    result = simulate(loaded, overrides)
    if as_json:
        _dump_json(result_json(result))
        if out is not None:
            write_run_outputs(result, out, fmt)
        return
    console.print(milestone_table(result))
    console.print(yearly_table(result))
    if bool(result.growth_capped[0]):
        err_console.print(
            "[yellow]warning:[/] GWP hit the model's cap (1e40 $/yr): growth exploded"
        )
    target = out if out is not None else Path("takeoff-out") / result.scenario
    written = write_run_outputs(result, target, fmt)
    console.print(f"wrote {', '.join(str(p) for p in written)}")


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
    """Check a scenario file against the schema (exit code 2 with the reason if invalid)."""
    from takeoff.params.schema import build_parameters
    from takeoff.scenarios.loader import load_scenario

    if not file.exists():
        raise ValidationError(f"{file}: no such file")
    loaded = load_scenario(file)
    build_parameters(loaded.point_values(), where=f"{file}: parameters")
    n_dist = len(loaded.distributions)
    console.print(
        f"[green]ok[/]: {file} — scenario {loaded.name!r}, {len(loaded.values)} point values, "
        f"{n_dist} distributions"
    )


@app.command("serve")
@user_errors
def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (localhost by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Start the playground web page and JSON API (FastAPI + uvicorn)."""
    try:
        from takeoff.web.server import serve
    except ImportError as exc:  # the web extra is optional
        raise ValidationError(
            f"the playground needs the web extra: pip install 'takeoff[web]' ({exc})"
        ) from None
    serve(host=host, port=port)


def _mc_progress():
    """A Rich progress bar on stderr, so stdout stays clean for ``--json``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def _check_mc_args(samples: int, seed: int) -> None:
    from takeoff.uncertainty.montecarlo import MAX_SAMPLES

    if not 1 <= samples <= MAX_SAMPLES:
        raise ValidationError(f"--samples: {samples} must be an integer in [1, {MAX_SAMPLES}]")
    if seed < 0:
        raise ValidationError(f"--seed: {seed} must be a non-negative integer")


@app.command("mc")
@user_errors
def mc_cmd(
    scenario: ScenarioArg = "default",
    samples: Annotated[int, typer.Option("--samples", "-n", help="Number of samples.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same result).")] = 0,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Fix a parameter in every sample: name=value (repeatable)."),
    ] = None,
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
) -> None:
    """Monte Carlo over SCENARIO's distributions: milestone percentiles and probabilities."""
    from takeoff.report.mc import CHUNK_SIZE, mc_json, mc_table, write_mc_outputs
    from takeoff.uncertainty.montecarlo import run_mc

    if fmt not in ("csv", "parquet"):
        raise ValidationError(f"--format: 'csv' or 'parquet', got {fmt!r}")
    _check_mc_args(samples, seed)
    check_workers(workers)
    if keep_trajectories and out is None:
        raise ValidationError("--keep-trajectories: give --out DIR to write the trajectories to")
    loaded, overrides = _load(scenario, sets, dt, end_year, backend)
    with _mc_progress() as bar:
        task = bar.add_task(f"mc {loaded.name}", total=samples)
        result = run_mc(
            loaded,
            samples,
            seed,
            overrides=overrides or None,
            keep_trajectories=keep_trajectories,
            chunk_size=CHUNK_SIZE,
            progress=lambda done, total: bar.update(task, completed=done),
            workers=workers,
        )
    if as_json:
        _dump_json(mc_json(result))
    else:
        console.print(mc_table(result))
    if out is not None:
        written = write_mc_outputs(result, out, fmt)
        (err_console if as_json else console).print(
            f"wrote {', '.join(str(p) for p in written)}", highlight=False
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
) -> None:
    """Monte Carlo of several worldviews side by side: milestone percentiles and probabilities."""
    from takeoff.report.compare import compare_json, compare_table, load_worldviews, run_worldviews

    _check_mc_args(samples, seed)
    check_workers(workers)
    if report is not None and report.is_dir():
        raise ValidationError(f"--report: {report} is a folder; give a file name like report.html")
    loaded = load_worldviews(worldviews)
    n = len(loaded)
    with _mc_progress() as bar:
        overall = bar.add_task("worldviews", total=n)
        current = bar.add_task(loaded[0][0], total=samples)

        def progress(index: int, done: int, total: int) -> None:
            bar.update(overall, completed=index + done / total)
            bar.update(current, completed=done, description=f"  {loaded[index][0]}")

        views = run_worldviews(loaded, samples, seed, progress, workers=workers)
    if as_json:
        _dump_json(compare_json(views))
    else:
        console.print(compare_table(views))
    if report is not None:
        from takeoff.report.html import write_report

        path = write_report(views, report)
        (err_console if as_json else console).print(f"wrote {path}", highlight=False)


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
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a PNG chart here.")] = None,
) -> None:
    """Reproduce a classic model or trend estimate from the bundled data."""
    from takeoff import classics
    from takeoff.report.tables import classic_table

    module = classics.get(name)
    result = module.reproduce()
    if plot is not None and result.plot is not None:
        plot.parent.mkdir(parents=True, exist_ok=True)
        result.plot(str(plot))
    if as_json:
        _dump_json(result.values)
    else:
        console.print(classic_table(result))


def main() -> None:  # pragma: no cover - entry point
    app()
