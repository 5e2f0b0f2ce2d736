"""The economy block: closed-form water-filling, Aghion-Jones-Jones equivalence, CES limits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

from takeoff.model.blocks import economy, software


def ajj(beta, ai_total, labour, rho):
    """Aghion, Jones & Jones (2017): (beta^(1-rho) C^rho + (1-beta)^(1-rho) L^rho)^(1/rho)."""
    return (beta ** (1 - rho) * ai_total**rho + (1 - beta) ** (1 - rho) * labour**rho) ** (1 / rho)


@pytest.mark.parametrize("rho", [-2.0, -0.5, -0.05, 0.3, 0.8])
@pytest.mark.parametrize("beta", [0.1, 0.5, 0.9])
def test_symmetric_tasks_match_aghion_jones_jones_closed_form(rho, beta):
    labour = np.array([3.6e9])
    ai_total = np.array([5e10])  # abundant AI: humans stay on unautomated tasks
    share = np.array([beta])
    per_weight = ai_total / share
    level = economy.water_level(labour, share, per_weight)
    ours = economy.task_aggregate(share, per_weight, level, np.array([rho]))
    assert ours[0] == pytest.approx(ajj(beta, ai_total[0], labour[0], rho), rel=1e-10)


def test_rho_to_zero_approaches_cobb_douglas():
    labour, ai_total, beta = 3.6e9, 5e10, 0.4
    cobb_douglas = (ai_total / beta) ** beta * (labour / (1 - beta)) ** (1 - beta)
    errors = []
    for rho in (-1e-2, -1e-3, -1e-4, -1e-6):
        share = np.array([beta])
        per_weight = np.array([ai_total / beta])
        level = economy.water_level(np.array([labour]), share, per_weight)
        x = economy.task_aggregate(share, per_weight, level, software.safe_rho(np.array([rho])))[0]
        errors.append(abs(x / cobb_douglas - 1))
    assert errors == sorted(errors, reverse=True)  # monotone convergence
    assert errors[-1] < 1e-5


def brute_force_aggregate(labour, share, per_weight, rho):
    """Maximise X over the human split between unadopted (1-A) and adopted (A) work."""

    def negative_x(h_adopted):
        h_rest = labour - h_adopted
        y_adopted = per_weight + h_adopted / share
        y_rest = h_rest / (1 - share)
        return -((share * y_adopted**rho + (1 - share) * y_rest**rho) ** (1 / rho))

    best = optimize.minimize_scalar(
        negative_x,
        bounds=(0.0, labour * (1 - 1e-12)),
        method="bounded",
        options={"xatol": labour * 1e-12},
    )
    return -best.fun


@pytest.mark.parametrize("per_weight", [1e6, 3e9, 4e9, 1e11])
@pytest.mark.parametrize("rho", [-1.5, -0.5, 0.5])
def test_human_allocation_is_optimal(per_weight, rho):
    """Water-filling gives the same X as a numerical optimum over the human split."""
    labour, share = 3.6e9, 0.3
    level = economy.water_level(np.array([labour]), np.array([share]), np.array([per_weight]))
    ours = economy.task_aggregate(
        np.array([share]), np.array([per_weight]), level, np.array([rho])
    )[0]
    assert ours == pytest.approx(brute_force_aggregate(labour, share, per_weight, rho), rel=1e-7)


def test_no_adoption_gives_x_equal_labour_and_full_labour_share():
    labour = np.array([3.6e9, 1e9])
    share = np.zeros(2)
    per_weight = np.array([1e20, 0.0])
    level = economy.water_level(labour, share, per_weight)
    x = economy.task_aggregate(share, per_weight, level, np.array([-0.5, 0.5]))
    np.testing.assert_allclose(x, labour, rtol=1e-12)
    ls = economy.labour_share(labour, x, level, np.array([-0.5, 0.5]), np.array([0.35, 0.35]))
    np.testing.assert_allclose(ls, 0.65, rtol=1e-12)


def test_wage_is_marginal_product():
    """labour_share = L dY/dL / Y, checked by a finite difference of Y in L."""
    alpha, rho, share, per_weight = 0.35, -0.7, 0.6, 2e10
    tfp, capital = 1.0, 4e14

    def gwp(labour):
        lab = np.array([labour])
        level = economy.water_level(lab, np.array([share]), np.array([per_weight]))
        x = economy.task_aggregate(
            np.array([share]), np.array([per_weight]), level, np.array([rho])
        )
        return economy.output(tfp, capital, x, alpha)[0], x, level

    labour = 3.6e9
    y, x, level = gwp(labour)
    h = labour * 1e-6
    marginal = (gwp(labour + h)[0] - gwp(labour - h)[0]) / (2 * h)
    share_formula = economy.labour_share(np.array([labour]), x, level, np.array([rho]), alpha)[0]
    assert share_formula == pytest.approx(marginal * labour / y, rel=1e-6)
