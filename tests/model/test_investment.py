"""Block 8 rules: the compute split and the largest run's share follow AI's value."""

import numpy as np
import pytest

import takeoff
from takeoff.errors import ValidationError
from takeoff.model.blocks.training import SECONDS_PER_YEAR
from takeoff.params.schema import build_parameters

LN10 = np.log(10.0)


def test_without_value_response_the_run_share_is_the_closed_form_path():
    result = takeoff.simulate(overrides={"largest_run_share_value_response": 0.0}, end_year=2060)
    g, ceiling = 0.54, 1.5 * LN10
    expected = ceiling * -np.expm1(-g * (result.years - 2026.0) / ceiling)
    np.testing.assert_allclose(result.series["log_run_share"][:, 0], expected, rtol=1e-12)


def test_the_run_share_rises_with_ai_share_of_output():
    fixed = takeoff.simulate(overrides={"largest_run_share_value_response": 0.0}, end_year=2060)
    responsive = takeoff.simulate(
        overrides={"largest_run_share_value_response": 2.0}, end_year=2060
    )
    earning = fixed.series["ai_output_share"][:, 0] > 0.3
    assert earning.any()
    gap = responsive.series["log_run_share"][:, 0] - fixed.series["log_run_share"][:, 0]
    assert np.all(gap >= -1e-12)
    assert gap[-1] / LN10 > 0.3  # 2 OOM per unit share x ~0.65 share, still relaxing


def test_one_run_never_uses_more_than_the_whole_fleet_for_a_year():
    result = takeoff.simulate(
        overrides={
            "largest_run_share_ceiling_oom": 5.0,
            "largest_run_share_growth": 3.0,
            "largest_run_share_value_response": 5.0,
        },
        end_year=2060,
    )
    fleet_years = result.series["largest_training_run"] / (
        result.series["ai_compute"] * SECONDS_PER_YEAR
    )
    assert fleet_years.max() <= 1.0 + 1e-9
    assert fleet_years.max() > 0.9  # the cap binds, it is not just far away


def test_labs_move_compute_to_experiments_as_rnd_is_automated():
    compute_bound = {"research_substitution_rho": -2.0}
    fixed = takeoff.simulate(overrides=compute_bound, end_year=2045)
    shifted = takeoff.simulate(
        overrides={**compute_bound, "experiment_compute_shift": 0.5}, end_year=2045
    )
    np.testing.assert_allclose(fixed.series["experiment_compute_share"], 0.2)
    share = shifted.series["experiment_compute_share"][:, 0]
    automated = shifted.series["rnd_automated_share"][:, 0]
    # c_x = 0.2 + 0.5 * A_R * (1 - 0.2 - 0.1)
    np.testing.assert_allclose(share, 0.2 + 0.35 * automated, rtol=1e-12)
    assert share[-1] == pytest.approx(0.55)
    # More experiment compute relieves a compute-bound research sector...
    both = (fixed.years > 2034) & (fixed.years < 2040)
    assert np.all(
        shifted.series["research_input"][both, 0] > fixed.series["research_input"][both, 0]
    )
    # ... and leaves less inference compute for the economy's AI workers at first.
    first = np.argmax(automated > 0.5)

    def economy_inference(result):
        s = result.series
        share = 1.0 - s["experiment_compute_share"] - s["rnd_compute_share"]
        return (s["compute"] * share)[first, 0]

    assert economy_inference(shifted) < economy_inference(fixed)


def test_shifts_that_leave_the_economy_no_compute_are_refused():
    with pytest.raises(ValidationError, match="rnd_compute_shift \\+ experiment_compute_shift"):
        build_parameters({"rnd_compute_shift": 0.6, "experiment_compute_shift": 0.5})


def test_milestones_do_not_hinge_on_dt_with_every_response_on():
    overrides = {
        "experiment_compute_shift": 0.3,
        "rnd_compute_shift": 0.3,
        "largest_run_share_value_response": 2.0,
    }
    coarse = takeoff.simulate(overrides=overrides, dt=0.1, end_year=2070)
    fine = takeoff.simulate(overrides=overrides, dt=0.025, end_year=2070)
    for name, years in coarse.milestones.items():
        if np.isnan(years[0]):
            assert np.isnan(fine.milestones[name][0]), name
        else:
            assert abs(years[0] - fine.milestones[name][0]) < 0.1, name
