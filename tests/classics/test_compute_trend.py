"""Frontier training-compute growth: reproduction of Epoch's 4-5x/yr, synthetic recovery, CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from takeoff.classics import compute_trend as ct
from takeoff.classics.metr import decimal_year
from takeoff.cli import app
from takeoff.errors import FitError, ValidationError

# Epoch AI: frontier training compute grows 4-5x per year since 2010 (range over their
# frontier definitions); the largest run in early 2025 is Grok 3 at ~5e26 FLOP.
EPOCH_GROWTH_RANGE = (4.0, 5.0)


@pytest.fixture(scope="module")
def frame():
    return ct.load_epoch_models()


@pytest.fixture(scope="module")
def result():
    return ct.reproduce(n_boot=2000)


def _synthetic_runs(n, growth, noise_dex, seed):
    """Runs with log10 C = 20 + log10(growth) (t - 2015) + N(0, noise^2)."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(2010, 2025, n))
    dates = pd.Timestamp("2000-01-01") + pd.to_timedelta((t - 2000.0) * 365.25, unit="D")
    log10_c = 20.0 + np.log10(growth) * (t - 2015.0) + rng.normal(0.0, noise_dex, n)
    return pd.DataFrame(
        {
            "publication_date": dates,
            "year_fraction": decimal_year(dates),
            "training_compute_flop": 10.0**log10_c,
        }
    )


# ----------------------------------------------------------------- frontier definition


def test_running_rank_by_hand():
    t = np.array([2010.0, 2011.0, 2011.0, 2012.0, 2013.0])
    c = np.array([5.0, 3.0, 9.0, 4.0, 10.0])
    # 2011 releases see each other: the 3-FLOP run ranks behind both 5 and 9.
    assert ct.running_rank(t, c).tolist() == [1, 3, 1, 3, 1]


def test_frontier_runs_selection(frame):
    top5 = ct.frontier_runs(2010, 2025, 5, frame)
    top10 = ct.frontier_runs(2010, 2025, 10, frame)
    assert (top5["running_rank"] <= 5).all()
    assert set(top5["model"]) <= set(top10["model"])
    years = top5["publication_date"].dt.year
    assert years.min() >= 2010 and years.max() <= 2025
    assert {"GPT-4", "Grok-3", "AlphaGo Zero", "GPT-3 175B (davinci)"} <= set(top5["model"])
    by_year = ct.top_by_year(2010, 2025, 10, frame)
    assert by_year.groupby(by_year["publication_date"].dt.year).size().max() == 10


def test_running_rank_is_never_better_than_epochs(frame):
    """Our pool (every row in the file) is at least Epoch's, so our rank is rarely smaller."""
    both = frame[frame["epoch_rank"].notna()]
    assert (both["running_rank"] >= both["epoch_rank"]).mean() > 0.95


def test_largest_run_at(frame):
    assert ct.largest_run_at("2023-06-01", frame) == pytest.approx(2.1e25)  # GPT-4
    assert ct.largest_run_at("2025-03-01", frame) == pytest.approx(4.64e26)  # Grok-3
    assert ct.largest_run_at(2025.5, frame) == pytest.approx(4.64e26)
    assert ct.largest_run_at(np.int64(2024), frame) == pytest.approx(5e25)  # Gemini 1.0 Ultra
    dates = pd.date_range("2012-01-01", "2025-06-01", freq="QS")
    sizes = [ct.largest_run_at(d, frame) for d in dates]
    assert np.all(np.diff(sizes) >= 0)
    with pytest.raises(ValidationError, match="before the first model"):
        ct.largest_run_at("1900-01-01", frame)
    with pytest.raises(ValidationError, match="date"):
        ct.largest_run_at("soon", frame)


# ----------------------------------------------------------------- reproduction


def test_growth_within_epoch_range(result):
    v = result.values
    # Epoch publishes a range, not a point: the tolerance is that range. Our bootstrap CI
    # (resampling frontier runs) must also overlap it.
    assert EPOCH_GROWTH_RANGE[0] <= v["growth_per_year"] <= EPOCH_GROWTH_RANGE[1]
    lo, hi = v["growth_per_year_ci"]
    assert lo < v["growth_per_year"] < hi
    assert lo < EPOCH_GROWTH_RANGE[1] and hi > EPOCH_GROWTH_RANGE[0]
    assert v["doubling_months"] == pytest.approx(12 * np.log10(2) / np.log10(v["growth_per_year"]))
    assert result.published["growth_per_year"] == list(EPOCH_GROWTH_RANGE)


def test_alternative_definitions_bracket_headline(result):
    v = result.values
    growths = [
        v[k]["growth_per_year"] for k in ("running_top_10", "top_10_by_year", "epoch_rank_top_10")
    ]
    assert all(3.5 < g < 6.5 for g in growths)
    # Frontier runs grow faster than the bulk of models.
    assert v["all_models"]["growth_per_year"] < v["growth_per_year"]
    assert v["epoch_rank_top_10"]["first_date"] >= "2015-01-01"


def test_largest_run_matches_grok_3(result):
    v = result.values
    assert v["largest_run_model"] == "Grok-3"
    # Published figure is "~5e26"; Epoch's row gives 4.64e26.
    assert v["largest_run_flop"] == pytest.approx(5e26, rel=0.1)


def test_gpu_price_performance_is_skipped_not_invented(result):
    assert result.values["gpu_price_performance"].startswith("skipped")


def test_json_and_determinism(result):
    json.dumps(result.values, allow_nan=False)
    again = ct.reproduce(n_boot=2000)
    assert again.values == result.values


# ----------------------------------------------------------------- synthetic data


def test_recovers_growth_without_noise():
    fit = ct.fit_growth(_synthetic_runs(20, growth=4.0, noise_dex=0.0, seed=1))
    assert fit["growth_per_year"] == pytest.approx(4.0, rel=1e-9)
    assert fit["doubling_months"] == pytest.approx(6.0, rel=1e-9)  # 4x/yr = 2 doublings/yr


def test_recovers_growth_with_noise():
    runs = _synthetic_runs(80, growth=4.5, noise_dex=0.5, seed=2)
    summary = ct.growth_summary(runs, n_boot=2000, seed=3)
    # Slope s.e. ~ 0.5 / (4.3 * sqrt(80)) ~ 0.013 dex/yr -> ~3% in growth; 10% is ~3 s.e.
    assert summary["growth_per_year"] == pytest.approx(4.5, rel=0.10)
    lo, hi = summary["growth_per_year_ci"]
    assert lo < 4.5 < hi


# ----------------------------------------------------------------- errors


def test_bad_input():
    with pytest.raises(ValidationError, match="top_k"):
        ct.frontier_runs(top_k=0)
    with pytest.raises(ValidationError, match="start_year"):
        ct.frontier_runs(2020, 2010)
    with pytest.raises(ValidationError, match="unknown options"):
        ct.reproduce(topk=3)
    shrinking = _synthetic_runs(10, growth=0.5, noise_dex=0.0, seed=4)
    with pytest.raises(FitError, match="not growing"):
        ct.fit_growth(shrinking)
    with pytest.raises(FitError, match="at least 3"):
        ct.fit_growth(shrinking.iloc[:2])


# ----------------------------------------------------------------- CLI


def test_cli_json_and_plot(tmp_path):
    png = tmp_path / "compute.png"
    out = CliRunner().invoke(app, ["classics", "compute-trend", "--json", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    values = json.loads(out.stdout)
    for key in (
        "growth_per_year",
        "growth_per_year_ci",
        "doubling_months",
        "largest_run_flop",
        "largest_run_model",
        "n",
    ):
        assert key in values
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
