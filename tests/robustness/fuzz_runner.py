"""Send the fuzz corpus through ``takeoff validate``, ``run`` and ``mc`` and count what
goes wrong, per invocation: a traceback (any exception but a clean exit), an exit code
other than 2, a message that does not name the field or is not one line, a file written
anywhere in the working folder, and a hang (a per-invocation alarm).
``python -m tests.robustness.fuzz_runner [--all]`` prints the figures recorded in
docs/robustness.md.

It uses only ``takeoff.cli.app`` and the parameter registry, so the same runner can be
pointed at an older checkout (PYTHONPATH) to measure what it did before.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from tests.robustness.fuzz_scenarios import scenario_cases, set_cases
from tests.robustness.fuzz_toml import Case

#: Seconds one invocation may take before it counts as a hang.
TIMEOUT_S = 20.0
#: Coarse, short runs: an invalid input must be refused before any of this matters.
RUN_ARGS = ("--dt", "1", "--end-year", "2030")
MC_ARGS = ("-n", "8", "--dt", "1", "--end-year", "2030", "--out", "mc-out")


@dataclass
class Figures:
    """Counts of one corpus run; every count but ``inputs`` and ``invocations`` must be 0."""

    inputs: int = 0
    invocations: int = 0
    tracebacks: int = 0
    wrong_exit: int = 0
    field_not_named: int = 0
    not_one_line: int = 0
    wrote_files: int = 0
    hangs: int = 0
    failures: list[str] = field(default_factory=list)
    by_family: Counter = field(default_factory=Counter)

    def bad(self) -> int:
        return (
            self.tracebacks
            + self.wrong_exit
            + self.field_not_named
            + self.not_one_line
            + self.wrote_files
            + self.hangs
        )


# ---------------------------------------------------------------- the runner


class Hang(Exception):
    """An invocation took longer than TIMEOUT_S."""


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise Hang()


def _listing(folder: Path) -> set[tuple[str, int]]:
    out = set()
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            try:
                size = path.lstat().st_size if name in files else -1
            except OSError:
                size = -2
            out.add((str(path.relative_to(folder)), size))
    return out


def make_path(case: Case, folder: Path) -> str:
    """Write the case's file (or special path) in ``folder``; return the path to pass."""
    if case.content is not None:
        path = folder / "case.toml"
        path.write_bytes(case.content)
        return path.name
    kind = case.path_kind
    if kind == "fifo":
        os.mkfifo(folder / "fifo.toml")
        return "fifo.toml"
    if kind == "dir":
        (folder / "dir.toml").mkdir()
        return "dir.toml"
    if kind == "device":
        return os.devnull
    if kind == "missing":
        return "missing.toml"
    if kind == "long":
        return "a" * 300 + ".toml"
    if kind == "under-file":
        (folder / "plain.toml").write_text('name = "x"\n')
        return "plain.toml/x.toml"
    if kind == "loop":
        os.symlink("loop-b.toml", folder / "loop-a.toml")
        os.symlink("loop-a.toml", folder / "loop-b.toml")
        return "loop-a.toml"
    if kind == "very-long":
        return "/".join(["d"] * 2500) + ".toml"
    raise ValueError(kind)


def invoke(args: list[str], folder: Path, expect: tuple[str, ...], figures: Figures, label: str):
    """Run one command in ``folder``; count what went wrong."""
    from takeoff.cli import app

    before = _listing(folder)
    old_cwd = os.getcwd()
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        os.chdir(folder)
        result = CliRunner().invoke(app, args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        os.chdir(old_cwd)
    figures.invocations += 1
    problems = []
    output = result.output
    if isinstance(result.exception, Hang):
        figures.hangs += 1
        problems.append("hang")
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        figures.tracebacks += 1
        problems.append(f"traceback {type(result.exception).__name__}: {result.exception!s:.80}")
    elif result.exit_code != 2:
        figures.wrong_exit += 1
        problems.append(f"exit {result.exit_code}")
    else:
        if not any(e in output for e in expect):
            figures.field_not_named += 1
            problems.append(f"message does not name {expect}")
        if output.strip().count("\n") != 0 or "Traceback" in output:
            figures.not_one_line += 1
            problems.append("message not one line")
    if _listing(folder) != before:
        figures.wrote_files += 1
        problems.append(f"wrote {sorted(_listing(folder) - before)[:3]}")
    if problems:
        figures.failures.append(f"{label} | {' '.join(args)[:120]} | {'; '.join(problems)}")


def run_scenario_case(case: Case, figures: Figures) -> None:
    with tempfile.TemporaryDirectory(prefix="takeoff-fuzz-") as tmp:
        folder = Path(tmp)
        path = make_path(case, folder)
        label = f"{case.family}: {case.label}"
        for args in (
            ["validate", path],
            ["run", path, *RUN_ARGS],
            ["mc", path, *MC_ARGS],
        ):
            invoke(args, folder, case.expect, figures, label)
    figures.inputs += 1
    figures.by_family[case.family] += 1


def run_set_case(text: str, expect: tuple[str, ...], figures: Figures, label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="takeoff-fuzz-") as tmp:
        folder = Path(tmp)
        for args in (
            ["run", "default", "--set", text, *RUN_ARGS],
            ["mc", "default", "--set", text, *MC_ARGS],
        ):
            invoke(args, folder, expect, figures, f"--set {label}")
    figures.inputs += 1
    figures.by_family["--set"] += 1


def fixed_slice(items: list, every: int) -> list:
    """Every ``every``-th item (a fixed, spread-out slice; every family is kept)."""
    return items[::every]


#: The CI slice takes every CI_EVERY-th case (3 is prime to the 12 cases made per
#: parameter, so every kind of case is in it); TAKEOFF_FUZZ_ALL=1 or --all takes all.
CI_EVERY = 3


def main(argv: list[str]) -> int:  # pragma: no cover - a command for the docs' figures
    every = 1 if "--all" in argv else CI_EVERY
    figures = Figures()
    for case in fixed_slice(scenario_cases(), every):
        run_scenario_case(case, figures)
    scenario_inputs = figures.inputs
    for label, text, expect in fixed_slice(set_cases(), every):
        run_set_case(text, expect, figures, label)
    print(f"scenario files: {scenario_inputs} ({dict(figures.by_family)})")
    print(f"--set values: {figures.inputs - scenario_inputs}")
    print(f"invocations: {figures.invocations}")
    for name in (
        "tracebacks",
        "wrong_exit",
        "field_not_named",
        "not_one_line",
        "wrote_files",
        "hangs",
    ):
        print(f"{name}: {getattr(figures, name)}")
    for line in figures.failures:
        print("  " + line)
    return 1 if figures.bad() else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
