"""Importance weights against exact posteriors (conjugate cases) and simulation-based
calibration, on toy "trajectories" where the answer is known in closed form."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from takeoff.errors import ValidationError
from takeoff.evidence.likelihood import (
    effective_sample_size,
    log_likelihood,
    model_values,
    normalised_weights,
    weighted_cdf,
    weighted_quantiles,
    weighted_year_cdf,
    weighted_year_summary,
)
from takeoff.evidence.observables import make_observation

YEARS = np.array([2026.0, 2027.0, 2028.0, 2029.0, 2030.0])


def constant_paths(name: str, values: np.ndarray) -> dict[str, np.ndarray]:
    """Every year of every sample holds that sample's value."""
    return {name: np.tile(values, (YEARS.size, 1))}


def test_normal_prior_normal_observation_matches_the_conjugate_posterior():
    rng = np.random.default_rng(0)
    prior_mean, prior_sd, observed, error_sd = 0.03, 0.02, 0.06, 0.01
    theta = rng.normal(prior_mean, prior_sd, 400_000)
    observation = make_observation("gwp_growth", observed, 2028.5, error_sd)
    weights = normalised_weights(
        log_likelihood([observation], YEARS, constant_paths("gwp_growth", theta))
    )
    precision = 1 / prior_sd**2 + 1 / error_sd**2
    exact_mean = (prior_mean / prior_sd**2 + observed / error_sd**2) / precision
    exact_sd = precision**-0.5
    mean = np.sum(weights * theta)
    sd = np.sqrt(np.sum(weights * (theta - mean) ** 2))
    ess = effective_sample_size(weights)
    assert mean == pytest.approx(exact_mean, abs=4 * exact_sd / np.sqrt(ess))
    assert sd == pytest.approx(exact_sd, rel=0.02)
    # Quantiles too, against the exact normal posterior.
    got = weighted_quantiles(theta, weights, (0.1, 0.5, 0.9))
    want = stats.norm(exact_mean, exact_sd).ppf([0.1, 0.5, 0.9])
    np.testing.assert_allclose(got, want, atol=0.03 * exact_sd * 4)


def test_lognormal_prior_lognormal_observation_matches_the_conjugate_posterior():
    """A log-scale observable: ln(value) is normal in prior and error, so ln(posterior)
    is the normal conjugate; the SD is given as a percentage."""
    rng = np.random.default_rng(1)
    prior_log_mean, prior_log_sd = np.log(50.0), 0.8
    power = np.exp(rng.normal(prior_log_mean, prior_log_sd, 400_000))
    observation = make_observation("power_gw", 120.0, 2029.0, "30%")
    assert observation.sd == pytest.approx(np.log(1.3))
    weights = normalised_weights(
        log_likelihood([observation], YEARS, constant_paths("power_gw", power))
    )
    precision = 1 / prior_log_sd**2 + 1 / observation.sd**2
    exact_mean = (prior_log_mean / prior_log_sd**2 + np.log(120.0) / observation.sd**2) / precision
    exact = stats.norm(exact_mean, precision**-0.5)
    got = np.log(weighted_quantiles(power, weights, (0.1, 0.5, 0.9)))
    np.testing.assert_allclose(got, exact.ppf([0.1, 0.5, 0.9]), atol=0.01)


def test_two_independent_observations_multiply():
    """Observing the same quantity twice with SDs s1, s2 is one observation with the
    precision-weighted mean and precision 1/s1^2 + 1/s2^2."""
    rng = np.random.default_rng(2)
    theta = rng.normal(0.0, 0.05, 200_000)
    paths = constant_paths("gwp_growth", theta)
    both = [
        make_observation("gwp_growth", 0.02, 2027.0, 0.02),
        make_observation("gwp_growth", 0.05, 2029.0, 0.04),
    ]
    combined_sd = (1 / 0.02**2 + 1 / 0.04**2) ** -0.5
    combined_mean = (0.02 / 0.02**2 + 0.05 / 0.04**2) * combined_sd**2
    one = [make_observation("gwp_growth", combined_mean, 2028.0, combined_sd)]
    np.testing.assert_allclose(
        normalised_weights(log_likelihood(both, YEARS, paths)),
        normalised_weights(log_likelihood(one, YEARS, paths)),
        rtol=1e-9,
    )


