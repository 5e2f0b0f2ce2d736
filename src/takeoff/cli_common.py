"""What the ``takeoff`` commands share: the Typer app, option types, consoles, the
turning of :class:`takeoff.errors.TakeoffError` into a one-line message with exit
code 2, and the scenario and output helpers of ``run`` and ``mc``.

The commands themselves live in :mod:`takeoff.cli` (and modules it imports); this
module keeps that one short.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from takeoff import __version__
from takeoff.errors import FitError, TakeoffError, ValidationError
from takeoff.io_safety import staged_folder

# Options shared by several commands.
ScenarioArg = Annotated[str, typer.Argument(help="Built-in scenario name or path to a TOML file.")]
DtOption = Annotated[float | None, typer.Option("--dt", help="Time step in years [0.001, 1].")]
SeedOption = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same result).")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Fix a parameter in every sample: name=value (repeatable)."),
]
EndYearOption = Annotated[
    float | None,
    typer.Option(
        "--end-year", help="Last simulated year (a whole number of --dt steps after the start)."
    ),
]
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
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786; "
        "same results; needs the dask extra; docs/scale.md).",
    ),
]
BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend",
        help="numpy (default) or jax (optional extra; compiles on first use; faster for single "
        "runs, ~5x slower than numpy for Monte Carlo batches on a CPU: docs/scale.md).",
    ),
]


def _builtin_epilog() -> str:
    """The built-in scenarios for ``takeoff --help`` (names only: parsing them would
    slow every command down)."""
    from importlib import resources

    folder = resources.files("takeoff.scenarios")
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    return (
        f"Built-in scenarios (worldviews): {', '.join(names)}. "
        "Use them by name (takeoff run amodei) or give a TOML file; "
        "`takeoff params NAME` shows one's values."
    )


app = typer.Typer(
    help="Compute-centric AI takeoff simulator: automation, growth and the cruxes between views.",
    epilog=_builtin_epilog(),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(width=None if sys.stdout.isatty() else 120)
err_console = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"takeoff {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Compute-centric AI takeoff simulator."""


#: Longest error message printed (a safety net: messages cut what they echo).
MAX_MESSAGE = 2000


def _message(exc: Exception) -> str:
    """One line, with no Rich markup: "[web]" in an install hint or a "[" in a user's
    scenario name would otherwise be swallowed as a style tag."""
    text = " ".join(str(exc).split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return escape(text)


def user_errors(func):
    """Turn :class:`TakeoffError` into a one-line message and exit code 2."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except FitError as exc:
            err_console.print(f"[bold red]fit failed:[/] {_message(exc)}", highlight=False)
            raise typer.Exit(code=3) from None
        except TakeoffError as exc:
            err_console.print(f"[bold red]error:[/] {_message(exc)}", highlight=False)
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


def write_run_outputs(result, out: Path, fmt: str, option: str = "--out") -> list[Path]:
    """Write yearly series, the full-resolution series, milestones and a chart; all or
    nothing (``out`` is replaced whole: see :func:`takeoff.io_safety.staged_folder`)."""
    from takeoff.report.charts import run_chart

    with staged_folder(out, option) as staging:
        frame = result.to_pandas()
        yearly = result.to_pandas(yearly=True)
        if fmt == "parquet":
            frame.to_parquet(staging / "series.parquet")
            yearly.to_parquet(staging / "yearly.parquet")
        else:
            frame.to_csv(staging / "series.csv")
            yearly.to_csv(staging / "yearly.csv")
        (staging / "milestones.json").write_text(json.dumps(result.milestone_dict(), indent=2))
        run_chart(result, staging / "chart.png")
        names = sorted(p.name for p in staging.iterdir())
    return [out / name for name in names]


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


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "parquet"):
        raise ValidationError(f"--format: 'csv' or 'parquet', got {fmt[:20]!r}")


def _check_mc_args(samples: int, seed: int) -> None:
    from takeoff.uncertainty.montecarlo import MAX_SAMPLES

    if not 1 <= samples <= MAX_SAMPLES:
        raise ValidationError(f"--samples: {samples} must be an integer in [1, {MAX_SAMPLES}]")
    if seed < 0:
        raise ValidationError(f"--seed: {seed} must be a non-negative integer")
