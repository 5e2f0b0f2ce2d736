"""Sobol indices (takeoff.cruxes.sensitivity): Ishigami, correlated groups, the real model."""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.cruxes.sensitivity import input_groups, sensitivity, sobol_indices, to_parameters
from takeoff.errors import ValidationError
from takeoff.scenarios.loader import parse_scenario
from takeoff.uncertainty.copula import spearman_to_pearson
from tests.cruxes.views import write_views


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_matches_the_analytic_indices():
    # Published values for a = 7, b = 0.1 (Ishigami & Homma 1990; Saltelli et al. 2008):
    # V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
    # V13 = b^2 pi^8 (1/18 - 1/50); ST1 = (V1 + V13)/V, ST3 = V13/V.
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    ix = sobol_indices(ishigami, ["x1", "x2", "x3"], 8192, seed=0)
    np.testing.assert_allclose(ix.S1, [v1 / v, v2 / v, 0.0], atol=0.02)
    np.testing.assert_allclose(ix.ST, [(v1 + v13) / v, v2 / v, v13 / v], atol=0.02)
    assert (ix.S1_conf < 0.05).all()
    # Convergence is reported at N/8 ... N and ends at the final estimate.
    assert [n for n, _, _ in ix.convergence] == [1024, 2048, 4096, 8192]
    np.testing.assert_array_equal(ix.convergence[-1][2], ix.ST)


CORRELATED = """
name = "correlated"
[parameters]
task_substitution_rho = { dist = "normal", mean = -1.0, sd = 0.05 }
research_substitution_rho = { dist = "normal", mean = -1.0, sd = 0.05 }
software_returns = { dist = "normal", mean = 1.5, sd = 0.05 }
[[correlations]]
between = ["task_substitution_rho", "research_substitution_rho"]
rank = 0.6
"""


def test_correlated_parameters_form_one_group_with_the_analytic_share():
    """Y = z1 + z2 + z3 (standardised parameters), z1 and z2 Pearson-correlated r:
    Var Y = 3 + 2r, and the pair's grouped index is (2 + 2r) / (3 + 2r)."""
    from tomllib import loads

    view = parse_scenario(loads(CORRELATED))
    groups = input_groups(view)
    assert [g.parameters for g in groups] == [
        ("research_substitution_rho", "task_substitution_rho"),
        ("software_returns",),
    ]
    labels = [g.name for g in groups for _ in g.parameters]

    def model(u):
        p = to_parameters(view, groups, u)
        z1 = (p["task_substitution_rho"] + 1.0) / 0.05
        z2 = (p["research_substitution_rho"] + 1.0) / 0.05
        z3 = (p["software_returns"] - 1.5) / 0.05
        return z1 + z2 + z3

    ix = sobol_indices(model, labels, 4096, seed=1)
    r = float(spearman_to_pearson(0.6))
    expected = [(2 + 2 * r) / (3 + 2 * r), 1 / (3 + 2 * r)]
    np.testing.assert_allclose(ix.S1, expected, atol=0.02)
    np.testing.assert_allclose(ix.ST, expected, atol=0.02)


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    return write_views(tmp_path_factory.mktemp("views"))


def test_sensitivity_of_a_worldview(views):
    _, slow = views
    sens = sensitivity(slow, "automated_100pct", "2026-2040", n_base=32, seed=2)
    assert sens.runs == 32 * (3 + 2)  # three groups: the correlated pair is one
    year, growth = sens.outputs["year"], sens.outputs["growth"]
    assert 0.0 <= year.censored <= 1.0
    for ix in (year, growth):
        assert ix.S1.shape == ix.ST.shape == (3,)
        assert np.isfinite(ix.ST).all()
    # The thresholds and the diffusion time set when tasks are automated; the economy's
    # substitution elasticity matters least. It acts on output, and since the labs' capex plan
    # follows returns (investment.plan_revision) also on the build-out: more complementary
    # tasks lower AI's income, the plan is revised down and compute grows more slowly. Its total
    # index rose from 0.01-0.02 to 0.08-0.10 (seeds 0-3, n_base 32).
    names = [sens.groups[g].name for g in year.ranked()]
    assert names[-1] == "task_substitution_rho"
    assert 0.03 < year.ST[year.ranked()[-1]] < 0.2
    assert year.ST.sum() > 0.9
    again = sensitivity(slow, "automated_100pct", "2026-2040", n_base=32, seed=2)
    np.testing.assert_array_equal(again.outputs["year"].ST, year.ST)


def test_sensitivity_user_errors(views):
    _, slow = views
    with pytest.raises(ValidationError, match="power of 2"):
        sensitivity(slow, n_base=100)
    with pytest.raises(ValidationError, match="deterministic"):
        sensitivity("epoch-gate")
    with pytest.raises(ValidationError, match="unknown milestone"):
        sensitivity(slow, "nope")
    with pytest.raises(ValidationError, match="--growth"):
        sensitivity(slow, growth="2040-2030")


def test_a_single_group_of_several_inputs_explains_everything():
    """SALib reads one group as "no groups"; the indices of a lone group are S1 = ST = 1."""
    from takeoff.cruxes.sensitivity import sobol_indices

    out = sobol_indices(lambda u: u[:, 0] + 2.0 * u[:, 1], ["g", "g"], 64, seed=3)
    np.testing.assert_array_equal(out.S1, [1.0])
    np.testing.assert_array_equal(out.ST, [1.0])
    assert out.sd > 0
