"""Aghion, Jones & Jones (2017): Baumol bottleneck vs automation share approaching one."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.classics import aghion_jones as aj
from takeoff.cli import app
from takeoff.errors import ValidationError


@pytest.fixture(scope="module")
def result():
    return aj.reproduce()


def _case(result, rho):
    return next(c for c in result.values["cases"] if c["rho"] == rho)


def test_log_output_is_the_ces():
    p = dict(aj.DEFAULTS)
    rho, t, k = -0.5, 3.0, 2.5
    beta = aj.beta_path(t, p["beta0"], p["theta"])
    labour = np.exp(p["n"] * t)
    y = np.exp(p["g_a"] * t) * (
        beta ** (1 - rho) * k**rho + (1 - beta) ** (1 - rho) * labour**rho
    ) ** (1 / rho)
    log_y, share = aj.log_output(np.log(k), np.array(t), rho, p, p["theta"])
    assert float(log_y) == pytest.approx(np.log(y), rel=1e-12)
    assert float(share) == pytest.approx(
        beta ** (1 - rho) * k**rho / (y / np.exp(p["g_a"] * t)) ** rho
    )


def test_output_growth_matches_finite_difference():
    p = dict(aj.DEFAULTS)
    run = aj.simulate(-0.5, p, rising=True, t_end=60.0, n_points=6001)
    log_y, _ = aj.log_output(run["log_k"], run["t"], -0.5, p, p["theta"])
    fd = np.gradient(log_y, run["t"])
    np.testing.assert_allclose(run["g_y"][5:-5], fd[5:-5], rtol=1e-4)


def test_baumol_constant_beta_converges_to_exogenous_rate(result):
    # Reproduction criterion: within 1% of g_A + n for every rho < 0 (the analytic limit).
    exo = result.values["exogenous_growth_rate"]
    assert exo == pytest.approx(aj.DEFAULTS["g_a"] + aj.DEFAULTS["n"])
    for case in result.values["cases"]:
        if case["rho"] < 0:
            row = case["constant_beta"]
            assert row["long_run_growth_analytic"] == pytest.approx(exo)
            assert row["relative_error"] < aj.REL_TOL
            assert row["capital_share_end"] < 1e-3  # labour's share -> 1: the bottleneck
    assert result.values["long_run_growth_constant_beta"] == pytest.approx(exo, rel=aj.REL_TOL)


def test_rising_automation_sustains_faster_growth(result):
    for case in result.values["cases"]:
        rho = case["rho"]
        if rho < 0:
            row = case["rising_beta"]
            boost = aj.DEFAULTS["theta"] * (1 - rho) / (-rho)
            expected = aj.DEFAULTS["g_a"] + aj.DEFAULTS["n"] + boost
            assert row["long_run_growth_analytic"] == pytest.approx(expected)
            assert row["relative_error"] < aj.REL_TOL
            assert (
                row["long_run_growth_numerical"]
                > case["constant_beta"]["long_run_growth_numerical"] + 0.5 * boost
            )
    values = result.values
    assert values["long_run_growth_rising_beta"] > 2 * values["long_run_growth_constant_beta"]


def test_substitutes_grow_without_bound(result):
    case = _case(result, 0.5)
    for key in ("constant_beta", "rising_beta"):
        row = case[key]
        assert row["unbounded"] is True
        assert row["growth_at_50y"] > row["growth_at_25y"] > 0.1
        assert row["explodes_within_horizon"] is True
        assert row["capital_share_end"] > 0.99
    assert (
        case["rising_beta"]["years_to_30pct_growth"]
        < case["constant_beta"]["years_to_30pct_growth"]
    )


def test_ak_limit_without_tfp_growth():
    # rho > 0 and constant A: Y/K -> beta^((1-rho)/rho), growth -> s beta^((1-rho)/rho) - d.
    res = aj.reproduce(rhos=(-0.5, 0.5), g_a=0.0)
    case = _case(res, 0.5)
    p = dict(aj.DEFAULTS)
    expected = p["s"] * p["beta0"] ** ((1 - 0.5) / 0.5) - p["d"]
    assert case["constant_beta"]["long_run_growth_analytic"] == pytest.approx(expected)
    assert case["constant_beta"]["relative_error"] < aj.REL_TOL
    assert case["rising_beta"]["long_run_growth_analytic"] == pytest.approx(p["s"] - p["d"])
    assert case["rising_beta"]["relative_error"] < aj.REL_TOL
    # And the Baumol case with g_A = 0 converges to n.
    assert res.values["long_run_growth_constant_beta"] == pytest.approx(p["n"], rel=aj.REL_TOL)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rhos": (0.0,)},
        {"rhos": (1.0,)},
        {"rhos": ()},
        {"rhos": (0.5,)},  # no Baumol case
        {"s": 1.5},
        {"beta0": 1.0},
        {"theta": 0.0},
        {"d": -0.1},
        {"bogus": 1.0},
    ],
)
def test_bad_options_raise(kwargs):
    with pytest.raises(ValidationError):
        aj.reproduce(**kwargs)


def test_cli_json_and_plot(tmp_path):
    png = tmp_path / "aj.png"
    out = CliRunner().invoke(app, ["classics", "aghion-jones", "--json", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    for key in (
        "long_run_growth_constant_beta",
        "long_run_growth_rising_beta",
        "exogenous_growth_rate",
        "cases",
    ):
        assert key in payload
    assert png.stat().st_size > 0
