"""AI 2027 time-horizon-extension timelines (April 2025): reproduction and mechanics."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import norm
from typer.testing import CliRunner

from takeoff.classics import ai2027
from takeoff.cli import app
from takeoff.errors import ValidationError


@pytest.fixture(scope="module")
def result():
    return ai2027.reproduce()


def test_reproduces_published_eli_forecast(result):
    # Published: median Aug 2027, 80% CI Oct 2025 to 2039. Tolerance = 3 sigma of the
    # difference of two MC quantiles (ours N=10,000, theirs 5,000) + the published rounding.
    values, published = result.values, result.published
    for key in ("median_sc_year", "p10_sc_year", "p90_sc_year"):
        tol = values["tolerance_vs_published"][key]
        assert abs(values[key] - published[key]) <= tol, key
    assert values["tolerance_vs_published"]["median_sc_year"] < 0.25
    assert values["tolerance_vs_published"]["p10_sc_year"] < 0.15
    assert 2027.0 < values["median_sc_year"] < 2028.0


def test_speedups_and_growth_types(result):
    values = result.values
    assert values["median_sc_year_without_ai_speedup"] > values["median_sc_year"] + 2.0
    shares = values["growth_type_shares"]
    for key, p in (("superexponential", 0.45), ("subexponential", 0.10)):
        assert abs(shares[key] - p) < 4 * np.sqrt(p * (1 - p) / values["n_samples"])


def test_horizon_time_closed_forms_equal_sums_of_doublings():
    n = np.array([7.0, 7.0, 7.0])
    growth = np.array([0, 1, -1])
    t = ai2027.horizon_time(n, np.full(3, 4.5), growth)
    k = np.arange(7)
    assert t[0] == pytest.approx(7 * 4.5)
    assert t[1] == pytest.approx((4.5 * 0.9**k).sum())
    assert t[2] == pytest.approx((4.5 * 1.1**k).sum())


def test_lognormal_ci_and_copula():
    q = ai2027.lognormal_from_ci(2.5, 9.0, norm.cdf(np.array([-1.28, 0.0, 1.28])))
    np.testing.assert_allclose(q, [2.5, np.sqrt(22.5), 9.0], rtol=1e-12)
    rng = np.random.default_rng(0)
    u = ai2027.correlated_uniforms(rng, 20_000, 3, 0.7)
    z = norm.ppf(u)
    corr = np.corrcoef(z.T)
    se = (1 - 0.7**2) / np.sqrt(20_000)
    assert np.all(np.abs(corr[np.triu_indices(3, 1)] - 0.7) < 5 * se)


def test_integrator_matches_analytic_solution():
    rng = np.random.default_rng(1)
    s = ai2027.sample(rng, 3000, ai2027.FORECASTERS["eli"])
    base = ai2027.base_months(s)
    start = ai2027.START_YEAR - s["delay_months"] / 12
    ok = base > 0
    exact = ai2027.analytic_arrival(base[ok], start[ok], s["present_mult"][ok], s["sc_mult"][ok])
    ours = ai2027.arrival_years(
        base[ok],
        start[ok],
        s["present_mult"][ok],
        s["sc_mult"][ok],
        decrease_year=np.inf,
        max_year=np.inf,
    )
    assert np.max(np.abs(ours - exact)) * 365 < 2.0  # within two days


def test_slowdown_after_2029_without_speedup():
    # No AI boost: rate 1 before 2029 and (sqrt(0.5*1*0.5) + 0.5)/2 = 0.5 after.
    base = np.array([12.0, 60.0, 120.0])
    start = np.full(3, 2025.25)
    zeros = np.zeros(3)
    years = ai2027.arrival_years(base, start, zeros, zeros)
    before = (2029.0 - 2025.25) * 12
    expected = np.where(base <= before, start + base / 12, 2029.0 + (base - before) / 0.5 / 12)
    np.testing.assert_allclose(years, expected, atol=5 / 365)


def test_deterministic_for_a_seed():
    a = ai2027.simulate(500, 11)[1]
    b = ai2027.simulate(500, 11)[1]
    c = ai2027.simulate(500, 12)[1]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_nikola_is_earlier_and_narrower():
    values = ai2027.reproduce(n_samples=3000, forecaster="nikola").values
    assert 2026.5 < values["median_sc_year"] < 2028.0
    assert values["p90_sc_year"] < 2036.0


@pytest.mark.parametrize(
    "kwargs",
    [{"n_samples": 5}, {"seed": -3}, {"forecaster": "daniel"}, {"dt_days": 0.0}],
)
def test_bad_options_raise(kwargs):
    with pytest.raises(ValidationError):
        ai2027.reproduce(**kwargs)


def test_cli_json_and_plot(tmp_path):
    png = tmp_path / "ai2027.png"
    out = CliRunner().invoke(app, ["classics", "ai2027", "--json", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    for key in ("median_sc_year", "p10_sc_year", "p90_sc_year", "mc_standard_error"):
        assert key in payload
    assert png.stat().st_size > 0
