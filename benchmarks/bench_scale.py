"""Benchmark large Monte Carlo runs: wall time and peak memory of the whole process tree.

    python benchmarks/bench_scale.py                        # 100,000 samples, API and CLI
    python benchmarks/bench_scale.py --samples 20000 --repeats 3
    python benchmarks/bench_scale.py --million              # also 1,000,000 (API; long)
    python benchmarks/bench_scale.py --dask-scaling 10000   # LocalCluster, 1 and 2 workers
    python benchmarks/bench_scale.py --replay 1000000       # the parent's share, 1,000,000

Each case runs in a fresh Python process (imports included): ``run_mc`` through the API,
and ``takeoff mc --json`` through the CLI, both with ``--workers`` processes (default 2,
the issue's 2 cores). Peak memory is the largest sum of the resident set sizes of that
process and all its descendants (worker processes included), sampled every 50 ms with
psutil. Medians over ``--repeats``. ``--dask-scaling N`` times ``run_mc(client=...)`` of N
samples on a ``LocalCluster`` of 1 and then 2 single-threaded worker processes, and checks
that both give the same numbers. ``--replay N`` measures what the calling process itself
needs for N samples (sampling, checks, streaming, milestones) with the model replaced by a
replay of one real chunk's output: the memory of the run without the workers' share, and
the time of everything but the simulation. Targets (issue 15): 100,000 samples in <= 20 s and
1,000,000 in <= 4 min, both within 1.5 GB. Results go to ``benchmarks/results/scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
SCENARIO = "besiroglu-erdil"
TARGETS = {100_000: (20.0, 1.5e9), 1_000_000: (240.0, 1.5e9)}

API = """
import json, sys, time
from takeoff.uncertainty.montecarlo import run_mc
n, workers = int(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
r = run_mc({scenario!r}, n, 0, workers=workers)
print(json.dumps({{"run_s": time.perf_counter() - start, "quantile_error": r.quantile_error,
    "median_automated_100pct": r.milestone_summary()["automated_100pct"]["p50"]}}))
"""

REPLAY = """
import json, resource, sys, time
import numpy as np
from takeoff.uncertainty import montecarlo as mc
n = int(sys.argv[1])
real = mc._mc_chunk
scenario = mc.yearly_output(mc.load_scenario({scenario!r}))
values, _ = mc.sample_scenario(scenario, min(n, mc.LARGEST_CHUNK), 1)
per = {{k for k, v in values.items() if np.ndim(v) == 1 and np.size(v) > 1}}
years, milestones, kept, capped = real((values, scenario))

def replay(chunk):
    m = next(np.size(v) for k, v in chunk[0].items() if k in per)
    return (years, {{k: v[:m].copy() for k, v in milestones.items()}},
            {{k: v[:, :m].copy() for k, v in kept.items()}}, capped[:m].copy())

mc._mc_chunk = replay
start = time.perf_counter()
r = mc.run_mc({scenario!r}, n, 0)
print(json.dumps({{"run_s": time.perf_counter() - start, "quantile_error": r.quantile_error,
    "max_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}}))
"""


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of ``proc`` and all its descendants (0 for those already gone)."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``: wall seconds, peak tree RSS (bytes), its stdout."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        try:
            peak = max(peak, tree_rss(proc))
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, err = child.communicate()
    wall = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} failed ({child.returncode}):\n{err[-2000:]}")
    return {"wall_s": wall, "peak_tree_rss_bytes": peak, "stdout": out}


def api_cmd(n: int, workers: int) -> list[str]:
    return [sys.executable, "-c", API.format(scenario=SCENARIO), str(n), str(workers)]


def cli_cmd(n: int, workers: int) -> list[str]:
    cli = [sys.executable, "-c", "from takeoff.cli import app; app()", "mc", SCENARIO]
    return cli + ["--samples", str(n), "--workers", str(workers), "--json"]


def case(name: str, cmd: list[str], n: int, repeats: int) -> dict:
    """Median wall time and peak tree memory of ``repeats`` runs of ``cmd``."""
    runs = [measure(cmd) for _ in range(repeats)]
    walls = [r["wall_s"] for r in runs]
    peaks = [r["peak_tree_rss_bytes"] for r in runs]
    out = {
        "case": name,
        "samples": n,
        "repeats": repeats,
        "median_wall_s": statistics.median(walls),
        "wall_s": walls,
        "median_peak_tree_rss_gb": statistics.median(peaks) / 1e9,
        "peak_tree_rss_gb": [p / 1e9 for p in peaks],
    }
    if name != "cli":  # the child's own report (one JSON line)
        out["child"] = json.loads(runs[-1]["stdout"])
    if n in TARGETS:
        wall_target, memory_target = TARGETS[n]
        out["wall_vs_target"] = out["median_wall_s"] / wall_target
        out["memory_vs_target"] = statistics.median(peaks) / memory_target
    print(
        f"{name:>4} {n:>9,} samples: {out['median_wall_s']:8.1f} s, "
        f"{out['median_peak_tree_rss_gb']:.2f} GB peak (process tree)",
        flush=True,
    )
    return out


def dask_scaling(n: int) -> list[dict]:
    """``run_mc(client=...)`` of n samples on LocalClusters of 1 and 2 worker processes."""
    import numpy as np
    from distributed import Client, LocalCluster

    from takeoff.uncertainty.montecarlo import run_mc

    rows, first = [], None
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            run_mc(SCENARIO, 20, 0, client=client)  # warm the workers' imports
            start = time.perf_counter()
            result = run_mc(SCENARIO, n, 0, client=client)
            wall = time.perf_counter() - start
        same = first is None or all(
            np.array_equal(result.milestones[k], first.milestones[k], equal_nan=True)
            for k in first.milestones
        )
        first = first or result
        rows.append({"dask_workers": workers, "samples": n, "wall_s": wall, "identical": same})
        print(f"dask {workers} worker(s), {n:,} samples: {wall:.1f} s, same: {same}", flush=True)
    rows[1]["speedup"] = rows[0]["wall_s"] / rows[1]["wall_s"]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000, help="0: skip API and CLI")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 (API only)")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI case")
    parser.add_argument("--dask-scaling", type=int, default=0, metavar="N")
    parser.add_argument("--replay", type=int, default=0, metavar="N")
    parser.add_argument("--output", default=str(HERE / "results" / "scale.json"))
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    cases = []
    if args.samples:
        cases.append(case("api", api_cmd(args.samples, args.workers), args.samples, args.repeats))
    if args.samples and not args.no_cli:
        cases.append(case("cli", cli_cmd(args.samples, args.workers), args.samples, args.repeats))
    if args.million:
        cases.append(case("api", api_cmd(1_000_000, args.workers), 1_000_000, 1))
    if args.replay:
        cmd = [sys.executable, "-c", REPLAY.format(scenario=SCENARIO), str(args.replay)]
        cases.append(case("replay", cmd, args.replay, 1))
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scenario": SCENARIO,
        "workers": args.workers,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "cases": cases,
        "command": " ".join(["python", "benchmarks/bench_scale.py", *(argv or sys.argv[1:])]),
    }
    if args.dask_scaling:
        report["dask_scaling"] = dask_scaling(args.dask_scaling)
    text = json.dumps(report, indent=2)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text + "\n")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
