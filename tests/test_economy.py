"""The economy block: Aghion-Jones-Jones equivalence, CES limits, factor payments.

The allocation itself is tested against the dual optimum in tests/model/test_allocation.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.model.blocks import allocation, economy


def ajj(beta, ai_total, labour, rho):
    """Aghion, Jones & Jones (2017): (beta^(1-rho) C^rho + (1-beta)^(1-rho) L^rho)^(1/rho)."""
    return (beta ** (1 - rho) * ai_total**rho + (1 - beta) ** (1 - rho) * labour**rho) ** (1 / rho)


def aggregate(beta, ai_total, labour, rho, size=50):
    """X for ``size`` tasks of equal runtime cost, the first beta share fully adopted."""
    adopted = np.where(np.arange(size) < round(beta * size), 1.0 / size, 0.0)[None]
    rho_ = np.array([rho])
    eq = allocation.dense_equilibrium(
        adopted,
        adopted,
        np.zeros((1, size)),
        1.0 - adopted.sum(1),
        np.array([labour]),
        np.array([ai_total]),
        rho_,
    )
    log_x = allocation.log_aggregate(np.array([labour]), np.array([ai_total]), eq, rho_)
    return float(np.exp(log_x[0])), eq, log_x


@pytest.mark.parametrize("rho", [-2.0, -0.5, -0.05, 0.3, 0.8])
@pytest.mark.parametrize("beta", [0.1, 0.5, 0.9])
def test_symmetric_tasks_match_aghion_jones_jones_closed_form(rho, beta):
    labour, ai_total = 3.6e9, 5e10  # abundant AI: humans stay on unautomated tasks
    ours, _, _ = aggregate(beta, ai_total, labour, rho)
    assert ours == pytest.approx(ajj(beta, ai_total, labour, rho), rel=1e-10)


def test_scarce_ai_makes_humans_and_ai_perfect_substitutes_on_adopted_work():
    """With equal costs and AI scarce, humans work everywhere and X = L + C."""
    for rho in (-3.0, -0.5, 0.5):
        ours, _, _ = aggregate(0.6, 1e6, 3.6e9, rho)
        assert ours == pytest.approx(3.6e9 + 1e6, rel=1e-10)


def test_rho_to_zero_approaches_cobb_douglas():
    labour, ai_total, beta = 3.6e9, 5e10, 0.4
    cobb_douglas = (ai_total / beta) ** beta * (labour / (1 - beta)) ** (1 - beta)
    for rho in (-1e-3, 1e-3):
        ours, _, _ = aggregate(beta, ai_total, labour, rho)
        assert ours == pytest.approx(cobb_douglas, rel=5e-3)


def test_no_adoption_gives_x_equal_labour_and_full_labour_share():
    ours, eq, log_x = aggregate(0.0, 5e10, 3.6e9, -0.5)
    assert ours == pytest.approx(3.6e9, rel=1e-12)
    share = allocation.labour_income_share(np.array([3.6e9]), eq, log_x, np.array([-0.5]))
    assert share[0] == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("rho", [-3.0, -0.4, -1e-6, 0.5])
def test_factor_payments_exhaust_output(rho):
    """Capital, labour and AI are paid s_K, (1 - s_K) s_L and (1 - s_K)(1 - s_L) of Y, and
    s_K Y is capital's marginal product times K (central difference)."""
    alpha, share, labour, compute = 0.35, 0.4, 3.6e9, 2e22
    log_alpha, log_rest = np.log(alpha), np.log1p(-alpha)

    def output(log_k):
        return economy.output_and_shares(1.2e14, log_k, 2.0, alpha, log_alpha, log_rest, rho)

    gwp, capital_share, task_share = output(0.7)
    assert capital_share + task_share == pytest.approx(1.0, rel=1e-15)
    wage = economy.wage(gwp, share, labour, task_share)
    rental = economy.compute_rental(gwp, 1.0 - share, compute, task_share)
    assert capital_share * gwp + wage * labour + rental * compute == pytest.approx(gwp, rel=1e-14)
    h = 1e-6  # d ln Y / d ln K by a central difference is capital's share
    elasticity = (np.log(output(0.7 + h)[0]) - np.log(output(0.7 - h)[0])) / (2 * h)
    assert elasticity == pytest.approx(capital_share, rel=1e-6)


def test_capital_and_tasks_complements_bound_output():
    """With rho_K < 0, output at given capital is at most alpha^(1/rho_K) Y_0 k."""
    log_alpha, log_rest = np.log(0.35), np.log1p(-0.35)
    gwp, capital_share, _ = economy.output_and_shares(
        1.0, 0.0, 60.0, 0.35, log_alpha, log_rest, -0.4
    )
    assert gwp == pytest.approx(0.35 ** (1 / -0.4), rel=1e-9)
    assert capital_share == pytest.approx(1.0, rel=1e-9)
    # The Cobb-Douglas limit is unbounded: Y = k^alpha z^(1 - alpha).
    gwp_cd, capital_share_cd, _ = economy.output_and_shares(
        1.0, 0.0, 60.0, 0.35, log_alpha, log_rest, -1e-9
    )
    assert np.log(gwp_cd) == pytest.approx(0.65 * 60.0, rel=1e-6)
    assert capital_share_cd == pytest.approx(0.35, rel=1e-6)
