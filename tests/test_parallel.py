"""Worker processes give the same numbers as one process, and bad settings are refused."""

import numpy as np
import pytest
from typer.testing import CliRunner

import takeoff
from takeoff.api import MIN_SAMPLES_PER_WORKER
from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.params.schema import draw_plausible
from takeoff.uncertainty.montecarlo import run_mc

VARIED = ("full_automation_requirement", "diffusion_years", "software_returns")


def test_a_batch_split_over_two_processes_is_the_same_batch():
    overrides = draw_plausible(VARIED, 2 * MIN_SAMPLES_PER_WORKER + 7, seed=4)
    kwargs = {"overrides": overrides, "end_year": 2060, "output_step": 1.0}
    one = takeoff.simulate(**kwargs)
    calls = []
    two = takeoff.simulate(**kwargs, workers=2, on_step=lambda k, n: calls.append((k, n)))
    assert calls == [(340, 340)]  # called once, at the end
    np.testing.assert_array_equal(two.years, one.years)
    for name, values in one.series.items():
        np.testing.assert_array_equal(two.series[name], values, err_msg=name)
    for name, years in one.milestones.items():
        np.testing.assert_array_equal(two.milestones[name], years, err_msg=name)
    np.testing.assert_array_equal(two.growth_capped, one.growth_capped)
    assert two.parameters["diffusion_years"] is not None


def test_monte_carlo_chunks_in_two_processes_give_the_same_result():
    kwargs = {"end_year": 2050, "chunk_size": 300, "keep_trajectories": True}
    one = run_mc("besiroglu-erdil", 900, seed=1, **kwargs)
    seen = []
    two = run_mc(
        "besiroglu-erdil", 900, seed=1, workers=2, progress=lambda d, t: seen.append(d), **kwargs
    )
    assert seen == [300, 600, 900]
    for name, years in one.milestones.items():
        np.testing.assert_array_equal(two.milestones[name], years, err_msg=name)
    for name, values in one.quantiles.items():
        np.testing.assert_array_equal(two.quantiles[name], values, err_msg=name)


def test_an_error_in_a_worker_reaches_the_caller_as_a_clear_message():
    overrides = {"capital_2026": np.full(2 * MIN_SAMPLES_PER_WORKER, 1e16)}
    with pytest.raises(ValidationError, match="savings rate"):
        takeoff.simulate(overrides=overrides, end_year=2030, workers=2)


@pytest.mark.parametrize("workers", [0, 65, True, 1.5, "2"])
def test_bad_worker_counts_are_refused(workers):
    with pytest.raises(ValidationError, match=r"workers: .* must be an integer in \[1, 64\]"):
        takeoff.simulate(end_year=2030, workers=workers)


def test_workers_need_the_numpy_backend():
    pytest.importorskip("jax")
    overrides = draw_plausible(VARIED, 2 * MIN_SAMPLES_PER_WORKER, seed=0)
    with pytest.raises(ValidationError, match="backend 'numpy'"):
        takeoff.simulate(overrides=overrides, end_year=2030, backend="jax", workers=2)


def test_the_command_line_refuses_a_bad_worker_count():
    result = CliRunner().invoke(app, ["mc", "--samples", "10", "--workers", "0"])
    assert result.exit_code == 2
    assert "workers" in result.output


def test_worldviews_share_one_pool_and_give_the_same_comparison():
    from takeoff.report.compare import load_worldviews, run_worldviews

    loaded = load_worldviews(["besiroglu-erdil", "amodei"])
    one = run_worldviews(loaded, 1000, 3)
    two = run_worldviews(loaded, 1000, 3, workers=2)
    for a, b in zip(one, two, strict=True):
        for name, years in a.result.milestones.items():
            np.testing.assert_array_equal(b.result.milestones[name], years, err_msg=name)


SCRIPT = """
import numpy as np
import takeoff

def main():
    overrides = {"diffusion_years": np.linspace(1, 10, 1200)}
    print("ok", takeoff.simulate(overrides=overrides, end_year=2030, workers=2).n_samples)
"""


@pytest.mark.parametrize("guarded", [True, False])
def test_a_script_gets_a_clear_message_without_a_main_guard(tmp_path, guarded):
    import subprocess
    import sys

    body = SCRIPT + ('if __name__ == "__main__":\n    main()\n' if guarded else "main()\n")
    script = tmp_path / "script.py"
    script.write_text(body)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    if guarded:
        assert done.returncode == 0, done.stderr
        assert "ok 1200" in done.stdout
    else:
        assert done.returncode != 0
        assert 'if __name__ == "__main__":' in done.stderr.splitlines()[-1]
