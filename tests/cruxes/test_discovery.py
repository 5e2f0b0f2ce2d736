"""Scenario discovery (takeoff.cruxes.discovery): a known box, conditions, the real model."""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.cruxes.discovery import discover, find_boxes, outcome, parse_where
from takeoff.errors import ValidationError
from tests.cruxes.views import write_views


def test_a_known_box_is_found_with_its_coverage_and_density():
    rng = np.random.default_rng(11)
    x = {name: rng.random(4000) for name in ("a", "b", "c", "d")}
    # Log-scaled parameter: the box edge is at 1e31 on a 1e28..1e36 log-uniform range.
    x["req"] = 10 ** rng.uniform(28, 36, 4000)
    y = (x["a"] < 0.4) & (x["req"] < 1e31)
    boxes = find_boxes(x, y, depth=3, log=frozenset({"req"}))
    top = boxes[0]
    assert set(top.limits) == {"a", "req"}
    assert top.limits["a"][0] is None and top.limits["a"][1] == pytest.approx(0.4, abs=0.02)
    assert top.limits["req"][0] is None
    assert np.log10(top.limits["req"][1]) == pytest.approx(31, abs=0.05)
    assert top.density == 1.0 and top.coverage == 1.0
    assert top.mass == pytest.approx(y.mean())
    assert "a <= 0.4" in top.words() and "req <= 1e+31" in top.words()


def test_noisy_box_reports_honest_density():
    rng = np.random.default_rng(12)
    x = {"a": rng.random(5000), "b": rng.random(5000)}
    inside = (x["a"] > 0.5) & (x["b"] > 0.5)
    y = np.where(inside, rng.random(5000) < 0.8, rng.random(5000) < 0.1)
    top = find_boxes(x, y, depth=2)[0]
    assert top.limits["a"][0] == pytest.approx(0.5, abs=0.05)
    assert top.limits["b"][0] == pytest.approx(0.5, abs=0.05)
    assert top.density == pytest.approx(0.8, abs=0.05)
    assert top.density == pytest.approx(y[inside].mean(), abs=0.03)


def test_conditions_treat_never_as_infinitely_late():
    milestones = {"automated_coder": np.array([2030.0, np.nan, 2040.0])}
    assert outcome(milestones, parse_where("automated_coder < 2035")).tolist() == [
        True,
        False,
        False,
    ]
    assert outcome(milestones, parse_where("automated_coder > 2035")).tolist() == [
        False,
        True,
        True,
    ]
    both = parse_where("automated_coder >= 2030 and automated_coder <= 2030")
    assert outcome(milestones, both).tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("remote_work_automated before 2035", "not MILESTONE OP YEAR"),
        ("nope < 2035", "--where: unknown milestone"),
        ("", "not MILESTONE OP YEAR"),
    ],
)
def test_bad_conditions(where, message):
    with pytest.raises(ValidationError, match=message):
        parse_where(where)


def test_discover_on_a_worldview(tmp_path):
    _, slow = write_views(tmp_path)
    found = discover(slow, "automated_100pct < 2040", n_samples=400, seed=1)
    assert 0 < found.base_rate < 1
    assert found.boxes and found.boxes[0].density > found.base_rate
    assert found.sentences()[0].startswith("automated_100pct < 2040 in ")
    with pytest.raises(ValidationError, match="deterministic"):
        discover("epoch-gate", "automated_100pct < 2040")


def test_no_box_when_the_outcome_never_or_always_holds():
    x = {"a": np.linspace(0, 1, 100)}
    assert find_boxes(x, np.zeros(100, bool)) == []
    assert find_boxes(x, np.ones(100, bool)) == []
