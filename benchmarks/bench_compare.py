"""Benchmark `takeoff compare`: wall time and peak memory of the default comparison.

    python benchmarks/bench_compare.py                 # all built-ins but default, 10,000 samples
    python benchmarks/bench_compare.py --samples 1000  # scaled down (also extrapolates to 10,000)

Worldviews with nothing random (no distributions) are simulated once and repeated, as
``takeoff compare`` does; ``simulated_samples`` counts the runs actually made. Each
repeat runs the real command in a fresh Python process (imports included), so the
wall time is what a user waits. Peak memory is the largest resident set size of those
processes (``getrusage(RUSAGE_CHILDREN).ru_maxrss``). Results go to
``benchmarks/results/compare.json``. Target: < 120 s for the default on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_S = 120.0
FULL_SAMPLES = 10_000


def default_worldviews() -> list[str]:
    from takeoff.report.compare import default_worldviews

    return default_worldviews()


def run_once(worldviews: list[str], samples: int, seed: int, report: Path | None) -> dict:
    """One `takeoff compare --json` in a child process: wall seconds and its JSON output."""
    cmd = [sys.executable, "-c", "from takeoff.cli import app; app()", "compare", *worldviews]
    cmd += ["--samples", str(samples), "--seed", str(seed), "--json"]
    if report is not None:
        cmd += ["--report", str(report)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"takeoff compare failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return {"wall_s": wall, "output": json.loads(done.stdout)}


def startup_s() -> float:
    """Wall time of a process that only imports the CLI (the fixed cost of every run)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import takeoff.cli, takeoff.report.compare"], check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=FULL_SAMPLES, help="samples per worldview")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeats", type=int, default=None, help="default: 3 if one run takes < 30 s, else 1"
    )
    parser.add_argument("--worldviews", nargs="*", default=None, help="default: all but default")
    parser.add_argument("--report", action="store_true", help="also write the HTML report")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "compare.json")
    args = parser.parse_args(argv)
    if args.samples < 1:
        parser.error("--samples must be >= 1")

    worldviews = args.worldviews or default_worldviews()
    load_before = os.getloadavg()[0]  # other work on the machine slows the runs down
    report = HERE / "results" / "compare-report.html" if args.report else None
    print(f"takeoff compare: {len(worldviews)} worldviews x {args.samples:,} samples", flush=True)
    runs = [run_once(worldviews, args.samples, args.seed, report)]
    print(f"  run 1: {runs[0]['wall_s']:.1f} s", flush=True)
    repeats = args.repeats or (3 if runs[0]["wall_s"] < 30 else 1)
    for i in range(1, repeats):
        runs.append(run_once(worldviews, args.samples, args.seed, report))
        print(f"  run {i + 1}: {runs[-1]['wall_s']:.1f} s", flush=True)

    from takeoff.report.compare import load_worldviews
    from takeoff.report.mc import nothing_random

    deterministic = [k for k, sc in load_worldviews(worldviews) if nothing_random(sc)]
    simulated = args.samples * (len(worldviews) - len(deterministic)) + len(deterministic)
    walls = [r["wall_s"] for r in runs]
    median = statistics.median(walls)
    total_samples = args.samples * len(worldviews)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    startup = statistics.median(startup_s() for _ in range(3))
    per_sample_ms = 1000 * max(median - startup, 0.0) / total_samples
    # Fixed start-up cost plus the per-sample cost times 10,000 samples (= median at 10,000).
    full_estimate = startup + per_sample_ms / 1000 * FULL_SAMPLES * len(worldviews)
    medians = {
        name: view["milestones"].get("automated_100pct", {}).get("p50")
        for name, view in runs[0]["output"]["worldviews"].items()
    }
    import numpy

    from takeoff import __version__

    result = {
        "benchmark": "takeoff compare",
        "command": f"takeoff compare {' '.join(worldviews)} --samples {args.samples} --json",
        "worldviews": worldviews,
        "samples_per_worldview": args.samples,
        "total_samples": total_samples,
        "seed": args.seed,
        "with_report": bool(args.report),
        "repeats": len(walls),
        "wall_s": [round(w, 2) for w in walls],
        "wall_s_median": round(median, 2),
        "deterministic_worldviews": deterministic,  # nothing sampled: simulated once
        "simulated_samples": simulated,
        "startup_s": round(startup, 2),
        "ms_per_sample": round(per_sample_ms, 3),
        "ms_per_simulated_sample": round(per_sample_ms * total_samples / simulated, 3),
        # Scaled-down runs: a linear extrapolation, pessimistic (small chunks vectorise worse).
        "extrapolated_wall_s_at_10000_samples": round(full_estimate, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "target_s": TARGET_S,
        "meets_target": bool(median < TARGET_S) if args.samples == FULL_SAMPLES else None,
        "automated_100pct_median": medians,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1m_before": round(load_before, 2),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "takeoff": __version__,
        },
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    if args.samples == FULL_SAMPLES:
        verdict = "meets" if median < TARGET_S else "MISSES"
        outcome = f"{verdict} the {TARGET_S:.0f} s target"
    else:
        outcome = f"extrapolated to {FULL_SAMPLES:,} samples ~{full_estimate:.0f} s (pessimistic)"
    print(
        f"median wall {median:.1f} s ({per_sample_ms:.2f} ms/sample), peak RSS "
        f"{result['peak_rss_mib']:.0f} MiB; {outcome}\nwrote {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
