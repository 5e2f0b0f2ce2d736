"""Streaming Monte Carlo: histogram quantiles within their bound, Parquet trajectories
written chunk by chunk, and ``simulate`` chunking a large batch without changing it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import takeoff
import takeoff.api
from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.params.schema import draw_plausible
from takeoff.report.mc import trajectory_frame
from takeoff.uncertainty import montecarlo
from takeoff.uncertainty.montecarlo import FAN_SERIES, QUANTILES, run_mc
from takeoff.uncertainty.streaming import ALPHA, QuantileSketch, bin_index, bin_value


def _bound(values: np.ndarray, q: float) -> np.ndarray:
    """ALPHA * max(|x_(i)|, |x_(i+1)|) per row: the documented error bound."""
    ordered = np.sort(values, axis=1)
    n = values.shape[1]
    i = int(np.floor((n - 1) * q))
    pair = np.abs(ordered[:, [i, min(i + 1, n - 1)]])
    return ALPHA * pair.max(axis=1) * (1 + 1e-9)


def _mixed(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Values across 60 orders of magnitude, both signs, with exact zeros and ties."""
    values = rng.choice([-1.0, 1.0], shape, p=[0.2, 0.8]) * 10 ** rng.uniform(-30, 30, shape)
    values[rng.random(shape) < 0.1] = 0.0
    values[:, :50] = 3.25  # a block of ties
    return values


def test_bins_are_ordered_and_represent_their_values_within_alpha():
    x = np.array([-1e300, -2.5, -1e-300, 0.0, 2.3e-308, 1e-12, 1.0, 1.0 + 1e-15, 7.0, 1.79e308])
    idx = bin_index(x)
    assert np.all(np.diff(idx) >= 0)
    rep = bin_value(idx)
    nonzero = x != 0
    assert np.all(np.abs(rep[nonzero] - x[nonzero]) <= ALPHA * np.abs(x[nonzero]) * (1 + 1e-9))
    assert rep[~nonzero] == 0.0


def test_streamed_quantiles_are_within_the_bound_of_numpy_quantiles():
    rng = np.random.default_rng(7)
    values = _mixed(rng, (6, 3001))
    sketch = QuantileSketch(6)
    for start in range(0, values.shape[1], 400):
        sketch.add(values[:, start : start + 400])
    estimate = sketch.quantiles(QUANTILES)
    exact = np.quantile(values, QUANTILES, axis=1)
    for j, q in enumerate(QUANTILES):
        assert np.all(np.abs(estimate[j] - exact[j]) <= _bound(values, q)), q
    # The bound is not vacuous: the estimates are not simply exact.
    assert not np.array_equal(estimate, exact)


def test_streamed_quantiles_do_not_depend_on_the_chunks():
    values = _mixed(np.random.default_rng(3), (4, 1000))
    one, many = QuantileSketch(4), QuantileSketch(4)
    one.add(values)
    for start in range(0, 1000, 97):
        many.add(values[:, start : start + 97])
    np.testing.assert_array_equal(one.quantiles(QUANTILES), many.quantiles(QUANTILES))


def test_a_constant_series_streams_to_its_exact_value():
    sketch = QuantileSketch(2)
    sketch.add(np.full((2, 10), 0.1234567))
    np.testing.assert_array_equal(sketch.quantiles(QUANTILES), 0.1234567)


@pytest.fixture
def small_threshold(monkeypatch):
    """Stream from 100 samples on, so that a test-sized run takes the large-run path."""
    monkeypatch.setattr(montecarlo, "EXACT_QUANTILES_MAX", 100)


def test_a_streamed_monte_carlo_matches_the_exact_one_within_the_bound(small_threshold, tmp_path):
    kwargs = {"end_year": 2045, "chunk_size": 60}
    exact = run_mc("besiroglu-erdil", 240, 5, keep_trajectories=True, **kwargs)
    assert exact.quantile_error == 0.0
    path = tmp_path / "t.parquet"
    streamed = run_mc("besiroglu-erdil", 240, 5, trajectories_path=path, **kwargs)
    assert streamed.quantile_error == ALPHA and streamed.trajectories is None
    for name, years in exact.milestones.items():  # milestones stay exact
        np.testing.assert_array_equal(streamed.milestones[name], years, err_msg=name)
    for name in FAN_SERIES:
        values = exact.trajectories[name]
        for j, q in enumerate(QUANTILES):
            error = np.abs(streamed.quantiles[name][j] - exact.quantiles[name][j])
            assert np.all(error <= _bound(values, q)), (name, q)
    # The file holds every sample's trajectory, in the --keep-trajectories layout.
    table = pq.ParquetFile(path)
    assert table.metadata.num_row_groups == 4  # one per chunk: written as they came
    written = table.read().to_pandas()
    pd.testing.assert_frame_equal(written, trajectory_frame(exact), check_dtype=False)


