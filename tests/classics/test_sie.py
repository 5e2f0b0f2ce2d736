"""Davidson & Houlden (2025) software intelligence explosion: reproduction and mechanics."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.classics import sie
from takeoff.cli import app
from takeoff.errors import ValidationError

#: Their "No RT" column (retraining appendix table), a second published run of the base model.
PUBLISHED_NO_RT = {
    "p_3y_in_12m": 0.56,
    "p_3y_in_4m": 0.41,
    "p_10y_in_12m": 0.17,
    "p_10y_in_4m": 0.12,
}


@pytest.fixture(scope="module")
def result():
    return sie.reproduce()


def _reference_times(f, r0, years, p, max_months=48.0):
    """The paper's pseudocode, literally: one doubling per loop iteration."""
    ceiling_doublings = 8.0 * years
    k = r0 / ceiling_doublings
    r, dt, t, size, times = r0, 3.0 / f, 0.0, 1.0, [0.0]
    while t < max_months and size < 2.0**ceiling_doublings and r > 0:
        t += dt
        size *= 2.0
        r -= k
        times.append(t)
        if r > 0:
            dt *= 2.0 ** (p * (1.0 / r - 1.0))
    return np.array(times)


def test_reproduces_published_shares(result):
    # Tolerance: 3 sigma of the difference of two MC shares (ours N=20,000, theirs >= 5,000)
    # plus 0.5 pp rounding -- about 2-3 percentage points.
    for key, *_, published in sie.CONDITIONS:
        tol = result.values["tolerance_vs_published"][key]
        assert 0.02 < tol < 0.03
        assert abs(result.values[key] - published) <= tol, key
        assert abs(result.values[key] - PUBLISHED_NO_RT[key]) <= tol, key
    assert result.values["p_3y_in_12m"] == pytest.approx(0.6, abs=0.05)
    assert result.values["p_10y_in_12m"] == pytest.approx(0.2, abs=0.05)


def test_share_accelerating_matches_prior(result):
    # P(r0 > 1) for r0 log-uniform on [0.4, 3.6] is ln 3.6 / ln 9 ("~60% accelerate").
    expected = math.log(3.6) / math.log(9.0)
    se = math.sqrt(expected * (1 - expected) / result.values["n_samples"])
    assert abs(result.values["p_accelerating_initially"] - expected) < 4 * se


def test_vectorised_matches_pseudocode_loop():
    rng = np.random.default_rng(7)
    params = sie.sample_parameters(rng, 40)
    log2_dt, ceiling = sie.doubling_log2_times(
        params["speedup"], params["r0"], params["limit_years"], params["p"]
    )
    times = sie.trajectory_times(log2_dt, ceiling)
    for i in range(40):
        ref = _reference_times(
            params["speedup"][i], params["r0"][i], params["limit_years"][i], params["p"][i]
        )
        ours = times[i][np.isfinite(times[i])]
        assert len(ours) == len(ref)
        np.testing.assert_allclose(ours, ref, rtol=1e-9)


def test_constant_r_gives_geometric_doubling_times():
    f, r, p = 4.0, 2.0, 0.3
    log2_dt, _ = sie.doubling_log2_times(
        np.array([f]), np.array([r]), np.array([16.0]), np.array([p]), constant_r=True
    )
    ratio = 2.0 ** (p * (1 / r - 1))
    expected = 3.0 / f * ratio ** np.arange(20)
    np.testing.assert_allclose(np.exp2(log2_dt[0, :20]), expected, rtol=1e-12)
    # With r > 1 the total time of infinitely many doublings is finite: T0 / (1 - ratio).
    total = np.exp2(log2_dt[0]).sum()
    assert total == pytest.approx(3.0 / f / (1 - ratio), rel=1e-2)


def test_faster_start_is_the_same_explosion_sped_up():
    t2, prog2 = sie.single_path(4.0, 1.5, 8.0, 0.3)
    t8, prog8 = sie.single_path(16.0, 1.5, 8.0, 0.3)
    n = min(len(t2), len(t8))
    np.testing.assert_allclose(t2[:n], 4.0 * t8[:n], rtol=1e-12)
    np.testing.assert_allclose(prog2[:n], prog8[:n])


def test_ceiling_stops_progress_and_r_below_one_decelerates():
    t, prog = sie.single_path(32.0, 3.0, 6.0, 0.3)
    assert prog[-1] == pytest.approx(6.0)  # reaches the ceiling (48 doublings) well within 4 years
    log2_dt, _ = sie.doubling_log2_times(
        np.array([8.0]), np.array([0.5]), np.array([16.0]), np.array([0.3])
    )
    below_cap = log2_dt[0][log2_dt[0] < 60.0]  # 2^60 months is the "never" cap
    assert len(below_cap) > 20
    assert np.all(np.diff(below_cap) > 0)


def test_window_test_on_synthetic_times():
    inf = np.inf
    times = np.array(
        [
            [0.0, 1.0, 2.0, 3.0, 4.0, inf],  # 1 month per doubling
            [0.0, 5.0, 10.0, 11.0, inf, inf],  # fast burst at the end
        ]
    )
    assert sie.compressed(times, 3, 3.5).tolist() == [True, False]
    assert sie.compressed(times, 1, 1.5).tolist() == [True, True]
    assert sie.compressed(times, 4, 100.0).tolist() == [True, False]  # row 2 has 3 doublings
    assert sie.compressed(times, 0, 1.0).all()


def test_required_doublings_match_their_conditions():
    assert sie.required_doublings(12.0, 3.0) == 24
    assert sie.required_doublings(4.0, 10.0) == 26  # int(26.67) as in their code
    assert sie.required_doublings(12.0, 10.0) == 80
    assert sie.required_doublings(4.0, 30.0) == 80


def test_deterministic_for_a_seed():
    a = sie.reproduce(n_samples=2000, seed=3).values
    b = sie.reproduce(n_samples=2000, seed=3).values
    c = sie.reproduce(n_samples=2000, seed=4).values
    assert a == b
    assert a["compression_curve_12m"] != c["compression_curve_12m"]


def test_retraining_variant_stays_close(result):
    rt = sie.reproduce(retraining=True).values
    for key, *_ in sie.CONDITIONS:
        assert abs(rt[key] - result.values[key]) < 0.03


@pytest.mark.parametrize("kwargs", [{"n_samples": 10}, {"n_samples": 1.5}, {"seed": -1}])
def test_bad_options_raise(kwargs):
    with pytest.raises(ValidationError):
        sie.reproduce(**kwargs)


def test_cli_json_and_plot(tmp_path):
    png = tmp_path / "sie.png"
    out = CliRunner().invoke(app, ["classics", "sie", "--json", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    for key in ("p_3y_in_12m", "p_10y_in_12m", "p_3y_in_4m", "p_10y_in_4m", "mc_standard_error"):
        assert key in payload
    assert png.stat().st_size > 0
