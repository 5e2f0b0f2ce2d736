"""The report's crux analyses: which pairs of worldviews to explain, and running them.

For each headline milestone (``KEY_MILESTONES``) the pair of worldviews whose medians are
furthest apart is explained by a Shapley attribution (:func:`takeoff.cruxes.attribute`),
and ``amodei`` vs ``besiroglu-erdil`` always is (on ``automated_100pct``) when both are
compared. Each sampled worldview also gets Sobol indices
(:func:`takeoff.cruxes.sensitivity.sensitivity`). Both use small Monte Carlo sizes (the
report states them with their standard errors); docs/report.md gives the defaults and
their cost.

The medians that pick the pairs are the *censored* medians of the cruxes metric: a sample
that never reaches the milestone counts as the end year (``takeoff.cruxes.metrics``), so
a view where most samples never reach it is "at the end year", not undefined.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from takeoff.errors import TakeoffError, ValidationError
from takeoff.report.compare import KEY_MILESTONES
from takeoff.report.narrative import FOCUS

#: Always explained when both are compared (the README's headline disagreement).
ALWAYS = ("amodei", "besiroglu-erdil")
#: Default samples per hybrid worldview of an attribution (``--cruxes-samples``).
CRUXES_SAMPLES = 200
MIN_CRUXES_SAMPLES = 16
MAX_CRUXES_SAMPLES = 20_000


@dataclass(frozen=True)
class Pair:
    """Two compared worldviews (keys) to explain on one milestone; ``a`` is the earlier."""

    a: str
    b: str
    milestone: str
    median_a: float  # censored medians (end year = never, for most samples)
    median_b: float
    furthest: bool  # furthest apart on this milestone (else: shown always)


@dataclass
class Cruxes:
    """Everything the report's divergence section shows from the crux analyses."""

    n_samples: int  # per hybrid worldview (attribution)
    n_base: int  # Sobol base samples (sensitivity)
    seed: int
    attributions: list[tuple[Pair, object | None, str | None]] = field(default_factory=list)
    sensitivities: dict[str, tuple[object | None, str | None]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # milestones with no spread
    seconds: float = 0.0


def censored_median(view, milestone: str) -> float:
    """Median year with 'never' counted as the end year (the cruxes' median metric)."""
    years = np.asarray(view.result.milestones[milestone], dtype=float)
    return float(np.median(np.where(np.isnan(years), view.result.end_year, years)))


def furthest_pairs(
    views, milestones: Sequence[str] = KEY_MILESTONES, always: Sequence[str] = ALWAYS
) -> tuple[list[Pair], list[str]]:
    """(pairs to explain, milestones skipped because every view has the same median).

    Per milestone, the views with the earliest and the latest censored median (the first
    in the given order on ties); then ``always`` on :data:`FOCUS` unless it is already
    among them. Views that do not define a milestone are left out of its comparison.
    """
    pairs: list[Pair] = []
    skipped: list[str] = []
    for name in milestones:
        medians = [(v.key, censored_median(v, name)) for v in views if name in v.result.milestones]
        if len(medians) < 2:
            continue
        lo = min(medians, key=lambda kv: kv[1])
        hi = max(medians, key=lambda kv: kv[1])
        if hi[1] - lo[1] <= 0:
            skipped.append(name)
            continue
        pairs.append(Pair(lo[0], hi[0], name, lo[1], hi[1], True))
    by_key = {v.key: v for v in views}
    a, b = always
    if a in by_key and b in by_key and FOCUS in by_key[a].result.milestones:
        if not any({p.a, p.b} == {a, b} and p.milestone == FOCUS for p in pairs):
            ma, mb = censored_median(by_key[a], FOCUS), censored_median(by_key[b], FOCUS)
            pairs.append(Pair(a, b, FOCUS, ma, mb, False))
    return pairs, skipped


def check_cruxes_samples(n_samples: int) -> int:
    """``--cruxes-samples`` as an int in [MIN_CRUXES_SAMPLES, MAX_CRUXES_SAMPLES]."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, int):
        raise ValidationError(f"--cruxes-samples: {n_samples!r} must be an integer")
    if not MIN_CRUXES_SAMPLES <= n_samples <= MAX_CRUXES_SAMPLES:
        raise ValidationError(
            f"--cruxes-samples: {n_samples} must be in [{MIN_CRUXES_SAMPLES}, "
            f"{MAX_CRUXES_SAMPLES}] (samples per hybrid worldview; default {CRUXES_SAMPLES})"
        )
    return n_samples


def sobol_base(n_samples: int) -> int:
    """Sobol base samples for ``--cruxes-samples N``: the largest power of two <= N, >= 16."""
    return max(MIN_CRUXES_SAMPLES, 1 << (int(n_samples).bit_length() - 1))


def growth_span(view) -> str:
    """The sensitivity's GWP-growth span: the start year to 2050 (or the end year if sooner)."""
    s = view.scenario.settings
    return f"{int(s.start_year)}-{int(min(2050, s.end_year))}"


def run_cruxes(
    views,
    n_samples: int = CRUXES_SAMPLES,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int, str, int, int], None] | None = None,
) -> Cruxes:
    """Attributions of :func:`furthest_pairs` and each sampled view's Sobol indices.

    ``progress(step, steps, label, done, total)``: analysis ``step`` of ``steps`` has
    simulated ``done`` of ``total`` runs. An analysis the cruxes refuse (e.g. a hybrid
    that breaks a constraint between parameters) is reported with its message instead
    of stopping the report.
    """
    from takeoff.cruxes.attribution import attribute
    from takeoff.cruxes.sensitivity import input_groups, sensitivity
    from takeoff.report.economy import is_deterministic

    started = time.perf_counter()
    pairs, skipped = furthest_pairs(views)
    by_key = {v.key: v for v in views}
    sampled = [v for v in views if not is_deterministic(v.result)]
    # One attribution per pair of views, for all its milestones at once (the hybrids are
    # simulated once; each milestone is a metric of the same runs).
    by_pair: dict[tuple[str, str], list] = {}
    for pair in pairs:
        by_pair.setdefault((pair.a, pair.b), []).append(pair)
    steps = len(by_pair) + len(sampled)
    out = Cruxes(n_samples, sobol_base(n_samples), seed, skipped=skipped)

    def report(step: int, label: str):
        def update(done: int, total: int) -> None:
            if progress is not None:
                progress(step, steps, label, done, total)

        update(0, 1)
        return update

    results: dict[int, tuple] = {}
    for step, ((a, b), group) in enumerate(by_pair.items()):
        label = f"cruxes {a} vs {b} ({len(group)} milestones)"
        try:
            atts = attribute(
                by_key[a].scenario,
                by_key[b].scenario,
                [pair.milestone for pair in group],
                "median",
                n_samples=n_samples,
                seed=seed,
                workers=workers,
                progress=report(step, label),
            )
            results.update({id(pair): (pair, atts[pair.milestone], None) for pair in group})
        except TakeoffError as exc:
            results.update({id(pair): (pair, None, str(exc)) for pair in group})
    out.attributions.extend(results[id(pair)] for pair in pairs)
    for view in views:
        if is_deterministic(view.result):
            out.sensitivities[view.key] = (None, "deterministic: no sampled parameters")
            continue
        groups = input_groups(view.scenario)
        if len(groups) == 1:  # nothing to apportion (and SALib reads one group as none)
            out.sensitivities[view.key] = (
                None,
                f"one group of sampled parameters ({groups[0].name}): it carries all the "
                "variance (S1 = ST = 1)",
            )
            continue
        index = len(by_pair) + sampled.index(view)
        try:
            sens = sensitivity(
                view.scenario,
                FOCUS,
                growth_span(view),
                n_base=out.n_base,
                seed=seed,
                workers=workers,
                progress=report(index, f"sensitivity {view.key}"),
            )
            out.sensitivities[view.key] = (sens, None)
        except TakeoffError as exc:
            out.sensitivities[view.key] = (None, str(exc))
    if progress is not None:
        progress(steps, steps, "done", 1, 1)
    out.seconds = time.perf_counter() - started
    return out