def test_simulation_based_calibration_on_the_conjugate_toy():
    """Truths drawn from the prior, data drawn from the truths: the posterior CDF at the
    truth is uniform (Talts et al. 2018); a wrong error SD in the likelihood fails it."""
    rng = np.random.default_rng(3)
    prior = rng.normal(0.0, 1.0, 4000)
    truths = rng.normal(0.0, 1.0, 400)
    error_sd = 0.7
    data = truths + rng.normal(0.0, error_sd, truths.size)

    def ranks(assumed_sd: float) -> np.ndarray:
        log_l = -0.5 * ((prior[None, :] - data[:, None]) / assumed_sd) ** 2
        weights = np.exp(log_l - log_l.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        return np.sum(weights * (prior[None, :] < truths[:, None]), axis=1)

    assert stats.kstest(ranks(error_sd), "uniform").pvalue > 0.01
    assert stats.kstest(ranks(error_sd / 4), "uniform").pvalue < 0.001


def test_growth_observable_is_the_ratio_to_the_year_before():
    growth = np.array([1.5, 3.0, 10.0])
    levels = growth[None, :] ** (YEARS - 2026.0)[:, None]
    paths = {"ai_output_share": np.ones_like(levels), "gwp": levels}
    observation = make_observation("ai_revenue_growth", 3.0, 2028.5)
    np.testing.assert_allclose(model_values(observation, YEARS, paths), growth, rtol=1e-12)


def test_log_interpolation_between_years():
    paths = constant_paths("power_gw", np.array([1.0]))
    paths["power_gw"] = np.array([[10.0], [100.0], [1000.0], [1e4], [1e5]])
    observation = make_observation("power_gw", 1.0, 2027.5)
    np.testing.assert_allclose(model_values(observation, YEARS, paths), [10**2.5])


def test_unusable_model_values_get_zero_weight():
    values = np.array([10.0, 0.0, np.nan, 20.0])
    weights = normalised_weights(
        log_likelihood(
            [make_observation("power_gw", 15.0, 2027.0)], YEARS, constant_paths("power_gw", values)
        )
    )
    assert weights[1] == 0 and weights[2] == 0 and weights.sum() == pytest.approx(1)
    with pytest.raises(ValidationError, match="likelihood 0"):
        normalised_weights(np.full(3, -np.inf))


def test_ess_and_weighted_summaries():
    assert effective_sample_size(np.full(50, 1 / 50)) == pytest.approx(50)
    assert effective_sample_size(np.array([1.0, 0.0, 0.0])) == pytest.approx(1)
    years = np.array([2030.0, 2040.0, np.nan, 2035.0])
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(weighted_cdf(years, weights, [2030, 2036, 2100]), [0.1, 0.5, 0.7])
    summary = weighted_year_summary(years, weights, 2100.0, (2030, 2040))
    assert summary["p50"] == 2035.0 and summary["p90"] is None
    assert summary["prob_by"] == {"2030": 0.1, "2040": 0.7}
    assert summary["prob_reached"] == pytest.approx(0.7)


def _brute_force_cdf(years, weights, grid):
    """P(reached by y) sample by sample: the definition, with a loop."""
    out = []
    for y in grid:
        total = 0.0
        for x, w in zip(years, weights, strict=True):
            if not np.isnan(x) and x <= y + 1e-9:
                total += w
        out.append(total / sum(weights))
    return np.array(out)


@pytest.mark.parametrize("seed", range(8))
def test_weighted_year_cdf_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    # years on a coarse lattice (many ties, some exactly on grid years), a share never
    # reached, weights with exact zeros and a wide spread; the grid is unsorted at times
    years = 2026 + np.round(rng.uniform(0, 40, n) * 4) / 4
    years[rng.random(n) < rng.uniform(0, 0.6)] = np.nan
    weights = rng.exponential(1.0, n) ** 3
    weights[rng.random(n) < 0.2] = 0.0
    if not weights.sum() > 0:
        weights[0] = 1.0
    grid = np.arange(2020.0, 2071.0)
    if seed % 2:
        grid = np.concatenate([grid, rng.uniform(2020, 2070, 20), [2030.25, 2045.5]])
    got = weighted_year_cdf(years, weights, grid)
    np.testing.assert_allclose(got, _brute_force_cdf(years, weights, grid), rtol=1e-12, atol=1e-14)
    assert np.all((got >= 0) & (got <= 1))
    ordered = weighted_year_cdf(years, weights, np.sort(grid))
    assert np.all(np.diff(ordered) >= 0)
    # it ends at the weighted share of samples that reach the milestone
    reached = ~np.isnan(years)
    assert ordered[-1] == pytest.approx(weights[reached].sum() / weights.sum())
    # unnormalised weights give the same CDF as normalised ones
    np.testing.assert_allclose(weighted_year_cdf(years, weights / weights.sum(), grid), got)


def test_weighted_year_cdf_with_equal_weights_is_the_ecdf():
    rng = np.random.default_rng(3)
    years = 2026 + rng.gamma(2.0, 6.0, 500)
    years[::7] = np.nan
    years[::11] = 2035.0  # ties on a grid year count in full there
    grid = np.arange(2026.0, 2101.0)
    got = weighted_year_cdf(years, np.full(years.size, 1 / years.size), grid)
    filled = np.where(np.isnan(years), np.inf, years)
    ecdf = np.mean(filled[:, None] <= grid[None, :] + 1e-9, axis=0)
    np.testing.assert_allclose(got, ecdf, atol=1e-12)
    assert got[grid == 2035.0][0] == pytest.approx(np.mean(filled <= 2035.0))
    assert got[-1] < 1  # never reached: the CDF ends below 1


def test_weighted_year_cdf_edges():
    # all weight on one sample: a single step at its year
    years = np.array([2030.0, 2040.0, np.nan])
    np.testing.assert_array_equal(
        weighted_year_cdf(years, np.array([0.0, 1.0, 0.0]), [2039, 2040, 2041]), [0, 1, 1]
    )
    # nothing reached: zero everywhere
    np.testing.assert_array_equal(
        weighted_year_cdf(np.full(4, np.nan), np.full(4, 0.25), [2030, 2100]), [0, 0]
    )
    with pytest.raises(ValueError, match="positive sum"):
        weighted_year_cdf(years, np.zeros(3), [2030])
    with pytest.raises(ValueError, match="one length"):
        weighted_year_cdf(years, np.ones(2), [2030])
