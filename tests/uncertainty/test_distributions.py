"""Tests for the parameter-distribution engine (takeoff.uncertainty)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from takeoff.errors import ValidationError
from takeoff.uncertainty.copula import pearson_to_spearman, spearman_to_pearson
from takeoff.uncertainty.distributions import (
    DIST_NAMES,
    Beta,
    Lognormal,
    LogUniform,
    Normal,
    Point,
    SplitNormal,
    Truncated,
    Uniform,
    parse_distribution,
    parse_distributions,
    sample_parameters,
    truncate,
)

FIELD = "full_automation_requirement_flop"
PROBS = np.array([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
N_BIG = 100_000

# Each spec next to an independently built scipy distribution with the same law.
FAMILIES = {
    "normal": ({"dist": "normal", "mean": 2.0, "sd": 3.0}, stats.norm(2.0, 3.0)),
    "lognormal_log10": (
        {"dist": "lognormal", "median": 1e35, "sd_log10": 1.0},
        stats.lognorm(s=math.log(10.0), scale=1e35),
    ),
    "lognormal_natural": (
        {"dist": "lognormal", "mu": 1.0, "sigma": 0.5},
        stats.lognorm(s=0.5, scale=math.e),
    ),
    "uniform": ({"dist": "uniform", "low": -1.0, "high": 4.0}, stats.uniform(-1.0, 5.0)),
    "loguniform": ({"dist": "loguniform", "low": 1e-3, "high": 1.0}, stats.loguniform(1e-3, 1.0)),
    "beta": ({"dist": "beta", "a": 2, "b": 5}, stats.beta(2, 5)),
    "beta_rescaled": (
        {"dist": "beta", "a": 0.7, "b": 1.5, "low": 10.0, "high": 30.0},
        stats.beta(0.7, 1.5, loc=10.0, scale=20.0),
    ),
}


def quantile_band(reference, probs: np.ndarray, n: int, z: float = 5.0):
    """Reference quantiles at p -+ z * sqrt(p (1 - p) / n): where the empirical
    p-quantile of n draws lies with overwhelming probability (order-statistic CI)."""
    half = z * np.sqrt(probs * (1 - probs) / n)
    return reference.ppf(probs - half), reference.ppf(probs + half)


# --------------------------------------------------------------------------- families


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_ppf_equals_scipy(name: str) -> None:
    spec, reference = FAMILIES[name]
    dist = parse_distribution(spec, field=name)
    u = np.linspace(0.001, 0.999, 201)
    np.testing.assert_allclose(dist.ppf(u), reference.ppf(u), rtol=1e-12)
    np.testing.assert_allclose(dist.cdf(reference.ppf(u)), u, rtol=1e-9)
    assert dist.median() == pytest.approx(reference.median(), rel=1e-12)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_sample_quantiles_match_scipy(name: str) -> None:
    spec, reference = FAMILIES[name]
    dist = parse_distribution(spec, field=name)
    lo, hi = quantile_band(reference, PROBS, N_BIG)
    for draws in (
        dist.sample(np.random.default_rng(7), N_BIG),
        sample_parameters({name: dist}, N_BIG, seed=7)[name],
    ):
        assert draws.shape == (N_BIG,)
        empirical = np.quantile(draws, PROBS)
        assert np.all((lo <= empirical) & (empirical <= hi)), (empirical, lo, hi)


def test_sobol_sample_quantiles_match_scipy() -> None:
    spec, reference = FAMILIES["lognormal_log10"]
    n = 2**16
    draws = sample_parameters({"x": parse_distribution(spec, "x")}, n, seed=3, method="sobol")["x"]
    lo, hi = quantile_band(reference, PROBS, n)
    assert np.all((lo <= np.quantile(draws, PROBS)) & (np.quantile(draws, PROBS) <= hi))


def test_parsed_types_and_natural_units() -> None:
    assert parse_distribution({"dist": "point", "value": 3.0}, "x") == Point(3.0)
    assert parse_distribution(3, "x") == Point(3.0)
    assert parse_distribution({"dist": "normal", "mean": 0, "sd": 1}, "x") == Normal(0.0, 1.0)
    log10 = parse_distribution({"dist": "lognormal", "median": 100.0, "sd_log10": 0.5}, "x")
    assert isinstance(log10, Lognormal)
    assert log10.mu == pytest.approx(math.log(100.0))
    assert log10.sigma == pytest.approx(0.5 * math.log(10.0))
    assert isinstance(parse_distribution({"dist": "uniform", "low": 0, "high": 1}, "x"), Uniform)
    assert isinstance(
        parse_distribution({"dist": "loguniform", "low": 1e-3, "high": 1}, "x"), LogUniform
    )
    assert parse_distribution({"dist": "beta", "a": 2, "b": 5}, "x") == Beta(2.0, 5.0, 0.0, 1.0)
    assert set(DIST_NAMES) == {
        "point", "normal", "lognormal", "uniform", "loguniform", "beta", "percentiles"
    }  # fmt: skip


def test_point_draws_no_randomness() -> None:
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    dist = parse_distribution({"dist": "point", "value": 2.5}, "x")
    np.testing.assert_array_equal(dist.sample(rng, 4), np.full(4, 2.5))
    assert rng.bit_generator.state == state
    np.testing.assert_array_equal(dist.ppf(np.array([0.0, 0.3, 1.0])), np.full(3, 2.5))
    assert dist.median() == 2.5 and dist.is_point


def test_metadata_passes_through_untouched() -> None:
    note = {"nested": [1, 2]}
    spec = {
        "dist": "lognormal",
        "median": 1e35,
        "sd_log10": 1.0,
        "source": "seed 003 (Amodei)",
        "unit": "FLOP",
        "note": note,
    }
    dist = parse_distribution(spec, field=FIELD)
    assert dict(dist.metadata) == {"source": "seed 003 (Amodei)", "unit": "FLOP", "note": note}
    assert dist.metadata["note"] is note
    # Metadata is not part of the law: equal distributions compare equal.
    assert dist == parse_distribution({"dist": "lognormal", "median": 1e35, "sd_log10": 1.0}, "y")
    assert spec["source"] == "seed 003 (Amodei)" and len(spec) == 6  # caller's dict unchanged


def test_parse_distributions_uses_keys_as_fields() -> None:
    dists = parse_distributions({"a": 1.0, "b": {"dist": "normal", "mean": 0, "sd": 1}})
    assert dists == {"a": Point(1.0), "b": Normal(0.0, 1.0)}
    with pytest.raises(ValidationError, match="^b: normal distribution: 'sd'"):
        parse_distributions({"a": 1.0, "b": {"dist": "normal", "mean": 0, "sd": 0}})


# --------------------------------------------------------------------------- percentiles


@pytest.mark.parametrize(
    ("p5", "p50", "p95", "log"),
    [(1.0, 2.0, 10.0, False), (-5.0, 0.0, 0.5, False), (1e30, 1e35, 1e38, True)],
)
def test_percentiles_reproduce_their_quantiles(
    p5: float, p50: float, p95: float, log: bool
) -> None:
    spec = {"dist": "percentiles", "p5": p5, "p50": p50, "p95": p95, "log": log}
    dist = parse_distribution(spec, field=FIELD)
    assert isinstance(dist, SplitNormal)
    np.testing.assert_allclose(dist.ppf([0.05, 0.5, 0.95]), [p5, p50, p95], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dist.cdf([p5, p50, p95]), [0.05, 0.5, 0.95], rtol=1e-12)
    assert dist.median() == p50
    # Empirical percentiles of samples agree too (order-statistic band in u-space).
    draws = dist.sample(np.random.default_rng(11), N_BIG)
    probs = np.array([0.05, 0.5, 0.95])
    band = 5 * np.sqrt(probs * (1 - probs) / N_BIG)
    assert np.all(np.abs(dist.cdf(np.quantile(draws, probs)) - probs) <= band)


def test_symmetric_percentiles_are_normal_and_lognormal() -> None:
    u = np.linspace(0.01, 0.99, 99)
    z = stats.norm.ppf(0.95)
    linear = parse_distribution({"dist": "percentiles", "p5": -z, "p50": 0.0, "p95": z}, "x")
    np.testing.assert_allclose(linear.ppf(u), stats.norm.ppf(u), atol=1e-12)
    logged = parse_distribution(
        {"dist": "percentiles", "p5": 10**-z, "p50": 1.0, "p95": 10**z, "log": True}, "x"
    )
    np.testing.assert_allclose(logged.ppf(u), stats.lognorm(s=math.log(10)).ppf(u), rtol=1e-12)


increasing_triples = (
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3, unique=True)
    .map(sorted)
    .filter(lambda v: v[1] - v[0] > 1e-3 and v[2] - v[1] > 1e-3)
)


@settings(max_examples=60, deadline=None)
@given(increasing_triples, st.booleans())
def test_percentiles_property(triple: list[float], log: bool) -> None:
    p5, p50, p95 = (10.0 ** (v / 1e5) for v in triple) if log else triple
    dist = SplitNormal(p5, p50, p95, log)
    q = dist.ppf(np.array([0.05, 0.5, 0.95]))
    np.testing.assert_allclose(q, [p5, p50, p95], rtol=1e-9, atol=1e-9)
    grid = dist.ppf(np.linspace(0.001, 0.999, 101))
    assert np.all(np.diff(grid) >= 0)


# --------------------------------------------------------------------------- validation


INVALID_SPECS = [
    ({"dist": "lognorm", "median": 1.0, "sd_log10": 1.0}, ["'lognorm'", "lognormal", "percentiles"]),
    ({"median": 1.0}, ["missing key 'dist'", "allowed distributions"]),
    ({"dist": 3}, ["unknown distribution 3"]),
    ("1e35", ["got str '1e35'"]),
    (float("nan"), ["finite", "nan"]),
    ({"dist": "normal", "mean": 0.0}, ["missing key 'sd'"]),
    ({"dist": "normal", "mean": 0.0, "sd": 1.0, "stdev": 2}, ["unknown key 'stdev'", "mean, sd"]),
    ({"dist": "normal", "mean": 0.0, "sd": -1.0}, ["'sd' must be > 0", "-1.0"]),
    ({"dist": "normal", "mean": 0.0, "sd": 0.0}, ["'sd' must be > 0", "0.0"]),
    ({"dist": "normal", "mean": float("nan"), "sd": 1.0}, ["'mean' must be a finite number", "nan"]),
    ({"dist": "normal", "mean": float("inf"), "sd": 1.0}, ["'mean'", "inf"]),
    ({"dist": "normal", "mean": True, "sd": 1.0}, ["'mean'", "True"]),
    ({"dist": "point", "value": "3"}, ["'value' must be a finite number", "'3'"]),
    ({"dist": "point", "value": 10**400}, ["'value' must be a finite number"]),
    ({"dist": "uniform", "low": 1.0, "high": 1.0}, ["'low' must be < 'high'", "low=1.0"]),
    ({"dist": "uniform", "low": 2.0, "high": 1.0}, ["'low' must be < 'high'"]),
    ({"dist": "loguniform", "low": 0.0, "high": 1.0}, ["'low' must be > 0", "0.0"]),
    ({"dist": "loguniform", "low": -1.0, "high": 1.0}, ["'low' must be > 0"]),
    ({"dist": "lognormal", "median": -5.0, "sd_log10": 1.0}, ["'median' must be > 0", "-5.0"]),
    ({"dist": "lognormal", "median": 1.0, "sd_log10": 0.0}, ["'sd_log10' must be > 0"]),
    ({"dist": "lognormal", "mu": 0.0, "sigma": -1.0}, ["'sigma' must be > 0"]),
    ({"dist": "lognormal", "median": 1.0, "mu": 0.0, "sigma": 1.0}, ["exactly one of 'median' or 'mu'"]),
    ({"dist": "lognormal", "median": 1.0}, ["exactly one of 'sd_log10' or 'sigma'", "neither"]),
    ({"dist": "lognormal", "mu": 1000.0, "sigma": 1.0}, ["'mu' must be within", "1000.0"]),
    ({"dist": "beta", "a": 0.0, "b": 5.0}, ["'a' must be > 0", "0.0"]),
    ({"dist": "beta", "a": 2.0, "b": -1.0}, ["'b' must be > 0"]),
    ({"dist": "beta", "a": 2.0, "b": 5.0, "low": 3.0, "high": 1.0}, ["'low' must be < 'high'"]),
    ({"dist": "percentiles", "p5": 3.0, "p50": 2.0, "p95": 4.0}, ["strictly increasing", "p5=3.0"]),
    ({"dist": "percentiles", "p5": 1.0, "p50": 5.0, "p95": 4.0}, ["strictly increasing", "p95=4.0"]),
    ({"dist": "percentiles", "p5": 1.0, "p50": 1.0, "p95": 4.0}, ["strictly increasing"]),
    ({"dist": "percentiles", "p5": 1.0, "p50": 2.0}, ["missing key 'p95'"]),
    ({"dist": "percentiles", "p5": -1.0, "p50": 2.0, "p95": 3.0, "log": True}, ["> 0", "p5=-1.0"]),
    ({"dist": "percentiles", "p5": 1.0, "p50": 2.0, "p95": 3.0, "log": "yes"}, ["'log' must be true or false"]),
    ({"dist": "percentiles", "p5": 1.0, "p50": 2.0, "p95": 3.0, "p10": 1.5}, ["unknown key 'p10'"]),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "fragments"), INVALID_SPECS)
def test_invalid_specs_name_the_field(spec: object, fragments: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        parse_distribution(spec, field=FIELD)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(f"{FIELD}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_misspelled_key_gets_a_suggestion() -> None:
    with pytest.raises(ValidationError, match="did you mean 'sd_log10'"):
        parse_distribution({"dist": "lognormal", "median": 1.0, "sd_log": 1.0}, FIELD)
    with pytest.raises(ValidationError, match="did you mean 'loguniform'"):
        parse_distribution({"dist": "log_uniform", "low": 1.0, "high": 2.0}, FIELD)


# --------------------------------------------------------------------------- truncation


def test_truncated_normal_matches_scipy_truncnorm() -> None:
    dist = truncate(Normal(1.0, 2.0), 0.0, 4.0, field="x")
    assert isinstance(dist, Truncated)
    reference = stats.truncnorm((0.0 - 1.0) / 2.0, (4.0 - 1.0) / 2.0, loc=1.0, scale=2.0)
    u = np.linspace(0.0, 1.0, 101)
    np.testing.assert_allclose(dist.ppf(u), reference.ppf(u), rtol=1e-9, atol=1e-12)
    x = np.linspace(-1.0, 5.0, 61)
    np.testing.assert_allclose(dist.cdf(x), reference.cdf(x), atol=1e-12)


def test_truncation_keeps_samples_in_bounds() -> None:
    dists = {
        "a": Normal(0.0, 1.0),
        "b": parse_distribution({"dist": "lognormal", "median": 1e35, "sd_log10": 2.0}, "b"),
        "c": SplitNormal(1.0, 2.0, 10.0),
    }
    bounds = {"a": (-0.5, 3.0), "b": (1e34, 1e36), "c": (0.0, math.inf)}
    correlations = {("a", "b"): 0.7, ("b", "c"): -0.4}
    for method in ("random", "sobol"):
        out = sample_parameters(dists, 2**14, 5, correlations, bounds, method=method)
        for name, (lo, hi) in bounds.items():
            assert np.all((out[name] >= lo) & (out[name] <= hi)), name
        assert out["a"].min() < -0.45 and out["a"].max() > 2.5  # fills the range


def test_truncation_no_op_when_support_inside_range() -> None:
    dist = Uniform(0.0, 1.0)
    assert truncate(dist, -1.0, 2.0, field="x") is dist
    lognormal = Lognormal(0.0, 1.0)
    assert truncate(lognormal, 0.0, math.inf, field="x") is lognormal


@pytest.mark.parametrize(
    ("dist", "lo", "hi", "fragment"),
    [
        (Normal(0.0, 1.0), 10.0, 20.0, "probability lies inside the allowed range [10, 20]"),
        (Lognormal(math.log(1e35), 0.1), 1e20, 1e30, "check the units"),
        (Point(5.0), 0.0, 1.0, "value 5.0 is outside the allowed range [0, 1]"),
        (Normal(0.0, 1.0), 1.0, 1.0, "lower < upper"),
        (Normal(0.0, 1.0), 2.0, 1.0, "lower < upper"),
        (Normal(0.0, 1.0), math.nan, 1.0, "lower bound"),
    ],
)
def test_truncation_rejects_bad_ranges(dist, lo: float, hi: float, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        truncate(dist, lo, hi, field=FIELD)
    assert str(info.value).startswith(f"{FIELD}: ") and fragment in str(info.value)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-3.0, 3.0),
    st.floats(0.05, 3.0),
    st.floats(-3.0, 2.0),
    st.floats(0.1, 5.0),
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=50),
)
def test_truncated_ppf_property(
    mean: float, sd: float, lo_z: float, width_z: float, u: list[float]
) -> None:
    lo, hi = mean + lo_z * sd, mean + (lo_z + width_z) * sd
    # The ppf itself, on any range drawn here: the load-time guard against ranges holding
    # almost none of the probability (min_mass, tested above) would refuse the thinnest
    # tail ranges (e.g. [-3, -2.875] sd holds 0.00067).
    dist = truncate(Normal(mean, sd), lo, hi, field="x", min_mass=0.0)
    x = dist.ppf(np.sort(np.asarray(u)))
    assert np.all((x >= lo) & (x <= hi))
    assert np.all(np.diff(x) >= 0)
    np.testing.assert_allclose(dist.cdf(dist.ppf([0.25, 0.5, 0.75])), [0.25, 0.5, 0.75], atol=1e-9)


# --------------------------------------------------------------------------- copula


def spearman_se(rho: float, n: int) -> float:
    """Bonett-Wright approximate standard error of Spearman's rho for normal data."""
    return math.sqrt((1 + rho**2 / 2) * (1 - rho**2) ** 2 / (n - 3))


