"""Benchmark the integrated model: one deterministic run, and 10,000 samples at once.

    python benchmarks/bench_model.py                  # full benchmark (about a minute)
    python benchmarks/bench_model.py --samples 1000   # scaled-down batch
    python benchmarks/bench_model.py --output -       # print the JSON instead of writing it
    python benchmarks/bench_model.py --jax-batch      # also time the batch on the JAX backend

Both cases use the default scenario's settings (2026-2100, dt 0.1, 100 economy and 20
AI R&D tasks). The batch is one vectorised ``takeoff.simulate`` call whose overrides
draw a dozen parameters within their plausible ranges (seeded). It is timed three
times: with series on whole years (``output_step=1.0``, as Monte Carlo keeps them;
milestones are still found at every step and are identical), the same split over two
worker processes (``workers=2``: the same numbers; the memory figures are then this
process's only), and with series at every step. Reported figures are
medians over repeats, for wall time and for this process's CPU time (steadier on a
shared machine). Peak memory of the batch: the largest traced allocation total
(``tracemalloc``, in a separate untimed run, since tracing slows NumPy down) and the
resident-set peak of the process (``ru_maxrss``). Results go to
``benchmarks/results/model.json``; targets are in ``TARGETS``.

When JAX is installed the single run is also timed on the JAX backend: the first call
(which compiles the step for this shape) separately, then the median of warm calls.
The batch runs on NumPy, which is the faster backend for many samples on a CPU
(``--jax-batch`` times JAX too).

The timings include everything ``takeoff.simulate`` does: parameter checks, the
integration, the derived series and milestones. To compare with another version of
the code, run this script with that version first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
FULL_SAMPLES = 10_000
#: Seconds: one run; 10,000 samples; the FTM reference model's single run.
TARGETS = {"single_run_s": 0.050, "batch_10000_s": 10.0, "ftm_single_run_s": 1.2}
#: What can be timed (``--cases``).
CASES = ("single", "batch", "two_workers", "every_step", "jax")
#: Parameters drawn for the batch (within each one's plausible range).
VARIED = (
    "full_automation_requirement",
    "flop_gap_oom",
    "diffusion_years",
    "rnd_diffusion_years",
    "automation_cap",
    "software_returns",
    "research_substitution_rho",
    "task_substitution_rho",
    "algorithmic_progress_2026",
    "hardware_growth_2026",
    "ai_capex_growth",
    "ai_research_speed",
    "runtime_spread_oom",
)


#: Share of batch samples with no regulatory cap (automation_cap = 1), so that most samples
#: reach full automation and the batch exercises the whole model (issue 15, item 5).
UNCAPPED_SHARE = 0.8


def batch_overrides(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random plausible values for ``VARIED``: log-uniform where the registry says log scale;
    ``automation_cap`` is 1 in ``UNCAPPED_SHARE`` of the samples (a cap below 1 stops full
    automation, and the plausible range [0.5, 1] would leave no sample reaching it)."""
    from takeoff.params.schema import draw_plausible

    out = draw_plausible(VARIED, n, seed)
    uncapped = np.random.default_rng([seed, 1]).uniform(size=n) < UNCAPPED_SHARE
    out["automation_cap"] = np.where(uncapped, 1.0, out["automation_cap"])
    return out


def milestones_reached(overrides: dict[str, np.ndarray], n: int = 500) -> dict[str, float]:
    """Share of (the first ``n``) batch samples that reach each milestone by 2100."""
    import takeoff

    subset = {name: values[:n] for name, values in overrides.items()}
    result = takeoff.simulate("default", subset, output_step=1.0)
    return {
        name: round(float(np.isfinite(years).mean()), 4)
        for name, years in result.milestones.items()
    }


