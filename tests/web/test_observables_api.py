"""GET /api/observables: the series POST /api/update accepts, with units and default SDs."""

from __future__ import annotations

import warnings

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from takeoff.evidence.observables import OBSERVABLES, parse_observation  # noqa: E402
from takeoff.web.models import ObservableInfo  # noqa: E402
from takeoff.web.server import Limits, create_app  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(backend="numpy")), base_url="http://localhost") as c:
        yield c


def test_observables_list_every_series_with_unit_and_default_sd(client):
    response = client.get("/api/observables")
    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == list(OBSERVABLES)
    for row in rows:
        ObservableInfo.model_validate(row)
        observable = OBSERVABLES[row["name"]]
        assert (row["unit"], row["scale"], row["default_sd"]) == (
            observable.unit,
            observable.scale,
            observable.default_sd,
        )
        assert row["description"]
        # the default SD is one an observation may state
        parse_observation(f"{row['name']}=1@2030±{row['default_sd']}")
    by_name = {row["name"]: row for row in rows}
    assert by_name["openai_revenue"]["unit"] == "$/yr"
    assert by_name["gwp_growth"]["scale"] == "linear"


def test_observables_are_in_the_openapi_description(client):
    spec = client.get("/openapi.json").json()
    assert "/api/observables" in spec["paths"]
    assert "ObservableInfo" in spec["components"]["schemas"]