COPULA_DISTS = {
    "alpha": Normal(0.0, 1.0),
    "beta": Lognormal(math.log(1e35), 2.3),
    "gamma": SplitNormal(1.0, 2.0, 10.0, log=True),
    "delta": Beta(2.0, 5.0),
}
COPULA_RHO = {("alpha", "beta"): 0.6, ("gamma", "alpha"): -0.3, ("beta", "gamma"): 0.2}


@pytest.mark.parametrize(("method", "n"), [("random", 20_000), ("sobol", 2**14)])
def test_copula_recovers_rank_correlations(method: str, n: int) -> None:
    out = sample_parameters(
        COPULA_DISTS, n, seed=42, correlations=COPULA_RHO, bounds={"alpha": (-2, 2)}, method=method
    )
    names = sorted(COPULA_DISTS)
    target = np.eye(len(names))
    for (a, b), rho in COPULA_RHO.items():
        i, j = names.index(a), names.index(b)
        target[i, j] = target[j, i] = rho
    observed = stats.spearmanr(np.column_stack([out[k] for k in names])).statistic
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            tol = 5 * spearman_se(target[i, j], n)
            assert abs(observed[i, j] - target[i, j]) <= tol, (names[i], names[j], observed[i, j])


def test_spearman_to_pearson_conversion_is_applied() -> None:
    # Without the 2 sin(pi rho / 6) conversion a Gaussian copula with r = 0.6 gives
    # rho_s = 0.582; 200k draws resolve the 0.018 gap (5 standard errors = 0.008).
    n = 200_000
    out = sample_parameters(
        {"x": Normal(0, 1), "y": Lognormal(0, 1)}, n, seed=8, correlations={("x", "y"): 0.6}
    )
    rho = stats.spearmanr(out["x"], out["y"]).statistic
    assert abs(rho - 0.6) <= 5 * spearman_se(0.6, n)


