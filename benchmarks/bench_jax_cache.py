"""Benchmark the JAX backend's persistent compilation cache (issue 15, item 4).

Times the first ``takeoff.simulate("default", backend="jax")`` in fresh processes: without
a cache, with an empty cache (it is filled), and with the filled cache (median of
``--repeats``). Writes ``benchmarks/results/jax_cache.json``. Needs the ``jax`` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = (
    "import time; t = time.perf_counter(); import takeoff; "
    "takeoff.simulate('default', backend='jax'); print(time.perf_counter() - t)"
)


def first_call(cache: str | None) -> float:
    """Seconds from import to the end of the first JAX run, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "TAKEOFF_JAX_CACHE"}
    if cache is not None:
        env["TAKEOFF_JAX_CACHE"] = cache
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "jax_cache.json")
    args = parser.parse_args(argv)
    if find_spec("jax") is None:
        print("jax is not installed (pip install 'takeoff[jax]'): nothing to measure")
        return {}
    with tempfile.TemporaryDirectory() as folder:
        without = [first_call(None) for _ in range(args.repeats)]
        filling = first_call(folder)
        warm = [first_call(folder) for _ in range(args.repeats)]
        files = sum(1 for p in Path(folder).rglob("*") if p.is_file())
    result = {
        "first_run_no_cache_s": statistics.median(without),
        "first_run_filling_cache_s": filling,
        "first_run_warm_cache_s": statistics.median(warm),
        "cache_files": files,
        "speed_up": statistics.median(without) / statistics.median(warm),
        "all": {"no_cache": without, "warm_cache": warm},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
