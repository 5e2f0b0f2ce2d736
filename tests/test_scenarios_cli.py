"""Scenario files, validation messages and the `takeoff run/params/validate` commands."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import takeoff
from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.params.schema import registry
from takeoff.scenarios.loader import builtin_names, load_scenario

runner = CliRunner()


def write(tmp_path, text: str):
    path = tmp_path / "s.toml"
    path.write_text(text)
    return path


def test_every_parameter_has_unit_range_and_source():
    for name, spec in registry().items():
        assert spec.unit and spec.source and spec.description, name
        assert spec.low <= spec.plausible[0] <= spec.plausible[1] <= spec.high, name


def test_default_is_builtin_and_loads():
    assert "default" in builtin_names()
    assert load_scenario("default").settings.dt == 0.1


@pytest.mark.parametrize(
    "body, fragment",
    [
        ('name = "x"\n[parameters]\nfoo_bar = 1.0\n', "parameters.foo_bar: unknown parameter"),
        (
            'name = "x"\n[parameters]\ndiffusion_years = "fast"\n',
            "diffusion_years: expected a number in [0.05, 100]",
        ),
        (
            'name = "x"\n[parameters]\ndiffusion_years = nan\n',
            "diffusion_years: value must be finite",
        ),
        (
            'name = "x"\n[parameters]\ndiffusion_years = 500.0\n',
            "diffusion_years: 500 is outside the allowed range [0.05, 100] years",
        ),
        (
            'name = "x"\n[parameters]\ndiffusion_years = { value = 3.0, unit = "months" }\n',
            "unit 'months' does not match the model's unit 'years'",
        ),
        ('name = "x"\nextra = 1\n', "unknown top-level keys ['extra']"),
        (
            'name = "x"\n[simulation]\ndt = 5.0\n',
            "simulation.dt: 5.0 is outside the allowed range [0.001, 1]",
        ),
        ('name = "x"\n[simulation]\nn_tasks = 2.5\n', "simulation.n_tasks: expected an integer"),
        ('name = "x"\n[parameters\n', "malformed TOML"),
        (
            'name = "x"\n[parameters]\nsoftware_returns = { dist = "normal", mean = 1.0, sd = -1.0 }\n',
            "software_returns",
        ),
        (
            'name = "x"\n[parameters]\nexperiment_compute_share = 0.6\nrnd_inference_share = 0.5\n',
            "must be < 1",
        ),
    ],
)
def test_invalid_files_give_one_clear_message_and_exit_2(tmp_path, body, fragment):
    path = write(tmp_path, body)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert fragment in result.output, result.output
    assert "Traceback" not in result.output


def test_valid_file_validates(tmp_path):
    path = write(
        tmp_path, 'name = "mine"\n[parameters]\ndiffusion_years = { value = 6.0, source = "me" }\n'
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "ok" in result.output
    assert takeoff.simulate(str(path)).parameters["diffusion_years"][0] == 6.0


def test_set_overrides_and_bad_overrides():
    ok = runner.invoke(app, ["run", "--set", "diffusion_years=8", "--json", "--end-year", "2035"])
    assert ok.exit_code == 0
    for bad, fragment in [
        ("diffusion_years=-1", "outside the allowed range"),
        ("nonsense=1", "unknown parameter"),
        ("diffusion_years=abc", "is not a number"),
        ("diffusion_years", "expected name=value"),
    ]:
        result = runner.invoke(app, ["run", "--set", bad])
        assert result.exit_code == 2 and fragment in result.output, (bad, result.output)


def test_unknown_scenario_and_bad_dt():
    assert runner.invoke(app, ["run", "no-such-view"]).exit_code == 2
    result = runner.invoke(app, ["run", "--dt", "3"])
    assert result.exit_code == 2 and "dt" in result.output


def test_run_json_shape():
    result = runner.invoke(app, ["run", "--json", "--end-year", "2040"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert set(payload) == {"scenario", "milestones", "series"}
    assert payload["series"]["year"][0] == 2026.0 and payload["series"]["year"][-1] == 2040.0
    assert len(payload["series"]["gwp"]) == 15
    for name in (
        "automated_20pct",
        "automated_100pct",
        "automatable_100pct",
        "explosive_growth",
        "country_of_geniuses",
        "remote_work_automated",
        "automated_coder",
        "ai_rnd_automated_100pct",
    ):
        assert name in payload["milestones"]
        year = payload["milestones"][name]
        assert year is None or 2026 <= year <= 2040


def test_run_writes_csv_parquet_and_chart(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "--out", str(out), "--end-year", "2040"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {
        "series.csv",
        "yearly.csv",
        "milestones.json",
        "chart.png",
    }
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    out2 = tmp_path / "pq"
    assert (
        runner.invoke(
            app, ["run", "--out", str(out2), "--format", "parquet", "--end-year", "2030"]
        ).exit_code
        == 0
    )
    import pandas as pd

    frame = pd.read_parquet(out2 / "yearly.parquet")
    assert len(frame) == 5 and np.isclose(frame["gwp"].iloc[0], 1.15e14)


def test_invalid_input_writes_nothing(tmp_path):
    out = tmp_path / "never"
    result = runner.invoke(app, ["run", "--set", "diffusion_years=-5", "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_params_lists_every_parameter():
    result = runner.invoke(app, ["params", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert set(payload) == set(registry())
    assert payload["full_automation_requirement"]["unit"] == "FLOP (2026 algorithms)"
    table = runner.invoke(app, ["params"])
    assert table.exit_code == 0 and "diffusion_years" in table.output


def test_array_overrides_must_agree_in_length():
    with pytest.raises(ValidationError, match="different sample counts"):
        takeoff.simulate(overrides={"diffusion_years": np.ones(3), "software_returns": np.ones(4)})


def test_run_says_which_limits_bind_and_from_when(tmp_path):
    """`takeoff run` names the binding supply, power-cap and savings limits (issue 11)."""
    bound = runner.invoke(
        app,
        ["run", "--set", "power_capacity_max_growth=0.15", "--end-year", "2040"]
        + ["--out", str(tmp_path / "a")],
    )
    assert bound.exit_code == 0, bound.output
    line = next(row for row in bound.output.splitlines() if row.startswith("Binding limits:"))
    assert "power from 20" in line
    free = runner.invoke(app, ["run", "--end-year", "2030", "--out", str(tmp_path / "b")])
    assert free.exit_code == 0, free.output
    assert "Binding limits: none" in free.output
