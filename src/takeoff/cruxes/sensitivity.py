"""Which assumptions matter within one worldview: variance-based (Sobol) indices.

For an output Y = f(X) of independent input groups X_1..X_G, the first-order index
S_i = Var(E[Y | X_i]) / Var(Y) is the share of Var(Y) that X_i explains alone, and the
total index ST_i = E[Var(Y | X_~i)] / Var(Y) the share that involves X_i at all (alone
or in interaction); sum S_i <= 1 <= sum ST_i, with equality for an additive f. They are
estimated with SALib from a Saltelli design on a scrambled Sobol' sequence
(N (G + 2) model runs for N base samples; Saltelli et al. 2010's S_i estimator and
Jansen's ST_i estimator; confidence intervals from SALib's bootstrap).

Correlated inputs. Sobol indices need independent inputs; a worldview's parameters are
correlated through its Gaussian copula. Parameters linked (directly or through others)
by a rank correlation form one *group*, groups are independent of each other, and
grouped Sobol indices of independent groups are well defined (Jacques, Lavergne &
Devictor 2006). The design draws independent uniforms, one per parameter; the copula is
applied inside each group (U -> Phi(Phi^{-1}(U) L^T), L L^T the group's Pearson matrix)
and each marginal's truncated inverse CDF gives the parameter: exactly the joint
distribution ``takeoff mc`` samples. A correlated pair is thus reported as one group,
with its joint share of the variance; the method does not split it between the two.

Outputs: the milestone year with "never" censored at the end year (a sample that never
reaches the milestone counts as, e.g., 2100; the share censored is reported, and the
indices then also measure what decides *whether* it is reached), and the sample's log
GWP growth over a span (:mod:`takeoff.cruxes.metrics`).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from takeoff.cruxes.batch import evaluate_params, run_scenario
from takeoff.cruxes.groups import Group, correlation_pairs
from takeoff.cruxes.metrics import Metric, check_milestone, parse_metric
from takeoff.errors import ValidationError, brief
from takeoff.parallel import check_workers, using_client
from takeoff.params.schema import build_parameters, registry
from takeoff.scenarios.loader import Scenario, load_scenario
from takeoff.uncertainty.copula import (
    apply_copula,
    copula_factor,
    correlation_matrix,
    open_unit,
    spearman_to_pearson,
)
from takeoff.uncertainty.distributions import parse_distribution, truncate

BASE_SAMPLES = (16, 65536)
RESAMPLES = 100


@dataclass
class Indices:
    """Sobol indices of one output, per group (in the order of ``Sensitivity.groups``)."""

    label: str
    unit: str
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    mean: float
    sd: float
    censored: float | None = None  # share of runs that never reach the milestone
    convergence: list[tuple[int, np.ndarray, np.ndarray]] = field(default_factory=list)

    def ranked(self) -> list[int]:
        """Group indices, largest total index first (NaN last)."""
        return sorted(range(self.ST.size), key=lambda g: -np.nan_to_num(self.ST[g], nan=-1))


@dataclass
class Sensitivity:
    scenario: str
    groups: list[Group]
    n_base: int
    runs: int
    seed: int
    outputs: dict[str, Indices]
    seconds: float = 0.0

    def to_json(self) -> dict:
        def r(x) -> float | None:
            return None if not np.isfinite(x) else round(float(x), 4)

        return {
            "scenario": self.scenario,
            "n_base": self.n_base,
            "runs": self.runs,
            "seed": self.seed,
            "seconds": round(self.seconds, 2),
            "outputs": {
                key: {
                    "label": ix.label,
                    "unit": ix.unit,
                    "mean": r(ix.mean),
                    "sd": r(ix.sd),
                    "censored": ix.censored,
                    "groups": [
                        {
                            "name": self.groups[g].name,
                            "parameters": list(self.groups[g].parameters),
                            "S1": r(ix.S1[g]),
                            "S1_conf": r(ix.S1_conf[g]),
                            "ST": r(ix.ST[g]),
                            "ST_conf": r(ix.ST_conf[g]),
                        }
                        for g in ix.ranked()
                    ],
                    "convergence": [
                        {
                            "n_base": n,
                            "S1": {g.name: r(x) for g, x in zip(self.groups, s1, strict=True)},
                            "ST": {g.name: r(x) for g, x in zip(self.groups, st, strict=True)},
                        }
                        for n, s1, st in ix.convergence
                    ],
                }
                for key, ix in self.outputs.items()
            },
        }


def design(labels: list[str], n_base: int, seed: int) -> tuple[dict, np.ndarray]:
    """SALib problem and the Saltelli design (N (G + 2), k) of uniforms on (0, 1);
    ``labels[j]`` is the group of column j."""
    if not (BASE_SAMPLES[0] <= n_base <= BASE_SAMPLES[1] and n_base & (n_base - 1) == 0):
        raise ValidationError(
            f"--samples: {n_base} base samples must be a power of 2 in "
            f"[{BASE_SAMPLES[0]}, {BASE_SAMPLES[1]}] (the Sobol' sequence's balance)"
        )
    k = len(labels)
    problem = {"num_vars": k, "names": [f"u{j}" for j in range(k)], "bounds": [[0, 1]] * k}
    if len(set(labels)) > 1:
        problem["groups"] = list(labels)
    else:
        # SALib reads a single group as "no groups"; one group explains all the variance
        # (S1 = ST = 1), so the design only needs to give the output's mean and spread.
        problem["single_group"] = True
    u = sobol_sample.sample(problem, n_base, calc_second_order=False, scramble=True, seed=seed)
    return problem, open_unit(u)


def analyse(problem: dict, y: np.ndarray, n_base: int, seed: int, label: str, unit: str):
    """Indices of output ``y`` (one value per design row), with their convergence."""
    n_groups = y.size // n_base - 2
    nan = np.full(n_groups, np.nan)
    sd = float(np.std(y))
    if not np.isfinite(y).all():
        raise ValidationError(f"{label}: non-finite model output; please report this")
    out = Indices(label, unit, nan, nan, nan, nan, float(np.mean(y)), sd)
    if sd <= 1e-12 * max(1.0, abs(out.mean)):
        return out  # no variance to apportion: every index is undefined
    if problem.get("single_group"):
        one, zero = np.ones(1), np.zeros(1)
        out.S1, out.S1_conf, out.ST, out.ST_conf = one, zero, one, zero
        return out
    levels = [n for n in (n_base // 8, n_base // 4, n_base // 2, n_base) if n >= 8]
    for n in levels:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns on a small N; we show convergence
            si = sobol_analyze.analyze(
                problem,
                y[: n * (n_groups + 2)],
                calc_second_order=False,
                num_resamples=RESAMPLES,
                seed=seed + 1,  # SALib ignores a seed of 0
            )
        out.convergence.append((n, np.asarray(si["S1"]), np.asarray(si["ST"])))
    out.S1, out.S1_conf = np.asarray(si["S1"]), np.asarray(si["S1_conf"])
    out.ST, out.ST_conf = np.asarray(si["ST"]), np.asarray(si["ST_conf"])
    return out


def sobol_indices(
    model: Callable[[np.ndarray], np.ndarray],
    labels: list[str],
    n_base: int,
    seed: int = 0,
    label: str = "y",
    unit: str = "",
) -> Indices:
    """Grouped Sobol indices of ``model`` (design rows of independent uniforms -> y)."""
    problem, u = design(labels, n_base, seed)
    return analyse(problem, np.asarray(model(u), float), n_base, seed, label, unit)


def input_groups(scenario: Scenario) -> list[Group]:
    """The sampled parameters, those linked by rank correlations in one group."""
    names = sorted(scenario.distributions)
    parent = {p: p for p in names}

    def root(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    for pair in correlation_pairs(scenario):
        x, y = sorted(pair)
        parent[max(root(x), root(y))] = min(root(x), root(y))
    members: dict[str, list[str]] = {}
    for p in names:
        members.setdefault(root(p), []).append(p)
    return [Group("+".join(ps), tuple(ps)) for ps in members.values()]


def to_parameters(scenario: Scenario, groups: list[Group], u: np.ndarray) -> dict:
    """Design uniforms -> parameter values: each group's copula, then truncated marginals."""
    specs, ranks = registry(), correlation_pairs(scenario)
    columns = [p for g in groups for p in g.parameters]
    values: dict[str, object] = dict(scenario.values)
    start = 0
    for g in groups:
        block = u[:, start : start + len(g.parameters)]
        if len(g.parameters) > 1:
            pairs = {
                tuple(sorted(pair)): rank
                for pair, rank in ranks.items()
                if pair <= set(g.parameters)
            }
            pearson = spearman_to_pearson(correlation_matrix(g.parameters, pairs))
            np.fill_diagonal(pearson, 1.0)
            block = apply_copula(block, copula_factor(pearson))
        for j, p in enumerate(g.parameters):
            dist = parse_distribution(scenario.distributions[p], field=f"parameters.{p}")
            values[p] = truncate(dist, specs[p].low, specs[p].high, field=p).ppf(block[:, j])
        start += len(g.parameters)
    assert start == len(columns)
    return build_parameters(values, where=f"{scenario.name}: parameters")


