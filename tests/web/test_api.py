"""The playground's JSON API: every endpoint, malformed and oversized requests.

Runs use a coarse time step and an early end year where the numbers themselves do
not matter, so the module stays fast.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pytest

fastapi = pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import takeoff  # noqa: E402
from takeoff.params.schema import registry  # noqa: E402
from takeoff.scenarios.loader import builtin_names, load_scenario  # noqa: E402
from takeoff.web import compute  # noqa: E402
from takeoff.web.models import MAX_COMPARE, MAX_SAMPLES  # noqa: E402
from takeoff.web.server import MAX_BODY_BYTES, Limits, create_app  # noqa: E402

FAST = {"dt": 0.5, "end_year": 2060}
#: The server answers to loopback names only (TestClient would send "testserver").
BASE = "http://localhost"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits()), base_url=BASE) as c:
        yield c


def _detail(response) -> str:
    body = response.json()
    assert "detail" in body, body
    return json.dumps(body["detail"])


def scenario_with_distributions() -> str | None:
    for name in builtin_names():
        if load_scenario(name).distributions:
            return name
    return None


# ------------------------------------------------------------------ metadata


def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": takeoff.__version__}


def test_meta_lists_limits_key_parameters_and_milestones(client):
    meta = client.get("/api/meta").json()
    assert meta["limits"]["max_samples"] == MAX_SAMPLES
    assert meta["interactive_dt"] == 0.2
    assert set(meta["key_parameters"]) <= set(registry())
    assert len(meta["key_parameters"]) >= 10
    names = {m["name"] for m in meta["milestones"]}
    assert set(meta["marker_milestones"]) <= names
    assert "automated_50pct" in names


def test_scenarios_are_the_builtins(client):
    r = client.get("/api/scenarios")
    assert r.status_code == 200
    got = [s["name"] for s in r.json()]
    assert sorted(got) == sorted(builtin_names())
    assert got[0] == "default"
    first = r.json()[0]
    assert {"title", "description", "settings", "values", "distributions", "sources"} <= set(first)


def test_one_scenario_and_unknown_ones(client):
    r = client.get("/api/scenarios/default")
    assert r.status_code == 200 and r.json()["name"] == "default"
    for bad in ("nope", "..%2F..%2Fetc%2Fpasswd", "default.toml"):
        r = client.get(f"/api/scenarios/{bad}")
        assert r.status_code == 404, bad
        if "%2F" not in bad:  # an encoded slash does not even match the route
            assert "unknown scenario" in _detail(r)


def test_parameters_have_unit_range_plausible_description_source(client):
    r = client.get("/api/parameters")
    assert r.status_code == 200
    params = {p["name"]: p for p in r.json()}
    assert set(params) == set(registry())
    for name, spec in registry().items():
        p = params[name]
        assert p["unit"] == spec.unit
        assert p["range"] == [spec.low, spec.high]
        assert p["plausible"] == list(spec.plausible)
        assert p["description"] and p["source"]
        assert spec.low <= p["value"] <= spec.high
    assert params["full_automation_requirement"]["log_scale"] is True
    assert params["full_automation_requirement"]["key"] is True


def test_parameters_of_each_scenario_use_its_values(client):
    for name in builtin_names():
        r = client.get("/api/parameters", params={"scenario": name})
        assert r.status_code == 200
        values = {p["name"]: p["value"] for p in r.json()}
        for key, value in load_scenario(name).point_values().items():
            assert values[key] == pytest.approx(value)


def test_parameters_unknown_scenario_is_422(client):
    r = client.get("/api/parameters", params={"scenario": "/etc/passwd"})
    assert r.status_code == 422
    assert "scenario" in _detail(r)


def test_milestones_and_series(client):
    ms = client.get("/api/milestones").json()
    assert {m["name"] for m in ms} >= {"automated_50pct", "explosive_growth"}
    assert all(m["conditions"] for m in ms)
    series = {s["name"]: s for s in client.get("/api/series").json()}
    assert series["ai_compute"]["unit"] == "FLOP/s" and series["ai_compute"]["log_scale"]
    assert "gwp_growth" in series


# ------------------------------------------------------------------ docs and pages, offline


def _external_urls(text: str) -> list[str]:
    """URLs in src/href attributes or fetch calls that leave this server."""
    found = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", text)
    found += re.findall(r"""url\(\s*["']?(https?://[^"')]+)""", text)
    return [u for u in found if re.match(r"^(https?:)?//", u)]


def test_openapi_and_docs_work_offline(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/run",
        "/api/montecarlo",
        "/api/compare",
        "/api/parameters",
        "/api/scenarios",
    ):
        assert path in spec["paths"], path
    run_schema = spec["components"]["schemas"]["RunRequest"]
    assert run_schema.get("additionalProperties") is False
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui-bundle.js" in docs.text
    assert _external_urls(docs.text) == []
    assert "cdn" not in docs.text.lower()
    for asset in re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)["']""", docs.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404


def test_playground_page_and_assets_are_local(client):
    page = client.get("/")
    assert page.status_code == 200 and "takeoff playground" in page.text
    assert _external_urls(page.text) == []
    assets = re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)["']""", page.text)
    assert "/static/app.js" in assets and any("uPlot" in a for a in assets)
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200, asset
        if asset.endswith("app.js"):
            assert not re.search(r"https?://", r.text), "app.js must not reach other hosts"
    assert client.get("/static/vendor/uplot/LICENSE").status_code == 200
    assert client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
    assert client.get("/static/../server.py").status_code == 404


# ------------------------------------------------------------------ run


def test_run_matches_the_python_api(client):
    r = client.post("/api/run", json={"scenario": "default", **FAST})
    assert r.status_code == 200
    body = r.json()
    direct = takeoff.simulate("default", dt=0.5, end_year=2060)
    rows = direct.yearly()
    assert body["series"]["year"] == [float(y) for y in direct.years[rows]]
    np.testing.assert_allclose(
        body["series"]["automated_share"], direct.series["automated_share"][rows, 0]
    )
    assert body["milestones"] == direct.milestone_dict()
    assert body["settings"] == {"start_year": 2026.0, "end_year": 2060.0, "dt": 0.5}
    assert body["overrides"] == {}
    assert isinstance(body["elapsed_ms"], float)


def test_single_runs_use_jax_when_installed_and_match_numpy(client, monkeypatch):
    assert client.get("/api/meta").json()["backend"] == "jax"  # jax is in the test extras
    body = {"scenario": "amodei", "overrides": {"diffusion_years": 2.345}, **FAST}
    with_jax = client.post("/api/run", json=body).json()
    with TestClient(create_app(Limits(backend="numpy")), base_url=BASE) as numpy_client:
        assert numpy_client.get("/api/meta").json()["backend"] == "numpy"
        with_numpy = numpy_client.post("/api/run", json=body).json()
    assert not with_numpy["cached"]  # the cache is keyed by backend too
    for name, year in with_numpy["milestones"].items():
        assert (year is None) == (with_jax["milestones"][name] is None), name
        if year is not None:
            assert abs(year - with_jax["milestones"][name]) < 1e-6, name
    np.testing.assert_allclose(with_jax["series"]["gwp"], with_numpy["series"]["gwp"], rtol=1e-8)


def test_unknown_backend_stops_the_server_with_a_message(monkeypatch):
    monkeypatch.setenv("TAKEOFF_WEB_BACKEND", "torch")
    with pytest.raises(takeoff.errors.ValidationError, match="simulation.backend: 'torch'"):
        create_app()


def test_run_overrides_move_milestones_and_are_cached(client):
    base = client.post("/api/run", json=FAST).json()
    harder = {"overrides": {"full_automation_requirement": 1e38}, **FAST}
    first = client.post("/api/run", json=harder).json()
    assert first["overrides"] == {"full_automation_requirement": 1e38}
    b, h = base["milestones"]["automatable_20pct"], first["milestones"]["automatable_20pct"]
    assert h is None or (b is not None and h > b)
    second = client.post("/api/run", json=harder).json()
    assert second["cached"] is True
    assert second["milestones"] == first["milestones"]


def test_run_series_subset(client):
    r = client.post("/api/run", json={"series": ["gwp_growth", "power_gw"], **FAST})
    assert r.status_code == 200
    assert set(r.json()["series"]) == {"year", "gwp_growth", "power_gw"}


def test_run_every_scenario(client):
    for name in builtin_names():
        r = client.post("/api/run", json={"scenario": name, "series": ["gwp"], **FAST})
        assert r.status_code == 200, (name, r.text)
        assert r.json()["scenario"] == load_scenario(name).name


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"overrides": {"flop_gap_oom": 50}}, "flop_gap_oom", "outside the allowed range"),
        ({"overrides": {"flop_gap_om": 5}}, "flop_gap_om", "did you mean flop_gap_oom"),
        ({"overrides": {"flop_gap_oom": "5"}}, "overrides", "valid number"),
        ({"overrides": {"flop_gap_oom": True}}, "overrides", "valid number"),
        ({"overrides": {"flop_gap_oom": [1, 2]}}, "overrides", "valid number"),
        ({"overrides": {"ai_capex_ceiling": 0.5}}, "ai_capex_ceiling", "must not exceed"),
        ({"overrides": []}, "overrides", "valid dictionary"),
        ({"scenario": "nope"}, "scenario", "unknown scenario"),
        ({"scenario": "/etc/passwd"}, "scenario", "pattern"),
        ({"scenario": 3}, "scenario", "valid string"),
        ({"dt": 0.001}, "dt", "greater than or equal to 0.05"),
        ({"dt": 2}, "dt", "less than or equal to 1"),
        ({"end_year": 2500}, "end_year", "less than or equal to 2200"),
        ({"end_year": 2000}, "end_year", "greater than or equal to 2027"),
        ({"series": ["bogus"]}, "series", "unknown series"),
        ({"seed": 1}, "seed", "Extra inputs are not permitted"),
        ({"overides": {}}, "overides", "Extra inputs are not permitted"),
    ],
)
def test_run_invalid_requests_are_422_with_field_and_reason(client, body, field, reason):
    r = client.post("/api/run", json=body)
    assert r.status_code == 422, r.text
    detail = _detail(r)
    assert field in detail and reason in detail, detail


