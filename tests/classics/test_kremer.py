"""Kremer (1993) reproduction: growth-rate-on-level regression, on his Table I and on
synthetic hyperbolic data with a known slope."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.classics import kremer
from takeoff.cli import app
from takeoff.errors import FitError


@pytest.fixture(scope="module")
def table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return kremer.load_table()


def test_recomputed_rates_match_printed_except_the_two_misprints(table):
    years, pop, printed = table
    start, _, growth = kremer.interval_growth(years, pop)
    rel = np.abs(growth - printed[:-1]) / np.maximum(np.abs(printed[:-1]), 1e-12)
    misprints = np.isin(start, [-25000, 1900])
    # Printed to 2-4 significant figures (4.5e-05 for -10,000): agreement within 1%.
    assert np.all(rel[~misprints] < 1e-2)
    assert np.all(rel[misprints] > 0.3)


def test_table_ii_fits_on_kremers_data(table):
    years, pop, _ = table
    fits = kremer.kremer_regressions(years, pop)["ols"]
    full, late = fits["all"], fits["late"]
    assert (full.n, late.n) == (37, 27)
    # Kremer's prediction: growth proportional to level, i.e. a positive, precisely
    # estimated slope and an intercept indistinguishable from zero.
    for fit in (full, late):
        assert fit.slope / fit.slope_se > 10
        assert abs(fit.intercept / fit.intercept_se) < 2
        assert fit.r2 > 0.85
    # Regression pins of our own measurement (docs/classics/kremer.md), to 1e-6 relative.
    assert full.slope == pytest.approx(5.18763e-06, rel=1e-5)
    assert full.r2 == pytest.approx(0.914169, rel=1e-5)
    assert late.slope == pytest.approx(5.32622e-06, rel=1e-5)
    assert late.r2 == pytest.approx(0.904027, rel=1e-5)


def test_ols_recovers_an_exact_linear_growth_law():
    # p_{i+1} = p_i exp((b0 + b1 p_i) dt_i): the interval growth rate is exactly linear
    # in the starting level, so OLS must return (b0, b1) to rounding error.
    b0, b1 = 2e-4, 4e-6
    years = np.cumsum(np.r_[0.0, np.full(20, 50.0), np.full(30, 10.0)])
    pop = [5.0]
    for dt in np.diff(years):
        pop.append(pop[-1] * np.exp((b0 + b1 * pop[-1]) * dt))
    fit = kremer.ols(*kremer.interval_growth(years, np.array(pop))[1:])
    assert fit.slope == pytest.approx(b1, rel=1e-9)
    assert fit.intercept == pytest.approx(b0, rel=1e-7)
    assert fit.r2 == pytest.approx(1.0, abs=1e-12)


def test_regression_recovers_slope_of_noisy_hyperbolic_population():
    # p(t) = C / (T* - t) has dp/dt / p = p / C exactly; interval rates over 1-year steps
    # at least 130 years before T* are biased by under 0.4%. Multiplicative noise of 0.1%
    # on levels blurs the rates; the estimate must sit within 4 standard errors of 1/C.
    c, t_star = 2.0e5, 2030.0
    years = np.arange(0.0, 1901.0)
    rng = np.random.default_rng(7)
    pop = c / (t_star - years) * np.exp(rng.normal(0.0, 1e-3, years.size))
    fit = kremer.ols(*kremer.interval_growth(years, pop)[1:])
    assert abs(fit.slope - 1.0 / c) < 4 * fit.slope_se + 0.004 / c
    assert abs(fit.slope * c - 1.0) < 0.05


def test_bad_input_raises_fit_error():
    with pytest.raises(FitError):
        kremer.interval_growth(np.array([0.0, 0.0, 1.0]), np.array([1.0, 2.0, 3.0]))
    with pytest.raises(FitError):
        kremer.ols(np.ones(5), np.arange(5.0))


def test_cli_json_and_plot(tmp_path):
    png = tmp_path / "kremer.png"
    result = CliRunner().invoke(app, ["classics", "kremer", "--json", "--plot", str(png)])
    assert result.exit_code == 0, result.output
    values = json.loads(result.stdout)
    for key in ("slope", "intercept", "slope_se", "intercept_se", "r2", "n"):
        assert isinstance(values[key], int | float)
        assert isinstance(values["from_minus_200"][key], int | float)
    assert values["n"] == 37 and values["from_minus_200"]["n"] == 27
    assert png.stat().st_size > 10_000