def timed(call, repeats: int) -> dict:
    """Medians (and all values) of wall and CPU seconds over ``repeats`` calls.

    CPU time is split into user and system time: the latter is mostly the kernel
    providing fresh memory pages for the (T, n) result arrays.
    """
    wall, cpu, system = [], [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        w, c = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        system.append(resource.getrusage(resource.RUSAGE_SELF).ru_stime - before)
    return {
        "median_wall_s": statistics.median(wall),
        "median_cpu_s": statistics.median(cpu),
        "median_system_s": statistics.median(system),
        "min_wall_s": min(wall),
        "wall_s": wall,
        "cpu_s": cpu,
        "system_s": system,
    }


def jax_timings(args, overrides: dict) -> dict:
    """The JAX backend: first call (compiles), warm single runs, optionally the batch."""
    import jax

    import takeoff

    start = time.perf_counter()
    takeoff.simulate(backend="jax")
    out = {
        "version": jax.__version__,
        "device": str(jax.devices()[0]),
        "first_call_s": time.perf_counter() - start,
        "single_run": timed(lambda: takeoff.simulate(backend="jax"), args.single_repeats),
    }
    if args.jax_batch:
        takeoff.simulate(overrides=overrides, backend="jax")  # compile for the batch shape
        out["batch"] = timed(
            lambda: takeoff.simulate(overrides=overrides, backend="jax"), args.batch_repeats
        )
    return out


def batch_timings(
    overrides: dict, output_step: float | None, repeats: int, workers: int = 1, trace: bool = True
) -> dict:
    """One ``takeoff.simulate`` call over all samples, series every ``output_step`` years.

    ``max_rss_mb`` is this process's peak so far, so lighter cases are timed first;
    with ``workers`` > 1 the samples are split over that many processes, whose memory
    is not included (each holds 1/workers of the samples; ``ru_maxrss`` of children
    counts the parent's pages at fork, so it is not reported).
    """
    import takeoff

    def call():
        takeoff.simulate(overrides=overrides, output_step=output_step, workers=workers)

    out = timed(call, repeats)
    out["traced_peak_mb"] = traced_peak_mb(call) if trace else None
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    out["samples"] = next(iter(overrides.values())).size
    out["output_step"] = output_step
    out["workers"] = workers
    return out


def traced_peak_mb(call) -> float:
    """Peak of memory allocated while ``call`` runs, as seen by tracemalloc (MB)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average": list(os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=FULL_SAMPLES)
    parser.add_argument("--single-repeats", type=int, default=15)
    parser.add_argument("--batch-repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default=str(HERE / "results" / "model.json"))
    parser.add_argument("--jax-batch", action="store_true", help="also time the JAX batch")
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"comma-separated subset of {','.join(CASES)} (others are reported as null; "
        "without every batch case the memory trace is skipped)",
    )
    args = parser.parse_args(argv)
    cases = set(args.cases.split(","))
    if unknown := cases - set(CASES):
        parser.error(f"--cases: unknown {sorted(unknown)}; choose from {','.join(CASES)}")

    import takeoff

    load_before = list(os.getloadavg())
    takeoff.simulate()  # warm-up: imports, scenario and registry caches
    single = timed(takeoff.simulate, args.single_repeats) if "single" in cases else None
    overrides = batch_overrides(args.samples, args.seed)
    trace = set(CASES) <= cases
    batch, two_workers, every_step = (
        batch_timings(overrides, step, args.batch_repeats, workers, trace)
        if case in cases
        else None
        for case, step, workers in (
            ("batch", 1.0, 1),
            ("two_workers", 1.0, 2),
            ("every_step", None, 1),
        )
    )
    if not (single and batch and two_workers and every_step):  # a subset: raw timings only
        partial = {
            "code": str(Path(takeoff.__file__).parent),
            "single_run": single,
            "batch": batch,
            "batch_two_workers": two_workers,
            "batch_every_step": every_step,
            "jax": jax_timings(args, overrides) if "jax" in cases and find_spec("jax") else None,
        }
        text = json.dumps(partial, indent=2)
        if args.output == "-":
            print(text)
        else:
            Path(args.output).write_text(text + "\n")
        return partial
    scale = FULL_SAMPLES / args.samples
    jax = jax_timings(args, overrides) if find_spec("jax") else None
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine() | {"load_average_before": load_before},
        "code": str(Path(takeoff.__file__).parent),
        "settings": {
            "start_year": 2026,
            "end_year": 2100,
            "dt": 0.1,
            "n_tasks": 100,
            "n_rnd_tasks": 20,
        },
        "single_run": single,
        "batch": batch,
        "batch_two_workers": two_workers,
        "batch_every_step": every_step,
        "batch_milestones_reached": milestones_reached(overrides),
        "jax": jax,
        "targets": TARGETS,
        "ratios": {
            "single_run_vs_target": single["median_wall_s"] / TARGETS["single_run_s"],
            "batch_10000_vs_target": batch["median_wall_s"] * scale / TARGETS["batch_10000_s"],
            "batch_10000_two_workers_vs_target": two_workers["median_wall_s"]
            * scale
            / TARGETS["batch_10000_s"],
            "batch_10000_every_step_vs_target": every_step["median_wall_s"]
            * scale
            / TARGETS["batch_10000_s"],
            "ftm_single_run_vs_single_run": TARGETS["ftm_single_run_s"] / single["median_wall_s"],
            "batch_seconds_per_sample": batch["median_wall_s"] / args.samples,
        },
    }
    if jax is not None:
        jax_single = jax["single_run"]["median_wall_s"]
        result["ratios"]["jax_single_run_vs_target"] = jax_single / TARGETS["single_run_s"]
        result["ratios"]["numpy_vs_jax_single_run"] = single["median_wall_s"] / jax_single
    text = json.dumps(result, indent=2)
    if args.output == "-":
        print(text)
    else:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
        print(
            f"single run: {single['median_wall_s'] * 1e3:.0f} ms wall "
            f"({single['median_cpu_s'] * 1e3:.0f} ms CPU), median of {args.single_repeats}\n"
            + "".join(
                f"{args.samples} samples, series {label}: {b['median_wall_s']:.2f} s wall "
                f"({b['median_cpu_s']:.2f} s CPU, of which {b['median_system_s']:.2f} s "
                f"system), median of {args.batch_repeats}; "
                f"peak traced {b['traced_peak_mb']:.0f} MB, max RSS {b['max_rss_mb']:.0f} MB\n"
                for label, b in (
                    ("on whole years", batch),
                    ("on whole years, 2 worker processes", two_workers),
                    ("at every step", every_step),
                )
            )
            + (
                f"JAX single run: first call {jax['first_call_s']:.2f} s (compiles), then "
                f"{jax['single_run']['median_wall_s'] * 1e3:.1f} ms wall, median of "
                f"{args.single_repeats}\n"
                if jax
                else "JAX not installed: backend not timed\n"
            )
            + (
                f"JAX {args.samples} samples: {jax['batch']['median_wall_s']:.2f} s wall\n"
                if jax and jax.get("batch")
                else ""
            )
            + f"written to {path}",
            file=sys.stderr,
        )
    return result


if __name__ == "__main__":
    main()
