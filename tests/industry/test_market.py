"""Symmetric Cournot with constant-elasticity demand: the Lerner index 1/(N eps)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from takeoff.errors import ValidationError
from takeoff.industry.market import (
    cournot_equilibrium,
    firm_profit,
    lerner_index,
    margin_table,
    price_over_cost,
)


def test_lerner_index_is_one_over_n_eps_for_a_few_firms():
    got = lerner_index(np.array([3, 4, 5]), 0.75)
    assert got == pytest.approx([1 / 2.25, 1 / 3, 1 / 3.75])
    assert price_over_cost(4, 0.75) == pytest.approx(1.5)


@pytest.mark.parametrize(("n", "eps"), [(2, 1.5), (3, 0.75), (4, 0.75), (5, 2.0), (10, 0.3)])
def test_equilibrium_quantity_is_each_firms_best_response(n, eps):
    """No firm gains by deviating: its profit, given the others' quantities, peaks at q*."""
    cost, scale = 12.5, 100.0
    eq = cournot_equilibrium(n, eps, cost, scale)
    q_star = float(eq["firm_quantity"])
    others = (n - 1) * q_star
    best = minimize_scalar(
        lambda q: -firm_profit(q, others, eps, cost, scale),
        bounds=(1e-6 * q_star, 10 * q_star),
        method="bounded",
        options={"xatol": 1e-10 * q_star},
    )
    assert best.x == pytest.approx(q_star, rel=1e-4)
    price = float(eq["price"])
    assert (price - cost) / price == pytest.approx(1 / (n * eps))
    assert scale * float(eq["quantity"]) ** (-1 / eps) == pytest.approx(
        price
    )  # on the demand curve


def test_margin_falls_with_more_firms_towards_zero():
    n = np.arange(2, 200)
    margins = lerner_index(n, 0.75)
    assert np.all(np.diff(margins) < 0)
    assert margins[-1] < 0.01


def test_no_interior_equilibrium_when_n_eps_at_most_one():
    with pytest.raises(ValidationError, match="demand_elasticity"):
        lerner_index(1, 0.75)
    rows = margin_table((3, 4, 5), 0.3)  # N eps = 0.9, 1.2, 1.5
    assert rows[0]["lerner_index"] is None
    assert rows[1]["lerner_index"] == pytest.approx(1 / 1.2)
