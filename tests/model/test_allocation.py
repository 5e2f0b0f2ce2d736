"""The exact human/AI allocation (blocks/allocation.py) against independent references.

Two references that share no code with the frontier search:
* the dual: X* = min_r (L + r c) / P(r), P the CES price index with each adopted
  part priced at min(1, r f_j) (wage = 1); minimised over ln r with SciPy;
* the primal: the explicit allocation implied by (H, B) (humans at y_H = L/H on
  their parts, AI at y_H (r f_j)^(-sigma)) is feasible and its X, summed part by
  part, equals the closed form.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp

from takeoff.model.blocks import allocation


def instance(rng, size, spread_oom, rho, full_share=0.0):
    """Random tasks: sorted costs over ``spread_oom`` OOM, partial adoption, endowments."""
    log_cost = np.sort(rng.uniform(0.0, spread_oom, size)) * np.log(10.0)
    log_cost[0] = 0.0
    adoption = rng.uniform(0.0, 1.0, size) * (rng.uniform(size=size) > 0.3)
    adoption[rng.uniform(size=size) < full_share] = 1.0
    labour = 10.0 ** rng.uniform(-2, 10)
    compute = labour * 10.0 ** rng.uniform(-6, 12)
    return log_cost, adoption, labour, compute, rho


def solve(log_cost, adoption, labour, compute, rho):
    size = adoption.size
    q = -rho / (1.0 - rho)
    alpha = adoption / size
    eq = allocation.dense_equilibrium(
        alpha[None],
        (alpha * np.exp(q * log_cost))[None],
        log_cost[None],
        np.array([np.sum(1.0 - adoption) / size]),
        np.array([labour]),
        np.array([compute]),
        np.array([rho]),
    )
    log_x = allocation.log_aggregate(labour, compute, eq, rho)
    return eq, float(np.exp(log_x[0]))


def dual_optimum(log_cost, adoption, labour, compute, rho):
    """min over r of (L + r c) / P(r): the value of the planner's problem (strong duality)."""
    size = adoption.size
    q = -rho / (1.0 - rho)  # 1 - sigma
    unadopted = np.sum(1.0 - adoption) / size
    alpha = adoption / size

    def log_value(log_r):
        log_r = np.asarray(log_r, dtype=float)[..., None]
        log_price = np.minimum(0.0, log_r + log_cost)  # ln min(1, r f_j)
        terms = np.concatenate([q * log_price, np.zeros_like(log_r)], axis=-1)
        log_index = logsumexp(terms, b=np.append(alpha, unadopted), axis=-1)
        value = np.logaddexp(np.log(labour), log_r[..., 0] + np.log(compute)) - log_index / q
        return value if value.ndim else float(value)

    grid = np.linspace(-np.log(10) * 40, np.log(10) * 40, 8001)
    values = log_value(grid)
    best = grid[np.argmin(values)]
    step = grid[1] - grid[0]
    found = minimize_scalar(
        log_value, bounds=(best - step, best + step), method="bounded", options={"xatol": 1e-13}
    )
    return float(np.exp(min(found.fun, values.min())))


def primal_value(eq, log_cost, adoption, labour, compute, rho):
    """X part by part from the allocation implied by (H, B); also the compute it uses."""
    size = adoption.size
    sigma = 1.0 / (1.0 - rho)
    alpha = adoption / size
    human, ai = float(eq.human_weight[0]), float(eq.ai_weight[0])
    y_h = labour / human
    if ai == 0.0:
        return y_h * (human ** (1 / rho)) if human > 0 else 0.0, 0.0
    log_g = (np.log(compute * human) - np.log(labour * ai)) / sigma  # ln(1/r)
    # Parts strictly cheaper by AI, then the marginal one (cost == 1/r within rounding).
    price = np.exp(log_cost - log_g)  # r f_j
    ai_share = np.where(price < 1.0 - 1e-9, alpha, 0.0)
    marginal = np.abs(price - 1.0) <= 1e-9
    q = -rho / (1.0 - rho)
    rest_ai = ai - np.sum(ai_share * np.exp(q * log_cost))
    if marginal.any() and rest_ai > 0:
        j = np.flatnonzero(marginal)[0]
        ai_share[j] = min(rest_ai / np.exp(q * log_cost[j]), alpha[j])
    y_ai = y_h * price ** (-sigma)
    human_parts = 1.0 - np.sum(ai_share)
    total = human_parts * y_h**rho + np.sum(ai_share * y_ai**rho)
    used = np.sum(ai_share * y_ai * np.exp(log_cost))
    return total ** (1.0 / rho), used


RHOS = [-20.0, -5.0, -1.0, -0.5, -0.1, -1e-6, 0.1, 0.5, 0.9, 0.95]


