"""Binding constraints read from a run's series (takeoff.report.constraints)."""

from __future__ import annotations

import numpy as np
import pytest

from takeoff.report.constraints import (
    SAVINGS,
    binding_constraints,
    binding_indicators,
    first_years,
    summarise,
)

YEARS = np.array([2026.0, 2027.0, 2028.0, 2029.0, 2030.0])


def _price(*columns) -> np.ndarray:
    """(T, n) shadow prices: column i positive from row columns[i] on (None: never)."""
    out = np.zeros((YEARS.size, len(columns)))
    for i, start in enumerate(columns):
        if start is not None:
            out[start:, i] = 1.0 + np.arange(YEARS.size - start)
    return out


def test_first_years_and_share_of_a_shadow_price():
    series = {"power_shadow_price": _price(2, None, 0, 4)}
    (power,) = binding_constraints(YEARS, series)
    assert power.name == "power" and power.source == "power_shadow_price"
    assert power.share == pytest.approx(0.75)
    # median of the first years of the samples that bind: 2028, 2026, 2030 -> 2028
    assert power.first_year == 2028.0
    assert power.share_at_end == pytest.approx(0.75)
    np.testing.assert_array_equal(
        first_years(YEARS, series["power_shadow_price"] > 0), [2028.0, np.nan, 2026.0, 2030.0]
    )


def test_a_constraint_that_stops_binding_is_not_binding_at_the_end():
    price = np.zeros((YEARS.size, 2))
    price[1:3, 0] = 5.0  # binds 2027-2028, then no longer
    price[3, 1] = np.nan  # NaN is not a price above zero
    (power,) = binding_constraints(YEARS, {"power_shadow_price": price})
    assert power.first_year == 2027.0 and power.share == 0.5 and power.share_at_end == 0.0


def test_every_shadow_price_series_is_a_constraint_and_nothing_else_is():
    series = {
        "power_shadow_price": _price(None),
        "chip_shadow_price": _price(1),
        "datacentre_shadow_price": _price(3),
        "_shadow_price": _price(0),  # no name before the suffix
        "shadow_price_index": _price(0),  # the suffix must end the name
        "gwp": np.ones((YEARS.size, 1)),
    }
    found = binding_constraints(YEARS, series)
    assert [b.name for b in found] == ["chip", "datacentre", "power"]  # binding first
    assert [b.first_year for b in found] == [2027.0, 2029.0, None]
    assert found[-1].share == 0.0 and found[-1].share_at_end == 0.0


def test_the_savings_limit_binds_when_investment_reaches_its_cap():
    gwp = np.full((YEARS.size, 3), 100.0)
    capital = np.full((YEARS.size, 3), 20.0)
    ai = np.full((YEARS.size, 3), 10.0)
    ai[2:, 0] = 40.0  # sample 0: 20 + 40 = 60 = 0.6 x 100 from 2028
    ai[:, 1] = 34.0  # sample 1: 54 < 60, never at the cap
    ai[4, 2] = 30.0  # sample 2: its own cap is 0.5 x 100 = 50 = 20 + 30 in 2030
    series = {"gwp": gwp, "capital_investment": capital, "ai_capex": ai}
    limit = np.array([0.6, 0.6, 0.5])
    (savings,) = binding_constraints(YEARS, series, limit)
    assert savings.name == SAVINGS
    assert savings.share == pytest.approx(2 / 3)
    assert savings.first_year == pytest.approx(2029.0)  # median of 2028 and 2030
    assert savings.share_at_end == pytest.approx(2 / 3)
    # without s_max (or without the series) the limit is not read at all
    assert binding_indicators(series) == {}
    assert SAVINGS not in binding_indicators({"gwp": gwp}, 0.6)


def test_a_deterministic_run_is_one_sample():
    (power,) = binding_constraints(YEARS, {"power_shadow_price": _price(3)})
    assert (power.share, power.first_year, power.share_at_end) == (1.0, 2029.0, 1.0)
    never = summarise("x", "x_shadow_price", np.array([np.nan]), np.array([False]))
    assert (never.share, never.first_year) == (0.0, None)


def test_on_a_model_run_each_first_year_is_a_year_with_a_positive_price():
    """No model numbers: whatever binds, the price is > 0 in its first year and 0 before."""
    import takeoff

    result = takeoff.simulate("default", dt=0.5, end_year=2070, output_step=1.0)
    rows = result.yearly()
    years = result.years[rows]
    series = {name: arr[rows] for name, arr in result.series.items()}
    found = binding_constraints(years, series, result.parameters["max_investment_share"])
    prices = [name for name in series if name.endswith("_shadow_price")]
    assert {b.source for b in found} == set(prices) | {"capital_investment + ai_capex"}
    for b in found:
        if b.source not in series:
            continue
        price = series[b.source][:, 0]
        if b.first_year is None:
            assert not (price > 0).any()
        else:
            at = int(np.flatnonzero(years == b.first_year)[0])
            assert price[at] > 0 and not (price[:at] > 0).any()