def _growth_metric(text: str, milestone: str, view: Scenario) -> Metric:
    """``Y0-Y1`` as a mean-growth metric, with errors that name ``--growth``."""
    try:
        metric = parse_metric(f"mean-growth:{text}", milestone)
        metric.check(view.settings.start_year, view.settings.end_year)
    except ValidationError:
        s = view.settings
        raise ValidationError(
            f"--growth: {brief(text, 30)} must be Y0-Y1, two whole years with "
            f"{s.start_year:g} <= Y0 < Y1 <= {s.end_year:g} (e.g. 2026-2050)"
        ) from None
    return metric


def sensitivity(
    scenario: str | Scenario,
    milestone: str = "automated_100pct",
    growth: str = "2026-2050",
    *,
    n_base: int = 512,
    seed: int = 0,
    workers: int = 1,
    dt: float | None = None,
    end_year: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    client: Any = None,
) -> Sensitivity:
    """Sobol indices of the milestone year and of GWP growth within one worldview;
    ``client`` (a ``distributed.Client``) runs the model on that Dask cluster."""
    started = time.perf_counter()
    check_workers(workers)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError(f"--seed: {seed!r} must be a non-negative integer")
    view = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    view = view.with_settings(dt=dt, end_year=end_year)
    check_milestone(milestone)
    if not view.distributions:
        raise ValidationError(
            f"{view.name} is deterministic (no parameter has a distribution): "
            "there is no variance to apportion"
        )
    metrics = [Metric("median", milestone), _growth_metric(growth, milestone, view)]
    groups = input_groups(view)
    labels = [g.name for g in groups for _ in g.parameters]
    problem, u = design(labels, n_base, seed)
    params = to_parameters(view, groups, u)
    run = run_scenario(view, metrics)
    with using_client(client):
        year, growth_rate = evaluate_params(params, run, metrics, workers, progress)
    end = float(view.settings.end_year)
    outputs = {
        "year": analyse(problem, year, n_base, seed, f"{milestone} year", "year"),
        "growth": analyse(problem, growth_rate, n_base, seed, metrics[1].label, "%/yr"),
    }
    outputs["year"].censored = round(float(np.mean(year >= end)), 4)
    return Sensitivity(
        view.name, groups, n_base, int(u.shape[0]), seed, outputs, time.perf_counter() - started
    )
