"""Check that a code change leaves the model's numbers as they were.

    python benchmarks/check_identical.py save /tmp/reference.npz      # before the change
    python benchmarks/check_identical.py compare /tmp/reference.npz   # after it

Runs every bundled scenario deterministically and a seeded random batch (as
bench_model.py draws it: ``VARIED`` parameters, most samples uncapped), on whole-year
and on every-step series, and stores every series, milestone and the capped flags.
``compare`` reports how many arrays differ and the largest relative difference,
|a - b| / max(|a|, |b|) over finite values (NaN and inf must sit in the same places).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def collect(samples: int, seed: int) -> dict[str, np.ndarray]:
    """Every number the checked runs produce, by a flat name."""
    from bench_model import batch_overrides

    import takeoff
    from takeoff.scenarios.loader import builtin_names

    runs = {f"scenario:{name}": takeoff.simulate(name) for name in builtin_names()}
    overrides = batch_overrides(samples, seed)
    runs["batch"] = takeoff.simulate("default", overrides)
    runs["batch_yearly"] = takeoff.simulate("default", overrides, output_step=1.0)
    out = {}
    for run_name, result in runs.items():
        for name, values in result.series.items():
            out[f"{run_name}/series/{name}"] = np.asarray(values)
        for name, values in result.milestones.items():
            out[f"{run_name}/milestone/{name}"] = np.asarray(values)
        out[f"{run_name}/capped"] = np.asarray(result.growth_capped)
        out[f"{run_name}/years"] = np.asarray(result.years)
    return out


def relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest |a - b| / max(|a|, |b|) over finite entries; inf if non-finite entries differ."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return np.inf
    finite = np.isfinite(a) & np.isfinite(b)
    same_special = np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(
        a[~finite & ~np.isnan(a)], b[~finite & ~np.isnan(b)]
    )
    if not same_special or not np.array_equal(finite, np.isfinite(b) & np.isfinite(a)):
        return np.inf
    if not finite.any():
        return 0.0
    x, y = a[finite], b[finite]
    scale = np.maximum(np.abs(x), np.abs(y))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(scale > 0, np.abs(x - y) / scale, 0.0)
    return float(rel.max())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("path")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    current = collect(args.samples, args.seed)
    if args.action == "save":
        np.savez_compressed(args.path, **current)
        print(f"saved {len(current)} arrays to {args.path}")
        return 0
    reference = dict(np.load(args.path))
    missing = sorted(set(reference) ^ set(current))
    differing, worst, worst_name = 0, 0.0, ""
    for name in sorted(set(reference) & set(current)):
        a, b = reference[name], current[name]
        if a.shape == b.shape and np.array_equal(a, b, equal_nan=True):
            continue
        differing += 1
        rel = relative_difference(a, b)
        if rel > worst:
            worst, worst_name = rel, name
    print(
        f"{len(reference)} arrays; {differing} not bit-identical; "
        f"max relative difference {worst:.3g} ({worst_name or '-'}); "
        f"missing or new: {missing or 'none'}"
    )
    return 0 if not missing and worst <= 1e-12 else 1


if __name__ == "__main__":
    sys.exit(main())
