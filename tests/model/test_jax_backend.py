"""The JAX backend computes what the NumPy backend computes (issue: the integrated model, speed).

jax is in the test extras, so these run in CI; they need no GPU (JAX runs on the CPU).
"""

from __future__ import annotations

import numpy as np
import pytest

import takeoff
from takeoff.errors import ValidationError
from takeoff.model.engine import setup as engine_setup
from takeoff.params.schema import draw_plausible
from takeoff.scenarios.loader import builtin_names
from tests.test_model_properties import EXPLOSIVE

#: Agreement between the backends: both run the same float64 arithmetic, except the
#: adoption sums (closed-form linear coefficients vs a direct sum).
RTOL = 1e-8
#: AI's share of output is (1 - alpha) - labour share, a difference of near-equal
#: numbers while AI earns little: it (and AI revenue, share x GWP) is compared with an
#: absolute tolerance on the scale of its terms.
CANCELLATION_ATOL = 1e-10
CANCELLING = {"ai_output_share": lambda r: 1.0, "ai_revenue": lambda r: r.series["gwp"]}
#: Labour's share s_L = H^(1-rho) L^rho / X^rho, with H the weight of work humans do:
#: once AI does nearly everything, H is a difference of adoption sums (closed-form
#: coefficients in NumPy, a direct sum in JAX) whose ~1e-15 rounding is large relative
#: to H. The shares then agree to an absolute 1e-12, and so do the series computed
#: from them, each on its own scale (AI labour in wage-equivalents is L (1 - s)/s, whose
#: error is L ds / s^2).
SHARE_ATOL = 1e-12
SLIVER_SCALE = {
    "labour_share": lambda r, v: 1.0,
    "wage": lambda r, v: r.series["gwp"] / r.series["labour_force"],
    "compute_rental": lambda r, v: r.series["gwp"] / r.series["compute"],
    "ai_workers": lambda r, v: v**2 / r.series["labour_force"],
    "ai_researchers": lambda r, v: v**2 / r.series["human_researchers"],
}
#: Milestone years may differ by rounding only.
YEARS_ATOL = 1e-6


def assert_same(numpy_result, jax_result) -> None:
    np.testing.assert_array_equal(numpy_result.years, jax_result.years)
    assert numpy_result.series.keys() == jax_result.series.keys()
    for name, expected in numpy_result.series.items():
        atol = CANCELLATION_ATOL * CANCELLING[name](numpy_result) if name in CANCELLING else 0.0
        error = np.abs(jax_result.series[name] - expected)
        if name in SLIVER_SCALE:
            atol = atol + SHARE_ATOL * SLIVER_SCALE[name](numpy_result, expected)
        allowed = atol + RTOL * np.abs(expected)
        worst = np.unravel_index(np.argmax(error - allowed), error.shape)
        assert (error <= allowed).all(), (
            f"{name}: jax {jax_result.series[name][worst]!r} vs numpy {expected[worst]!r} "
            f"at year {numpy_result.years[worst[0]]:.2f}, sample {worst[1]}"
        )
    for name, expected in numpy_result.milestones.items():
        got = jax_result.milestones[name]
        np.testing.assert_array_equal(np.isnan(got), np.isnan(expected), err_msg=name)
        np.testing.assert_allclose(got, expected, atol=YEARS_ATOL, err_msg=name)
    np.testing.assert_array_equal(jax_result.growth_capped, numpy_result.growth_capped)


@pytest.mark.parametrize("scenario", builtin_names())
def test_every_scenario_matches_numpy(scenario):
    kwargs = {"dt": 0.2, "end_year": 2100}
    assert_same(
        takeoff.simulate(scenario, **kwargs), takeoff.simulate(scenario, backend="jax", **kwargs)
    )


#: Parameters that shape the dynamics, drawn across their plausible ranges.
VARIED = (
    "full_automation_requirement",
    "flop_gap_oom",
    "diffusion_years",
    "rnd_diffusion_years",
    "automation_cap",
    "software_returns",
    "research_substitution_rho",
    "task_substitution_rho",
    "runtime_spread_oom",
    "ai_research_speed",
    "rnd_compute_shift",
    "experiment_compute_shift",
    "largest_run_share_value_response",
    "ai_power_ceiling_gw",
)