def test_perfect_correlation_uses_singular_factor() -> None:
    out = sample_parameters(
        {"a": Normal(0, 1), "b": Uniform(0, 1), "c": Lognormal(0, 1)},
        5000,
        seed=1,
        correlations={("a", "b"): 1.0, ("a", "c"): -1.0, ("b", "c"): -1.0},
    )
    assert stats.spearmanr(out["a"], out["b"]).statistic > 0.9999
    assert stats.spearmanr(out["a"], out["c"]).statistic < -0.9999


@settings(max_examples=100, deadline=None)
@given(st.floats(-1.0, 1.0))
def test_spearman_pearson_roundtrip(rho: float) -> None:
    r = float(spearman_to_pearson(rho))
    assert -1.0 <= r <= 1.0 + 1e-15 and abs(r) >= abs(rho) - 1e-15
    assert float(pearson_to_spearman(r)) == pytest.approx(rho, abs=1e-12)


def test_spearman_to_pearson_known_values() -> None:
    np.testing.assert_allclose(spearman_to_pearson([-1.0, 0.0, 0.5, 1.0]),
                               [-1.0, 0.0, 2 * math.sin(math.pi / 12), 1.0], atol=1e-15)  # fmt: skip


@pytest.mark.parametrize(
    ("correlations", "fragments"),
    [
        ({("alpha", "beta"): 1.5}, ["correlations[('alpha', 'beta')]", "[-1, 1]", "1.5"]),
        ({("alpha", "beta"): math.nan}, ["[-1, 1]", "nan"]),
        ({("alpha", "bets"): 0.5}, ["unknown parameter 'bets'", "did you mean 'beta'"]),
        ({("alpha", "alpha"): 0.5}, ["correlated with itself"]),
        ({("alpha", "fixed"): 0.5}, ["'fixed' has a point (fixed) value"]),
        ({("alpha", "beta"): 0.5, ("beta", "alpha"): 0.5}, ["given twice"]),
        ({("alpha", "beta"): "0.5"}, ["must be a number", "'0.5'"]),
        ({"alpha": 0.5}, ["pair of parameter names"]),
        (
            {("alpha", "beta"): 0.9, ("beta", "gamma"): 0.9, ("alpha", "gamma"): -0.9},
            ["smallest eigenvalue -", "positive semi-definite", "alpha, beta, gamma"],
        ),
    ],
)
def test_invalid_correlations(correlations: dict, fragments: list[str]) -> None:
    dists = {**COPULA_DISTS, "fixed": Point(1.0)}
    with pytest.raises(ValidationError) as info:
        sample_parameters(dists, 10, seed=0, correlations=correlations)
    message = str(info.value)
    assert message.startswith("correlations")
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_non_psd_names_only_the_conflicting_parameters() -> None:
    dists = {"a": Normal(0, 1), "b": Normal(0, 1), "c": Normal(0, 1), "d": Normal(0, 1)}
    bad = {("a", "b"): 0.95, ("b", "c"): 0.95, ("a", "c"): -0.95}
    with pytest.raises(ValidationError) as info:
        sample_parameters(dists, 10, seed=0, correlations=bad)
    assert "a, b, c" in str(info.value) and "d" not in str(info.value).split("involves")[1]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n": 0}, "n: number of samples"),
        ({"seed": -1}, "seed: must be an integer >= 0"),
        ({"method": "lhs"}, "method: unknown sampling method 'lhs'; allowed: random, sobol"),
        ({"bounds": {"omega": (0, 1)}}, "bounds['omega']: unknown parameter"),
        ({"bounds": {"alpha": (0, 1, 2)}}, "alpha: allowed range must be a pair"),
    ],
)
def test_invalid_sampling_arguments(kwargs: dict, fragment: str) -> None:
    args = {"n": 10, "seed": 0, **kwargs}
    with pytest.raises(ValidationError, match=fragment.replace("[", r"\[").replace("(", r"\(")):
        sample_parameters(COPULA_DISTS, **args)


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("method", ["random", "sobol"])
def test_deterministic_and_order_independent(method: str) -> None:
    bounds = {"alpha": (-2.0, 2.0)}
    first = sample_parameters(COPULA_DISTS, 256, 9, COPULA_RHO, bounds, method=method)
    again = sample_parameters(COPULA_DISTS, 256, 9, COPULA_RHO, bounds, method=method)
    reversed_dists = dict(reversed(list(COPULA_DISTS.items())))
    flipped_rho = {(b, a): rho for (a, b), rho in reversed(list(COPULA_RHO.items()))}
    reordered = sample_parameters(reversed_dists, 256, 9, flipped_rho, bounds, method=method)
    other_seed = sample_parameters(COPULA_DISTS, 256, 10, COPULA_RHO, bounds, method=method)
    assert list(first) == list(COPULA_DISTS) and list(reordered) == list(reversed_dists)
    for name in COPULA_DISTS:
        np.testing.assert_array_equal(first[name], again[name])
        np.testing.assert_array_equal(first[name], reordered[name])
        assert not np.array_equal(first[name], other_seed[name])


def test_point_values_and_extra_parameters_do_not_shift_streams() -> None:
    base = sample_parameters(COPULA_DISTS, 500, 3, COPULA_RHO)
    with_point = sample_parameters({**COPULA_DISTS, "aaa": Point(7.0)}, 500, 3, COPULA_RHO)
    np.testing.assert_array_equal(with_point["aaa"], np.full(500, 7.0))
    for name in COPULA_DISTS:
        np.testing.assert_array_equal(base[name], with_point[name])
    # Without correlations a parameter's draws depend only on (seed, name).
    alone = sample_parameters({"beta": COPULA_DISTS["beta"]}, 500, 3)
    together = sample_parameters({**COPULA_DISTS, "zeta": Uniform(0, 1)}, 500, 3)
    np.testing.assert_array_equal(alone["beta"], together["beta"])


def test_zero_correlations_equal_none() -> None:
    none = sample_parameters(COPULA_DISTS, 100, 4)
    zero = sample_parameters(COPULA_DISTS, 100, 4, {("alpha", "beta"): 0.0})
    for name in COPULA_DISTS:
        np.testing.assert_array_equal(none[name], zero[name])