@pytest.mark.parametrize(
    "raw",
    [
        b"{bad json",
        b"[]",
        b'"default"',
        b"null",
        b"",
        b'{"overrides": {"flop_gap_oom": NaN}}',
        b'{"overrides": {"flop_gap_oom": Infinity}}',
        b'{"dt": 1e999}',
        b"\xff\xfe\x00",
    ],
)
def test_run_malformed_bodies_are_4xx(client, raw):
    r = client.post("/api/run", content=raw, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500, (raw, r.status_code, r.text)
    assert "detail" in r.json()


def test_oversized_bodies_are_413(client):
    big = {"overrides": {"flop_gap_oom": 5}, "pad": "x" * (MAX_BODY_BYTES + 10)}
    r = client.post("/api/run", json=big)
    assert r.status_code == 413
    assert "larger than" in _detail(r)

    def chunks():  # no content-length: counted as it arrives
        for _ in range(20):
            yield b" " * 8192

    r = client.post("/api/run", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_too_many_overrides_or_series_are_422(client):
    many = {f"p{i}": 1.0 for i in range(201)}
    r = client.post("/api/run", json={"overrides": many})
    assert r.status_code == 422
    r = client.post("/api/run", json={"series": ["gwp"] * 65})
    assert r.status_code == 422


def test_wrong_method_and_path(client):
    assert client.get("/api/run").status_code == 405
    assert client.get("/api/nothing").status_code == 404


def test_time_limit_answers_503_not_500():
    with TestClient(
        create_app(Limits(run_seconds=0.0, mc_seconds=0.0, compare_seconds=0.0)), base_url=BASE
    ) as c:
        r = c.post("/api/run", json={"overrides": {"diffusion_years": 7.77}, **FAST})
        assert r.status_code == 503
        assert "time limit" in _detail(r)
        r = c.post("/api/montecarlo", json={"n_samples": 300, "seed": 99, **FAST})
        assert r.status_code == 503
        r = c.post("/api/compare", json={"overrides": {"diffusion_years": 7.78}, **FAST})
        assert r.status_code == 503


# ------------------------------------------------------------------ Monte Carlo


def test_montecarlo_small(client):
    name = scenario_with_distributions() or "default"
    r = client.post("/api/montecarlo", json={"scenario": name, "n_samples": 60, "seed": 3, **FAST})
    assert r.status_code == 200, r.text
    mc = r.json()
    assert mc["n_samples"] == 60 and mc["seed"] == 3
    assert mc["years"][0] == 2026.0 and mc["years"][-1] == 2060.0
    assert mc["quantiles"] == [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]
    fan = np.array(mc["fans"]["automated_share"], dtype=float)
    assert fan.shape == (7, len(mc["years"]))
    assert (np.diff(fan, axis=0) >= -1e-12).all()  # quantiles are ordered
    for cdf in mc["cdf"].values():
        assert len(cdf) == len(mc["years"])
        assert all(0 <= p <= 1 for p in cdf) and all(np.diff(cdf) >= 0)
    summary = mc["milestones"]["automated_50pct"]
    assert {"p10", "p50", "p90", "prob_by", "prob_reached"} <= set(summary)
    if name != "default":
        assert mc["sampled"], "a scenario with distributions samples them"
    again = client.post(
        "/api/montecarlo", json={"scenario": name, "n_samples": 60, "seed": 3, **FAST}
    ).json()
    assert again["cached"] is True and again["cdf"] == mc["cdf"]


def test_montecarlo_series_subset_and_overrides(client):
    r = client.post(
        "/api/montecarlo",
        json={
            "n_samples": 20,
            "series": ["gwp_growth"],
            "overrides": {"diffusion_years": 6.0},
            **FAST,
        },
    )
    assert r.status_code == 200
    assert set(r.json()["fans"]) == {"gwp_growth"}
    assert "diffusion_years" not in r.json()["sampled"]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"n_samples": MAX_SAMPLES + 1}, "n_samples", f"less than or equal to {MAX_SAMPLES}"),
        ({"n_samples": 0}, "n_samples", "greater than or equal to 1"),
        ({"n_samples": "100"}, "n_samples", "valid integer"),
        ({"n_samples": 10.5}, "n_samples", "valid integer"),
        ({"seed": -1}, "seed", "greater than or equal to 0"),
        ({"n_samples": 5000, "dt": 0.05}, "body", "exceeds the server's limit"),
        ({"series": ["labour_force"]}, "series", "unknown series"),
        ({"overrides": {"software_returns": -1}}, "software_returns", "outside the allowed range"),
        ({"scenario": "nope"}, "scenario", "unknown scenario"),
        ({"chunk_size": 10}, "chunk_size", "Extra inputs"),
    ],
)
def test_montecarlo_invalid_requests(client, body, field, reason):
    r = client.post("/api/montecarlo", json=body)
    assert r.status_code == 422, r.text
    detail = _detail(r)
    assert field in detail and reason in detail, detail


