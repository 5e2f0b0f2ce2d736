"""Market structure for AI services: symmetric Cournot competition with N firms.

Inverse demand has constant elasticity, P(Q) = A * Q**(-1/eps), and every firm has the
same constant marginal cost c (here: the cost of the compute that serves one unit of
demand). Firm i picks its quantity q_i taking the others' as given; its first-order
condition P + q_i * P'(Q) = c gives, with market share s_i = q_i / Q,

    (P - c) / P = s_i / eps                        (Lerner index of firm i)

and in the symmetric equilibrium s_i = 1/N:

    L = (P - c) / P = 1 / (N * eps),   P / c = N * eps / (N * eps - 1).

An interior equilibrium with a finite price needs N * eps > 1 (a monopolist facing
inelastic demand would raise its price without limit). Source: J. Tirole (1988), *The
Theory of Industrial Organization*, MIT Press, ch. 5 (Cournot competition; the Lerner
index equals market share over the elasticity of demand). docs/labs.md lists each
equation next to the function below that computes it.
"""

from __future__ import annotations

import numpy as np

from takeoff.errors import ValidationError


def _check_interior(n_firms, elasticity) -> tuple[np.ndarray, np.ndarray]:
    n = np.asarray(n_firms, dtype=float)
    eps = np.asarray(elasticity, dtype=float)
    if not (np.all(n >= 1) and np.all(eps > 0)):
        raise ValidationError("n_firms must be >= 1 and demand_elasticity > 0")
    if np.any(n * eps <= 1):
        raise ValidationError(
            "demand_elasticity: n_firms x demand_elasticity must exceed 1 for a Cournot "
            "equilibrium with a finite price (got "
            f"{np.min(n * eps):g}); raise the elasticity or the number of firms"
        )
    return n, eps


def lerner_index(n_firms, elasticity) -> np.ndarray:
    """Price-cost margin (P - c)/P = 1/(N eps) of symmetric Cournot (vectorised)."""
    n, eps = _check_interior(n_firms, elasticity)
    return 1.0 / (n * eps)


def price_over_cost(n_firms, elasticity) -> np.ndarray:
    """Markup P/c = 1/(1 - L) = N eps / (N eps - 1) (vectorised)."""
    return 1.0 / (1.0 - lerner_index(n_firms, elasticity))


def cournot_equilibrium(n_firms, elasticity, marginal_cost, demand_scale) -> dict[str, np.ndarray]:
    """Symmetric Cournot equilibrium under inverse demand P(Q) = A Q^(-1/eps).

    Returns price P = c N eps/(N eps - 1), total quantity Q = (A/P)^eps, each firm's
    quantity q = Q/N and profit (P - c) q. Units are those of ``marginal_cost`` (money per
    unit) and ``demand_scale`` (A, money per unit at Q = 1).
    """
    n, eps = _check_interior(n_firms, elasticity)
    c = np.asarray(marginal_cost, dtype=float)
    a = np.asarray(demand_scale, dtype=float)
    price = c * price_over_cost(n, eps)
    total = (a / price) ** eps
    each = total / n
    return {
        "price": price,
        "quantity": total,
        "firm_quantity": each,
        "firm_profit": (price - c) * each,
    }


def firm_profit(own_quantity, others_quantity, elasticity, marginal_cost, demand_scale):
    """One firm's profit q (P(q + Q_others) - c): what its Cournot best response maximises."""
    q = np.asarray(own_quantity, dtype=float)
    total = q + np.asarray(others_quantity, dtype=float)
    price = np.asarray(demand_scale, dtype=float) * total ** (-1.0 / np.asarray(elasticity))
    return q * (price - np.asarray(marginal_cost, dtype=float))


def margin_table(n_values=(3, 4, 5), elasticity: float = 0.75) -> list[dict]:
    """Lerner index and markup for each N (the seed's "a few firms": N = 3-5); None where
    N eps <= 1 has no interior equilibrium."""
    rows = []
    for n in n_values:
        interior = n * elasticity > 1
        rows.append(
            {
                "n_firms": int(n),
                "lerner_index": float(lerner_index(n, elasticity)) if interior else None,
                "price_over_cost": float(price_over_cost(n, elasticity)) if interior else None,
            }
        )
    return rows
