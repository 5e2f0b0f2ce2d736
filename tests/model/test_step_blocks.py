"""Milestone inputs consumed a block of steps at a time give the whole run's numbers, bit for bit.

engine/fine.py keeps the series milestones read at every step in a rolling block
instead of for the whole run; these tests cut runs and series into many small blocks
and compare with the whole-run computation, exactly.
"""

import numpy as np
import pytest

import takeoff
from takeoff.model.engine import fine
from takeoff.model.engine.milestones import Condition, FirstCrossings, first_crossing
from takeoff.model.engine.outputs import annual_growth, growth_rows, growth_window
from takeoff.params.schema import draw_plausible


def _cuts(n_rows: int, rng: np.random.Generator) -> list[int]:
    inner = np.sort(rng.choice(np.arange(1, n_rows), size=min(6, n_rows - 1), replace=False))
    return [0, *inner.tolist(), n_rows]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("scale", ["linear", "log"])
def test_first_crossings_over_blocks_equal_those_over_the_whole_run(seed, scale):
    rng = np.random.default_rng(seed)
    years = 2026.0 + 0.1 * np.arange(80)
    # Rising with noise (crossings back and forth), some samples flat or starting above.
    values = np.exp(np.cumsum(rng.normal(0.05, 0.3, size=(80, 40)), axis=0))
    values[:, 0] = 0.5
    values[:, 1] = 50.0
    condition = Condition("x", 2.0, scale)
    whole = first_crossing(years, values, condition.at_least, scale)
    crossings = FirstCrossings([condition])
    cuts = _cuts(80, rng)
    for start, stop in zip(cuts[:-1], cuts[1:], strict=True):
        crossings.add(years[start:stop], {"x": values[start:stop]})
    np.testing.assert_array_equal(crossings.times[condition], whole)
    assert np.isnan(whole[0]) and whole[1] == years[0]


@pytest.mark.parametrize("dt", [0.1, 0.025, 0.3, 0.25])
def test_growth_over_row_ranges_equals_the_whole_series(dt):
    rng = np.random.default_rng(1)
    levels = np.exp(np.cumsum(rng.normal(0.02, 0.05, size=(57, 7)), axis=0))
    whole = annual_growth(levels, dt)
    log_levels = np.log(levels)
    for start, stop in [(0, 5), (3, 9), (20, 33), (50, 57), (56, 57), (0, 57)]:
        low, high = growth_window(start, stop, 57, dt)
        part = growth_rows(log_levels[low:high], low, start, stop, 57, dt)
        np.testing.assert_array_equal(part, whole[start:stop])


@pytest.mark.parametrize("dt, output_step", [(0.1, 1.0), (0.025, 0.5), (0.25, 2.0)])
def test_a_run_cut_into_small_step_blocks_gives_the_numbers_of_the_full_grid(
    monkeypatch, dt, output_step
):
    """Blocks of a few steps (many shifts of the rolling block) change nothing."""
    overrides = draw_plausible(
        ("full_automation_requirement", "diffusion_years", "task_substitution_rho"), 12, seed=4
    )
    full = takeoff.simulate(overrides=overrides, dt=dt, end_year=2070)
    monkeypatch.setattr(fine, "BLOCK_ELEMENTS", 12 * 3)  # 3 steps a block
    blocks = []
    original = fine.StepSeries._consume

    def spy(self, start, stop, known=None):
        blocks.append((start, stop))
        return original(self, start, stop, known)

    monkeypatch.setattr(fine.StepSeries, "_consume", spy)
    coarse = takeoff.simulate(overrides=overrides, dt=dt, end_year=2070, output_step=output_step)
    assert len(blocks) > 10 and blocks[-1][1] == full.years.size
    every = round(output_step / dt)
    for name, years in full.milestones.items():
        np.testing.assert_array_equal(coarse.milestones[name], years, err_msg=name)
    np.testing.assert_array_equal(coarse.series["gwp_growth"], full.series["gwp_growth"][::every])
    np.testing.assert_array_equal(coarse.growth_capped, full.growth_capped)
    assert np.isfinite(full.milestones["automated_50pct"]).any()


def test_the_rolling_block_holds_a_block_and_the_growth_windows_margin_only(monkeypatch):
    sizes = []
    original = fine.StepSeries.write

    def spy(self, k, values):
        original(self, k, values)
        sizes.append(self.buffer.shape[1])

    monkeypatch.setattr(fine.StepSeries, "write", spy)
    takeoff.simulate(overrides={"diffusion_years": np.full(4000, 3.0)}, output_step=1.0)
    # 4,000 samples: 40 steps a block, a margin of ceil(0.5 / 0.1) + 2 = 7 on either side.
    assert set(sizes) == {40 + 2 * 7 + 1}
    assert len(sizes) == 741


def test_non_finite_milestone_inputs_between_output_points_are_reported(monkeypatch):
    """A milestone series that is not finite at a step off the output grid is named."""
    from takeoff.errors import ValidationError
    from takeoff.model.engine import outputs

    real = outputs.POINTWISE["time_horizon_minutes"]

    def broken(r, c):
        values = real.compute(r, c)
        return np.where(r["log10_max_effective_compute"] > 28.0, np.nan, values)

    monkeypatch.setitem(
        outputs.POINTWISE, "time_horizon_minutes", outputs.Pointwise(real.inputs, broken)
    )
    with pytest.raises(ValidationError, match="non-finite values in .*time_horizon_minutes"):
        takeoff.simulate(output_step=1.0)
