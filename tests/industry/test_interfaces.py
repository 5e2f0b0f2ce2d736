"""`takeoff labs`, `takeoff.api.labs` and `POST /api/labs`: same numbers, clear errors."""

from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

import takeoff.api
from takeoff.cli import app
from takeoff.errors import ValidationError


def invoke(*args: str):
    return CliRunner().invoke(app, ["labs", *args])


def test_table_shows_market_strategies_and_years():
    res = invoke("--samples", "300", "--years", "3")
    assert res.exit_code == 0, res.output
    for text in ("Cournot", "4 (used)", "33%", "buy for 10x/yr", "buy for 5x/yr", "2028", "$722B"):
        assert text in res.output, text


def test_json_and_plot(tmp_path):
    plot = tmp_path / "labs.png"
    res = invoke(
        "--buy-growth", "10", "--buy-growth", "5", "--buy-growth", "3", "--demand-growth", "5",
        "--samples", "500", "--json", "--plot", str(plot),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [s["buy_growth"] for s in out["strategies"]] == [10.0, 5.0, 3.0]
    bankrupt = [s["p_bankrupt"] for s in out["strategies"]]
    assert bankrupt[0] > bankrupt[1] > bankrupt[2]  # demand grows 5x: the 10x buyer fares worst
    assert out["years"] == [2026, 2027, 2028, 2029]
    assert plot.stat().st_size > 20_000


def test_cli_json_equals_the_python_api():
    res = invoke("--samples", "200", "--seed", "4", "--lead-time", "2", "--firms", "5", "--json")
    assert res.exit_code == 0, res.output
    api = takeoff.api.labs(n_samples=200, seed=4, lead_time=2, n_firms=5).to_dict()
    assert json.loads(res.stdout) == json.loads(json.dumps(api, allow_nan=False))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--firms", "0"), "--firms: 0 must be an integer in [1, 100]"),
        (("--firms", "1"), "--elasticity: n_firms x demand_elasticity = 0.75 must exceed 1"),
        (("--buy-growth", "0"), "--buy-growth: 0 must be a number in [0.2, 50]"),
        (("--years", "21"), "--years: 21 must be an integer in [1, 20]"),
        (("--samples", "0"), "--samples: 0 must be an integer in [1, 20000]"),
        (("--demand-sd", "2"), "--demand-sd: 2.0 must be a number in [0, 1]"),
        (("--anchor", "later"), "--anchor: 'later' must be 'observed' or 'plan'"),
        (("--cost-per-gw-year", "-1"), "--cost-per-gw-year: -1.0 must be a number in [0.1, 100]"),
    ],
)
def test_bad_values_exit_2_naming_the_option_and_write_nothing(args, message, tmp_path):
    plot = tmp_path / "labs.png"
    res = invoke(*args, "--plot", str(plot))
    assert res.exit_code == 2
    assert message in " ".join(res.output.split())
    assert not plot.exists()


def test_plot_into_a_folder_is_refused(tmp_path):
    res = invoke("--samples", "10", "--plot", str(tmp_path))
    assert res.exit_code == 2
    assert "--plot" in res.output


def test_api_errors_name_the_field():
    with pytest.raises(ValidationError, match=r"lead_time: 9 must be an integer in \[1, 5\]"):
        takeoff.api.labs(lead_time=9)
    with pytest.raises(ValidationError, match="buy_growth"):
        takeoff.api.labs(buy_growth=[])


# ------------------------------------------------------------------ HTTP


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from takeoff.web.server import Limits, create_app

    # The numpy backend: no JAX compilation at start-up (labs does not use the model).
    with TestClient(create_app(Limits(backend="numpy")), base_url="http://localhost") as c:
        yield c


def test_http_endpoint_returns_the_api_result(client):
    body = {"buy_growth": [10, 5], "demand_growth": 5, "n_samples": 300, "seed": 2}
    r = client.post("/api/labs", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got.pop("elapsed_ms") >= 0
    want = takeoff.api.labs([10, 5], demand_growth=5, n_samples=300, seed=2).to_dict()
    assert got == json.loads(json.dumps(want))
    assert "/api/labs" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    ("body", "loc", "text"),
    [
        ({"n_firms": 0}, ["body", "n_firms"], "greater than or equal to 1"),
        ({"n_firms": 1}, ["body"], "n_firms x demand_elasticity"),
        ({"demand_growth": "5"}, ["body", "demand_growth"], "valid number"),
        ({"buy_growth": [100]}, ["body", "buy_growth", 0], "less than or equal to 50"),
        ({"n_samples": 10**6}, ["body", "n_samples"], "less than or equal to 20000"),
        ({"lead_time": 1.5}, ["body", "lead_time"], "valid integer"),
        ({"bogus": 1}, ["body", "bogus"], "not permitted"),
    ],
)
def test_http_bad_values_get_422_naming_the_field(client, body, loc, text):
    r = client.post("/api/labs", json=body)
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == loc and text in detail["msg"]


def test_http_needs_json(client):
    r = client.post("/api/labs", content="{}", headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_cli_defaults_are_the_parameter_defaults():
    import inspect

    from takeoff.cli_labs import OPTIONS, labs_cmd
    from takeoff.industry.params import LabParams

    signature = inspect.signature(labs_cmd)
    for field in OPTIONS:
        assert signature.parameters[field].default == LabParams.model_fields[field].default, field
