"""A regulatory cap acts from 2026 on: it freezes deployment, it does not undo the observed
2026 state (``adoption_start.effective_cap``)."""

from __future__ import annotations

import numpy as np
import pytest

import takeoff
from takeoff.model.blocks import adoption_start
from takeoff.uncertainty.montecarlo import run_mc


def test_effective_cap_is_the_cap_or_the_2026_depth_whichever_is_larger():
    cap = np.array([0.0, 0.05, 0.12, 0.5, 1.0, 0.0])
    work = np.array([0.0012, 0.0012, 0.0012, 0.0012, 0.0012, 0.05])
    automatable = np.array([0.01, 0.01, 0.01, 0.01, 0.01, 0.02])
    got = adoption_start.effective_cap(cap, work, automatable, 100)
    # depth s_0 N / m: 0.0012 x 100 / 1 = 0.12; 0.05 x 100 / 2 = 2.5 -> at most 1.
    np.testing.assert_allclose(got, [0.12, 0.12, 0.12, 0.5, 1.0, 1.0])


def _revenue(result, year):
    row = np.searchsorted(result.years, year - 1e-9)
    return result.series["ai_output_share"][row, 0] * result.series["gwp"][row, 0]


@pytest.mark.parametrize("cap", [0.0, 0.05])
def test_a_cap_below_2026_deployment_keeps_2026_ai_revenue(cap):
    """Before the floor, a cap of 0 left AI with no work and no revenue in 2026
    (8.5% of besiroglu-erdil's samples, whose cap is a U-shaped beta)."""
    free = takeoff.simulate(end_year=2040)
    capped = takeoff.simulate(overrides={"automation_cap": cap}, end_year=2040)
    assert _revenue(capped, 2026) == pytest.approx(_revenue(free, 2026), rel=1e-9)
    # The cap still binds: nothing beyond the 2026 depth (0.12 of each task) is automated.
    assert capped.series["automated_share"].max() <= 0.12 + 1e-12
    assert free.series["automated_share"][-1, 0] > 0.5


def test_no_sample_of_a_capped_worldview_starts_without_ai_revenue():
    mc = run_mc("besiroglu-erdil", 400, 0, end_year=2028, keep_trajectories=True)
    cap = np.asarray(mc.sampled["automation_cap"])
    assert (cap < 0.05).mean() > 0.03  # the beta puts mass near 0: the case is exercised
    revenue = mc.trajectories["ai_output_share"][0] * mc.trajectories["gwp"][0]
    assert revenue.min() > 3e10, revenue.min()  # ai_revenue_2026's plausible range starts at $30B
