"""The tasks below the FLOP gap's 20% point are spread from the start's frontier up
(capabilities.lower_tail): AI can do a little more with every OOM from 2026 on, instead
of nothing new for the 3-4 OOM between today's largest run and the linear rule's first
task, which made AI revenue rise for a year and then fall for four (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest

import takeoff
from takeoff.model.blocks import capabilities


def test_continuous_share_is_the_discrete_count_at_each_threshold():
    """f(E) at a task's threshold is the share of tasks at or below it, tail included."""
    rng = np.random.default_rng(3)
    n = 40
    log10_full = rng.uniform(30, 38, 8)
    gap = rng.uniform(1, 6, 8)
    frontier = rng.uniform(25, 33, 8)
    thresholds = capabilities.family_log10_thresholds(log10_full, gap, n, n, frontier)
    for k in range(n):
        share = capabilities.continuous_share(thresholds[:, k], log10_full, gap, frontier)
        np.testing.assert_allclose(share, (k + 1) / n, atol=1e-9)


def test_tail_only_lowers_thresholds_below_the_gap_point():
    log10_full, gap, frontier = np.array([35.0, 31.0]), np.array([4.0, 2.0]), np.array([26.7, 30.0])
    plain = capabilities.family_log10_thresholds(log10_full, gap, 100, 100)
    tail = capabilities.family_log10_thresholds(log10_full, gap, 100, 100, frontier)
    assert (tail <= plain).all()
    np.testing.assert_array_equal(tail[:, 19:], plain[:, 19:])  # ranks >= 0.2 keep the rule
    # The first sample: the 20% point (31) is 4.3 OOM above the frontier; the rule's first
    # task sits at 30.05, the tail's at 26.7 + 0.05 x 4.3.
    assert tail[0, 0] == pytest.approx(26.7 + 0.01 / 0.2 * 4.3)
    # The second: the 20% point (29) is behind the frontier (30), so nothing changes.
    np.testing.assert_array_equal(tail[1], plain[1])


def test_automatable_share_and_revenue_grow_from_the_start():
    """Default run: the automatable share rises every year to the 20% point, and AI
    revenue rises every year to 2031 (it fell 2028-2031 without the tail)."""
    result = takeoff.simulate(end_year=2036)
    rows = result.yearly()
    share = result.series["automatable_share"][rows, 0]
    before_gap = share < 0.2
    assert (np.diff(share[before_gap]) > 0).all()
    revenue = result.series["ai_revenue"][rows, 0]
    years = result.years[rows]
    assert (np.diff(revenue[years <= 2031]) > 0).all(), revenue / 1e9
