"""Monte Carlo on the JAX backend on a GPU (issue 15, item 3): time, phases and parity.

    python benchmarks/bench_gpu.py                          # 1,000,000 samples; skips without a GPU
    python benchmarks/bench_gpu.py --samples 10000000       # the target's size
    python benchmarks/bench_gpu.py --allow-cpu --samples 2000 --chunk 1000 --check 200

Target: 10,000,000 samples of ``besiroglu-erdil`` (yearly series, every milestone) in <= 60 s
on one H100/H200-class GPU, with the same milestones as NumPy to 1e-6 years on a shared
subset. The default run is 1,000,000 samples, with the time projected to 10,000,000: while
set-up, derived series and milestones run on the host (~216 µs a sample on this project's
CPU; benchmarks/README.md), 10,000,000 would outlast a 10-minute device command. Without a GPU the script says so and exits 0 (CI has none); ``--allow-cpu`` runs
the same path on JAX's CPU device, for a smoke test, not for the target.

What it does, in one process:

1. **Parity** on a shared subset: ``run_mc`` of ``--check`` samples with the NumPy and the
   JAX backend, same seed; every milestone must agree to ``YEARS_ATOL`` and be reached in
   the same samples. A mismatch exits 1.
2. **Phases** of one chunk of ``--chunk`` samples (after a warm-up call that compiles that
   shape): set-up in NumPy (``prepare``), the compiled scan on the device, the copy to the
   host, and the derived series and milestones in NumPy (``finish``). They say where the
   time of the full run goes.
3. **The full run**: ``run_mc`` of ``--samples`` samples in chunks of ``--chunk`` (the
   chunk shape is already compiled), wall time, samples per second, peak host memory and,
   where JAX reports it, peak device memory.

Results go to ``benchmarks/results/gpu.json`` (``--out``). Only NumPy, JAX, pandas and
the standard library are needed, which the GPU machine's image has (takeoff itself can
travel as source: ``PYTHONPATH=src``; benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCENARIO = "besiroglu-erdil"
TARGET_SAMPLES, TARGET_S = 10_000_000, 60.0
#: Milestone years may differ by rounding only (tests/model/test_jax_backend.py).
YEARS_ATOL = 1e-6


def gpu_devices() -> list:
    import jax

    return [d for d in jax.devices() if d.platform in ("gpu", "cuda", "rocm")]


def skip_reason(allow_cpu: bool) -> str | None:
    """Why the benchmark cannot run here (None: it can)."""
    if find_spec("jax") is None:
        return "jax is not installed (pip install 'takeoff[jax]')"
    if allow_cpu:
        return None
    import jax

    if not gpu_devices():
        found = ", ".join(str(d) for d in jax.devices())
        return (
            f"no GPU (jax.devices(): {found}); the target is for one H100/H200-class GPU. "
            "--allow-cpu runs the same path on the CPU (a smoke test, not the target)"
        )
    return None


def parity(scenario, n: int, seed: int) -> dict:
    """Milestones of the NumPy and the JAX backend on the same ``n`` samples."""
    from takeoff.uncertainty.montecarlo import run_mc

    numpy_mc = run_mc(scenario, n, seed)
    jax_mc = run_mc(scenario.with_settings(backend="jax"), n, seed)
    worst, same_reached = 0.0, True
    for name, expected in numpy_mc.milestones.items():
        got = jax_mc.milestones[name]
        same_reached &= bool((np.isnan(got) == np.isnan(expected)).all())
        both = ~np.isnan(got) & ~np.isnan(expected)
        if both.any():
            worst = max(worst, float(np.abs(got[both] - expected[both]).max()))
    return {
        "samples": n,
        "max_abs_difference_years": worst,
        "same_samples_reach_each_milestone": same_reached,
        "ok": same_reached and worst <= YEARS_ATOL,
    }


def chunk_phases(scenario, n: int, seed: int) -> dict:
    """Seconds per phase of one chunk of ``n`` samples on the JAX backend (shape compiled first)."""
    import jax

    from takeoff.model.blocks import adoption_dense
    from takeoff.model.engine import jax_backend
    from takeoff.model.engine.fine import milestone_inputs
    from takeoff.model.engine.loop import finish
    from takeoff.model.engine.milestones import default_milestones
    from takeoff.model.engine.setup import prepare
    from takeoff.params.schema import build_parameters
    from takeoff.uncertainty.montecarlo import sample_scenario

    scenario = scenario.with_settings(backend="jax")
    settings = scenario.settings
    values, _ = sample_scenario(scenario, n, seed)
    params = build_parameters(values, where=f"{scenario.name}: parameters")
    wanted = milestone_inputs(default_milestones())
    every, n_steps = settings.record_every, settings.n_steps
    years, n_points = jax_backend.grid_years(settings)

    def once() -> dict:
        out, start = {}, time.perf_counter()
        constants, state = prepare(
            params, settings, adoption_dense.build_tables, adoption_dense.start
        )
        out["setup_s"] = time.perf_counter() - start
        with jax.enable_x64(True):
            start = time.perf_counter()
            on_device = jax_backend._scan_grid(
                jax_backend._traced(constants), state, years, every, wanted
            )
            jax.block_until_ready(on_device)
            out["device_scan_s"] = time.perf_counter() - start
            start = time.perf_counter()
            points, fine, final = jax.device_get(on_device)
            out["copy_to_host_s"] = time.perf_counter() - start
        start = time.perf_counter()
        coarse = {k: v[: n_points + 1] for k, v in points.items()}
        fine = {k: v[: n_steps + 1] for k, v in fine.items()}
        finish(
            years[: n_steps + 1], every, coarse, fine, constants, default_milestones(), None, final
        )
        out["derive_and_milestones_s"] = time.perf_counter() - start
        return out

    start = time.perf_counter()
    once()
    compile_s = time.perf_counter() - start
    phases = once()
    return {"samples": n, "first_call_s": compile_s, **phases}


def device_peak_bytes() -> int | None:
    try:
        stats = gpu_devices()[0].memory_stats() if gpu_devices() else None
    except Exception:  # noqa: BLE001 - not every backend reports memory
        return None
    return None if not stats else stats.get("peak_bytes_in_use")


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000, help="samples per device call")
    parser.add_argument("--check", type=int, default=2000, help="samples in the parity check")
    parser.add_argument("--scenario", default=SCENARIO)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--allow-cpu", action="store_true", help="run on JAX's CPU device")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "gpu.json")
    args = parser.parse_args(argv)
    reason = skip_reason(args.allow_cpu)
    if reason is not None:
        print(f"bench_gpu: skipped: {reason}")
        return None

    import jax

    from takeoff.scenarios.loader import load_scenario
    from takeoff.uncertainty.montecarlo import run_mc, yearly_output

    scenario = yearly_output(load_scenario(args.scenario))
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "jax": jax.__version__,
        "devices": [str(d) for d in jax.devices()],
        "scenario": args.scenario,
        "target": {"samples": TARGET_SAMPLES, "seconds": TARGET_S, "years_atol": YEARS_ATOL},
    }
    report["parity"] = parity(scenario, args.check, args.seed)
    print(f"parity: {report['parity']}", flush=True)
    report["chunk_phases"] = chunk_phases(scenario, min(args.chunk, args.samples), args.seed)
    print(f"one chunk: {report['chunk_phases']}", flush=True)
    start = time.perf_counter()
    result = run_mc(
        scenario.with_settings(backend="jax"), args.samples, args.seed, chunk_size=args.chunk
    )
    wall = time.perf_counter() - start
    report["run"] = {
        "samples": args.samples,
        "chunk": args.chunk,
        "wall_s": wall,
        "samples_per_s": args.samples / wall,
        "projected_s_for_target": TARGET_SAMPLES * wall / args.samples,
        "peak_host_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "peak_device_bytes": device_peak_bytes(),
        "median_remote_work_automated": result.milestone_summary()["remote_work_automated"]["p50"],
    }
    print(f"run: {report['run']}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    if not report["parity"]["ok"]:
        print("bench_gpu: the JAX milestones differ from NumPy's", file=sys.stderr)
        raise SystemExit(1)
    return report


if __name__ == "__main__":
    main()
