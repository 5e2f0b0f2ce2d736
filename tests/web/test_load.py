"""50 concurrent mixed requests against a live server process (benchmarks/bench_server.py).

No request may get a 5xx or an unexpected status (valid ones 200, invalid ones 4xx).
The latencies are printed (``pytest -s``), not asserted: they depend on the machine.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("httpx")

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_server.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_server", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fifty_concurrent_mixed_requests_get_no_5xx():
    bench = _bench()
    with bench.ServerProcess() as server:
        report = bench.load(server.base, n=100, concurrency=50, seed=1)
    print(
        f"\n{report['requests']} requests, {report['concurrency']} concurrent: "
        f"p50 {report['latency']['p50_ms']} ms, p95 {report['latency']['p95_ms']} ms, "
        f"statuses {report['statuses']}"
    )
    assert report["server_errors"] == 0, report
    assert report["unexpected"] == 0, report
    assert set(report["by_kind"]) == {"read", "run", "compare", "montecarlo", "invalid"}
    assert 0 < report["latency"]["p50_ms"] <= report["latency"]["p95_ms"]


def test_the_mix_is_seeded_and_runs_are_never_cached():
    bench = _bench()
    assert bench.mixed_requests(300, seed=3) == bench.mixed_requests(300, seed=3)
    runs = [body for kind, _, _, body in bench.mixed_requests(300, seed=3) if kind == "run"]
    keys = [(b["scenario"], tuple(b["overrides"].items())) for b in runs]
    assert len(set(keys)) == len(keys)
