"""Jones (1995) / Romer (1990) reproduction: balanced growth lambda n / (1 - phi)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.classics import jones
from takeoff.cli import app
from takeoff.errors import ValidationError


@pytest.fixture(scope="module")
def result():
    return jones.reproduce()


def test_bgp_formula():
    assert jones.bgp_growth(1.0, 0.01, 0.5) == pytest.approx(0.02)
    assert jones.bgp_growth(0.5, 0.02, -1.0) == pytest.approx(0.005)
    with pytest.raises(ValidationError):
        jones.bgp_growth(1.0, 0.01, 1.0)


def test_every_case_converges_to_lambda_n_over_one_minus_phi(result):
    # The reproduction criterion of the brief: numerical BGP growth within 1% of the analytic.
    assert len(result.values["cases"]) >= 5
    for case in result.values["cases"]:
        expected = case["lambda"] * case["n"] / (1 - case["phi"])
        assert case["bgp_growth_analytic"] == pytest.approx(expected)
        assert case["relative_error"] < jones.REL_TOL
        # The whole path, not only the end point, matches the closed-form logistic.
        assert case["max_path_error_vs_closed_form"] < 1e-6
    assert result.values["all_within_1pct"] is True
    # Cases start on both sides of g* (delta = 0.05 vs g* from 0.005 to 0.06).
    starts = [c["initial_growth"] > c["bgp_growth_analytic"] for c in result.values["cases"]]
    assert any(starts) and not all(starts)


def test_growth_has_no_scale_effect():
    # Jones: the BGP rate does not depend on the level of research labour.
    _, _, g_small = jones.simulate(1.0, 0.02, 0.5, labour0=1.0, t_end=1000.0)
    _, _, g_big = jones.simulate(1.0, 0.02, 0.5, labour0=100.0, t_end=1000.0)
    assert g_small[-1] == pytest.approx(0.04, rel=1e-3)
    assert g_big[-1] == pytest.approx(0.04, rel=1e-3)


@pytest.mark.parametrize("lam,n,phi", [(0.3, 0.04, 0.2), (0.9, 0.005, -2.0)])
def test_numerical_path_matches_logistic_closed_form(lam, n, phi):
    t, _, growth = jones.simulate(lam, n, phi, delta=0.03, t_end=5 / (lam * n))
    closed = jones.logistic_growth_path(t, 0.03, lam, n, phi)
    np.testing.assert_allclose(growth, closed, rtol=1e-7)


def test_romer_scale_effect_and_unbounded_growth(result):
    rom = result.values["romer"]
    assert rom["growth_constant_labour"] == pytest.approx(rom["delta"] * rom["labour"], rel=1e-9)
    assert rom["scale_effect_ratio"] == pytest.approx(2.0, rel=1e-9)
    growth = np.array(rom["growth_growing_labour"])
    assert np.all(np.diff(growth) > 0)
    np.testing.assert_allclose(growth, rom["growth_growing_labour_analytic"], rtol=1e-7)
    t_end = rom["times"][-1]
    assert rom["growth_ratio_end_to_start"] == pytest.approx(np.exp(rom["n"] * t_end), rel=1e-7)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cases": [(1.0, 0.01, 1.0)]},
        {"cases": [(1.5, 0.01, 0.5)]},
        {"cases": [(1.0, -0.01, 0.5)]},
        {"cases": [(1.0, 0.01)]},
        {"cases": []},
        {"delta": 0.0},
        {"romer_n": 0.0},
    ],
)
def test_bad_options_raise(kwargs):
    with pytest.raises(ValidationError):
        jones.reproduce(**kwargs)


def test_cli_json_and_plot(tmp_path):
    png = tmp_path / "jones.png"
    out = CliRunner().invoke(app, ["classics", "jones", "--json", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    for key in ("bgp_growth_numerical", "bgp_growth_analytic", "relative_error", "cases", "romer"):
        assert key in payload
    assert png.stat().st_size > 0
