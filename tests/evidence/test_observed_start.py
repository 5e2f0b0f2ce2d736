"""`takeoff run --observed-start YEAR`: the default dynamics from that year's observed state."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from takeoff.cli import app
from takeoff.evidence.initial import initial_conditions

runner = CliRunner()


def test_run_starts_from_the_observed_state():
    result = runner.invoke(app, ["run", "--observed-start", "2022", "--end-year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    series = payload["series"]
    initial = initial_conditions(2022)
    assert series["year"] == pytest.approx([2022.0, 2023.0, 2024.0])
    assert series["gwp"][0] == pytest.approx(initial["gwp_2026"].value, rel=1e-9)
    assert series["largest_training_run"][0] == pytest.approx(
        initial["largest_training_run_2026"].value, rel=1e-6
    )


def test_set_values_stay_and_a_bad_year_is_refused():
    ok = runner.invoke(
        app,
        [
            "run",
            "--observed-start",
            "2020",
            "--end-year",
            "2022",
            "--set",
            "diffusion_years=7",
            "--json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["run", "--observed-start", "2019"])
    assert bad.exit_code == 2 and "2019" in bad.output and "Traceback" not in bad.output
