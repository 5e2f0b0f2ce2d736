"""`takeoff data` through the CLI (typer's CliRunner)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from takeoff.cli import app
from takeoff.data.observations import series_mapping


def invoke(*args: str):
    return CliRunner().invoke(app, ["data", *args])


def test_table_lists_every_series():
    res = invoke()
    assert res.exit_code == 0, res.output
    for name in ("largest_training_run", "time_horizon_minutes", "gwp_nominal"):
        assert name in res.output


def test_series_filter_and_json():
    res = invoke("--series", "compute", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert rows and {r["series"] for r in rows} == {"compute"}
    assert all(r["unit"] == "FLOP/s" and r["low"] <= r["value"] <= r["high"] for r in rows)
    assert all(len(r["published"]) == 10 for r in rows)


def test_mapping_json_covers_every_series():
    res = invoke("--mapping", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == set(series_mapping())
    assert out["ai_revenue_openai"]["model_series"] == "ai_revenue"
    assert out["ai_revenue_openai"]["comparison"] == "lower_bound"


def test_unknown_series_is_a_one_line_error():
    for args in (("--series", "gdp"), ("--mapping", "-s", "gdp")):
        res = invoke(*args)
        assert res.exit_code == 2
        assert "--series: unknown series 'gdp'" in res.output
        assert "Traceback" not in res.output
