"""Scenario discovery: which boxes of parameter space lead to an outcome.

A worldview's Monte Carlo samples (``run_mc``) are labelled by an outcome such as
``remote_work_automated < 2035`` (a milestone never reached counts as +inf, so it is
never "< YEAR" and always "> YEAR"). A shallow CART decision tree (scikit-learn; depth
``depth``, leaves of at least ``min_leaf`` of the samples) splits the sampled
parameters; each leaf is a box, an intersection of one-sided limits
``lo < x <= hi``. For a box B and outcome Y:

- density  = P(Y | x in B), the share of the box's samples where the outcome holds;
- coverage = P(x in B | Y), the share of all samples with the outcome that the box holds;
- mass     = P(x in B), the box's share of all samples.

Boxes whose density beats the base rate P(Y) are reported, densest first. This is the
question PRIM answers (Friedman & Fisher 1999; Bryant & Lempert 2010); a tree is used
because it comes from a well-kept library and gives a few readable boxes that together
partition the space. Log-scaled parameters (the registry's ``log_scale``) are split in
log10, so a limit falls between two samples' orders of magnitude.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from takeoff.cruxes.metrics import check_milestone
from takeoff.errors import ValidationError, brief
from takeoff.params.schema import registry
from takeoff.scenarios.loader import Scenario, load_scenario

_CONDITION = re.compile(r"\s*([A-Za-z0-9_]+)\s*(<=|>=|<|>)\s*([0-9]{1,4}(?:\.[0-9]+)?)\s*")
_OPS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


@dataclass(frozen=True)
class Box:
    """A leaf: per parameter (lo, hi) with lo < x <= hi (None = unbounded)."""

    limits: dict[str, tuple[float | None, float | None]]
    n: int
    hits: int
    density: float
    coverage: float
    mass: float

    def words(self) -> str:
        parts = []
        for name, (lo, hi) in self.limits.items():
            if lo is not None and hi is not None:
                parts.append(f"{lo:.2g} < {name} <= {hi:.2g}")
            elif hi is not None:
                parts.append(f"{name} <= {hi:.2g}")
            else:
                parts.append(f"{name} > {lo:.2g}")
        return " and ".join(parts) or "any parameter values"


@dataclass
class Discovery:
    scenario: str
    where: str
    n_samples: int
    seed: int
    base_rate: float
    boxes: list[Box]
    seconds: float = 0.0

    def sentences(self, top: int = 3) -> list[str]:
        if not self.boxes:
            if self.base_rate in (0.0, 1.0):
                share = "every" if self.base_rate == 1.0 else "no"
                return [f"{self.where} in {share} sample of {self.scenario}: no box to find."]
            return [
                f"{self.where} in {self.base_rate:.0%} of the samples of {self.scenario}; "
                "no box of parameter values is denser than that."
            ]
        return [
            f"{self.where} in {box.density:.0%} of samples with {box.words()} "
            f"({box.mass:.0%} of all samples; they hold {box.coverage:.0%} of those where it "
            f"holds; overall {self.base_rate:.0%})."
            for box in self.boxes[:top]
        ]

    def to_json(self) -> dict:
        return {
            "scenario": self.scenario,
            "where": self.where,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "base_rate": round(self.base_rate, 4),
            "seconds": round(self.seconds, 2),
            "boxes": [
                {
                    "limits": {k: list(v) for k, v in box.limits.items()},
                    "words": box.words(),
                    "n": box.n,
                    "density": round(box.density, 4),
                    "coverage": round(box.coverage, 4),
                    "mass": round(box.mass, 4),
                }
                for box in self.boxes
            ],
        }


def parse_where(text: str) -> list[tuple[str, str, float]]:
    """``"m1 < 2035 and m2 >= 2040"`` -> [(milestone, op, year), ...]."""
    conditions = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _CONDITION.fullmatch(part)
        if match is None:
            raise ValidationError(
                f"--where: {brief(part, 60)} is not MILESTONE OP YEAR "
                '(OP one of <, <=, >, >=; e.g. "remote_work_automated < 2035")'
            )
        conditions.append((check_milestone(match[1], "--where"), match[2], float(match[3])))
    return conditions


def outcome(milestones: dict[str, np.ndarray], conditions) -> np.ndarray:
    """Whether every condition holds, per sample (never reached = +inf)."""
    held = np.ones(next(iter(milestones.values())).size, bool)
    for name, op, year in conditions:
        years = np.where(np.isnan(milestones[name]), np.inf, milestones[name])
        held &= _OPS[op](years, year)
    return held


def find_boxes(
    x: dict[str, np.ndarray],
    y: np.ndarray,
    depth: int = 3,
    min_leaf: float = 0.05,
    log: frozenset[str] = frozenset(),
    seed: int = 0,
) -> list[Box]:
    """Leaves of a shallow tree on ``x`` whose density beats the base rate, densest first."""
    from sklearn.tree import DecisionTreeClassifier

    y = np.asarray(y, bool)
    names = [k for k, v in x.items() if np.ptp(v) > 0]
    base = float(y.mean())
    if not names or base in (0.0, 1.0):
        return []
    features = np.column_stack([np.log10(x[k]) if k in log else x[k] for k in names])
    leaf = max(5, math.ceil(min_leaf * y.size))
    tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=seed)
    tree.fit(features, y)
    t = tree.tree_
    boxes: list[Box] = []
    leaves = tree.apply(features)

    def walk(node: int, limits: dict[str, tuple[float | None, float | None]]) -> None:
        if t.children_left[node] == -1:
            inside = leaves == node
            hits = int(y[inside].sum())
            n = int(inside.sum())
            if hits / n > base:
                boxes.append(Box(dict(limits), n, hits, hits / n, hits / y.sum(), n / y.size))
            return
        name = names[t.feature[node]]
        cut = float(10 ** t.threshold[node] if name in log else t.threshold[node])
        lo, hi = limits.get(name, (None, None))
        walk(t.children_left[node], {**limits, name: (lo, cut)})
        walk(t.children_right[node], {**limits, name: (cut, hi)})

    walk(0, {})
    return sorted(boxes, key=lambda b: (-b.density, -b.coverage))


def discover(
    scenario: str | Scenario,
    where: str,
    *,
    n_samples: int = 2000,
    seed: int = 0,
    depth: int = 3,
    min_leaf: float = 0.05,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Discovery:
    """Boxes of ``scenario``'s sampled parameters where ``where`` holds (module docstring)."""
    from takeoff.uncertainty.montecarlo import run_mc

    started = time.perf_counter()
    conditions = parse_where(where)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 6:
        raise ValidationError(f"--depth: {depth!r} must be an integer in [1, 6]")
    if not 0 < min_leaf < 0.5:
        raise ValidationError(f"--min-leaf: {min_leaf!r} must be in (0, 0.5)")
    view = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if not view.distributions:
        raise ValidationError(
            f"{view.name} is deterministic (no parameter has a distribution): every sample "
            "is the same, so no region of parameter space can be told apart"
        )
    result = run_mc(view, n_samples, seed, workers=workers, progress=progress)
    y = outcome(result.milestones, conditions)
    log = frozenset(k for k in result.sampled if registry()[k].log_scale)
    boxes = find_boxes(result.sampled, y, depth, min_leaf, log, seed)
    text = " and ".join(f"{m} {op} {year:g}" for m, op, year in conditions)
    return Discovery(
        view.name, text, n_samples, seed, float(y.mean()), boxes, time.perf_counter() - started
    )
