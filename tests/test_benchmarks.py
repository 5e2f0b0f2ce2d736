"""The model benchmark runs end to end (tiny sizes: timings are not asserted here)."""

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_model.py"


def test_the_model_benchmark_writes_its_report(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_model", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "model.json"
    bench.main(
        ["--samples", "20", "--single-repeats", "1", "--batch-repeats", "1", "--output", str(out)]
    )
    report = json.loads(out.read_text())
    assert report["batch"]["output_step"] == 1.0 and report["batch"]["samples"] == 20
    assert report["batch_every_step"]["output_step"] is None
    assert report["batch_two_workers"]["workers"] == 2
    for case in ("batch", "batch_two_workers", "batch_every_step"):
        assert report[case]["median_wall_s"] > 0 and report[case]["traced_peak_mb"] > 0
    assert report["ratios"]["batch_10000_vs_target"] > 0
    assert set(report["batch_milestones_reached"]) >= {"automated_100pct", "explosive_growth"}


def test_the_benchmark_batch_exercises_the_whole_model():
    """Issue 15, item 5: most samples of the random batch reach full automation."""
    spec = importlib.util.spec_from_file_location("bench_model", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    reached = bench.milestones_reached(bench.batch_overrides(300, seed=0), n=300)
    assert reached["automated_100pct"] >= 0.5
    assert reached["explosive_growth"] >= 0.5


def test_the_ratio_benchmark_compares_two_commits(tmp_path):
    """HEAD against itself: both sides are timed and a ratio is reported per case."""
    spec = importlib.util.spec_from_file_location("bench_ratio", BENCH.parent / "bench_ratio.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "ratio.json"
    report = bench.main(
        [
            "--base",
            "HEAD",
            "--samples",
            "10",
            "--rounds",
            "1",
            "--single-repeats",
            "1",
            "--batch-repeats",
            "1",
            "--cases",
            "single,batch",
            "--output",
            str(out),
        ]
    )
    assert json.loads(out.read_text()) == report
    for case in ("single_run", "batch"):
        row = report["ratios"][case]
        assert row["base_cpu_s"][0] > 0 and row["new_cpu_s"][0] > 0
        assert row["ratio_median"] == row["new_cpu_s"][0] / row["base_cpu_s"][0]


def _load_gpu_bench():
    spec = importlib.util.spec_from_file_location("bench_gpu", BENCH.parent / "bench_gpu.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_the_gpu_benchmark_skips_cleanly_without_a_gpu(monkeypatch, capsys, tmp_path):
    """Issue 15, item 3: CI has no GPU, so the benchmark says why it did not run and exits 0."""
    bench = _load_gpu_bench()
    monkeypatch.setattr(bench, "gpu_devices", lambda: [])
    out = tmp_path / "gpu.json"
    assert bench.main(["--out", str(out)]) is None
    printed = capsys.readouterr().out
    assert "skipped: no GPU" in printed and "--allow-cpu" in printed
    assert not out.exists()


def test_the_gpu_benchmark_runs_its_path_on_the_cpu_when_asked(tmp_path):
    """The same path on JAX's CPU device (a smoke test): parity with NumPy, phases, a run."""
    bench = _load_gpu_bench()
    out = tmp_path / "gpu.json"
    report = bench.main(
        ["--allow-cpu", "--samples", "40", "--chunk", "20", "--check", "20", "--out", str(out)]
    )
    assert json.loads(out.read_text()) == json.loads(json.dumps(report))
    assert report["parity"]["ok"] and report["parity"]["max_abs_difference_years"] <= 1e-6
    phases = report["chunk_phases"]
    for phase in ("setup_s", "device_scan_s", "copy_to_host_s", "derive_and_milestones_s"):
        assert phases[phase] > 0
    assert report["run"]["samples"] == 40 and report["run"]["wall_s"] > 0
