"""Which pairs of worldviews the report explains, and the crux options (no model runs)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from takeoff.errors import ValidationError
from takeoff.report.divergence import (
    MAX_CRUXES_SAMPLES,
    MIN_CRUXES_SAMPLES,
    censored_median,
    check_cruxes_samples,
    furthest_pairs,
    sobol_base,
)
from takeoff.report.economy import is_deterministic

NAN = np.nan


def view(key: str, end: float = 2100.0, **milestones) -> SimpleNamespace:
    result = SimpleNamespace(
        milestones={k: np.asarray(v, float) for k, v in milestones.items()}, end_year=end
    )
    return SimpleNamespace(key=key, result=result)


def test_censored_median_counts_never_as_the_end_year():
    assert censored_median(view("a", m=[2030, 2040, NAN]), "m") == 2040.0
    assert censored_median(view("a", m=[2030, NAN, NAN]), "m") == 2100.0
    assert censored_median(view("a", end=2070, m=[NAN, NAN, 2050]), "m") == 2070.0


def test_furthest_pair_per_milestone_earliest_first():
    views = [
        view("mid", m1=[2040, 2041, 2042], m2=[2030, 2031, 2032]),
        view("late", m1=[2060, 2061, 2062], m2=[2029, 2030, 2031]),
        view("early", m1=[2030, 2031, 2032], m2=[2050, NAN, NAN]),
    ]
    pairs, skipped = furthest_pairs(views, milestones=("m1", "m2"), always=("x", "y"))
    assert skipped == []
    assert [(p.a, p.b, p.milestone) for p in pairs] == [
        ("early", "late", "m1"),
        ("late", "early", "m2"),
    ]
    assert pairs[1].median_b == 2100.0  # early never reaches m2 in most samples
    assert all(p.furthest for p in pairs)


def test_no_pair_where_every_median_is_the_same():
    views = [view("a", m=[2030, 2031]), view("b", m=[2031, 2030]), view("c", n=[2040])]
    pairs, skipped = furthest_pairs(views, milestones=("m",), always=("x", "y"))
    assert pairs == [] and skipped == ["m"]


def test_amodei_vs_besiroglu_erdil_is_always_explained_once():
    focus = "automated_100pct"
    views = [
        view("amodei", automated_100pct=[2032, 2033]),
        view("besiroglu-erdil", automated_100pct=[2050, 2055]),
        view("baumol-skeptic", automated_100pct=[NAN, NAN]),
    ]
    pairs, _ = furthest_pairs(views, milestones=(focus,))
    assert [(p.a, p.b, p.furthest) for p in pairs] == [
        ("amodei", "baumol-skeptic", True),
        ("amodei", "besiroglu-erdil", False),
    ]
    # when they are the furthest pair already, they are not explained twice
    pairs, _ = furthest_pairs(views[:2], milestones=(focus,))
    assert [(p.a, p.b, p.furthest) for p in pairs] == [("amodei", "besiroglu-erdil", True)]
    # one of the two missing: nothing added
    pairs, _ = furthest_pairs(views[1:], milestones=())
    assert pairs == []


def test_sobol_base_is_the_largest_power_of_two_not_above_the_samples():
    assert [sobol_base(n) for n in (16, 17, 200, 256, 1000)] == [16, 16, 128, 256, 512]


@pytest.mark.parametrize("bad", [MIN_CRUXES_SAMPLES - 1, MAX_CRUXES_SAMPLES + 1, 2.5, True])
def test_cruxes_samples_out_of_range_is_refused_naming_the_option(bad):
    with pytest.raises(ValidationError, match="--cruxes-samples"):
        check_cruxes_samples(bad)
    assert check_cruxes_samples(MIN_CRUXES_SAMPLES) == MIN_CRUXES_SAMPLES


def test_deterministic_means_no_parameter_varies():
    assert is_deterministic(SimpleNamespace(sampled={}))
    assert is_deterministic(SimpleNamespace(sampled={"x": np.full(5, 2.0)}))
    assert not is_deterministic(SimpleNamespace(sampled={"x": np.array([1.0, 2.0])}))