@pytest.mark.parametrize("rho", RHOS)
@pytest.mark.parametrize("spread", [0.0, 2.0, 9.0, 12.0])
def test_matches_dual_optimum_and_is_feasible(rho, spread):
    rng = np.random.default_rng(int(1000 * abs(rho)) + int(spread))
    for _ in range(15):
        case = instance(rng, int(rng.integers(2, 14)), spread, rho, full_share=0.3)
        eq, x = solve(*case)
        optimum = dual_optimum(*case)
        assert x == pytest.approx(optimum, rel=1e-6), (case, eq)
        x_parts, used = primal_value(eq, *case)
        assert x_parts == pytest.approx(x, rel=1e-6)
        assert used <= case[3] * (1 + 1e-6)


def test_static_case_from_the_review():
    """Spread 2 OOM, everything adopted, compute worth 30 easiest-task workers: old code 0.57."""
    size, rho = 100, -0.5
    log_cost = np.linspace(0.0, 2.0, size) * np.log(10.0)
    case = (log_cost, np.ones(size), 1.0, 30.0, rho)
    _, x = solve(*case)
    assert x == pytest.approx(dual_optimum(*case), rel=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    rho=st.floats(-20.0, 0.95).filter(lambda r: abs(r) > 1e-3),
    spread=st.floats(0.0, 12.0),
    seed=st.integers(0, 2**31),
)
def test_hypothesis_against_dual(rho, spread, seed):
    case = instance(np.random.default_rng(seed), 6, spread, rho, full_share=0.5)
    _, x = solve(*case)
    assert x == pytest.approx(dual_optimum(*case), rel=1e-6)


def test_vectorised_over_samples_matches_one_at_a_time():
    rng = np.random.default_rng(7)
    cases = [instance(rng, 9, 6.0, rho) for rho in np.linspace(-10, 0.9, 40)]
    log_cost = np.stack([c[0] for c in cases])
    adoption = np.stack([c[1] for c in cases])
    labour = np.array([c[2] for c in cases])
    compute = np.array([c[3] for c in cases])
    rho = np.array([c[4] for c in cases])
    q = -rho / (1 - rho)
    alpha = adoption / 9
    eq = allocation.dense_equilibrium(
        alpha,
        alpha * np.exp(q[:, None] * log_cost),
        log_cost,
        (1 - adoption).sum(1) / 9,
        labour,
        compute,
        rho,
    )
    x = np.exp(allocation.log_aggregate(labour, compute, eq, rho))
    one = [solve(*c)[1] for c in cases]
    np.testing.assert_allclose(x, one, rtol=1e-12)


@pytest.mark.parametrize("rho", [-20.0, -0.5, 0.5, 0.95])
def test_marginal_products_are_finite_differences(rho):
    """dX/dL = s_L X/L and dX/dc = (1 - s_L) X/c (envelope theorem), by central differences."""
    rng = np.random.default_rng(3)
    for _ in range(10):
        log_cost, adoption, labour, compute, _ = instance(rng, 8, 5.0, rho)
        eq, x = solve(log_cost, adoption, labour, compute, rho)
        share = allocation.labour_income_share(labour, eq, np.log(x), rho)[0]
        if not 1e-4 < share < 1 - 1e-4:
            continue  # a finite difference cannot see the smaller factor's product in float64
        h = 1e-6
        d_labour = (
            solve(log_cost, adoption, labour * (1 + h), compute, rho)[1]
            - solve(log_cost, adoption, labour * (1 - h), compute, rho)[1]
        ) / (2 * h * labour)
        d_compute = (
            solve(log_cost, adoption, labour, compute * (1 + h), rho)[1]
            - solve(log_cost, adoption, labour, compute * (1 - h), rho)[1]
        ) / (2 * h * compute)
        assert d_labour == pytest.approx(share * x / labour, rel=1e-4, abs=1e-9 * x / labour)
        assert d_compute == pytest.approx(
            (1 - share) * x / compute, rel=1e-4, abs=1e-9 * x / compute
        )


def test_output_never_falls_with_adoption_or_compute():
    """More adoption of any part, or more compute, never lowers X (wide spreads, all rho)."""
    rng = np.random.default_rng(11)
    for rho in RHOS:
        for _ in range(20):
            log_cost, adoption, labour, compute, _ = instance(rng, 10, 9.0, rho)
            _, x = solve(log_cost, adoption, labour, compute, rho)
            more = adoption.copy()
            j = rng.integers(10)
            more[j] = min(1.0, more[j] + rng.uniform(0, 1))
            assert solve(log_cost, more, labour, compute, rho)[1] >= x * (1 - 1e-12)
            assert solve(log_cost, adoption, labour, compute * 1.5, rho)[1] >= x * (1 - 1e-12)
