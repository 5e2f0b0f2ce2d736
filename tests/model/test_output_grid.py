"""A coarser output grid (``output_step``) keeps series values and milestones unchanged."""

import numpy as np
import pytest
from typer.testing import CliRunner

import takeoff
from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.model.engine.milestones import parse_milestones
from takeoff.params.schema import draw_plausible
from takeoff.uncertainty.montecarlo import run_mc

VARIED = ("full_automation_requirement", "diffusion_years", "research_substitution_rho")


def assert_subsampled(full, coarse, every):
    assert coarse.years.size == (full.years.size - 1) // every + 1
    np.testing.assert_array_equal(coarse.years, full.years[::every])
    assert set(coarse.series) == set(full.series)
    for name, values in coarse.series.items():
        np.testing.assert_array_equal(values, full.series[name][::every], err_msg=name)
    for name, years in coarse.milestones.items():
        np.testing.assert_array_equal(years, full.milestones[name], err_msg=name)
    np.testing.assert_array_equal(coarse.growth_capped, full.growth_capped)


@pytest.mark.parametrize("every", [2, 10, 50])
def test_a_coarse_grid_is_every_kth_point_of_the_full_one(every):
    overrides = draw_plausible(VARIED, 16, seed=3)
    full = takeoff.simulate(overrides=overrides, dt=0.1, end_year=2076)
    coarse = takeoff.simulate(overrides=overrides, dt=0.1, end_year=2076, output_step=every * 0.1)
    assert_subsampled(full, coarse, every)
    # The milestones are not those of the coarse grid: interpolating on it moves them.
    reached = ~np.isnan(full.milestones["automated_50pct"])
    assert reached.any()


def test_custom_milestones_on_derived_and_windowed_series_are_found_at_every_step():
    milestones = parse_milestones(
        {
            "wage_rises": {"conditions": [{"series": "wage", "at_least": 2.2e4}]},
            "capex_2pct": {"conditions": [{"series": "ai_capex_share", "at_least": 0.02}]},
            "big_fleet": {
                "conditions": [{"series": "ai_compute", "at_least": 1e25, "scale": "log"}]
            },
            "capital": {"conditions": [{"series": "capital", "at_least": 1e15}]},
        }
    )
    full = takeoff.simulate(end_year=2060, milestones=milestones)
    coarse = takeoff.simulate(end_year=2060, output_step=1.0, milestones=milestones)
    for name in milestones:
        assert not np.isnan(full.milestones[name][0]), name
        assert coarse.milestones[name][0] == full.milestones[name][0], name
        assert not float(full.milestones[name][0]).is_integer(), name  # a step, not a year


def test_the_jax_backend_gives_the_same_coarse_grid():
    pytest.importorskip("jax")
    numpy_result = takeoff.simulate(dt=0.25, end_year=2060, output_step=2.0)
    jax_result = takeoff.simulate(dt=0.25, end_year=2060, output_step=2.0, backend="jax")
    from tests.model.test_jax_backend import assert_same  # the backend comparison's tolerances

    assert_same(numpy_result, jax_result)


def test_an_unknown_milestone_series_is_named_with_a_coarse_grid():
    milestones = parse_milestones({"x": {"conditions": [{"series": "bogus", "at_least": 1}]}})
    with pytest.raises(ValidationError, match="unknown series 'bogus'; choose from .*wage"):
        takeoff.simulate(end_year=2030, output_step=1.0, milestones=milestones)


@pytest.mark.parametrize("step", [0.15, 0.0, 3.0, 100.0, 0.05])
def test_bad_output_steps_are_refused_with_the_field_named(step):
    # dt 0.1 over 2026-2040: 0.15 is no multiple, 3 does not divide 14 years, 100 > span.
    with pytest.raises(ValidationError, match="simulation.output_step"):
        takeoff.simulate(dt=0.1, end_year=2040, output_step=step)


def test_the_command_line_takes_an_output_step_and_refuses_a_bad_one(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["run", "--end-year", "2030", "--output-step", "1", "--json"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["run", "--end-year", "2030", "--output-step", "0.15"])
    assert bad.exit_code == 2
    assert "simulation.output_step" in bad.output
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "s"\n[simulation]\nend_year = 2030\noutput_step = 0.5\n')
    result = takeoff.simulate(str(scenario))
    np.testing.assert_allclose(result.years, np.arange(2026, 2030.01, 0.5))


def test_monte_carlo_results_do_not_change_with_the_yearly_grid():
    mc = run_mc("besiroglu-erdil", 40, seed=2, end_year=2060, keep_trajectories=True)
    assert mc.sampled
    fine = takeoff.simulate("besiroglu-erdil", overrides=mc.sampled, end_year=2060)
    assert fine.years.size == 10 * (mc.years.size - 1) + 1  # the direct run keeps every step
    for name, years in mc.milestones.items():
        np.testing.assert_array_equal(years, fine.milestones[name], err_msg=name)
    rows = fine.yearly()
    for name in ("gwp", "gwp_growth", "ai_capex_share", "automated_share"):
        np.testing.assert_array_equal(mc.trajectories[name], fine.series[name][rows])
