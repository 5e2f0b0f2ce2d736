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

import typer
from rich.console import Console

from takeoff.errors import FitError, TakeoffError

app = typer.Typer(
    help="Compute-centric AI takeoff simulator: automation, growth and the cruxes between views.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


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
