"""Per-step cost of this checkout against another commit, measured in one run.

    python benchmarks/bench_ratio.py --base d799e9f                 # 2,000-sample batch
    python benchmarks/bench_ratio.py --base HEAD~1 --samples 10000 --rounds 3

The base commit is checked out into a temporary git worktree. Each round times both
versions back to back in fresh processes (this checkout's ``bench_model.py`` with each
version's ``src`` first on ``PYTHONPATH``): one deterministic run (median of
``--single-repeats``), the batch of ``--samples`` on whole-year series (median of
``--batch-repeats``) and, when JAX is installed, a warm JAX run. Ratios are
new / base of the per-round medians of CPU time (steadier than wall time on a shared
machine), reported as the median over rounds with the range. Results go to
``benchmarks/results/ratio.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Cases compared: name -> path to the median CPU seconds in bench_model.py's JSON.
CASES = {
    "single_run": ("single_run", "median_cpu_s"),
    "batch": ("batch", "median_cpu_s"),
    "jax_single_run": ("jax", "single_run", "median_cpu_s"),
}


def measure(src: Path, args) -> dict:
    """bench_model.py's JSON for the code in ``src``, in a fresh process."""
    command = [
        sys.executable,
        str(HERE / "bench_model.py"),
        "--samples",
        str(args.samples),
        "--single-repeats",
        str(args.single_repeats),
        "--batch-repeats",
        str(args.batch_repeats),
        "--output",
        "-",
        "--cases",
        args.cases,
    ]
    env = dict(os.environ, PYTHONPATH=str(src))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def pick(result: dict, path: tuple[str, ...]) -> float | None:
    for key in path:
        if not isinstance(result, dict) or result.get(key) is None:
            return None
        result = result[key]
    return float(result)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="commit to compare against")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--single-repeats", type=int, default=11)
    parser.add_argument("--batch-repeats", type=int, default=3)
    parser.add_argument("--cases", default="single,batch,jax", help="as bench_model.py --cases")
    parser.add_argument("--output", default=str(HERE / "results" / "ratio.json"))
    args = parser.parse_args(argv)

    base = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="takeoff-base-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), base],
            capture_output=True,
            check=True,
        )
        try:
            for index in range(args.rounds):
                old = measure(tree / "src", args)
                new = measure(ROOT / "src", args)
                rounds.append({"base": old, "new": new})
                print(f"round {index + 1}/{args.rounds} done", file=sys.stderr)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
            )
    summary = {}
    for case, path in CASES.items():
        pairs = [(pick(r["base"], path), pick(r["new"], path)) for r in rounds]
        pairs = [(b, n) for b, n in pairs if b and n]
        if not pairs:
            continue
        ratios = [n / b for b, n in pairs]
        summary[case] = {
            "base_cpu_s": [b for b, _ in pairs],
            "new_cpu_s": [n for _, n in pairs],
            "ratio_median": statistics.median(ratios),
            "ratio_range": [min(ratios), max(ratios)],
        }
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "base": base,
        "samples": args.samples,
        "rounds": args.rounds,
        "load_average_after": list(os.getloadavg()),
        "ratios": summary,
    }
    text = json.dumps(result, indent=2)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text + "\n")
        for case, row in summary.items():
            low, high = row["ratio_range"]
            print(
                f"{case}: new/base CPU time {row['ratio_median']:.2f}x "
                f"(range {low:.2f}-{high:.2f} over {len(row['new_cpu_s'])} rounds)"
            )
    return result


if __name__ == "__main__":
    main()
