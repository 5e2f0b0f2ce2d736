"""`takeoff mc` and `takeoff compare` through the CLI (typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from takeoff.cli import app

EARLY = """
name = "early-view"
title = "Early (test)"
description = "Low training requirement, fast diffusion."
[simulation]
end_year = 2070
[parameters]
full_automation_requirement = { dist = "lognormal", median = 1e33, sd_log10 = 0.8, source = "test: early" }
software_returns = { dist = "lognormal", median = 2.0, sd_log10 = 0.1 }
diffusion_years = { value = 1.5, unit = "years", source = "test: quick adoption" }
[[correlations]]
between = ["full_automation_requirement", "software_returns"]
rank = -0.3
"""
LATE = """
name = "late-view"
title = "Late (test)"
[simulation]
end_year = 2070
[parameters]
full_automation_requirement = { dist = "lognormal", median = 1e37, sd_log10 = 0.8, source = "test: late" }
task_substitution_rho = { dist = "uniform", low = -1.5, high = -0.5 }
diffusion_years = 8.0
"""
SUMMARY_KEYS = {"p10", "p50", "p90", "se_median", "prob_by", "prob_reached"}


def write_test_worldviews(folder: Path) -> tuple[str, str]:
    """Two small worldview files (end year 2070 to keep runs short): (early, late) paths."""
    folder.mkdir(parents=True, exist_ok=True)
    early, late = folder / "early.toml", folder / "late.toml"
    early.write_text(EARLY)
    late.write_text(LATE)
    return str(early), str(late)


@pytest.fixture(scope="module")
def views(tmp_path_factory) -> tuple[str, str]:
    return write_test_worldviews(tmp_path_factory.mktemp("worldviews"))


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_mc_json_keys_and_values(runner, views):
    result = invoke(runner, "mc", views[0], "--samples", "40", "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "scenario",
        "n_samples",
        "seed",
        "end_year",
        "sampled_parameters",
        "milestones",
    ]
    assert (data["scenario"], data["n_samples"], data["seed"]) == ("early-view", 40, 3)
    assert data["sampled_parameters"] == ["full_automation_requirement", "software_returns"]
    assert "automated_100pct" in data["milestones"]
    for name, summary in data["milestones"].items():
        assert set(summary) == SUMMARY_KEYS, name
        assert set(summary["prob_by"]) == {"2030", "2035", "2040", "2050"}  # end year 2070
        if summary["p10"] is not None and summary["p90"] is not None:
            assert summary["p10"] <= summary["p50"] <= summary["p90"]
        probs = list(summary["prob_by"].values())
        assert probs == sorted(probs) and all(0 <= p <= 1 for p in probs)


def test_mc_is_deterministic_for_a_seed(runner, views):
    args = ("mc", views[0], "-n", "30", "--json")
    first = invoke(runner, *args, "--seed", "7").stdout
    again = invoke(runner, *args, "--seed", "7").stdout
    other = invoke(runner, *args, "--seed", "8").stdout
    assert first == again
    assert json.loads(first)["milestones"] != json.loads(other)["milestones"]


def test_mc_set_fixes_a_parameter(runner, views):
    args = ("mc", views[0], "-n", "20", "--json", "--set", "full_automation_requirement=1e34")
    data = json.loads(invoke(runner, *args).stdout)
    assert data["sampled_parameters"] == ["software_returns"]


def test_mc_table_output(runner, views):
    result = invoke(runner, "mc", views[0], "-n", "20")
    assert result.exit_code == 0, result.output
    for text in ("automated_100pct", "p50", "SE p50", "P≤2030", "early-view"):
        assert text in result.stdout


def test_mc_writes_samples_quantiles_and_trajectories(runner, views, tmp_path):
    out = tmp_path / "mc"
    result = invoke(runner, "mc", views[0], "-n", "25", "--out", str(out), "--keep-trajectories")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["milestones.csv", "quantiles.csv", "summary.json", "trajectories.csv"]
    samples = pd.read_csv(out / "milestones.csv")
    assert len(samples) == 25
    assert {"sample", "param.full_automation_requirement", "automated_100pct"} <= set(samples)
    quantiles = pd.read_csv(out / "quantiles.csv")
    assert {"series", "year", "q05", "q50", "q95"} <= set(quantiles)
    assert {"gwp_growth", "automated_share", "power_gw"} <= set(quantiles["series"])
    trajectories = pd.read_csv(out / "trajectories.csv")
    assert len(trajectories) == 25 * (2070 - 2026 + 1)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_samples"] == 25


@pytest.mark.parametrize(
    "args",
    [
        ("--samples", "0"),
        ("--samples", "-5"),
        ("--seed", "-1"),
        ("--format", "xml"),
        ("--keep-trajectories",),
        ("--set", "not_a_parameter=1"),
    ],
)
def test_mc_bad_input_exits_2(runner, views, args):
    result = invoke(runner, "mc", views[0], *args)
    assert result.exit_code == 2, result.output
    assert "error" in result.output and "Traceback" not in result.output


def test_mc_unknown_scenario_exits_2(runner):
    result = invoke(runner, "mc", "no-such-worldview", "-n", "5")
    assert result.exit_code == 2
    assert "no-such-worldview" in result.output and "built-ins" in result.output


def test_compare_two_worldviews(runner, views):
    result = invoke(runner, "compare", *views, "--samples", "60", "--seed", "1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["n_samples"], data["seed"]) == (60, 1)
    assert list(data["worldviews"]) == ["early-view", "late-view"]
    early, late = (
        data["worldviews"][k]["milestones"]["automated_100pct"] for k in data["worldviews"]
    )
    assert set(early) == SUMMARY_KEYS
    # A 1e4x lower training requirement must bring full automation earlier.
    assert early["prob_by"]["2050"] > late["prob_by"]["2050"]

    table = invoke(runner, "compare", *views, "--samples", "60", "--seed", "1")
    assert table.exit_code == 0, table.output
    for text in ("early-view", "late-view", "P(automated_100pct by 2035)", "explosive_growth"):
        assert text in table.stdout


@pytest.mark.parametrize(
    "args",
    [("--samples", "0"), ("--seed", "-2"), ("no-such-worldview",), ("--report", "{tmp}")],
)
def test_compare_bad_input_exits_2(runner, views, tmp_path, args):
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    extra = () if "no-such-worldview" in args else views
    result = invoke(runner, "compare", *extra, "-n", "5", *args)
    assert result.exit_code == 2, result.output
    assert "error" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("scenario", "overrides"),
    [("default", None), ("early", {"full_automation_requirement": 1e34, "software_returns": 1.5})],
)
def test_monte_carlo_runs_once_when_nothing_varies(views, scenario, overrides):
    """Identical samples are simulated once and repeated: the deterministic run's numbers."""
    import numpy as np

    import takeoff
    from takeoff.scenarios.loader import load_scenario
    from takeoff.uncertainty.montecarlo import run_mc

    loaded = load_scenario(views[0] if scenario == "early" else scenario)
    seen = []
    fast = run_mc(
        loaded,
        12,
        4,
        overrides=overrides,
        keep_trajectories=True,
        progress=lambda d, t: seen.append(d),
    )
    assert seen == [12] and fast.n_samples == 12
    if scenario == "early":  # the overrides fix what is random in this scenario
        assert set(fast.sampled) == set(loaded.distributions) - set(overrides)
        assert all((v == v[0]).all() and v.size == 12 for v in fast.sampled.values())
    one = takeoff.simulate(loaded, overrides)
    rows = one.yearly()
    for name, years in one.milestones.items():
        np.testing.assert_array_equal(fast.milestones[name], np.repeat(years, 12))
    for name, trajectory in fast.trajectories.items():
        assert trajectory.shape == (rows.size, 12)
        np.testing.assert_array_equal(trajectory, np.repeat(one.series[name][rows], 12, axis=1))
    # Samples that do differ are all simulated (no shortcut).
    varied = run_mc(loaded, 12, 4, overrides={"diffusion_years": np.linspace(1, 12, 12)})
    assert len(set(varied.milestones["automated_50pct"])) > 1
