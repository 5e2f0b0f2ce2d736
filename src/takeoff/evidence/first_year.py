"""A worldview's first year against what was observed just before it (2025-2026).

The model starts in 2026 from observed values; its first year's AI revenue is the earliest
output that an observation can contradict. Two checks, on a Monte Carlo's samples:

* **growth**: the median of R(2027) / R(2026), R the AI revenue (``ai_revenue``), lies
  within a factor ``FACTOR`` of the two largest labs' observed 2025 -> 2026 growth (OpenAI
  slowest, Anthropic fastest; ``takeoff data``);
* **start**: at least ``START_SHARE`` of the samples start with R(2026) of at least half
  the two labs' 2026 run rates together (a floor, since other firms earn too).

``tests/evidence/test_worldviews_2026.py`` runs both on every built-in worldview; the
report shows them (``takeoff compare --report``, section "Checked against 2025-2026").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from takeoff.data.observations import load_observations

#: The labs whose run rates are observed at 2025.0 and 2026.0.
LABS = ("ai_revenue_openai", "ai_revenue_anthropic")
#: The model's first-year growth may differ from the observed range by this factor.
FACTOR = 2.0
#: Share of samples that must start with at least half the labs' run rates.
START_SHARE = 0.98
#: The start year the checks are for (the observations are those just before it).
START_YEAR = 2026.0


@dataclass(frozen=True)
class Observed:
    slowest_growth: float  # x per year, 2025.0 -> 2026.0
    fastest_growth: float
    labs_run_rate: float  # $/yr at 2026.0, the labs together


@dataclass(frozen=True)
class FirstYear:
    revenue_2026_median: float
    growth_median: float
    share_started: float  # samples with R(2026) >= half the labs' run rates
    growth_ok: bool
    start_ok: bool


@cache
def observed() -> Observed:
    """The labs' 2025 -> 2026 revenue growth (slowest, fastest) and 2026 run rates (the
    bundled observations, read once)."""
    rows = load_observations()
    growth, at_2026 = [], 0.0
    for lab in LABS:
        by_year = rows[rows["series"] == lab].groupby("year")["value"]
        growth.append(by_year.min()[START_YEAR] / by_year.min()[START_YEAR - 1.0])
        at_2026 += by_year.max()[START_YEAR]
    return Observed(min(growth), max(growth), at_2026)


def first_year(revenue_2026: np.ndarray, revenue_2027: np.ndarray) -> FirstYear:
    """Both checks on per-sample AI revenue at 2026.0 and 2027.0 ($/yr)."""
    seen = observed()
    # No revenue in 2026: growth is infinite if some follows, nil if none does.
    ratio = np.where(revenue_2027 > 0, np.inf, 0.0)
    np.divide(revenue_2027, revenue_2026, out=ratio, where=revenue_2026 > 0)
    growth = float(np.median(ratio))
    share = float(np.mean(revenue_2026 >= seen.labs_run_rate / 2.0))
    return FirstYear(
        revenue_2026_median=float(np.median(revenue_2026)),
        growth_median=growth,
        share_started=share,
        growth_ok=seen.slowest_growth / FACTOR <= growth <= seen.fastest_growth * FACTOR,
        start_ok=share >= START_SHARE,
    )
