"""Benchmark `takeoff cruxes`: one pair, 8 groups (256 hybrids), 1,000 samples per hybrid.

    python benchmarks/bench_cruxes.py                  # the issue's case (a few minutes)
    python benchmarks/bench_cruxes.py --samples 100    # scaled down (also extrapolated)

Runs the real command in a fresh Python process (imports and worker start-up included),
``takeoff cruxes amodei besiroglu-erdil`` with the eight ``--group``s below, two worker
processes, and writes ``benchmarks/results/cruxes.json``. Target: < 300 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_S = 300.0
FULL_SAMPLES = 1000
PAIR = ("amodei", "besiroglu-erdil")
#: Eight groups that cover every parameter in which the pair differs (the rank-correlated
#: requirement and FLOP gap stay together).
GROUPS = (
    "thresholds=full_automation_requirement,flop_gap_oom",
    "physical=physical_extra_oom",
    "capex_growth=ai_capex_growth,supply_planning_growth,power_capacity_max_growth,"
    "chip_capacity_max_growth,datacentre_capacity_max_growth,chip_supply_elasticity",
    "capex_ceiling=ai_capex_ceiling,largest_run_share_ceiling_oom",
    "diffusion=diffusion_years,automation_cap",
    "rnd_diffusion=rnd_diffusion_years",
    "software=software_returns,research_substitution_rho",
    "economy=task_substitution_rho",
)


def command(samples: int, seed: int, workers: int) -> list[str]:
    cmd = [
        sys.executable,
        "-c",
        "import takeoff.cli_cruxes; from takeoff.cli import app; app()",
        "cruxes",
        *PAIR,
    ]
    for group in GROUPS:
        cmd += ["--group", group]
    return cmd + ["-n", str(samples), "--seed", str(seed), "--workers", str(workers), "--json"]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=FULL_SAMPLES, help="samples per hybrid")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "cruxes.json")
    args = parser.parse_args(argv)
    if args.samples < 2:
        parser.error("--samples must be >= 2")

    load_before = os.getloadavg()[0]  # other work on the machine slows the run down
    cmd = command(args.samples, args.seed, args.workers)
    print(f"takeoff cruxes {' vs '.join(PAIR)}: 8 groups x {args.samples:,} samples", flush=True)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"takeoff cruxes failed ({done.returncode}):\n{done.stderr[-2000:]}")
    out = json.loads(done.stdout)
    simulated = (out["coalitions"] + out["reruns"]) * args.samples
    # Per-sample cost, and a linear extrapolation to the full case for scaled-down runs
    # (pessimistic: small chunks vectorise worse).
    ms_per_sample = 1000 * wall / simulated
    full_estimate = ms_per_sample / 1000 * out["coalitions"] * FULL_SAMPLES
    import numpy

    from takeoff import __version__

    result = {
        "benchmark": "takeoff cruxes",
        "command": " ".join(["takeoff", *cmd[3:]]),
        "samples_per_hybrid": args.samples,
        "groups": len(out["groups"]),
        "hybrids": out["coalitions"],
        "early_horizon": out["early_horizon"],  # the hybrids other than A and B stop here
        "reruns": out["reruns"],
        "simulated_samples": simulated,
        "workers": args.workers,
        "wall_s": round(wall, 2),
        "attribution_s": out["seconds"],  # inside the command, after imports
        "ms_per_sample": round(ms_per_sample, 3),
        "extrapolated_wall_s_at_1000_samples": round(full_estimate, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "target_s": TARGET_S,
        "meets_target": bool(wall < TARGET_S) if args.samples == FULL_SAMPLES else None,
        "metric": out["metric"],
        "value_a": out["value_a"],
        "value_b": out["value_b"],
        "shapley": {g["name"]: [g["shapley"], g["se"]] for g in out["groups"]},
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1m_before": round(load_before, 2),
            "load_average_1m_after": round(os.getloadavg()[0], 2),
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
        outcome = f"{'meets' if wall < TARGET_S else 'MISSES'} the {TARGET_S:.0f} s target"
    else:
        outcome = f"extrapolated to {FULL_SAMPLES:,} samples ~{full_estimate:.0f} s"
    print(f"wall {wall:.1f} s ({ms_per_sample:.2f} ms/sample); {outcome}\nwrote {args.out}")
    return result


if __name__ == "__main__":
    main()
