"""Backtest: start the model in 2020 or 2022 from what was known then, run it to 2026, and
compare it with every observation made after the start (issue 13; docs/evidence.md).

For each worldview the model starts from :func:`takeoff.evidence.initial.initial_conditions`
(the worldview's other parameters unchanged; 2026-relative units converted, see
:meth:`InitialConditions.apply`) and runs to ``end``. For every observation ``i`` with
``start < year_i <= end`` the model value ``m_i`` is the series at ``year_i`` (log-linear
interpolation between steps; for ``running_max`` series the running maximum up to then),
and the error in log points is

    e_i = ln(m_i / v_i),   v_i = observed value,

with ``agrees`` the dataset's own test (:func:`takeoff.data.observations.agrees`: interval
widened by the series' tolerance; lower bounds only below). With ``samples > 0`` the
worldview's distributions are sampled and ``m_i`` is the median over samples, with a 90%
band; with ``samples = 0`` one run at the medians. Per series the summary gives the mean
absolute log error ``mean |e_i|`` (for ``lower_bound`` series only a shortfall counts as
a miss: ``mean max(0, -e_i)``), the mean signed error and the share that agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.evidence.initial import InitialConditions, initial_conditions

#: Start years a backtest accepts (at least one year of observations must follow).
START_YEARS = (2020, 2025)
DEFAULT_END = 2026.5
DT = 0.1
BAND = (0.05, 0.5, 0.95)
MAX_SAMPLES = 2000


@dataclass(frozen=True)
class Backtest:
    """Model against observations, per worldview, for one start year."""

    start: int
    end: float
    samples: int
    initial: InitialConditions
    rows: pd.DataFrame  # one row per (scenario, observation)
    paths: dict[str, dict[str, np.ndarray]] = field(repr=False)  # scenario -> series -> (3, T)
    years: np.ndarray = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """Per worldview and observed series: n, mean |e| (misses), mean e, share agreeing."""
        frame = self.rows.assign(
            miss=np.where(
                self.rows["comparison"] == "lower_bound",
                np.maximum(0.0, -self.rows["log_error"]),
                self.rows["log_error"].abs(),
            )
        )
        grouped = frame.groupby(["scenario", "series"], sort=False)
        return pd.DataFrame(
            {
                "n": grouped.size(),
                "mean_abs_log_error": grouped["miss"].mean(),
                "mean_log_error": grouped["log_error"].mean(),
                "agree_share": grouped["agrees"].mean(),
            }
        ).reset_index()

    def wide_markdown(self) -> str:
        """Observed series x worldview: "mean |e| (mean e)" in log points, as Markdown."""
        summary = self.summary()
        views = list(dict.fromkeys(summary["scenario"]))
        cell = summary.assign(
            text=[
                f"{a:.2f} ({m:+.2f})"
                for a, m in zip(
                    summary["mean_abs_log_error"], summary["mean_log_error"], strict=True
                )
            ]
        ).pivot(index="series", columns="scenario", values="text")
        order = list(dict.fromkeys(summary["series"]))
        counts = summary.groupby("series")["n"].first()
        lines = [
            "| observed series | n | " + " | ".join(views) + " |",
            "|---|---:|" + "---:|" * len(views),
        ]
        for s in order:
            lines.append(
                f"| {s} | {counts[s]} | " + " | ".join(cell.at[s, v] for v in views) + " |"
            )
        return "\n".join(lines) + "\n"

    def to_markdown(self, detail: bool = True) -> str:
        """Summary table (and, with ``detail``, one row per observation) as Markdown."""
        lines = [
            f"Backtest from {self.start} (data published by {self.initial.known_by.date()}) "
            f"to {self.end:g}, {'deterministic' if not self.samples else f'{self.samples} samples'}",
            "",
            "| worldview | observed series | n | mean abs log error | mean log error | agree |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for r in self.summary().itertuples():
            lines.append(
                f"| {r.scenario} | {r.series} | {r.n} | {r.mean_abs_log_error:.2f} | "
                f"{r.mean_log_error:+.2f} | {r.agree_share:.0%} |"
            )
        if detail:
            lines += [
                "",
                "| worldview | observed series | year | observed | low – high | model | "
                "log error | agrees |",
                "|---|---|---:|---:|---|---:|---:|---|",
            ]
            for r in self.rows.itertuples():
                band = (
                    f" ({r.model_low:.3g}–{r.model_high:.3g})"
                    if self.samples and r.model_low != r.model_high
                    else ""
                )
                lines.append(
                    f"| {r.scenario} | {r.series} | {r.year:.2f} | {r.observed:.3g} | "
                    f"{r.low:.3g} – {r.high:.3g} | {r.model:.3g}{band} | {r.log_error:+.2f} | "
                    f"{'yes' if r.agrees else 'no'} |"
                )
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- running


def check_start(start: Any) -> int:
    low, high = START_YEARS
    if (
        isinstance(start, bool)
        or not isinstance(start, int | float | np.integer | np.floating)
        or not (np.isfinite(start) and float(start).is_integer() and low <= start <= high)
    ):
        raise ValidationError(f"start: {start!r} must be a whole year in [{low}, {high}]")
    return int(start)


def _check_end(end: Any, start: int) -> float:
    steps = (end - start) / DT if isinstance(end, int | float) else float("nan")
    if not (np.isfinite(steps) and start < end <= 2030 and abs(steps - round(steps)) < 1e-6):
        raise ValidationError(
            f"end: {end!r} must be after the start {start} and at most 2030, a multiple of "
            f"{DT} years after it"
        )
    return float(end)


def start_scenario(scenario, start: int, end: float):
    """The scenario (name, path or :class:`Scenario`) with its run set to ``start``-``end``."""
    from takeoff.scenarios.loader import Scenario, load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return scenario.with_settings(
        start_year=float(start), end_year=end, dt=DT, output_step=None, backend="numpy"
    )


def run_from(
    scenario, initial: InitialConditions, end: float, samples: int = 0, seed: int = 0
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(years, series) of ``scenario`` started from ``initial``; series are (T, n)."""
    from takeoff.api import run_parameters
    from takeoff.params.schema import build_parameters
    from takeoff.uncertainty.montecarlo import sample_scenario

    scenario = start_scenario(scenario, initial.year, end)
    if samples and scenario.distributions:
        values, _ = sample_scenario(scenario, samples, seed)
    else:
        values = scenario.point_values()
    params = build_parameters(initial.apply(values), where=f"{scenario.name} from {initial.year}")
    result = run_parameters(params, scenario, milestones={})
    return result.years, result.series


