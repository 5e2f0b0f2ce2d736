"""The observations file (takeoff/data/observations.csv): validity, derived rows, the loader's errors."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from takeoff.data import data_path
from takeoff.data.observations import (
    COLUMNS,
    DERIVATIONS,
    TREND_YEAR,
    agrees,
    derived_rows,
    load_observations,
    series_mapping,
    write_derived,
)
from takeoff.errors import ValidationError


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return load_observations()


@pytest.fixture(scope="module")
def derived() -> pd.DataFrame:
    return derived_rows()


def test_bundled_file_validates_and_covers_every_series(obs):
    assert list(obs.columns) == list(COLUMNS)
    assert set(obs["series"]) == set(series_mapping())
    assert (obs["low"] <= obs["value"]).all() and (obs["value"] <= obs["high"]).all()
    assert obs["published"].notna().all()
    for series, rows in obs.groupby("series"):
        assert rows["unit"].nunique() == 1, series


def test_mapping_targets_are_model_series():
    import takeoff

    result = takeoff.simulate("default", end_year=2027.0)
    mapping = series_mapping()
    assert {m.model_series for m in mapping.values()} <= set(result.series)
    assert all(m.tolerance >= 1.0 for m in mapping.values())
    assert {m.comparison for m in mapping.values()} <= {
        "value_at_year",
        "running_max",
        "lower_bound",
        "proxy",
    }


@pytest.mark.parametrize("key", sorted(DERIVATIONS))
def test_derived_rows_in_file_equal_what_the_raw_files_give(obs, derived, key):
    in_file = obs[obs["derived_by"] == key].reset_index(drop=True)
    fresh = derived[derived["derived_by"] == key].reset_index(drop=True)
    assert len(in_file) == len(fresh) > 0
    for column in ("year", "value", "low", "high"):
        np.testing.assert_array_equal(in_file[column].to_numpy(), fresh[column].to_numpy())
    for column in ("series", "unit", "interval", "source", "notes"):
        assert in_file[column].tolist() == fresh[column].tolist()
    assert in_file["published"].dt.strftime("%Y-%m-%d").tolist() == fresh["published"].tolist()


def test_rewriting_derived_rows_reproduces_the_file(tmp_path):
    copy = tmp_path / "observations.csv"
    shutil.copy(data_path("observations.csv"), copy)
    write_derived(copy)

    def rows(path):  # typed rows may sit anywhere; the rewrite puts derived rows last
        frame = load_observations(path)
        return frame.sort_values(["derived_by", "series", "year", "source"], ignore_index=True)

    pd.testing.assert_frame_equal(rows(copy), rows(data_path("observations.csv")))


def _raw_epoch() -> pd.DataFrame:
    raw = pd.read_csv(data_path("epoch_notable_ai_models.csv"))
    raw["date"] = pd.to_datetime(raw["Publication date"])
    return raw[raw["Training compute (FLOP)"] > 0]


def test_epoch_records_are_the_running_maximum_of_the_raw_file(obs):
    raw = _raw_epoch()
    records = obs[obs["derived_by"] == "epoch_record"]
    for year in (2021, 2024, 2025):
        row = records[records["year"] == float(year)].iloc[0]
        known = raw[raw["date"] <= pd.Timestamp(f"{year - 1}-12-31")]
        assert row["value"] == pytest.approx(known["Training compute (FLOP)"].max(), rel=1e-6)
    last = records.iloc[-1]
    assert last["value"] == pytest.approx(raw["Training compute (FLOP)"].max(), rel=1e-6)
    assert "Grok" in last["source"] and last["year"] > 2025.3
    assert records["value"].is_monotonic_increasing


def test_epoch_trend_rows_match_an_independent_least_squares_fit(obs):
    from takeoff.classics.compute_trend import frontier_runs

    for top_k in (5, 1):
        row = obs[obs["derived_by"] == f"epoch_trend_top{top_k}"].iloc[0]
        runs = frontier_runs(2010, 2025, top_k)
        slope, intercept = np.polyfit(
            runs["year_fraction"], np.log10(runs["training_compute_flop"]), 1
        )
        assert row["year"] == TREND_YEAR
        assert row["value"] == pytest.approx(10 ** (intercept + slope * TREND_YEAR), rel=1e-5)
        assert row["low"] < row["value"] < row["high"]
    top5 = obs[obs["derived_by"] == "epoch_trend_top5"].iloc[0]
    top1 = obs[obs["derived_by"] == "epoch_trend_top1"].iloc[0]
    # The records sit above the typical frontier run.
    assert top1["value"] > top5["value"]


def test_metr_records_are_metrs_own_sota_models(obs):
    with open(data_path("metr_time_horizons_v1_1.yaml"), encoding="utf-8") as fh:
        results = yaml.safe_load(fh)["results"]
    sota = {
        name: r["metrics"]["p50_horizon_length"]
        for name, r in results.items()
        if r["metrics"]["is_sota"]
    }
    rows = obs[obs["derived_by"] == "metr_record"]
    names = [s.rsplit(": ", 1)[1] for s in rows["source"]]
    assert sorted(names) == sorted(sota)
    for name, (_, row) in zip(names, rows.iterrows(), strict=True):
        assert row["value"] == pytest.approx(sota[name]["estimate"], rel=1e-5)
        assert row["low"] == pytest.approx(sota[name]["ci_low"], rel=1e-5)
        assert row["high"] == pytest.approx(sota[name]["ci_high"], rel=1e-5)
    assert rows["value"].is_monotonic_increasing and rows["year"].is_monotonic_increasing


# --------------------------------------------------------------------------- malformed files

GOOD = {
    "series": "compute",
    "year": "2025.0",
    "value": "6e21",
    "unit": "FLOP/s",
    "low": "5e21",
    "high": "7e21",
    "interval": "90% CI",
    "source": "a source",
    "published": "2026-01-13",
    "derived_by": "",
    "notes": "",
}


def _write(tmp_path, changes: dict, drop: str | None = None, extra: str | None = None):
    rows = [dict(GOOD), {**GOOD, **changes}]
    frame = pd.DataFrame(rows)
    if drop:
        frame = frame.drop(columns=drop)
    if extra:
        frame[extra] = "x"
    path = tmp_path / "obs.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"series": "computer"}, "series", "unknown series"),
        ({"unit": "FLOP"}, "unit", "FLOP/s"),
        ({"value": "-1"}, "value", "positive"),
        ({"value": "abc"}, "value", "not a finite number"),
        ({"value": "inf"}, "value", "not a finite number"),
        ({"high": ""}, "high", "not a finite number"),
        ({"low": "6.5e21"}, "low", "must not exceed value"),
        ({"high": "5.5e21"}, "high", "must not be below value"),
        ({"year": "1900"}, "year", "[1950, 2100]"),
        ({"source": "  "}, "source", "is empty"),
        ({"published": "13/01/2026"}, "published", "YYYY-MM-DD"),
        ({"published": "2026-02-30"}, "published", "YYYY-MM-DD"),
        ({"derived_by": "by_hand"}, "derived_by", "allowed"),
    ],
)
def test_malformed_rows_are_rejected_naming_row_and_field(tmp_path, changes, field, words):
    with pytest.raises(ValidationError) as err:
        load_observations(_write(tmp_path, changes))
    message = str(err.value)
    assert "row 2" in message and repr(field) in message and words in message


def test_missing_or_unknown_columns_are_rejected(tmp_path):
    with pytest.raises(ValidationError, match=r"missing \['notes'\]"):
        load_observations(_write(tmp_path, {}, drop="notes"))
    with pytest.raises(ValidationError, match=r"unknown \['colour'\]"):
        load_observations(_write(tmp_path, {}, extra="colour"))


def test_missing_file_and_garbage_are_validation_errors(tmp_path):
    with pytest.raises(ValidationError, match="does not exist"):
        load_observations(tmp_path / "none.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValidationError, match="cannot parse"):
        load_observations(empty)


# --------------------------------------------------------------------------- comparison


def test_agrees_applies_interval_tolerance_and_lower_bounds(obs):
    compute = obs[(obs["series"] == "compute")].iloc[[0]]  # tolerance 1
    assert agrees(compute, [compute["value"].iloc[0]]).all()
    assert not agrees(compute, [compute["high"].iloc[0] * 1.01]).any()
    power = obs[obs["series"] == "power_gw"].iloc[[0]]  # Schneider point, tolerance 1.5
    assert agrees(power, [4.3 * 1.49]).all() and not agrees(power, [4.3 * 1.51]).any()
    floor = obs[obs["series"] == "ai_revenue_anthropic"].iloc[[0]]  # lower bound
    assert agrees(floor, [1e15]).all() and not agrees(floor, [0.9e8]).any()
    with pytest.raises(ValidationError, match="one value per observation"):
        agrees(obs, [1.0])
