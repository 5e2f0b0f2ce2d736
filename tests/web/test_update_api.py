"""POST /api/update: a worldview's milestones after observations (docs/evidence.md)."""

from __future__ import annotations

import json
import warnings

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from takeoff.web.evidence import PRIOR_CACHE  # noqa: E402
from takeoff.web.models import UpdateResponse  # noqa: E402
from takeoff.web.server import Limits, create_app  # noqa: E402

BASE = "http://localhost"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(backend="numpy")), base_url=BASE) as c:
        yield c


def test_update_then_reweight_from_the_cache(client):
    PRIOR_CACHE.clear()
    body = {
        "scenario": "amodei",
        "observations": ["ai_revenue_growth=4@2027"],
        "n_samples": 400,
        "min_ess": 20,
    }
    first = client.post("/api/update", json=body)
    assert first.status_code == 200, first.text
    payload = first.json()
    UpdateResponse.model_validate(payload)
    assert payload["cached"] is False and payload["what_if"] is None
    update = payload["update"]
    assert 20 <= update["effective_sample_size"] <= 400
    assert update["observations"][0]["observation"] == "ai_revenue_growth=4@2027"
    # per milestone, the prior and posterior CDF of its year on the run's year grid
    cdf = update["cdf"]
    assert cdf["years"][0] == 2026.0 and cdf["years"] == sorted(cdf["years"])
    assert set(cdf["milestones"]) == set(update["milestones"])
    for name, pair in cdf["milestones"].items():
        assert set(pair) == {"prior", "posterior"}
        for key, values in pair.items():
            assert len(values) == len(cdf["years"])
            assert all(0 <= p <= 1 for p in values)
            assert all(a <= b for a, b in zip(values, values[1:], strict=False))
            summary = update["milestones"][name][key]
            assert values[-1] == pytest.approx(summary["prob_reached"], abs=1e-4)
            assert values[cdf["years"].index(2030.0)] == pytest.approx(
                summary["prob_by"]["2030"], abs=1e-4
            )
    # Other observations on the same prior reuse its Monte Carlo.
    second = client.post(
        "/api/update", json={**body, "observations": ["power_gw=90@2028"], "what_if": True}
    ).json()
    assert second["cached"] is True
    assert second["what_if"]["milestone"] == "country_of_geniuses"
    assert len(second["what_if"]["cases"]) == 4


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"scenario": "amodei"}, 422, "give observations or what_if"),
        ({"scenario": "nope", "observations": ["power_gw=9@2028"]}, 422, "unknown scenario"),
        (
            {"scenario": "amodei", "observations": ["power=9@2028"], "n_samples": 100},
            422,
            "unknown series",
        ),
        (
            {"scenario": "amodei", "observations": ["power_gw=9@2028"], "n_samples": 50},
            422,
            "greater than or equal to 100",
        ),
        (
            {"scenario": "default", "observations": ["power_gw=9@2028"], "n_samples": 100},
            422,
            "no parameter distributions",
        ),
        ({"scenario": "amodei", "observations": ["power_gw=9@2028"], "colour": 1}, 422, "colour"),
    ],
)
def test_bad_requests_are_named(client, body, status, fragment):
    response = client.post("/api/update", json=body)
    assert response.status_code == status, response.text
    assert fragment in json.dumps(response.json())
