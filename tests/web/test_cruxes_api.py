"""POST /api/cruxes: why two worldviews differ (the playground's "Why they differ" view).

Runs use 16 samples per hybrid worldview and a one-year time step: the tests check the
payload's shape and invariants (efficiency, ordering, caching) and the input checks, not
model numbers. The pair is picked from the built-ins that load, fewest differences first,
so the module stays fast while the model's scenarios change.
"""

from __future__ import annotations

import json
import warnings

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from takeoff.cruxes.groups import differing  # noqa: E402
from takeoff.errors import TakeoffError  # noqa: E402
from takeoff.report.palette import builtin_colour  # noqa: E402
from takeoff.scenarios.loader import builtin_names, load_scenario  # noqa: E402
from takeoff.web.cruxes import CRUXES_CACHE  # noqa: E402
from takeoff.web.models import MAX_CRUXES_SAMPLES, CruxesResponse  # noqa: E402
from takeoff.web.server import Limits, create_app  # noqa: E402

BASE = "http://localhost"
FAST = {"n_samples": 16, "dt": 1.0}


def _loadable() -> list[str]:
    out = []
    for name in builtin_names():
        try:
            load_scenario(name)
        except TakeoffError:
            continue
        out.append(name)
    return out


@pytest.fixture(scope="module")
def pairs() -> tuple[tuple[str, str], tuple[str, str]]:
    """(the loadable pair with the fewest differing parameters, the one with the most)."""
    names = _loadable()
    found = [
        (len(differing(load_scenario(a), load_scenario(b))), a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]
    found = [f for f in found if f[0] > 0]
    if not found:
        pytest.skip("fewer than two differing built-in worldviews load")
    found.sort()
    return found[0][1:], found[-1][1:]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(backend="numpy")), base_url=BASE) as c:
        yield c


def _detail(response) -> str:
    return json.dumps(response.json()["detail"])


def test_attribution_payload_shape_and_invariants(client, pairs):
    (a, b), _ = pairs
    CRUXES_CACHE.clear()
    r = client.post("/api/cruxes", json={"a": a, "b": b, **FAST})
    assert r.status_code == 200, r.text
    body = r.json()
    CruxesResponse.model_validate(body)  # every documented field, of the documented type
    assert (body["a"], body["b"], body["milestone"]) == (a, b, "automated_100pct")
    assert body["metric"] == "median year of automated_100pct" and body["unit"] == "years"
    assert body["n_samples"] == 16 and body["cached"] is False
    groups = body["groups"]
    assert groups and len(body["sentences"]) == len(groups)
    # efficiency: the Shapley values add up to the difference (each rounded to 1e-4)
    total = sum(g["shapley"] for g in groups)
    assert total == pytest.approx(body["total"], abs=1e-4 * (len(groups) + 1))
    assert body["total"] == pytest.approx(body["value_b"] - body["value_a"], abs=2e-4)
    # largest |Shapley value| first; every differing parameter in exactly one group
    sizes = [abs(g["shapley"]) for g in groups]
    assert sizes == sorted(sizes, reverse=True)
    params = [p for g in groups for p in g["parameters"]]
    assert sorted(params) == sorted(differing(load_scenario(a), load_scenario(b)))
    assert all(g["se"] >= 0 for g in groups)
    assert body["colours"] == {"a": builtin_colour(a), "b": builtin_colour(b)}
    # the same request again comes from the cache, with the same numbers
    again = client.post("/api/cruxes", json={"a": a, "b": b, **FAST}).json()
    assert again["cached"] is True and again["groups"] == groups


def test_probability_metric_is_in_percentage_points(client, pairs):
    (a, b), _ = pairs
    req = {"a": a, "b": b, "milestone": "automated_20pct", "metric": "prob-by:2040", **FAST}
    r = client.post("/api/cruxes", json=req)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["unit"] == "pp" and body["metric"] == "P(automated_20pct by 2040)"
    assert 0 <= body["value_a"] <= 100 and 0 <= body["value_b"] <= 100


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"b": "@a"}, "body", "two different worldviews"),
        ({"b": "no-such-view"}, "b", "unknown scenario"),
        ({"milestone": "nope"}, "milestone", "unknown milestone"),
        ({"metric": "mean"}, "body", "is not one of median"),
        ({"metric": "prob-by:1999"}, "body", "the year must be in"),
        ({"by": "colour"}, "by", "auto"),
        ({"n_samples": 8}, "n_samples", "greater than or equal to 16"),
        ({"n_samples": MAX_CRUXES_SAMPLES + 1}, "n_samples", "less than or equal"),
        ({"n_samples": 20.0}, "n_samples", "valid integer"),
        ({"dt": 0.0}, "dt", "greater than or equal"),
        ({"seed": -1}, "seed", "greater than or equal"),
        ({"colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_bad_requests_are_422_naming_the_field(client, pairs, change, field, text):
    (a, b), _ = pairs
    req = {"a": a, "b": b, **FAST, **change}
    if req["b"] == "@a":
        req["b"] = a
    r = client.post("/api/cruxes", json=req)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"][0]
    assert detail["loc"][-1] == field, detail
    assert text in detail["msg"], detail


def test_work_beyond_the_servers_bound_is_refused_before_running(client, pairs):
    _, (a, b) = pairs
    # by block: at least 2 groups, so 4 hybrids x 2,000 samples x 1,480 steps > 8,000,000
    req = {"a": a, "b": b, "by": "block", "n_samples": MAX_CRUXES_SAMPLES, "dt": 0.05}
    r = client.post("/api/cruxes", json=req)
    assert r.status_code == 422, r.text
    assert "exceeds the server's limit" in _detail(r)


def test_a_run_past_the_time_limit_is_503(pairs):
    (a, b), _ = pairs
    CRUXES_CACHE.clear()
    with TestClient(create_app(Limits(backend="numpy", mc_seconds=0.0)), base_url=BASE) as c:
        r = c.post("/api/cruxes", json={"a": a, "b": b, **FAST})
    assert r.status_code == 503, r.text
    assert "time limit" in _detail(r)


def test_body_must_be_json_and_route_is_documented(client, pairs):
    (a, b), _ = pairs
    r = client.post("/api/cruxes", content=json.dumps({"a": a, "b": b}))
    assert r.status_code == 415
    spec = client.get("/openapi.json").json()
    assert "/api/cruxes" in spec["paths"]
    assert spec["components"]["schemas"]["CruxesRequest"].get("additionalProperties") is False


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "null",
        '{"a": 5, "b": "default"}',
        '{"a": ["default"], "b": "default"}',
        '{"a": "' + "x" * 1000 + '", "b": "default"}',
        '{"a": "../../etc/passwd", "b": "default"}',
        '{"a": "default", "b": "ftm", "metric": "prob-by:' + "9" * 200 + '"}',
        '{"a": "default", "b": "ftm", "milestone": null}',
        '{"a": "default", "b": "ftm", "n_samples": "200"}',
        '{"a": "default", "b": "ftm", "dt": "NaN"}',
        '{"a": "default", "b": "ftm", "by": {"x": 1}}',
    ],
)
def test_hostile_bodies_get_a_422_that_names_the_problem(client, body):
    r = client.post("/api/cruxes", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    for item in r.json()["detail"]:
        assert {"loc", "msg", "type"} <= set(item)
    assert "Traceback" not in r.text and "/work/" not in r.text and "site-packages" not in r.text
