"""Stated-vs-model rows for "what would change your mind" (issue 13, item 4).

Seed 000 (Besiroglu): OpenAI revenue of $500B "would move him a lot"; $100B "would not be
a big update" (he gives it ~40%). The seed names no year; 2030 is used (five years after
the April 2025 interview). Thresholds, on the median year of full remote-work
automation (his headline, ~2045):

* "a lot": the median moves by at least 3 years, more than half of the 5 years that
  separate his ~2045 from Ege Erdil's "~5 years earlier": enough to change which of the
  two is closer;
* "not a big update": it moves by less than 1.5 years, under a third of that gap.
"""

from __future__ import annotations

from functools import cache

import pytest

from takeoff.evidence.whatif import WHAT_IFS, what_if_table
from takeoff.uncertainty.montecarlo import run_mc

A_LOT, NOT_BIG = 3.0, 1.5


@cache
def table(scenario: str, samples: int = 2000) -> dict:
    return what_if_table(run_mc(scenario, samples, 0, keep_trajectories=True))


def case(scenario: str, label: str) -> dict:
    return next(row for row in table(scenario)["cases"] if row["label"] == label)


def test_500b_moves_tamay_a_lot():
    row = case("besiroglu-erdil", "OpenAI revenue $500B in 2030")
    assert row["ess"] >= 100
    assert row["shift_years"] <= -A_LOT, row


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="the model's revenue for this worldview is higher than Tamay's: P(OpenAI revenue "
    ">= $100B in 2030) is ~0.8 in the prior (OpenAI taken as 0.3 of AI revenue) where he gives "
    "~0.4, so $100B is a low outcome that delays the median by ~19 years (2,000 samples; 17.5 "
    "with 4,000; ~5 before the labs' capex plan followed returns: revenue now also sets the "
    "build-out after 2030)",
)
def test_100b_does_not_move_tamay_much():
    row = case("besiroglu-erdil", "OpenAI revenue $100B in 2030")
    assert abs(row["shift_years"]) < NOT_BIG, row


def test_amodei_cases_move_the_way_his_argument_says():
    """Slower revenue growth or build-out than he expects delays the country of
    geniuses; his own numbers barely move it."""
    shift = {row["label"]: row["shift_years"] for row in table("amodei")["cases"]}
    assert shift["AI revenue grows 3x in 2027"] > shift["AI revenue grows 10x in 2027"] + 1.0
    assert shift["40 GW of AI power in 2028"] > shift["100 GW of AI power in 2028"] + 0.5
    assert abs(shift["100 GW of AI power in 2028"]) < 1.0


def test_every_what_if_set_parses_and_names_a_milestone():
    from takeoff.evidence.observables import parse_observation
    from takeoff.scenarios.loader import load_scenario

    milestones = run_mc("amodei", 2, 0, end_year=2028).milestones
    for name, chosen in WHAT_IFS.items():
        load_scenario(name)
        assert chosen.milestone in milestones
        for what_if in chosen.cases:
            for text in what_if.observations:
                parse_observation(text)