def test_small_runs_keep_exact_quantiles():
    result = run_mc("besiroglu-erdil", 120, 2, end_year=2040, keep_trajectories=True)
    assert result.quantile_error == 0.0
    for name, values in result.trajectories.items():
        np.testing.assert_array_equal(
            result.quantiles[name], np.quantile(values, QUANTILES, axis=1)
        )


def test_a_deterministic_run_streams_its_one_trajectory(small_threshold, tmp_path):
    path = tmp_path / "det.parquet"
    result = run_mc("default", 250, 0, end_year=2040, trajectories_path=path)
    one = takeoff.simulate("default", end_year=2040, output_step=1.0)
    rows = one.yearly()
    for name in FAN_SERIES:
        expected = np.repeat(one.series[name][rows][None, :, 0], len(QUANTILES), axis=0)
        np.testing.assert_array_equal(result.quantiles[name], expected, err_msg=name)
    frame = pd.read_parquet(path)
    assert frame["sample"].nunique() == 250 and len(frame) == 250 * rows.size


def test_a_failed_run_leaves_no_trajectory_file(small_threshold, tmp_path):
    path = tmp_path / "t.parquet"

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_mc("besiroglu-erdil", 200, 1, end_year=2035, chunk_size=50, trajectories_path=path,
               progress=stop)  # fmt: skip
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [("t.csv", "must be a file name ending in .parquet"), (".", "is a folder")],
)
def test_bad_trajectory_paths_are_refused(tmp_path, path, message):
    with pytest.raises(ValidationError, match=message):
        run_mc("besiroglu-erdil", 10, trajectories_path=tmp_path / path)


def test_the_command_line_streams_trajectories_and_refuses_bad_files(tmp_path):
    runner = CliRunner()
    good = tmp_path / "out" / "traj.parquet"
    args = ["mc", "besiroglu-erdil", "-n", "30", "--end-year", "2035", "--json"]
    result = runner.invoke(app, [*args, "--trajectories", str(good)])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(good)
    assert list(frame.columns) == ["sample", "year", *FAN_SERIES]
    assert frame["sample"].nunique() == 30
    for bad, message in [(tmp_path / "traj.csv", ".parquet"), (tmp_path, "is a folder")]:
        result = runner.invoke(app, [*args, "--trajectories", str(bad)])
        assert result.exit_code == 2
        assert "--trajectories" in result.output and message in result.output
        assert "Traceback" not in result.output


def test_simulate_chunks_a_large_batch_without_changing_it(monkeypatch):
    overrides = draw_plausible(("full_automation_requirement", "software_returns"), 23, seed=2)
    kwargs = {"overrides": overrides, "end_year": 2040}
    whole = takeoff.simulate(**kwargs)
    monkeypatch.setattr(takeoff.api, "SIMULATE_CHUNK", 5)
    calls = []
    chunked = takeoff.simulate(**kwargs, on_step=lambda k, n: calls.append((k, n)))
    for name, values in whole.series.items():
        np.testing.assert_array_equal(chunked.series[name], values, err_msg=name)
    for name, years in whole.milestones.items():
        np.testing.assert_array_equal(chunked.milestones[name], years, err_msg=name)
    np.testing.assert_array_equal(chunked.growth_capped, whole.growth_capped)
    # Progress counts the steps of all five chunks, once each, to the end.
    totals = {n for _, n in calls}
    assert len(totals) == 1 and calls[-1][0] == calls[-1][1] == totals.pop()
    assert [k for k, _ in calls] == sorted(k for k, _ in calls)


def test_the_scale_benchmark_runs_end_to_end(tmp_path):
    """Tiny sizes (timings are not asserted): every case writes its figures."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_scale.py"
    spec = importlib.util.spec_from_file_location("bench_scale", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "scale.json"
    bench.main(["--samples", "30", "--replay", "40", "--output", str(out)])
    report = json.loads(out.read_text())
    assert [c["case"] for c in report["cases"]] == ["api", "cli", "replay"]
    for c in report["cases"]:
        assert c["median_wall_s"] > 0 and c["median_peak_tree_rss_gb"] > 0.05
    assert report["cases"][0]["child"]["quantile_error"] == 0.0
