""" "What would change your mind": each worldview's headline milestone under hypothetical
observations its speakers named (``takeoff update NAME --what-if``, the report).

Every case reweights one Monte Carlo of the worldview (``update.reweight``), so a table
costs one Monte Carlo however many cases it has. A case whose observations leave too
small an effective sample size is shown as such rather than with a noisy median.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from takeoff.errors import ValidationError
from takeoff.evidence.likelihood import weighted_year_summary
from takeoff.evidence.observables import parse_observation
from takeoff.evidence.update import DEFAULT_MIN_ESS, reweight
from takeoff.uncertainty.montecarlo import BY_YEARS, MCResult


@dataclass(frozen=True)
class WhatIfCase:
    label: str
    observations: tuple[str, ...]  # SERIES=VALUE@YEAR[±SD], as on the command line


@dataclass(frozen=True)
class WhatIfSet:
    """Hypothetical observations a worldview cares about, and the milestone they move."""

    milestone: str
    source: str
    cases: tuple[WhatIfCase, ...]


#: The METR horizon at the start of 2026 (parameters.toml, metr_horizon_2026).
_HORIZON_2026 = 320.0


def _horizon_in_2028(doubling_months: float) -> str:
    """The METR horizon at 2028.0 if it doubles every ``doubling_months`` from 2026.0."""
    return f"time_horizon_minutes={_HORIZON_2026 * 2 ** (24 / doubling_months):.0f}@2028"


WHAT_IFS: dict[str, WhatIfSet] = {
    "besiroglu-erdil": WhatIfSet(
        "remote_work_automated",
        "seed 000 (Besiroglu): OpenAI revenue of $500B would move him a lot, $100B would not; "
        "the seed names no year, 2030 is used",
        (
            WhatIfCase("OpenAI revenue $100B in 2030", ("openai_revenue=100B@2030",)),
            WhatIfCase("OpenAI revenue $500B in 2030", ("openai_revenue=500B@2030",)),
            WhatIfCase("OpenAI revenue $30B in 2030", ("openai_revenue=30B@2030",)),
        ),
    ),
    "amodei": WhatIfSet(
        "country_of_geniuses",
        "seed 003 (Amodei): his confidence rests on revenue growing ~10x a year and on the "
        "compute build-out (~100 GW by 2028)",
        (
            WhatIfCase("AI revenue grows 10x in 2027", ("ai_revenue_growth=10@2027",)),
            WhatIfCase("AI revenue grows 3x in 2027", ("ai_revenue_growth=3@2027",)),
            WhatIfCase("100 GW of AI power in 2028", ("power_gw=100@2028",)),
            WhatIfCase("40 GW of AI power in 2028", ("power_gw=40@2028",)),
        ),
    ),
    "software-explosion": WhatIfSet(
        "automated_coder",
        "seed 000 and METR: the 50% time horizon doubles about every 7 months; a faster or "
        "slower doubling is the software-explosion view's leading indicator",
        (
            WhatIfCase("METR horizon doubles every 4 months to 2028", (_horizon_in_2028(4),)),
            WhatIfCase("METR horizon doubles every 7 months to 2028", (_horizon_in_2028(7),)),
            WhatIfCase("METR horizon doubles every 12 months to 2028", (_horizon_in_2028(12),)),
        ),
    ),
    "ftm": WhatIfSet(
        "automated_100pct",
        "FTM (Davidson 2023): AI revenue is the signal of how much of the economy AI can do",
        (
            WhatIfCase("AI revenue $300B in 2028", ("ai_revenue=300B@2028",)),
            WhatIfCase("AI revenue $3T in 2028", ("ai_revenue=3T@2028",)),
        ),
    ),
    "baumol-skeptic": WhatIfSet(
        "automated_50pct",
        "Baumol (1967): bottlenecked sectors hold growth back; a year of 5% world growth "
        "would be the first sign they do not",
        (
            WhatIfCase("World growth 5% in 2035", ("gwp_growth=0.05@2035",)),
            WhatIfCase("World growth 3% in 2035", ("gwp_growth=0.03@2035",)),
        ),
    ),
}


def what_if_set(scenario: str) -> WhatIfSet:
    try:
        return WHAT_IFS[scenario]
    except KeyError:
        raise ValidationError(
            f"what-if: no hypothetical observations are defined for {scenario!r}; "
            f"defined for {', '.join(WHAT_IFS)} (or give your own observations)"
        ) from None


def what_if_table(
    mc: MCResult, cases=None, milestone: str | None = None, min_ess: float = DEFAULT_MIN_ESS
) -> dict:
    """Prior and per-case posterior of the headline milestone for ``mc``'s worldview.

    ``mc`` must keep its trajectories; ``cases`` and ``milestone`` default to the
    worldview's :data:`WHAT_IFS` entry. Each row: label, observations, ESS, posterior
    p10/p50/p90, P(by 2040), and the median's shift from the prior in years (None when
    either median is not reached by the end year).
    """
    chosen = what_if_set(mc.scenario) if cases is None else None
    milestone = milestone or chosen.milestone
    cases = cases if cases is not None else chosen.cases
    if milestone not in mc.milestones:
        raise ValidationError(f"what-if: unknown milestone {milestone!r}")
    years = mc.milestones[milestone]
    prior = weighted_year_summary(years, np.full(years.size, 1 / years.size), mc.end_year, BY_YEARS)
    rows = []
    for case in cases:
        observations = [parse_observation(text) for text in case.observations]
        row = {"label": case.label, "observations": list(case.observations)}
        try:
            result = reweight(mc, observations, min_ess=min_ess)
        except ValidationError as exc:
            row.update(ess=None, posterior=None, shift_years=None, note=str(exc))
            rows.append(row)
            continue
        posterior = weighted_year_summary(years, result.weights, mc.end_year, BY_YEARS)
        shift = (
            None
            if prior["p50"] is None or posterior["p50"] is None
            else round(posterior["p50"] - prior["p50"], 2)
        )
        row.update(ess=round(result.ess, 1), posterior=posterior, shift_years=shift, note="")
        rows.append(row)
    return {
        "scenario": mc.scenario,
        "milestone": milestone,
        "samples": mc.n_samples,
        "source": chosen.source if chosen is not None else "",
        "prior": prior,
        "cases": rows,
    }
