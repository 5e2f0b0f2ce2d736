"""Run several worldviews through the Monte Carlo and compare them (``takeoff compare``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text

from takeoff.errors import ValidationError
from takeoff.evidence.whatif import WHAT_IFS, what_if_table
from takeoff.parallel import using_client, worker_pool
from takeoff.scenarios.loader import Scenario, builtin_names, load_scenario
from takeoff.uncertainty.montecarlo import MCResult, run_mc

# Milestones shown as "median [p10–p90]" rows, in rough order of arrival.
KEY_MILESTONES = (
    "automated_coder",
    "country_of_geniuses",
    "automated_20pct",
    "remote_work_automated",
    "automated_100pct",
    "explosive_growth",
)
# (milestone, year) rows of P(milestone reached by year).
KEY_PROBABILITIES = (
    ("country_of_geniuses", 2030),
    ("automated_coder", 2030),
    ("automated_100pct", 2035),
    ("automated_100pct", 2040),
    ("automated_100pct", 2050),
    ("explosive_growth", 2040),
    ("explosive_growth", 2050),
    ("explosive_growth", 2100),
)


@dataclass
class Worldview:
    """One compared worldview: its scenario and Monte Carlo result (and, for the report,
    the economy pass of :mod:`takeoff.report.economy`)."""

    key: str
    scenario: Scenario
    result: MCResult
    economy: Any = None
    #: ``takeoff.evidence.whatif.what_if_table`` of the view (None: none defined for it).
    what_if: dict | None = None

    @cached_property
    def summary(self) -> dict[str, dict]:
        return self.result.milestone_summary()

    @property
    def title(self) -> str:
        return self.scenario.title or self.scenario.name

    @cached_property
    def deterministic(self) -> bool:
        """No parameter varies across samples: one run, repeated (a year, not a range)."""
        return all(np.ptp(np.asarray(v)) == 0 for v in self.result.sampled.values())


def default_worldviews() -> list[str]:
    """Every built-in scenario except ``default`` (or ``default`` if it is the only one)."""
    names = [n for n in builtin_names() if n != "default"]
    return names or builtin_names()


def load_worldviews(names: list[str] | None) -> list[tuple[str, Scenario]]:
    """Load each name or TOML path; keys are scenario names, made unique."""
    names = list(names) if names else default_worldviews()
    if not names:
        raise ValidationError("compare: no worldviews given and no built-in scenarios found")
    out: list[tuple[str, Scenario]] = []
    seen: set[str] = set()
    for name in names:
        scenario = load_scenario(name)
        key, i = scenario.name, 2
        while key in seen:
            key, i = f"{scenario.name}-{i}", i + 1
        seen.add(key)
        out.append((key, scenario))
    return out


def run_worldviews(
    loaded: list[tuple[str, Scenario]],
    n_samples: int,
    seed: int,
    progress: Callable[[int, int, int], None] | None = None,
    workers: int = 1,
    client: Any = None,
) -> list[Worldview]:
    """Monte Carlo of each worldview with the same seed; ``progress(view, done, total)``.

    ``workers`` processes (started once for all worldviews) share each worldview's
    chunks (``takeoff.parallel``); ``client`` (a ``distributed.Client``) runs them on
    that Dask cluster instead. The numbers are the same either way.
    """
    views = []
    with using_client(client), worker_pool(workers) as pool:
        for index, (key, scenario) in enumerate(loaded):
            callback = None
            if progress is not None:

                def callback(done, total, index=index):
                    progress(index, done, total)

            # The what-if table reweights the view's own samples, so it needs their
            # trajectories for as long as it takes to compute it.
            what_ifs = scenario.name in WHAT_IFS and bool(scenario.distributions)
            result = run_mc(
                scenario,
                n_samples,
                seed,
                progress=callback,
                workers=workers,
                pool=pool,
                keep_trajectories=what_ifs,
            )
            table = what_if_table(result) if what_ifs else None
            result.trajectories = None
            views.append(Worldview(key, scenario, result, what_if=table))
    return views


def _year(value, end_year: float) -> str:
    return f">{end_year:.0f}" if value is None else f"{value:.0f}"


def milestone_cell(view: Worldview, name: str, sep: str = " ") -> str:
    """'median [p10–p90]' in whole years ('>2100' beyond the end year), the single year
    of a deterministic view, '—' if the milestone is not defined."""
    s = view.summary.get(name)
    if s is None:
        return "—"
    end = view.result.end_year
    if view.deterministic:  # every sample is the same run: one year, no interval
        return _year(s["p50"], end)
    if s["p10"] is None:  # not even 10% of samples reach it
        return f">{end:.0f}"
    return f"{_year(s['p50'], end)}{sep}[{_year(s['p10'], end)}–{_year(s['p90'], end)}]"


def probability_cell(view: Worldview, name: str, year: int) -> str:
    """P(reached by year) in %; for a deterministic view 'yes'/'no' (it is not a probability)."""
    s = view.summary.get(name)
    value = None if s is None else s["prob_by"].get(str(year))
    if value is None:
        return "—"
    if view.deterministic:
        return "yes" if value >= 0.5 else "no"
    return f"{100 * value:.0f}%"


def sampling_cell(view: Worldview) -> str:
    """How a view was run: 'deterministic' or its number of samples."""
    return "deterministic" if view.deterministic else f"{view.result.n_samples:,} samples"


def comparison_rows(views: list[Worldview], sep: str = " ") -> list[tuple[str, list[str]]]:
    """(label, one cell per worldview) for the side-by-side table; ``sep`` splits year cells."""
    rows = [("Monte Carlo", [sampling_cell(v) for v in views])]
    rows += [
        (f"{name}:{sep}median [p10–p90]", [milestone_cell(v, name, sep) for v in views])
        for name in KEY_MILESTONES
    ]
    rows += [
        (f"P({name} by {year})", [probability_cell(v, name, year) for v in views])
        for name, year in KEY_PROBABILITIES
    ]
    return rows


def end_marks(views: list[Worldview]) -> str:
    """How a year beyond the simulation is written in the tables: '>2100' (each view's
    end year when they differ)."""
    ends = sorted({f">{v.result.end_year:.0f}" for v in views})
    return " / ".join(ends) if ends else ">END"


def table_legend(views: list[Worldview]) -> str:
    """The tables' legend, in the same notation as their cells."""
    text = (
        f"Years: median [10th–90th percentile] across samples; {end_marks(views)}: fewer than "
        "that share of samples reach the milestone by the end year."
    )
    if any(v.deterministic for v in views):
        text += (
            " Deterministic views (no sampled parameters) show their one run's year, "
            "and yes/no instead of a probability."
        )
    return text


def compare_table(views: list[Worldview]) -> Table:
    n = views[0].result.n_samples if views else 0
    seed = views[0].result.seed if views else 0
    table = Table(
        title=f"Worldviews compared ({n:,} samples each, seed {seed})",
        caption=table_legend(views),
    )
    table.add_column("", no_wrap=True)
    for view in views:
        header = view.key.replace("-", "-\n") if len(view.key) > 12 else view.key
        table.add_column(Text(header), justify="right", overflow="fold")
    # Two lines per milestone row keep six worldviews within 120 columns.
    for label, cells in comparison_rows(views, sep="\n"):
        table.add_row(Text(label), *(Text(c) for c in cells))  # Text: no markup parsing
    return table


def compare_json(views: list[Worldview]) -> dict:
    """The documented JSON shape of ``takeoff compare --json``."""
    first = views[0].result
    return {
        "n_samples": int(first.n_samples),
        "seed": int(first.seed),
        "worldviews": {
            v.key: {
                "scenario": v.scenario.name,
                "title": v.title,
                "end_year": float(v.result.end_year),
                "sampled_parameters": sorted(v.result.sampled),
                "milestones": v.summary,
                "what_if": v.what_if,
            }
            for v in views
        },
    }