def model_at(
    years: np.ndarray, series: np.ndarray, at: np.ndarray, running_max: np.ndarray
) -> np.ndarray:
    """Model values (len(at), n): ln-linear interpolation of ``series`` (len(at), T, n), one
    (T, n) path per point, at ``at``; points flagged ``running_max`` use the running maximum
    of their path up to then."""
    levels = np.where(
        np.asarray(running_max)[:, None, None], np.maximum.accumulate(series, axis=1), series
    )
    logs = np.log(np.maximum(levels, 1e-300))  # (k, T, n)
    position = np.interp(at, years, np.arange(years.size))
    lo = np.floor(position).astype(int)
    hi = np.minimum(lo + 1, years.size - 1)
    w = (position - lo)[:, None]
    k = np.arange(len(at))
    return np.exp((1 - w) * logs[k, lo] + w * logs[k, hi])


def backtest(
    start: int = 2020,
    scenarios: Sequence[Any] = ("default",),
    *,
    end: float = DEFAULT_END,
    samples: int = 0,
    seed: int = 0,
    known_by: Any = None,
    initial: InitialConditions | None = None,
) -> Backtest:
    """Run each worldview from ``start`` and compare it with the later observations.

    ``initial`` replaces the start state that ``initial_conditions(start, known_by=known_by)``
    gives (its year must be ``start``), e.g. one with a value changed
    (:mod:`takeoff.evidence.look_ahead`)."""
    from takeoff.data.observations import agrees, series_mapping

    start = check_start(start)
    end = _check_end(end, start)
    if isinstance(samples, bool) or not isinstance(samples, int) or not 0 <= samples <= MAX_SAMPLES:
        raise ValidationError(f"samples: {samples!r} must be an integer in [0, {MAX_SAMPLES}]")
    if isinstance(scenarios, str) or not scenarios:
        raise ValidationError("scenarios: give a non-empty list of scenario names or paths")
    if initial is None:
        initial = initial_conditions(start, known_by=known_by)
    elif initial.year != start:
        raise ValidationError(f"initial: a start in {initial.year}, not {start}")
    mapping = series_mapping()
    from takeoff.evidence.start_builder import observations

    obs = observations()
    obs = obs[(obs["year"] > start) & (obs["year"] <= end)].reset_index(drop=True)
    kinds = obs["series"].map(lambda s: mapping[s].comparison)
    model_series = obs["series"].map(lambda s: mapping[s].model_series)
    frames, paths, years = [], {}, None
    for scenario in scenarios:
        years, series = run_from(scenario, initial, end, samples, seed)
        name = _scenario_name(scenario)
        values = np.stack(
            [
                model_at(years, series[m][None], np.array([y]), np.array([k == "running_max"]))[0]
                for m, y, k in zip(model_series, obs["year"], kinds, strict=True)
            ]
        )
        low, median, high = np.quantile(values, BAND, axis=1)
        paths[name] = {m: np.quantile(series[m], BAND, axis=1) for m in sorted(set(model_series))}
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "series": obs["series"],
                    "model_series": model_series,
                    "comparison": kinds,
                    "year": obs["year"],
                    "observed": obs["value"],
                    "low": obs["low"],
                    "high": obs["high"],
                    "model": median,
                    "model_low": low,
                    "model_high": high,
                    "log_error": np.log(median / obs["value"].to_numpy()),
                    "agrees": agrees(obs, median),
                    "published": obs["published"].dt.date.astype(str),
                    "source": obs["source"],
                }
            )
        )
    rows = pd.concat(frames, ignore_index=True)
    return Backtest(start, end, samples, initial, rows, paths, years)


def _scenario_name(scenario) -> str:
    from takeoff.scenarios.loader import Scenario

    return scenario.name if isinstance(scenario, Scenario) else str(scenario)
