"""The cruxes benchmark runs end to end (tiny sizes: timings are not asserted here)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_cruxes.py"


def test_the_cruxes_benchmark_writes_its_report(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_cruxes", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "cruxes.json"
    bench.main(["--samples", "2", "--workers", "1", "--out", str(out)])
    report = json.loads(out.read_text())
    assert report["groups"] == 8 and report["hybrids"] == 256
    assert report["simulated_samples"] == 512
    assert report["wall_s"] > 0 and report["meets_target"] is None
    assert len(report["shapley"]) == 8
