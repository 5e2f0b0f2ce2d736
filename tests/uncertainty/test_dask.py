"""A Dask cluster gives the same numbers as one process (``client=``, ``--dask``).

Dask is part of the ``test`` extra, so these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream
from typer.testing import CliRunner

import takeoff.parallel
from takeoff.cli import app
from takeoff.cruxes.attribution import attribute
from takeoff.cruxes.sensitivity import sensitivity
from takeoff.errors import ValidationError
from takeoff.parallel import dask_cluster, using_client
from takeoff.report.compare import load_worldviews, run_worldviews
from takeoff.uncertainty import montecarlo
from takeoff.uncertainty.montecarlo import run_mc


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def _same_mc(one, two) -> None:
    for name, years in one.milestones.items():
        assert np.array_equal(two.milestones[name], years, equal_nan=True), name
    for name, values in one.quantiles.items():
        assert np.array_equal(two.quantiles[name], values), name
    assert np.array_equal(two.growth_capped, one.growth_capped)


@pytest.mark.parametrize("streamed", [False, True])
def test_monte_carlo_on_two_dask_workers_is_bit_identical(client, monkeypatch, streamed):
    if streamed:  # the histogram path of large runs, at a test's size
        monkeypatch.setattr(montecarlo, "EXACT_QUANTILES_MAX", 100)
    one = run_mc("besiroglu-erdil", 300, 4, end_year=2050)
    seen = []
    with get_task_stream(client) as stream:
        two = run_mc(
            "besiroglu-erdil", 300, 4, end_year=2050, chunk_size=70, client=client,
            progress=lambda done, total: seen.append(done),
        )  # fmt: skip
    assert seen == [70, 140, 210, 280, 300]
    assert two.quantile_error == one.quantile_error == (0.005 if streamed else 0.0)
    _same_mc(one, two)
    # The five chunks really ran on the cluster, on both workers.
    tasks = [t for t in stream.data if t["key"].startswith("_mc_chunk")]
    assert len(tasks) == 5 and len({t["worker"] for t in tasks}) == 2


def test_compare_on_dask_is_bit_identical(client):
    loaded = load_worldviews(["amodei", "besiroglu-erdil"])
    one = run_worldviews(loaded, 60, 0)
    two = run_worldviews(loaded, 60, 0, client=client)
    for a, b in zip(one, two, strict=True):
        _same_mc(a.result, b.result)


def test_sensitivity_and_cruxes_on_dask_are_bit_identical(client):
    kwargs = {"n_base": 16, "seed": 1, "end_year": 2050}
    one = sensitivity("besiroglu-erdil", **kwargs)
    two = sensitivity("besiroglu-erdil", client=client, **kwargs)
    for key, ix in one.outputs.items():
        np.testing.assert_array_equal(two.outputs[key].S1, ix.S1)
        np.testing.assert_array_equal(two.outputs[key].ST, ix.ST)
    kwargs = {"n_samples": 16, "by": "block", "end_year": 2050, "chunk_size": 500}
    a = attribute("amodei", "besiroglu-erdil", **kwargs)
    b = attribute("amodei", "besiroglu-erdil", client=client, **kwargs)
    assert a.shapley.tolist() == b.shapley.tolist() and a.total == b.total


def test_the_command_line_runs_on_a_dask_scheduler(client):
    runner = CliRunner()
    args = ["mc", "besiroglu-erdil", "-n", "60", "--end-year", "2050", "--json"]
    local = runner.invoke(app, args)
    remote = runner.invoke(app, [*args, "--dask", client.scheduler.address])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert json.loads(remote.stdout) == json.loads(local.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["mc", "default"],
        ["compare", "amodei"],
        ["cruxes", "amodei", "besiroglu-erdil"],
        ["sensitivity", "amodei"],
        ["discover", "amodei", "--where", "automated_100pct < 2035"],
        ["update", "amodei", "--observe", "power_gw=50@2028"],
    ],
)
def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch, command):
    monkeypatch.setattr(takeoff.parallel, "DASK_CONNECT_TIMEOUT", 1)
    result = CliRunner().invoke(app, [*command, "-n", "8", "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "--dask: could not connect to a Dask scheduler at 'tcp://127.0.0.1:9'" in result.output
    assert "Traceback" not in result.output


def test_without_dask_installed_the_message_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ValidationError, match=r"--dask: Dask is not installed.*takeoff\[dask\]"):
        with dask_cluster("tcp://127.0.0.1:8786"):
            pass
    with pytest.raises(ValidationError, match=r"client: Dask is not installed"):
        run_mc("default", 2, client=object())


def test_a_client_must_be_a_dask_client():
    with pytest.raises(ValidationError, match="client: expected a distributed.Client"):
        with using_client("tcp://127.0.0.1:8786"):
            pass
