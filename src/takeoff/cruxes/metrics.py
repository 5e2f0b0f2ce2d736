"""What a crux analysis measures: one number per worldview from its Monte Carlo samples.

Every metric is an aggregate ``v = agg_i q_i`` of a per-sample quantity ``q_i``:

- ``median``: q_i is the year sample i reaches the milestone, *censored* at the end year
  (a sample that never reaches it counts as the end year, e.g. 2100); v is the median of
  q. When half the samples or more never reach the milestone, v is the end year: a floor
  on the true median, and the reports say so (``censored`` share).
- ``prob-by:YEAR``: q_i = 1 if the milestone is reached by YEAR, else 0; v = mean q, the
  probability (shown in percentage points).
- ``mean-growth:Y0-Y1``: q_i = 100 ln(GWP_i(Y1) / GWP_i(Y0)) / (Y1 - Y0), sample i's
  average exponential growth rate in %/yr; v = mean q. Log growth keeps a sample whose
  GWP hits the model's cap finite and bounded.

A metric also says how far the model must run (``horizon``): to YEAR + 1 (prob-by) or Y1
(mean-growth), which saves the steps after it; to the end year for the median (where
:mod:`takeoff.cruxes.hybrids` stops early when that is exact).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from takeoff.errors import ValidationError, brief
from takeoff.model.engine.milestones import default_milestones

KINDS = ("median", "prob-by:YEAR", "mean-growth:Y0-Y1")
_PROB = re.compile(r"prob-by:([0-9]{4})")
_GROWTH = re.compile(r"mean-growth:([0-9]{4})-([0-9]{4})")


@dataclass(frozen=True)
class Metric:
    """A parsed metric; ``milestone`` is unused by ``mean-growth``."""

    kind: str  # "median", "prob-by" or "mean-growth"
    milestone: str
    year: int | None = None  # prob-by
    span: tuple[int, int] | None = None  # mean-growth

    @property
    def label(self) -> str:
        if self.kind == "median":
            return f"median year of {self.milestone}"
        if self.kind == "prob-by":
            return f"P({self.milestone} by {self.year})"
        return f"mean GWP growth {self.span[0]}-{self.span[1]}"

    @property
    def unit(self) -> str:
        return {"median": "years", "prob-by": "pp", "mean-growth": "%/yr"}[self.kind]

    @property
    def scale(self) -> float:
        """Factor from the metric's value to its displayed unit (probabilities in pp)."""
        return 100.0 if self.kind == "prob-by" else 1.0

    def horizon(self, start_year: float, end_year: float, dt: float) -> float:
        """The last year the model must simulate: the end year, or the first step at or
        after YEAR + 1 (prob-by) or Y1 (mean-growth)."""
        if self.kind == "median":
            return end_year
        # A year more for prob-by: the one-year growth window behind explosive_growth is
        # centred, so a milestone near YEAR depends on the half year after it.
        last = self.year + 1 if self.kind == "prob-by" else self.span[1]
        steps = math.ceil((last - start_year) / dt - 1e-9)
        return min(end_year, start_year + steps * dt)

    def check(self, start_year: float, end_year: float) -> None:
        """The years must lie in the simulated span."""
        if self.kind == "prob-by" and not start_year < self.year <= end_year:
            raise ValidationError(
                f"--metric prob-by:{self.year}: the year must be in ({start_year:g}, {end_year:g}]"
            )
        if self.kind == "mean-growth":
            y0, y1 = self.span
            if not start_year <= y0 < y1 <= end_year:
                raise ValidationError(
                    f"--metric mean-growth:{y0}-{y1}: need {start_year:g} <= Y0 < Y1 <= "
                    f"{end_year:g}"
                )

    def observe(self, result) -> np.ndarray:
        """The per-sample quantity q (n,) from a :class:`takeoff.api.Result`."""
        end = float(result.settings.end_year) if self.kind == "median" else math.inf
        if self.kind == "mean-growth":
            y0, y1 = self.span
            gwp = result.series["gwp"]
            g0, g1 = gwp[_row(result.years, y0)], gwp[_row(result.years, y1)]
            return 100.0 * np.log(g1 / g0) / (y1 - y0)
        years = result.milestones[self.milestone]
        if self.kind == "prob-by":
            return (years <= self.year).astype(float)  # NaN (never) compares False
        return np.where(np.isnan(years), end, years)

    def aggregate(self, values: np.ndarray, axis: int = -1) -> np.ndarray:
        """v from the per-sample quantities along ``axis``."""
        if self.kind == "median":
            return np.median(values, axis=axis)
        return np.mean(values, axis=axis)

    def fmt(self, value: float) -> str:
        """A value of the metric, in its displayed unit."""
        if self.kind == "median":
            return f"{value:.1f}"
        if self.kind == "prob-by":
            return f"{100 * value:.0f}%"
        return f"{value:.2f}%/yr"

    def fmt_delta(self, delta: float) -> str:
        """A difference of two values, signed, in the displayed unit."""
        return f"{self.scale * delta:+.2f} {self.unit}"


def _row(years: np.ndarray, year: int) -> int:
    rows = np.flatnonzero(np.isclose(years, year, atol=1e-6))
    if rows.size == 0:
        raise ValidationError(f"--metric: year {year} is not on the output grid")
    return int(rows[0])


def check_milestone(name: str, option: str = "--milestone") -> str:
    """``name`` if it is a known milestone, else a ValidationError listing them."""
    known = default_milestones()
    if name not in known:
        raise ValidationError(
            f"{option}: unknown milestone {brief(name, 40)}; choose from {', '.join(known)}"
        )
    return name


def parse_metric(text: str, milestone: str) -> Metric:
    """``median``, ``prob-by:YEAR`` or ``mean-growth:Y0-Y1`` for ``milestone``."""
    check_milestone(milestone)
    text = text.strip()
    if text == "median":
        return Metric("median", milestone)
    if match := _PROB.fullmatch(text):
        return Metric("prob-by", milestone, year=int(match[1]))
    if match := _GROWTH.fullmatch(text):
        return Metric("mean-growth", milestone, span=(int(match[1]), int(match[2])))
    raise ValidationError(
        f"--metric: {brief(text, 40)} is not one of {', '.join(KINDS)} "
        "(e.g. median, prob-by:2035, mean-growth:2026-2050)"
    )
