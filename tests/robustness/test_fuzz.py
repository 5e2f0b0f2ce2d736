"""The seeded fuzz corpus (fuzz_scenarios.py, fuzz_files.py) through `takeoff validate`, `run`
and `mc` (fuzz_runner.py).

CI runs a fixed slice (every third case, about 30 s); TAKEOFF_FUZZ_ALL=1 runs all of it
(over 1,000 files and 300 --set values, about 90 s on the 2-core machine).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from takeoff.cli import app  # noqa: F401 - imported once here, not inside the alarm
from tests.robustness import fuzz_runner as runner
from tests.robustness import fuzz_scenarios as corpus
from tests.robustness.fuzz_toml import base, to_toml

EVERY = 1 if os.environ.get("TAKEOFF_FUZZ_ALL") == "1" else runner.CI_EVERY
CASES = runner.fixed_slice(corpus.scenario_cases(), EVERY)
SETS = runner.fixed_slice(corpus.set_cases(), EVERY)
FAMILIES = sorted({case.family for case in corpus.scenario_cases()})


def test_corpus_size_and_kinds():
    cases = corpus.scenario_cases()
    assert len(cases) >= 1000 and len(corpus.set_cases()) >= 300
    assert len({c.content or c.path_kind.encode() for c in cases}) == len(cases)  # no repeats
    assert {c.family for c in CASES} == set(FAMILIES)  # the CI slice keeps every kind
    assert corpus.scenario_cases() == cases  # seeded: the same corpus every time


def test_base_scenario_is_valid_so_each_case_breaks_one_thing(tmp_path, monkeypatch):
    (tmp_path / "base.toml").write_text(to_toml(base()))
    monkeypatch.chdir(tmp_path)
    from typer.testing import CliRunner

    for args in (
        ["validate", "base.toml"],
        ["run", "base.toml", *runner.RUN_ARGS],
        ["mc", "base.toml", *runner.MC_ARGS],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "takeoff-out" / "fuzz" / "chart.png").exists()
    assert (tmp_path / "mc-out" / "summary.json").exists()


def test_the_runner_counts_what_goes_wrong(tmp_path, monkeypatch):
    """A valid input (exit 0, files written) and a crash must both be counted."""
    (tmp_path / "base.toml").write_text(to_toml(base()))
    figures = runner.Figures()
    runner.invoke(["run", "base.toml", *runner.RUN_ARGS], tmp_path, ("x",), figures, "valid")
    assert figures.wrong_exit == 1 and figures.wrote_files == 1

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("takeoff.scenarios.loader.load_scenario", crash)
    runner.invoke(["run", "base.toml"], tmp_path, ("x",), figures, "crash")
    assert figures.tracebacks == 1 and len(figures.failures) == 2


@pytest.mark.timeout(300)
@pytest.mark.parametrize("family", FAMILIES)
def test_scenario_files_fail_cleanly(family):
    figures = runner.Figures()
    for case in CASES:
        if case.family == family:
            runner.run_scenario_case(case, figures)
    assert figures.inputs > 0
    assert figures.bad() == 0, "\n".join(figures.failures[:20])


@pytest.mark.timeout(300)
def test_set_values_fail_cleanly():
    figures = runner.Figures()
    for label, text, expect in SETS:
        runner.run_set_case(text, expect, figures, label)
    assert figures.inputs == len(SETS)
    assert figures.bad() == 0, "\n".join(figures.failures[:20])


def test_corpus_files_stay_under_the_size_bound_except_the_oversized_one():
    """The corpus tests the parser's bounds, not the size check alone."""
    big = [c for c in corpus.scenario_cases() if c.content and len(c.content) > 1_000_000]
    assert [c.label for c in big] == ["file over 1 MB"]
    assert Path(corpus.__file__).exists()
