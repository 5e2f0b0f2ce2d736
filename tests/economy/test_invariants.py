"""Economic invariants of the integrated model, as property tests (issue 10, item 3).

States are taken from real runs: parameters drawn over their plausible box (and its
edges) by Hypothesis, integrated to a drawn year, then the one-step economy
(``step.observe``) is evaluated at that state and at perturbed copies of it:

* output never falls when inference compute, labour, software efficiency or adoption
  rises at a given moment;
* the wage is the marginal product of labour (central finite difference);
* income shares lie in [0, 1] and sum to 1 with capital's;
* output is spent: Y = C + I_K + I_AI, no spending is negative, consumption is at
  least (1 - max_investment_share) Y.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from takeoff.model.engine.loop import heun_step
from takeoff.model.engine.setup import Settings, prepare
from takeoff.model.engine.step import GWP_CAP, observe
from takeoff.params.schema import build_parameters, registry
from takeoff.scenarios.loader import load_scenario

VARIED = (
    "full_automation_requirement",
    "flop_gap_oom",
    "runtime_flop_per_worker",
    "runtime_spread_oom",
    "task_substitution_rho",
    "rnd_task_substitution_rho",
    "diffusion_years",
    "automation_cap",
    "software_returns",
    "research_substitution_rho",
    "capital_share",
    "capital_adjustment_rate",
    "compute_adjustment_rate",
    "max_investment_share",
    "ai_capex_growth",
    "ai_power_ceiling_gw",
)
SAMPLES = 8
DT = 0.2


def draw(data, name):
    """A value in the plausible range, its ends included (log scale where marked)."""
    spec = registry()[name]
    low, high = spec.plausible
    where = data.draw(st.sampled_from(["low", "high", "inside", "inside"]), label=name)
    if where == "low":
        return low
    if where == "high":
        return high
    u = data.draw(st.floats(0.0, 1.0), label=name)
    if spec.log_scale and low > 0:
        return float(np.exp(np.log(low) + u * (np.log(high) - np.log(low))))
    return low + u * (high - low)


def states(data):
    """(t, state, constants) after integrating a drawn batch to a drawn year."""
    values = dict(load_scenario("default").point_values())
    for name in VARIED:
        values[name] = np.array([draw(data, name) for _ in range(SAMPLES)])
    params = build_parameters(values, where="parameters")
    year = data.draw(st.sampled_from([2026.0, 2030.0, 2034.0, 2038.0, 2046.0, 2060.0]))
    constants, state = prepare(params, Settings(dt=DT, end_year=2100.0))
    t = 2026.0
    while t < year - 1e-9:
        state = heun_step(t, state, observe(t, state, constants), constants)
        t += DT
    return t, state, constants


def rounding(c):
    """Relative rounding of Y: the task CES carries 1/rho times float64's (rho = -1e-6
    stands for Cobb-Douglas)."""
    return 1e-14 / np.minimum(np.abs(c.family_rho[0]), 1.0)


def scaled(state, **factors):
    """A copy of ``state`` with some fields multiplied (humans: the labour force only)."""
    changes = {}
    for name, factor in factors.items():
        if name == "labour_force":
            changes["humans"] = state.humans * np.array([[factor], [1.0]])
        elif name == "log_software":
            changes[name] = state.log_software + factor
        else:
            changes[name] = getattr(state, name) * factor
    return state._replace(**changes)


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_output_never_falls_when_ai_labour_or_adoption_rises(data):
    t, state, c = states(data)
    base = observe(t, state, c)["gwp"]
    more = [
        scaled(state, compute=1.5),
        scaled(state, labour_force=1.2),
        scaled(state, log_software=0.5),
    ]
    for changed in more:
        after = observe(t, changed, c)["gwp"]
        assert np.all(after >= base * (1.0 - rounding(c))), (after / base - 1).min()
    # More adoption: the same tasks, half a year further along their ramps.
    later = state._replace(adoption=c.tasks.complete_ramps(state.adoption, t + 0.5 - c.start_year))
    ahead = observe(t + 0.5, later, c)["gwp"]
    assert np.all(ahead >= base * (1.0 - rounding(c)))


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_wage_is_the_marginal_product_of_labour(data):
    """Y is concave in L (a CES optimum's value, raised to 1 - alpha), so the marginal
    product lies between the forward and backward differences; it also matches the
    central difference where labour's share is large enough to resolve."""
    t, state, c = states(data)
    obs = observe(t, state, c)
    h = 1e-5
    up = observe(t, scaled(state, labour_force=1 + h), c)["gwp"]
    down = observe(t, scaled(state, labour_force=1 - h), c)["gwp"]
    step = h * state.labour_force
    forward, backward = (up - obs["gwp"]) / step, (obs["gwp"] - down) / step
    noise = 2.0 * rounding(c) * obs["gwp"] / step
    # A difference resolves the wage where labour's income moves Y by far more than rounding.
    visible = (obs["labour_share"] * obs["gwp"] / state.labour_force > 1e3 * noise) & (
        obs["gwp"] < GWP_CAP
    )
    wage = obs["wage"]
    assert np.all(forward <= wage + noise)
    assert np.all(backward >= wage - noise)
    np.testing.assert_allclose((forward + backward)[visible] / 2, wage[visible], rtol=1e-3)


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_income_shares_add_up_and_output_is_spent(data):
    t, state, c = states(data)
    obs = observe(t, state, c)
    for name in ("capital_income_share", "labour_share", "ai_output_share"):
        assert np.all((obs[name] >= 0.0) & (obs[name] <= 1.0)), name
    np.testing.assert_allclose(
        obs["capital_income_share"] + obs["labour_share"] + obs["ai_output_share"],
        1.0,
        rtol=1e-12,
    )
    # Capital is paid its marginal product: s_K Y = K dY/dK (central difference).
    h = 1e-6
    up = observe(t, scaled(state, capital=1 + h), c)["gwp"]
    down = observe(t, scaled(state, capital=1 - h), c)["gwp"]
    marginal_product = (up - down) / (2 * h * state.capital)
    resolved = obs["gwp"] < GWP_CAP
    np.testing.assert_allclose(
        (marginal_product * state.capital)[resolved],
        (obs["capital_income_share"] * obs["gwp"])[resolved],
        rtol=1e-4,
    )
    # Wage bill plus AI's rental income are labour's and AI's shares of output.
    ai_income = (
        obs["compute_rental"]
        * state.compute
        * (1.0 - obs["experiment_compute_share"] - obs["rnd_compute_share"])
    )
    np.testing.assert_allclose(ai_income, obs["ai_output_share"] * obs["gwp"], rtol=1e-10)
    gwp = obs["gwp"]
    spent = obs["consumption"] + obs["capital_investment"] + obs["ai_capex"]
    np.testing.assert_allclose(spent, gwp, rtol=1e-12)
    assert np.all(obs["capital_investment"] >= 0.0) and np.all(obs["ai_capex"] >= 0.0)
    floor = (1.0 - c.p["max_investment_share"]) * gwp
    assert np.all(obs["consumption"] >= floor * (1.0 - 1e-12))