def test_a_batch_across_plausible_ranges_matches_numpy():
    overrides = draw_plausible(VARIED, 48, seed=5)
    kwargs = {"dt": 0.25, "end_year": 2100}
    numpy_result = takeoff.simulate(overrides=overrides, **kwargs)
    jax_result = takeoff.simulate(overrides=overrides, backend="jax", **kwargs)
    assert_same(numpy_result, jax_result)
    # The batch covers both regimes: most samples automate half the economy, some not by 2100.
    reached = ~np.isnan(numpy_result.milestones["automated_50pct"])
    assert reached.any() and not reached.all()


def test_growth_explosion_is_capped_and_flagged_as_in_numpy():
    numpy_result = takeoff.simulate(overrides=EXPLOSIVE, dt=0.2)
    jax_result = takeoff.simulate(overrides=EXPLOSIVE, dt=0.2, backend="jax")
    assert numpy_result.growth_capped[0]
    assert_same(numpy_result, jax_result)


@pytest.mark.parametrize("end_year", [2031.3, 2064.0, 2100.0])
def test_end_years_sharing_a_compiled_shape_give_the_numpy_rows(end_year):
    """The scan runs to a multiple of STEP_BUCKET steps; the extra rows must be dropped."""
    numpy_result = takeoff.simulate(end_year=end_year, dt=0.1)
    jax_result = takeoff.simulate(end_year=end_year, dt=0.1, backend="jax")
    assert jax_result.years[-1] == pytest.approx(end_year, abs=0.051)
    assert_same(numpy_result, jax_result)


@pytest.mark.parametrize(
    ("dt", "output_step", "end_year"), [(0.1, 1.0, 2100.0), (0.25, 0.5, 2031.0)]
)
def test_a_coarser_output_grid_gives_the_numpy_rows(dt, output_step, end_year):
    """With an output grid coarser than dt the scan records every series only at grid points
    and the series milestones need at every step (``_scan_grid``); the grid is padded to a
    multiple of POINT_BUCKET points, and the padding must be dropped."""
    overrides = draw_plausible(VARIED, 12, seed=7)
    kwargs = {"dt": dt, "output_step": output_step, "end_year": end_year}
    numpy_result = takeoff.simulate(overrides=overrides, **kwargs)
    jax_result = takeoff.simulate(overrides=overrides, backend="jax", **kwargs)
    assert jax_result.years[-1] == pytest.approx(end_year)
    assert_same(numpy_result, jax_result)


def test_same_inputs_same_outputs():
    a = takeoff.simulate("amodei", dt=0.2, backend="jax")
    b = takeoff.simulate("amodei", dt=0.2, backend="jax")
    for name in a.series:
        np.testing.assert_array_equal(a.series[name], b.series[name])


def test_monte_carlo_runs_on_the_jax_backend():
    from takeoff.scenarios.loader import load_scenario
    from takeoff.uncertainty.montecarlo import run_mc

    scenario = load_scenario("amodei").with_settings(dt=0.25, end_year=2060)
    numpy_mc = run_mc(scenario, 40, seed=2)
    jax_mc = run_mc(scenario.with_settings(backend="jax"), 40, seed=2)
    for name, years in numpy_mc.milestones.items():
        np.testing.assert_allclose(jax_mc.milestones[name], years, atol=YEARS_ATOL, err_msg=name)


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ValidationError, match=r"simulation\.backend: 'torch' is not one of"):
        takeoff.simulate(backend="torch")


def test_missing_jax_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(engine_setup, "find_spec", lambda name: None)
    with pytest.raises(ValidationError, match=r"pip install 'takeoff\[jax\]'"):
        takeoff.simulate(backend="jax")


def test_the_persistent_compile_cache_is_opt_in_and_changes_nothing(tmp_path):
    """TAKEOFF_JAX_CACHE=DIR keeps compiled programs in DIR for later processes (issue 15,
    item 4); the numbers are the same with and without it. Speed: benchmarks/bench_jax_cache.py."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import json, takeoff; r = takeoff.simulate('default', backend='jax', end_year=2060); "
        "print(json.dumps(r.milestone_dict()))"
    )
    env = {k: v for k, v in os.environ.items() if k != "TAKEOFF_JAX_CACHE"}
    plain = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr
    assert not any(tmp_path.iterdir())
    cached = subprocess.run(
        [sys.executable, "-c", probe],
        env=env | {"TAKEOFF_JAX_CACHE": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
    )
    assert cached.returncode == 0, cached.stderr
    assert any(p.is_file() for p in (tmp_path / "cache").rglob("*"))
    assert json.loads(cached.stdout.splitlines()[-1]) == json.loads(plain.stdout.splitlines()[-1])
