"""Attribution between two worldviews on the real model (small, fast worldviews)."""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.cruxes.attribution import attribute
from takeoff.cruxes.groups import Group, differing, make_groups
from takeoff.errors import ValidationError
from takeoff.scenarios.loader import load_scenario
from takeoff.uncertainty.montecarlo import run_mc
from tests.cruxes.views import write_views

N = 64


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    return write_views(tmp_path_factory.mktemp("views"))


@pytest.fixture(scope="module")
def result(views):
    fast, slow = views
    return attribute(fast, slow, "automated_100pct", n_samples=N, seed=3, bootstrap=50)


def test_groups_follow_differences_and_correlations(views):
    fast, slow = (load_scenario(p) for p in views)
    assert differing(fast, slow) == [
        "task_substitution_rho",
        "full_automation_requirement",
        "flop_gap_oom",
        "diffusion_years",
    ]
    groups = make_groups(fast, slow)  # 4 differ: one group each, the correlated pair joined
    assert (
        Group(
            "full_automation_requirement+flop_gap_oom",
            ("full_automation_requirement", "flop_gap_oom"),
        )
        in groups
    )
    assert len(groups) == 3
    assert {g.name for g in make_groups(fast, slow, by="block")} == {
        "economy",
        "capabilities",
        "adoption",
    }


def test_user_groups_must_keep_correlated_parameters_together(views):
    fast, slow = (load_scenario(p) for p in views)
    with pytest.raises(ValidationError, match="rank-correlated"):
        make_groups(fast, slow, user=[("req", ["full_automation_requirement"])])
    with pytest.raises(ValidationError, match="same in"):
        make_groups(fast, slow, user=[("x", ["software_returns"])])
    groups = make_groups(
        fast, slow, user=[("thresholds", ["full_automation_requirement", "flop_gap_oom"])]
    )
    assert groups[0] == Group("thresholds", ("full_automation_requirement", "flop_gap_oom"))


def test_efficiency_and_endpoints_match_the_monte_carlo(views, result):
    fast, slow = views
    assert result.exact and result.coalitions == 8
    assert result.shapley.sum() == pytest.approx(result.total, abs=1e-9)
    # Common random numbers: the attribution's end points are `takeoff mc` of each view
    # with the same seed, sample for sample.
    for path, value in ((fast, result.value_a), (slow, result.value_b)):
        years = run_mc(path, N, 3).milestones["automated_100pct"]
        assert value == pytest.approx(np.median(np.where(np.isnan(years), 2050.0, years)))
    assert result.total > 0  # the slow view is slower
    assert (result.se > 0).all() and np.isfinite(result.se).all()
    assert 0.0 <= result.censored_b <= 1.0


def test_same_seed_same_result_and_workers(views, result):
    fast, slow = views
    again = attribute(
        fast, slow, "automated_100pct", n_samples=N, seed=3, bootstrap=50, workers=2, chunk_size=100
    )
    np.testing.assert_array_equal(again.shapley, result.shapley)
    np.testing.assert_array_equal(again.se, result.se)
    other = attribute(fast, slow, "automated_100pct", n_samples=N, seed=4, bootstrap=50)
    assert not np.array_equal(other.shapley, result.shapley)


def test_probability_metric_and_horizon(views):
    fast, slow = views
    att = attribute(fast, slow, "automated_50pct", "prob-by:2032", n_samples=N, by="block")
    assert att.metric.label == "P(automated_50pct by 2032)"
    assert 0.0 <= att.value_b <= att.value_a <= 1.0
    assert att.shapley.sum() == pytest.approx(att.total, abs=1e-12)
    growth = attribute(fast, slow, metric="mean-growth:2026-2040", n_samples=N)
    assert growth.total < 0  # the slow view grows less
    assert growth.shapley.sum() == pytest.approx(growth.total, abs=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"milestone": "nope"}, "unknown milestone"),
        ({"metric": "prob-by:2070"}, "must be in"),
        ({"metric": "mean"}, "is not one of"),
        ({"by": "colour"}, "--by"),
        ({"groups": ["x=not_a_parameter"]}, "unknown parameter"),
        ({"groups": ["no-equals-sign"]}, "NAME=param1"),
        ({"n_samples": 1}, "--samples"),
    ],
)
def test_user_errors(views, kwargs, message):
    fast, slow = views
    with pytest.raises(ValidationError, match=message):
        attribute(fast, slow, **kwargs)


def test_identical_views_and_unknown_views(views):
    fast, _ = views
    with pytest.raises(ValidationError, match="nothing to attribute"):
        attribute(fast, fast)
    with pytest.raises(ValidationError, match="no such file or built-in"):
        attribute(fast, "no-such-view")


def test_the_model_is_causal_so_runs_can_stop_early(views):
    """A run to H gives the same milestone years up to H - 1 as a run to the end year
    (what the early horizon of takeoff.cruxes.hybrids relies on)."""
    from takeoff.api import run_parameters
    from takeoff.params.schema import build_parameters
    from takeoff.uncertainty.montecarlo import sample_scenario, yearly_output

    slow = load_scenario(views[1])
    values, _ = sample_scenario(slow, 200, 0)
    params = build_parameters(values)
    full = run_parameters(params, yearly_output(slow)).milestones
    cut = run_parameters(params, yearly_output(slow.with_settings(end_year=2040))).milestones
    for name, years in full.items():
        early = years <= 2039
        assert early.any() or name == "automated_100pct"
        np.testing.assert_array_equal(cut[name][early], years[early])
        assert not (cut[name][~early] <= 2039).any()


def test_early_horizon_gives_the_same_attribution(views):
    fast, slow = views
    kwargs = {"n_samples": 256, "seed": 1, "bootstrap": 40, "by": "block"}
    early = attribute(fast, slow, "automated_50pct", **kwargs)
    full = attribute(fast, slow, "automated_50pct", early=False, **kwargs)
    assert early.horizon is not None and early.horizon < 2050 and full.horizon is None
    np.testing.assert_array_equal(early.shapley, full.shapley)
    np.testing.assert_array_equal(early.se, full.se)
    assert (early.value_a, early.value_b) == (full.value_a, full.value_b)


def test_several_milestones_from_one_set_of_hybrids_equal_one_at_a_time(views):
    """The report's use: every hybrid simulated once, each milestone a metric of the runs."""
    fast, slow = views
    names = ["automated_20pct", "automated_100pct"]
    together = attribute(fast, slow, names, n_samples=N, seed=3, bootstrap=50)
    assert list(together) == names
    for name in names:
        alone = attribute(fast, slow, name, n_samples=N, seed=3, bootstrap=50, early=False)
        np.testing.assert_allclose(together[name].shapley, alone.shapley, rtol=1e-12)
        np.testing.assert_allclose(together[name].se, alone.se, rtol=1e-12)
        assert together[name].value_b - together[name].value_a == pytest.approx(
            together[name].shapley.sum()
        )


def test_a_list_of_one_milestone_is_attributed_like_the_milestone_alone(views, result):
    """The report asks for a list of milestones per pair of views, and a pair can have just
    one (the furthest pair of only one milestone). The list of one used to be unpacked row
    by row, and `takeoff compare --report` (the main job) stopped with an IndexError."""
    fast, slow = views
    listed = attribute(fast, slow, ["automated_100pct"], n_samples=N, seed=3, bootstrap=50)
    assert list(listed) == ["automated_100pct"]
    np.testing.assert_allclose(listed["automated_100pct"].shapley, result.shapley, rtol=1e-12)
    np.testing.assert_allclose(listed["automated_100pct"].se, result.se, rtol=1e-12)