def report_analyses(views, seed: int, workers: int, cruxes_samples: int | None, bar):
    """The report's extra runs on a Rich progress ``bar``: the economy pass of every view
    (stored in ``view.economy``), then, unless ``cruxes_samples`` is None, the crux
    analyses, which are returned (else None). One worker pool serves the economy pass."""
    from rich.markup import escape

    from takeoff.parallel import worker_pool
    from takeoff.report.economy import run_economy

    overall = bar.add_task("economy and constraints", total=len(views))
    current = bar.add_task(escape(f"  {views[0].key}"), total=None)
    with worker_pool(workers) as pool:
        for index, view in enumerate(views):

            def progress(done: int, total: int, index=index, key=view.key) -> None:
                bar.update(overall, completed=index + done / total)
                bar.update(current, completed=done, total=total, description=escape(f"  {key}"))

            view.economy = run_economy(view, workers=workers, pool=pool, progress=progress)
    if cruxes_samples is None:
        return None
    bar.update(overall, description="cruxes", completed=0, total=None)

    def crux_progress(step: int, steps: int, label: str, done: int, total: int) -> None:
        bar.update(overall, completed=step + done / max(total, 1), total=steps)
        bar.update(current, completed=done, total=total, description=escape(f"  {label}"))

    return run_cruxes(views, cruxes_samples, seed, workers, crux_progress)
