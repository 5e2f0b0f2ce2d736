"""Shapley maths on toy games with known values (takeoff.cruxes.shapley, attribution.decompose)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from takeoff.cruxes import shapley
from takeoff.cruxes.attribution import decompose


def mean(values, axis=-1):
    return np.mean(values, axis=axis)


def hybrid_table(a: np.ndarray, b: np.ndarray, model, masks) -> tuple[np.ndarray, dict]:
    """Per-sample outputs of ``model`` for every coalition: group g from b if bit g set.

    ``a`` and ``b`` are (k, n) inputs drawn with the same random numbers (common random
    numbers), as the attribution samples two worldviews.
    """
    rows = []
    for mask in masks:
        x = np.array([b[g] if mask >> g & 1 else a[g] for g in range(a.shape[0])])
        rows.append(model(x))
    return np.array(rows), {m: i for i, m in enumerate(masks)}


def brute_force(v: dict[int, float], k: int) -> np.ndarray:
    """Shapley values by averaging over all k! orders (the definition)."""
    phi = np.zeros(k)
    for order in itertools.permutations(range(k)):
        mask = 0
        for g in order:
            phi[g] += v[mask | 1 << g] - v[mask]
            mask |= 1 << g
    return phi / math.factorial(k)


@pytest.fixture
def inputs():
    rng = np.random.default_rng(3)
    u = rng.random((4, 2000))  # common random numbers for both views
    a = 1.0 + u  # view A: uniform on (1, 2)
    b = np.array([3.0, 1.0, 2.0, 5.0])[:, None] * (1.0 + 0.5 * u)  # view B: other scales
    return a, b


def test_exact_matches_definition_and_is_efficient():
    rng = np.random.default_rng(0)
    k = 5
    values = rng.normal(size=1 << k)
    index = {m: m for m in range(1 << k)}
    phi = shapley.exact(values, index, k)
    np.testing.assert_allclose(phi, brute_force(dict(enumerate(values)), k), atol=1e-12)
    assert phi.sum() == pytest.approx(values[-1] - values[0], abs=1e-12)


def test_additive_model_gets_each_groups_own_change(inputs):
    a, b = inputs
    weights = np.array([2.0, -1.0, 0.5, 3.0])
    table, index = hybrid_table(a, b, lambda x: weights @ x, range(16))
    d = decompose(table, index, 4, mean)
    expected = weights * (b.mean(axis=1) - a.mean(axis=1))
    np.testing.assert_allclose(d.shapley, expected, rtol=1e-10)
    # Additive: no interactions, so both one-at-a-time bounds equal the Shapley value.
    np.testing.assert_allclose(d.alone, expected, rtol=1e-10)
    np.testing.assert_allclose(d.last, expected, rtol=1e-10)


def test_multiplicative_model_splits_the_interaction_evenly(inputs):
    a, b = inputs
    table, index = hybrid_table(a[:2], b[:2], lambda x: x[0] * x[1], range(4))
    d = decompose(table, index, 2, mean)
    # phi_1 = 1/2 [v({1}) - v({}) + v({1,2}) - v({2})] = 1/2 E[(b1 - a1)(a2 + b2)]
    expected_1 = 0.5 * np.mean((b[0] - a[0]) * (a[1] + b[1]))
    expected_2 = 0.5 * np.mean((b[1] - a[1]) * (a[0] + b[0]))
    np.testing.assert_allclose(d.shapley, [expected_1, expected_2], rtol=1e-10)
    assert d.shapley.sum() == pytest.approx(np.mean(b[0] * b[1] - a[0] * a[1]), rel=1e-12)
    # With two players the Shapley value is the mean of the one-at-a-time bounds, and
    # the interaction shows as a gap between them.
    np.testing.assert_allclose(d.shapley, 0.5 * (d.alone + d.last), rtol=1e-12)
    assert abs(d.alone[0] - d.last[0]) > 0.1


def test_symmetry_and_null_player(inputs):
    a, b = inputs
    b = b.copy()
    a, b = a.copy(), b.copy()
    a[1], b[1] = a[0], b[0]  # groups 0 and 1 change symmetric inputs the same way
    # x[2] never enters the model: its swap changes nothing, sample by sample
    table, index = hybrid_table(a, b, lambda x: x[0] * x[1] + np.sin(x[3]), range(16))
    d = decompose(table, index, 4, mean)
    assert d.shapley[0] == pytest.approx(d.shapley[1], rel=1e-12)
    assert d.shapley[2] == 0.0
    assert d.se[2] == 0.0
    assert d.shapley.sum() == pytest.approx(d.values[index[15]] - d.values[index[0]], abs=1e-12)


def test_standard_errors_shrink_with_samples(inputs):
    a, b = inputs
    ses = []
    for n in (200, 2000):
        table, index = hybrid_table(a[:, :n], b[:, :n], lambda x: np.prod(x, axis=0), range(16))
        ses.append(decompose(table, index, 4, mean, seed=1).se)
    assert (ses[1] < ses[0]).all()


def test_sampled_orders_are_efficient_and_close_to_exact():
    rng = np.random.default_rng(5)
    k = 12
    coef = rng.normal(size=k)
    pairs = rng.normal(size=(k, k)) * 0.2

    def game(mask: int) -> float:
        x = np.array([mask >> g & 1 for g in range(k)], float)
        return float(coef @ x + x @ pairs @ x)

    orders = shapley.sample_orders(k, 200, seed=0)
    masks = shapley.coalitions_needed(k, orders)
    assert 0 in masks and (1 << k) - 1 in masks
    index = {m: i for i, m in enumerate(masks)}
    values = np.array([game(m) for m in masks])
    contributions = shapley.by_orders(values, index, orders)
    np.testing.assert_allclose(contributions.sum(axis=1), game((1 << k) - 1) - game(0))
    # For a quadratic game the exact value is coef_g + pairs_gg + (row + column sums - 2
    # pairs_gg) / 2: each pair's term is shared evenly by its two players.
    exact = coef + np.diag(pairs) + 0.5 * (pairs.sum(0) + pairs.sum(1) - 2 * np.diag(pairs))
    estimate = contributions.mean(axis=0)
    error = shapley.order_error(contributions)
    assert np.all(np.abs(estimate - exact) <= 4 * error + 1e-12)


def test_one_at_a_time_bounds():
    k = 3
    values = np.array([0.0, 1.0, 2.0, 5.0, 4.0, 5.0, 6.0, 10.0])  # v indexed by mask
    index = {m: m for m in range(8)}
    alone, last = shapley.one_at_a_time(values, index, k)
    np.testing.assert_allclose(alone, [1.0, 2.0, 4.0])
    np.testing.assert_allclose(last, [10 - 6, 10 - 5, 10 - 5])
