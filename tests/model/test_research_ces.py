"""The research CES (software.ces_pair) against a 50-digit reference.

The reference is the textbook formula [w a^rho + (1-w) b^rho]^(1/rho) evaluated with
Python's decimal module at 50 significant digits, which neither underflows nor loses
digits to cancellation at the sizes used here. Checked from rho = -20 (strongly
complementary, where the old float formula gave inf and NaN) through Cobb-Douglas
(|rho| = 1e-6) to 0.95, with inputs spread over +-40 OOM.
"""

from __future__ import annotations

from decimal import Decimal, getcontext

import numpy as np
import pytest

from takeoff.model.blocks.software import ces_pair

getcontext().prec = 50


def reference(weight: float, first: float, second: float, rho: float) -> float:
    w, a, b, r = (Decimal(repr(float(x))) for x in (weight, first, second, rho))
    total = w * (r * a.ln()).exp() + (1 - w) * (r * b.ln()).exp()
    return float((total.ln() / r).exp())


@pytest.mark.parametrize("rho", [-20.0, -5.0, -1.0, -0.3, -1e-6, 1e-6, 0.3, 0.95])
def test_ces_matches_a_50_digit_reference(rho):
    rng = np.random.default_rng(int(abs(rho) * 1e6) + 1)
    weight = rng.uniform(0.01, 0.99, 200)
    first = 10.0 ** rng.uniform(-40, 40, 200)
    second = 10.0 ** rng.uniform(-40, 40, 200)
    # Near-equal and moderate inputs too, where Cobb-Douglas cancellation shows.
    first[:50] = 10.0 ** rng.uniform(-2, 2, 50)
    second[:50] = first[:50] * (1.0 + rng.uniform(-1e-3, 1e-3, 50))
    got = ces_pair(weight, first, second, np.full(200, rho))
    expected = np.array([reference(*args, rho) for args in zip(weight, first, second, strict=True)])
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0.0)


def test_ces_limits():
    """An input of 0: R = 0 when the inputs are complements, the other term alone otherwise."""
    weight = np.array([0.3, 0.3])
    rho = np.array([-2.0, 0.5])
    got = ces_pair(weight, np.array([0.0, 0.0]), np.array([4.0, 4.0]), rho)
    assert got[0] == 0.0
    np.testing.assert_allclose(got[1], (0.7 * 4.0**0.5) ** 2.0, rtol=1e-14)
