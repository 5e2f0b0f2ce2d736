"""`takeoff cruxes`, `sensitivity` and `discover` through the CLI (typer's CliRunner)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import takeoff.cli_cruxes  # noqa: F401  (registers the commands)
from takeoff.cli import app
from tests.cruxes.views import write_views


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    return write_views(tmp_path_factory.mktemp("views"))


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cruxes_json_and_waterfall(views, tmp_path):
    fast, slow = views
    plot = tmp_path / "waterfall.png"
    res = invoke("cruxes", fast, slow, "-n", "32", "--json", "--plot", str(plot))
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["a"] == "fast-view" and out["b"] == "slow-view"
    assert sum(g["shapley"] for g in out["groups"]) == pytest.approx(out["total"], abs=1e-3)
    assert plot.stat().st_size > 10_000


def test_cruxes_table(views):
    fast, slow = views
    res = invoke("cruxes", fast, slow, "-n", "16", "--by", "block", "-m", "automated_50pct")
    assert res.exit_code == 0, res.output
    assert "median year of automated_50pct" in res.output
    assert "capabilities" in res.output


def test_sensitivity_and_discover(views, tmp_path):
    _, slow = views
    res = invoke("sensitivity", slow, "-n", "16", "--json", "--plot", str(tmp_path / "s.png"))
    assert res.exit_code == 0, res.output
    assert set(json.loads(res.stdout)["outputs"]) == {"year", "growth"}
    res = invoke("discover", slow, "--where", "automated_100pct < 2040", "-n", "200")
    assert res.exit_code == 0, res.output
    assert "automated_100pct < 2040 in" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cruxes", "amodei", "no-such-view"), "no such file or built-in scenario"),
        (("cruxes", "amodei", "besiroglu-erdil", "-m", "nope"), "--milestone: unknown milestone"),
        (("cruxes", "amodei", "besiroglu-erdil", "--group", "g=nope"), "unknown parameter"),
        (
            (
                "cruxes",
                "amodei",
                "besiroglu-erdil",
                "--group",
                "g=software_returns",
                "--group",
                "g=automation_cap",
            ),
            "named twice",
        ),
        (("cruxes", "amodei", "besiroglu-erdil", "--metric", "p90"), "--metric"),
        (("cruxes", "amodei", "besiroglu-erdil", "--plot", "chart.svg"), "ending in .png"),
        (("sensitivity", "no-such-view"), "no such file"),
        (("sensitivity", "amodei", "-n", "30"), "power of 2"),
        (("discover", "amodei", "--where", "soon"), "--where"),
        (("discover", "amodei", "--where", "x < 2030", "-n", "0"), "--samples"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(args, message):
    res = invoke(*args)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
