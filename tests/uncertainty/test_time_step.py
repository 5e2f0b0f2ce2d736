"""`takeoff check-dt` and ``check_time_step``: a scenario's milestones at dt and dt / k
(takeoff.uncertainty.time_step; docs/model.md section 15)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.scenarios.loader import load_scenario
from takeoff.uncertainty.time_step import check_time_step, difference_table

#: A case that hinges on a coarse step: at dt = 0.5 against 0.125 its early milestones move
#: by 0.85-1.24 years (slow diffusion with strongly complementary tasks).
COARSE = {"task_substitution_rho": -3.0, "diffusion_years": 20.0}


def test_difference_table_counts_what_it_says():
    coarse = {"a": np.array([2030.0, 2031.0, np.nan, np.nan, 2040.0])}
    fine = {"a": np.array([2030.05, 2031.5, np.nan, 2050.0, 2040.0])}
    row = difference_table(coarse, fine, 0.1).loc["a"]
    assert row.reached_share == pytest.approx(0.6)
    assert row.largest_difference_years == pytest.approx(0.5)
    assert row.share_beyond_tolerance == pytest.approx(0.2)
    assert row.reached_at_one_step_only == 1


def test_the_default_passes_and_a_coarse_step_does_not():
    check = check_time_step("default")
    assert check.passed and check.n_samples == 1 and check.failing() == []
    assert check.table.largest_difference_years.max() < 0.01
    coarse = check_time_step(load_scenario("default").with_settings(dt=0.5), overrides=COARSE)
    assert not coarse.passed
    assert set(coarse.failing()) >= {"automatable_20pct", "automated_coder"}
    assert coarse.table.loc["automatable_20pct", "largest_difference_years"] > 0.5


def test_samples_are_seeded_and_compared_sample_by_sample():
    one = check_time_step("amodei", 12, seed=3)
    two = check_time_step("amodei", 12, seed=3)
    assert one.n_samples == 12
    assert one.table.equals(two.table)
    assert one.passed  # measured: 0.02 yr at dt 0.1 against 0.025


def test_progress_reaches_the_total():
    seen = []
    check_time_step("default", on_step=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == 740 * 5  # 740 steps at dt, 2,960 at dt / 4
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:], strict=False))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_samples": 0}, "samples"),
        ({"n_samples": 2.5}, "samples"),
        ({"seed": -1}, "seed"),
        ({"refine": 1}, "refine"),
        ({"refine": True}, "refine"),
        ({"tolerance": 0.0}, "tolerance"),
        ({"tolerance": float("nan")}, "tolerance"),
    ],
)
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(ValidationError, match=field):
        check_time_step("default", **kwargs)


def test_cli_exit_codes_and_json():
    runner = CliRunner()
    ok = runner.invoke(app, ["check-dt", "default", "--json"], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["passed"] is True and data["fine_dt"] == pytest.approx(0.025)
    assert set(data["milestones"]["automated_100pct"]) == {
        "reached_share",
        "largest_difference_years",
        "p99_difference_years",
        "share_beyond_tolerance",
        "reached_at_one_step_only",
    }
    sets = [f"--set={k}={v}" for k, v in COARSE.items()]
    beyond = runner.invoke(app, ["check-dt", "default", "--dt", "0.5", *sets])
    assert beyond.exit_code == 1
    assert "automatable_20pct" in beyond.output and "beyond" in beyond.output
    bad = runner.invoke(app, ["check-dt", "default", "--dt", "0.002", "--refine", "4"])
    assert bad.exit_code == 2 and "refine" in bad.output
