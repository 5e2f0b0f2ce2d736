"""The Monte Carlo engine: sampling scenarios, summaries, determinism, seed stability."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from takeoff.errors import ValidationError
from takeoff.scenarios.loader import parse_scenario
from takeoff.uncertainty.montecarlo import run_mc, summarise_years

SCENARIO = parse_scenario(
    {
        "name": "mc-test",
        "simulation": {"end_year": 2070, "dt": 0.25},
        "parameters": {
            "full_automation_requirement": {"dist": "lognormal", "median": 1e35, "sd_log10": 1.5},
            "diffusion_years": {"dist": "percentiles", "p5": 1.0, "p50": 3.0, "p95": 15.0},
            "software_returns": {"dist": "uniform", "low": 0.6, "high": 2.0},
        },
        "correlations": [
            {"between": ["full_automation_requirement", "software_returns"], "rank": -0.5}
        ],
    }
)


def test_summary_of_known_years():
    years = np.array([2030.0, 2031.0, 2032.0, np.nan])
    summary = summarise_years(years, end_year=2100)
    assert summary["p10"] == 2030.0 and summary["p50"] == 2032.0
    assert summary["p90"] is None  # the 90th percentile is "not reached"
    assert summary["prob_by"]["2030"] == 0.25 and summary["prob_by"]["2035"] == 0.75
    assert summary["prob_reached"] == 0.75


def test_same_seed_same_result_and_correlation_applied():
    a = run_mc(SCENARIO, 300, seed=7)
    b = run_mc(SCENARIO, 300, seed=7)
    for name in a.milestones:
        np.testing.assert_array_equal(a.milestones[name], b.milestones[name])
    from scipy.stats import spearmanr

    rho = spearmanr(a.sampled["full_automation_requirement"], a.sampled["software_returns"])[0]
    assert rho == pytest.approx(-0.5, abs=0.15)


def test_chunking_does_not_change_results():
    whole = run_mc(SCENARIO, 200, seed=3, chunk_size=200)
    parts = run_mc(SCENARIO, 200, seed=3, chunk_size=64)
    for name in whole.milestones:
        np.testing.assert_array_equal(whole.milestones[name], parts.milestones[name])
    np.testing.assert_allclose(whole.quantiles["gwp"], parts.quantiles["gwp"])


def test_median_is_stable_across_seeds_within_its_standard_error():
    first = run_mc(SCENARIO, 1500, seed=1).milestone_summary()["automated_50pct"]
    second = run_mc(SCENARIO, 1500, seed=2).milestone_summary()["automated_50pct"]
    se = np.hypot(first["se_median"], second["se_median"])
    assert abs(first["p50"] - second["p50"]) < 4 * se


def test_quantile_series_are_ordered():
    result = run_mc(SCENARIO, 200, seed=0)
    q = result.quantiles["automated_share"]
    assert np.all(np.diff(q, axis=0) >= -1e-12)
    assert q.shape[1] == result.years.size


@pytest.mark.parametrize("samples", [0, -5, 2.5, True])
def test_bad_sample_counts_are_rejected(samples):
    with pytest.raises(ValidationError, match="samples"):
        run_mc(SCENARIO, samples, seed=0)


def test_bad_correlation_entry_is_rejected():
    """At load time (so `validate` and `run` refuse it too) and again by run_mc."""
    raw = {
        "name": "bad",
        "parameters": {"software_returns": {"dist": "uniform", "low": 0.6, "high": 2.0}},
        "correlations": [{"between": ["software_returns", "diffusion_years"], "rank": 0.3}],
    }
    with pytest.raises(ValidationError, match="diffusion_years"):
        parse_scenario(raw)
    good = parse_scenario({**raw, "correlations": []})
    bad = dataclasses.replace(good, correlations=raw["correlations"])
    with pytest.raises(ValidationError, match="diffusion_years"):
        run_mc(bad, 10, seed=0)


def test_auto_chunk_size_balances_workers_and_caps_the_chunk():
    from takeoff.uncertainty.montecarlo import LARGEST_CHUNK, auto_chunk_size

    assert auto_chunk_size(10_000, 2) == 2500  # 4 chunks: 2 rounds of 2 workers
    assert auto_chunk_size(10_000, 1) == 2500
    assert auto_chunk_size(1_000, 1) == 1000
    assert auto_chunk_size(1_000, 2) == 500
    assert auto_chunk_size(3, 4) == 1
    for n in (1, 7, 999, 10_001, 123_457):
        for workers in (1, 2, 3, 8):
            size = auto_chunk_size(n, workers)
            chunks = -(-n // size)
            assert 1 <= size <= max(LARGEST_CHUNK, 1)
            assert chunks % workers == 0 or chunks < workers


def test_streamed_runs_use_the_largest_chunks_at_any_size():
    """Chunks of up to LARGEST_CHUNK whatever the run's size: with the rolling step block
    (engine/fine.py) a worker of 2,500 samples peaks at ~0.37 GB, so two of them and the
    parent of a 1,000,000-sample run stay within 1.5 GB (benchmarks/README.md)."""
    from takeoff.uncertainty.montecarlo import EXACT_QUANTILES_MAX, LARGEST_CHUNK, auto_chunk_size

    assert auto_chunk_size(1_000_000, 2) == LARGEST_CHUNK == 2500
    assert auto_chunk_size(10_000_000, 2) == LARGEST_CHUNK
    seen = []
    n = EXACT_QUANTILES_MAX + 1000  # streamed
    run_mc("amodei", n, seed=0, end_year=2027, progress=lambda done, total: seen.append(done))
    # The speed-balanced chunk (9 chunks of 2,334).
    assert seen[0] == auto_chunk_size(n, 1) == 2334 and seen[-1] == n
