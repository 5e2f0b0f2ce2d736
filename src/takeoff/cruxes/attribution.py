"""Why two worldviews disagree: the Shapley attribution of their difference to groups.

Worldview A and B differ in some parameters (:mod:`takeoff.cruxes.groups`), grouped into
k players. For a coalition S of groups, the *hybrid* view A<-S is A with the parameters
of the groups in S taken from B (their distributions, with their copula); v(S) is the
metric (:mod:`takeoff.cruxes.metrics`) over the hybrid's Monte Carlo samples, so
v(none) = metric of A and v(all) = metric of B. Each group's Shapley value
(:mod:`takeoff.cruxes.shapley`) is its share of v(all) - v(none); the values sum to it
exactly.

Common random numbers: A and B are sampled once, with the same seed, and the hybrid
A<-S takes each parameter's column from one of them. A parameter's draws come from its
own stream keyed by seed and name (:func:`takeoff.uncertainty.copula.base_uniforms`), so
sample i of every hybrid sits at the same quantiles of every distribution: between two
coalitions only the swapped assumptions change, not the luck of the draw, and the
differences v(S + g) - v(S) carry far less Monte Carlo noise than independent runs.

Standard errors come from a bootstrap over samples: the same resampled sample indices
for every coalition (so the common random numbers are kept), the metric and the Shapley
values recomputed on each replicate. With sampled orders (more than ``MAX_EXACT``
groups) the orders' own sampling error is added in quadrature.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from takeoff.cruxes import shapley
from takeoff.cruxes.batch import CHUNK_SIZE, coalition, run_scenario
from takeoff.cruxes.groups import Group, make_groups, parse_group
from takeoff.cruxes.hybrids import run_hybrids
from takeoff.cruxes.metrics import Metric, parse_metric
from takeoff.errors import ValidationError
from takeoff.parallel import check_workers, using_client
from takeoff.params.schema import build_parameters
from takeoff.scenarios.loader import Scenario, load_scenario
from takeoff.uncertainty.montecarlo import MAX_SAMPLES, sample_scenario

DEFAULT_MILESTONE = "automated_100pct"
#: Bootstrap replicates for the standard errors.
BOOTSTRAP = 200
#: Antithetic pairs of orders when the groups are too many for every coalition.
ORDER_PAIRS = 32
_SETTINGS = ("start_year", "end_year", "dt", "n_tasks", "n_rnd_tasks")


@dataclass
class Attribution:
    """The attribution of ``metric(b) - metric(a)`` to ``groups`` (values in metric units)."""

    a: str
    b: str
    metric: Metric
    groups: list[Group]
    n_samples: int
    seed: int
    value_a: float
    value_b: float
    se_total: float
    shapley: np.ndarray  # (k,)
    se: np.ndarray  # (k,)
    alone: np.ndarray  # (k,) v({g}) - v(none)
    last: np.ndarray  # (k,) v(all) - v(all - g)
    exact: bool
    orders: int  # sampled orders (0 when exact)
    coalitions: int  # hybrids simulated
    censored_a: float | None  # share of samples that never reach the milestone (median)
    censored_b: float | None
    seconds: float = 0.0
    horizon: float | None = None  # hybrids other than A and B ran to this year (median)
    reruns: int = 0  # of those, run again to the end year

    @property
    def total(self) -> float:
        return self.value_b - self.value_a

    def ranked(self) -> list[int]:
        """Group indices, largest |Shapley value| first."""
        return sorted(range(len(self.groups)), key=lambda g: -abs(self.shapley[g]))

    def sentences(self, top: int = 3) -> list[str]:
        """One plain sentence per top group, with its numbers."""
        m = self.metric
        out = []
        for g in self.ranked()[:top]:
            group = self.groups[g]
            names = ", ".join(group.parameters)
            label = group.name if group.parameters == (group.name,) else f"{group.name} ({names})"
            out.append(
                f"{label}: {m.fmt_delta(self.shapley[g])} (SE {m.scale * self.se[g]:.2f}) of "
                f"the {m.fmt_delta(self.total)} from {self.a} to {self.b}; swapped alone into "
                f"{self.a} {m.fmt_delta(self.alone[g])}, taken last out of {self.b} "
                f"{m.fmt_delta(self.last[g])}."
            )
        return out

    def to_json(self) -> dict:
        s = self.metric.scale

        def num(x: float) -> float:
            return round(float(s * x), 4)

        return {
            "a": self.a,
            "b": self.b,
            "metric": self.metric.label,
            "unit": self.metric.unit,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "value_a": num(self.value_a),
            "value_b": num(self.value_b),
            "total": num(self.total),
            "se_total": num(self.se_total),
            "censored": {"a": self.censored_a, "b": self.censored_b},
            "exact": self.exact,
            "orders": self.orders,
            "coalitions": self.coalitions,
            "early_horizon": None if self.horizon is None else round(self.horizon, 3),
            "reruns": self.reruns,
            "seconds": round(self.seconds, 2),
            "groups": [
                {
                    "name": self.groups[g].name,
                    "parameters": list(self.groups[g].parameters),
                    "shapley": num(self.shapley[g]),
                    "se": num(self.se[g]),
                    "alone": num(self.alone[g]),
                    "last": num(self.last[g]),
                }
                for g in self.ranked()
            ],
        }


def _views(a, b, dt, end_year) -> tuple[Scenario, Scenario]:
    views = []
    for view in (a, b):
        view = view if isinstance(view, Scenario) else load_scenario(view)
        views.append(view.with_settings(dt=dt, end_year=end_year))
    sa, sb = views[0].settings, views[1].settings
    for key in _SETTINGS:
        if getattr(sa, key) != getattr(sb, key):
            raise ValidationError(
                f"{views[0].name} and {views[1].name} simulate with different {key} "
                f"({getattr(sa, key)} vs {getattr(sb, key)}); the attribution runs both alike "
                "(give --end-year / --dt to set them)"
            )
    return views[0], views[1]


def _sample(view: Scenario, n: int, seed: int) -> dict[str, np.ndarray]:
    values, _ = sample_scenario(view, n, seed)
    full = build_parameters(values, where=f"{view.name}: parameters")
    return {name: np.broadcast_to(arr, (n,)).copy() for name, arr in full.items()}


def attribute(
    a: str | Scenario,
    b: str | Scenario,
    milestone: str | list[str] = DEFAULT_MILESTONE,
    metric: str | Metric = "median",
    *,
    by: str = "auto",
    groups: list[str] | list[tuple[str, list[str]]] | None = None,
    n_samples: int = 1000,
    seed: int = 0,
    workers: int = 1,
    order_pairs: int = ORDER_PAIRS,
    bootstrap: int = BOOTSTRAP,
    dt: float | None = None,
    end_year: float | None = None,
    chunk_size: int = CHUNK_SIZE,
    early: bool = True,
    progress: Callable[[int, int], None] | None = None,
    client: Any = None,
) -> Attribution:
    """Attribute ``metric(b) - metric(a)`` to groups of parameters (module docstring).

    A list of milestones gives {milestone: Attribution}, every hybrid simulated once for
    all of them (the same samples and groups; no early stop), as the report does.

    ``groups`` are ``"name=p1,p2"`` strings or (name, [params]); parameters they leave
    out are grouped ``by`` "auto", "block" or "parameter". ``progress(done, total)``
    counts simulated samples. ``early`` lets a median's hybrids stop before the end year
    where that gives the same medians (:mod:`takeoff.cruxes.hybrids`). ``client`` (a
    ``distributed.Client``) runs the hybrids on that Dask cluster (same numbers).
    """
    check_workers(workers)
    with using_client(client):
        return _attribute(
            a, b, milestone, metric, by, groups, n_samples, seed, workers, order_pairs,
            bootstrap, dt, end_year, chunk_size, early, progress,
        )  # fmt: skip


def _attribute(
    a, b, milestone, metric, by, groups, n_samples, seed, workers, order_pairs, bootstrap, dt,
    end_year, chunk_size, early, progress,
):  # fmt: skip
    started = time.perf_counter()
    if isinstance(n_samples, bool) or not isinstance(n_samples, int):
        raise ValidationError(f"--samples: {n_samples!r} must be an integer")
    if not 2 <= n_samples <= MAX_SAMPLES:
        raise ValidationError(f"--samples: {n_samples} must be in [2, {MAX_SAMPLES}]")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError(f"--seed: {seed!r} must be a non-negative integer")
    va, vb = _views(a, b, dt, end_year)
    several = isinstance(milestone, list | tuple)
    names = list(milestone) if several else [milestone]
    if several and (isinstance(metric, Metric) or not names):
        raise ValidationError("milestones: give a metric text and at least one milestone")
    metrics = [
        metric if isinstance(metric, Metric) else parse_metric(metric, name) for name in names
    ]
    user = [parse_group(g) if isinstance(g, str) else g for g in groups or []]
    players = make_groups(va, vb, by, user)
    k = len(players)
    fa, fb = _sample(va, n_samples, seed), _sample(vb, n_samples, seed)
    bits = {p: g for g, group in enumerate(players) for p in group.parameters}
    # A group whose draws are identical in both views changes nothing: fold it away so
    # that coalitions differing only in it are simulated once.
    inert = sum(
        1 << g
        for g, group in enumerate(players)
        if all(np.array_equal(fa[p], fb[p]) for p in group.parameters)
    )
    orders = None if k <= shapley.MAX_EXACT else shapley.sample_orders(k, order_pairs, seed)
    masks = shapley.coalitions_needed(k, orders)
    canonical = {m: m & ~inert for m in masks}
    unique = sorted(set(canonical.values()))
    for mask in unique:
        _check_hybrid(fa, fb, bits, mask, players, va.name, vb.name)
    run = run_scenario(va, metrics)
    tables, stages = run_hybrids(
        unique,
        [canonical[0], canonical[shapley.full_mask(k)]],
        fa,
        fb,
        bits,
        run,
        metrics if several else metrics[0],
        workers=workers,
        chunk_size=chunk_size,
        progress=progress,
        early=early,
    )
    row = {mask: i for i, mask in enumerate(unique)}
    index = {m: row[c] for m, c in canonical.items()}
    out = {}
    for name, metric, table in zip(names, metrics, tables if several else [tables], strict=True):
        att = _summarise(
            table, index, players, orders, metric, va, vb, seed, bootstrap, started, len(unique)
        )
        att.horizon, att.reruns = stages.horizon, stages.reruns
        out[name] = att
    return out if several else out[names[0]]


def _check_hybrid(fa, fb, bits, mask, players, name_a, name_b) -> None:
    """A hybrid must satisfy the constraints between parameters (e.g. two shares < 1)."""
    try:
        build_parameters(coalition(fa, fb, bits, mask), where="hybrid")
    except ValidationError as exc:
        swapped = [g.name for i, g in enumerate(players) if mask >> i & 1] or ["none"]
        raise ValidationError(
            f"{name_a} with {', '.join(swapped)} from {name_b} breaks a constraint: {exc}; "
            "put the parameters it names in one group (--group)"
        ) from None


@dataclass
class Decomposition:
    """Shapley decomposition of a table of per-sample values, one row per coalition."""

    values: np.ndarray  # (rows,) v of each simulated coalition
    shapley: np.ndarray  # (k,)
    se: np.ndarray  # (k,)
    alone: np.ndarray  # (k,)
    last: np.ndarray  # (k,)
    se_total: float


def decompose(
    table: np.ndarray,
    index: dict[int, int],
    k: int,
    aggregate,
    orders: np.ndarray | None = None,
    seed: int = 0,
    bootstrap: int = BOOTSTRAP,
) -> Decomposition:
    """Shapley values of v(S) = aggregate(table[index[S]]) with bootstrap standard errors.

    ``table`` is (rows, n): per-sample values of each simulated coalition, sample i
    drawn with the same random numbers in every row. A bootstrap replicate resamples
    the sample indices once for all rows (keeping the common random numbers).
    """
    n = table.shape[1]
    v = aggregate(table, axis=-1)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0xB007,)))
    replicates = []
    for block in range(0, bootstrap, 25):  # in blocks: (rows, 25, n) stays small
        picks = rng.integers(0, n, (min(25, bootstrap - block), n))
        replicates.append(aggregate(table[:, picks], axis=-1))
    boot = np.concatenate(replicates, axis=1)  # (rows, bootstrap)
    if orders is None:
        phi, phi_b, extra = shapley.exact(v, index, k), shapley.exact(boot, index, k), 0.0
    else:
        contributions = shapley.by_orders(v, index, orders)
        phi = contributions.mean(axis=0)
        phi_b = shapley.by_orders(boot, index, orders).mean(axis=0)
        extra = shapley.order_error(contributions) ** 2
    alone, last = shapley.one_at_a_time(v, index, k)
    full = shapley.full_mask(k)
    return Decomposition(
        values=v,
        shapley=phi,
        se=np.sqrt(phi_b.std(axis=1, ddof=1) ** 2 + extra),
        alone=alone,
        last=last,
        se_total=float((boot[index[full]] - boot[index[0]]).std(ddof=1)),
    )


def _summarise(table, index, players, orders, metric, va, vb, seed, bootstrap, started, runs):
    k = len(players)
    d = decompose(table, index, k, metric.aggregate, orders, seed, bootstrap)
    full = shapley.full_mask(k)
    censored = [None, None]
    if metric.kind == "median":
        end = float(va.settings.end_year)
        censored = [round(float(np.mean(table[index[m]] >= end)), 4) for m in (0, full)]
    return Attribution(
        a=va.name,
        b=vb.name,
        metric=metric,
        groups=players,
        n_samples=table.shape[1],
        seed=seed,
        value_a=float(d.values[index[0]]),
        value_b=float(d.values[index[full]]),
        se_total=d.se_total,
        shapley=d.shapley,
        se=d.se,
        alone=d.alone,
        last=d.last,
        exact=orders is None,
        orders=0 if orders is None else int(orders.shape[0]),
        coalitions=runs,
        censored_a=censored[0],
        censored_b=censored[1],
        seconds=time.perf_counter() - started,
    )