# ------------------------------------------------------------------ compare


def test_compare_default_and_explicit(client):
    r = client.post("/api/compare", json=FAST)
    assert r.status_code == 200, r.text
    runs = r.json()["runs"]
    assert len(runs) == min(len(builtin_names()), MAX_COMPARE)
    assert runs[0]["scenario"] == "default"
    assert set(runs[0]["series"]) == {"year", *compute.COMPARE_SERIES}
    pick = builtin_names()[:2]
    r = client.post("/api/compare", json={"scenarios": pick, "series": ["gwp"], **FAST})
    assert r.status_code == 200
    assert [x["scenario"] for x in r.json()["runs"]] == [load_scenario(n).name for n in pick]
    assert set(r.json()["runs"][0]["series"]) == {"year", "gwp"}


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"scenarios": []}, "scenarios", "at least 1"),
        ({"scenarios": ["default"] * 9}, "scenarios", f"at most {MAX_COMPARE}"),
        ({"scenarios": ["default", "default"]}, "scenarios", "appear once"),
        ({"scenarios": ["default", "nope"]}, "scenarios", "unknown scenario"),
        ({"scenarios": "default"}, "scenarios", "valid list"),
        ({"overrides": {"automation_cap": 2}}, "automation_cap", "outside the allowed range"),
        ({"n_samples": 3}, "n_samples", "Extra inputs"),
    ],
)
def test_compare_invalid_requests(client, body, field, reason):
    r = client.post("/api/compare", json=body)
    assert r.status_code == 422, r.text
    detail = _detail(r)
    assert field in detail and reason in detail, detail


# ------------------------------------------------------------------ no 500s on junk


def test_junk_never_gives_500(client):
    rng = np.random.default_rng(0)
    atoms = [None, True, -1, 0, 1e308, -1e-308, "x", "default", [], {}, [1, "a"], {"a": 1}]
    keys = ["scenario", "overrides", "dt", "end_year", "series", "n_samples", "seed", "scenarios"]
    for _ in range(60):
        body = {str(rng.choice(keys)): atoms[rng.integers(len(atoms))] for _ in range(2)}
        for path in ("/api/run", "/api/montecarlo", "/api/compare"):
            r = client.post(path, json=body)
            assert r.status_code < 500, (path, body, r.text)


def test_concurrent_runs_agree_with_serial_ones(client):
    from concurrent.futures import ThreadPoolExecutor

    bodies = [{"overrides": {"software_returns": 1.0 + 0.1 * i}, **FAST} for i in range(6)]
    serial = [takeoff.simulate("default", b["overrides"], dt=0.5, end_year=2060) for b in bodies]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda b: client.post("/api/run", json=b).json(), bodies))
    for got, want in zip(answers, serial, strict=True):
        assert got["milestones"] == want.milestone_dict()
