"""Initial conditions for a start in 2020-2026 from the data known then (issue 13, item 2)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from takeoff.errors import ValidationError
from takeoff.evidence.initial import initial_conditions
from takeoff.params.schema import registry


@pytest.mark.parametrize(
    ("year", "known_by"),
    [(2020, None), (2022, None), (2024, "2023-06-01"), (2025, "2025-02-08"), (2026, None)],
)
def test_values_use_only_data_published_by_known_by(year, known_by):
    ic = initial_conditions(year, known_by=known_by)
    for v in ic.values:
        assert v.method in ("record", "observed", "backcast", "default")
        if v.method in ("record", "observed"):
            assert v.data_until and pd.Timestamp(v.data_until) <= ic.known_by, v
            assert not v.look_ahead
        assert (v.method == "backcast") == v.look_ahead, v
        spec = registry()[v.name]
        assert spec.low <= v.value <= spec.high, v


def test_default_known_by_is_the_start_of_the_year():
    assert initial_conditions(2022).known_by == pd.Timestamp("2022-01-01")
    assert initial_conditions(2022, known_by=2022.0).known_by == pd.Timestamp("2022-01-01")


def test_records_are_those_published_by_the_start():
    """Largest run and METR horizon at 2020.0 and 2022.0 are the records of the dataset."""
    ic20, ic22 = initial_conditions(2020), initial_conditions(2022)
    assert ic20["largest_training_run_2026"].value == pytest.approx(3.41e23)  # AlphaGo Zero
    assert ic22["largest_training_run_2026"].value == pytest.approx(1.029e25)  # Wu Dao 2.0
    assert ic20["metr_horizon_2026"].value == pytest.approx(0.039762, rel=1e-4)  # GPT-2
    assert ic22["metr_horizon_2026"].value == pytest.approx(0.148793, rel=1e-4)  # davinci-002


def test_a_later_known_by_changes_only_what_was_published_in_between():
    """Knowing 2026's data does not move the 2022 records (they are dated by then), refits GWP
    to the later observations and replaces the capex and compute known then (NVIDIA's
    data-centre revenue, start_values.csv) by fits to the later observations."""
    now, later = initial_conditions(2022), initial_conditions(2022, known_by="2026-12-31")
    for name in ("largest_training_run_2026", "metr_horizon_2026"):
        assert later[name].value == now[name].value
    gwp = "gwp_2026"
    assert now[gwp].method == later[gwp].method == "observed"
    assert now[gwp].data_until < "2022-01-01" < later[gwp].data_until
    assert later[gwp].value != now[gwp].value
    for name in ("ai_capex_share_2026", "installed_ai_compute_2026"):
        assert now[name].method == later[name].method == "observed"
        assert now[name].data_until < "2022-01-01" < later[name].data_until
        assert "NVIDIA" in now[name].source and later[name].value != now[name].value
    assert set(later.look_ahead()) <= set(now.look_ahead())


@pytest.mark.parametrize("year", [2020, 2022])
def test_gwp_and_labour_are_observed_from_sources_published_before_the_start(year):
    """World Bank GDP (2018, 2019) and the ILO labour force (2018) were published before
    1 January 2020 / 2022: no look-ahead for these values. The four firms' capex of
    2015-2018 was published then too, but is not AI capex (CAPEX_PROXY_FROM): the capex share
    comes from NVIDIA's data-centre revenue instead (start_values.csv)."""
    from takeoff.data.observations import load_observations

    ic = initial_conditions(year)
    start = pd.Timestamp(f"{year}-01-01")
    obs = load_observations()
    for name, series in (("gwp_2026", "gwp_nominal"), ("labour_force_2026", "labour_force")):
        value = ic[name]
        assert value.method == "observed" and not value.look_ahead, value
        assert pd.Timestamp(value.data_until) < start
        cited = obs[(obs["series"] == series) & (obs["published"] < start)]
        assert len(cited) >= 1
        assert any(source in value.source for source in cited["source"].drop_duplicates())
        assert name not in ic.look_ahead()
    labour = registry()["labour_force_growth"].default
    expected = 3.5e9 * math.exp(labour * (year - 2018.5))  # ILO's 2018 figure, moved
    assert ic["labour_force_2026"].value == pytest.approx(expected)
    capex = ic["ai_capex_share_2026"]
    assert capex.method == "observed" and "NVIDIA" in capex.source
    assert "hyperscaler" not in capex.derivation


def test_capex_before_the_ai_build_out_is_not_taken_as_ai_capex():
    """With every row known, a 2025 start fits only the 2023-2024 capex rows (published
    2025-02-07); the day before, only 2023 is known, so the share comes from NVIDIA's last
    quarter before the start rather than a fit to the 2015-2018 totals."""
    before = initial_conditions(2025, known_by="2025-02-06")["ai_capex_share_2026"]
    after = initial_conditions(2025, known_by="2025-02-07")["ai_capex_share_2026"]
    assert before.method == "observed" and "NVIDIA" in before.source
    assert "hyperscaler" not in before.derivation
    assert after.method == "observed" and after.data_until == "2025-02-07"
    assert "2 hyperscaler_capex rows" in after.derivation


def test_known_by_before_the_start_carries_records_forward_along_their_trend():
    ic = initial_conditions(2024, known_by="2023-06-01")
    run = ic["largest_training_run_2026"]
    assert pd.Timestamp(run.data_until) <= pd.Timestamp("2023-06-01")
    assert "GPT-4" in run.derivation and "carried to 2024" in run.derivation
    assert run.value > 2.1e25  # GPT-4's estimate, grown for seven months


def test_a_single_record_is_not_extrapolated():
    """By 2020-01-01 METR has one model (GPT-2): no trend to carry it to 2021 with."""
    horizon = initial_conditions(2021, known_by="2020-01-01")["metr_horizon_2026"]
    assert horizon.value == pytest.approx(0.039762, rel=1e-4)
    assert "carried" not in horizon.derivation


def test_a_2026_start_reproduces_the_default_initial_state():
    """Within 0.2 log points (measured: GWP +0.034 from the IMF 2025 figure, labour force +0.007
    from ILO's 2023 figure, largest run -0.075
    (Grok 3's 4.64e26 against 5e26))."""
    ic = initial_conditions(2026)
    assert ic.look_ahead() == []
    for v in ic.values:
        assert abs(math.log(v.value / v.default_2026)) < 0.2, v
    assert ic.algorithm_factor == 1.0


def test_backcast_values_follow_their_stated_rates(monkeypatch):
    """A start after the start-value sources (LAST_SOURCED_START, here set to 2022) is
    backcast."""
    from takeoff.evidence import initial_sources

    monkeypatch.setattr(initial_sources, "LAST_SOURCED_START", 2022)
    ic = initial_conditions(2024)
    for name, rate in (
        ("hardware_price_performance_2026", "hardware_growth_2026"),
        ("world_power_generation_gw", "world_power_growth"),
    ):
        expected = registry()[name].default * math.exp(-registry()[rate].default * 2)
        assert ic[name].value == pytest.approx(expected)
        assert ic[name].look_ahead


def test_apply_converts_2026_units_and_is_vectorised():
    ic = initial_conditions(2022)
    factor = ic.algorithm_factor
    assert factor == pytest.approx(math.exp(ic["algorithmic_progress_2026"].value * 4))
    values = {
        "full_automation_requirement": np.array([1e35, 1e36]),
        "runtime_efficiency_exponent": np.array([1.0, 0.5]),
    }
    out = ic.apply(values)
    assert out["full_automation_requirement"] == pytest.approx(np.array([1e35, 1e36]) * factor)
    assert out["runtime_flop_per_worker"] == pytest.approx(1e15 * factor ** np.array([1.0, 0.5]))
    assert out["software_ceiling_oom"] == pytest.approx(8.0 + math.log10(factor))
    assert out["gwp_2026"] == ic["gwp_2026"].value
    assert values["full_automation_requirement"][0] == 1e35  # input left alone
    unchanged = initial_conditions(2026).apply({"hardware_ceiling_oom": 6.0})
    assert unchanged["hardware_ceiling_oom"] == pytest.approx(6.0)


def test_table_has_one_row_per_value():
    ic = initial_conditions(2020)
    text = ic.to_markdown()
    assert text.count("\n| ") == len(ic.values) + 1
    assert "AlphaGo Zero" in text
    assert len(ic.to_frame()) == len(ic.values)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 2019}, "year"),
        ({"year": 2027}, "year"),
        ({"year": 2020.5}, "year"),
        ({"year": "2020"}, "year"),
        ({"year": 2022, "known_by": "2019-06-01"}, "known_by"),
        ({"year": 2022, "known_by": "yesterday"}, "known_by"),
        ({"year": 2022, "known_by": float("nan")}, "known_by"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(kwargs, field):
    year = kwargs.pop("year")
    with pytest.raises(ValidationError, match=field):
        initial_conditions(year, **kwargs)


def test_loader_accepts_an_observed_start_year():
    from takeoff.scenarios.loader import load_scenario

    scenario = load_scenario("default").with_settings(start_year=2020.0, end_year=2026.5)
    assert scenario.settings.start_year == 2020.0
    with pytest.raises(ValidationError, match=r"start_year.*state at start_year"):
        load_scenario("default").with_settings(start_year=1990.0)


# ------------------------------------------------------- start values from pre-start sources

#: (start, parameter, value, publication date of the newest source used)
SOURCED = [
    (2020, "hardware_price_performance_2026", 120e12 / (149_000 / 8) / 2, "2017-05-13"),
    (2020, "energy_efficiency_2026", 120e12 / 300 / (1000 / 700 * 1.2), "2017-05-01"),
    (2020, "ai_researchers_2026", 22_400 * math.exp(0.1 * 1.5), "2019-04-02"),
    (2020, "world_power_generation_gw", 26_672e3 / 8760 * math.exp(0.025 * 1.5), "2019-03-26"),
    (2022, "hardware_price_performance_2026", 312e12 / (199_000 / 8) / 2, "2020-05-21"),
    (2022, "energy_efficiency_2026", 312e12 / 400 / (1000 / 700 * 1.2), "2020-05-14"),
    (2022, "hardware_growth_2026", math.log(1.2543e10 / 6.443e9) / (2020.37 - 2017.36), None),
    (2022, "algorithmic_progress_2026", math.log(44) / 7, "2020-05-08"),
    # Grace (2013): algorithmic gains 0.5-1x hardware's (0.75) x AI Impacts' 2017 hardware trend
    (2020, "algorithmic_progress_2026", 0.75 * 0.1771, "2017-11-11"),
    (2022, "ai_researchers_2026", 22_400 * math.exp(0.1 * 3.5), "2019-04-02"),
    # H100 (DGX price via Epoch, 2022-09-29; 989.4 dense TFLOP/s, 700 W announced 2022-03-22)
    (2023, "hardware_price_performance_2026", 989.4e12 / 44_489.88 / 2, "2022-09-29"),
    (2023, "energy_efficiency_2026", 989.4e12 / 700 / (1000 / 700 * 1.2), "2022-03-22"),
    (
        2023,
        "hardware_growth_2026",
        float(
            np.polyfit(
                [2017.36, 2020.37, 2022.74], np.log([6.443e9, 1.2543e10, 989.4e12 / 44_489.88]), 1
            )[0]
        ),
        None,
    ),
]


@pytest.mark.parametrize(("year", "name", "value", "published"), SOURCED)
def test_a_value_with_a_pre_start_source_is_observed(year, name, value, published):
    v = initial_conditions(year)[name]
    assert v.method == "observed" and not v.look_ahead, v
    assert v.value == pytest.approx(value, rel=1e-3)
    assert pd.Timestamp(v.data_until) < pd.Timestamp(f"{year}-01-01")
    if published:
        assert v.data_until == published
    assert v.source and v.derivation


def test_before_hernandez_and_brown_software_follows_hardware_at_grace_s_ratio():
    """Known before the measured rate (2020-05-08), algorithmic progress is Grace's (2013)
    ratio of algorithmic to hardware gains, 0.75, times the start's hardware growth; it is
    observed, not the 2026 rate, and not look-ahead."""
    published = "2020-05-08"
    day_before = (pd.Timestamp(published) - pd.Timedelta(days=1)).date().isoformat()
    before = initial_conditions(2022, known_by=day_before)
    after = initial_conditions(2022, known_by=published)["algorithmic_progress_2026"]
    rate = before["algorithmic_progress_2026"]
    assert rate.method == "observed" and not rate.look_ahead, rate
    assert rate.value == pytest.approx(0.75 * before["hardware_growth_2026"].value, rel=1e-12)
    assert rate.value < 0.5 * registry()["algorithmic_progress_2026"].default
    assert "Grace" in rate.source
    assert after.value == pytest.approx(math.log(44) / 7, rel=1e-3)
    assert after.data_until == published


#: NVIDIA data-centre revenue in the last quarter reported before the start (x 4), the
#: accelerator part (2/3 after the Mellanox deal), x 2 all-in: AI capex in $/yr.
CAPEX = {
    2020: 726e6 * 4 * 2,
    2022: 2.936e9 * 4 * (2 / 3) * 2,
    2023: 3.83e9 * 4 * (2 / 3) * 2,  # Q3 FY2023, reported 2022-11-16
}


@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_capex_and_compute_come_from_nvidia_revenue_reported_by_the_start(year):
    ic = initial_conditions(year)
    capex = ic["ai_capex_share_2026"]
    assert capex.value * ic["gwp_2026"].value == pytest.approx(CAPEX[year], rel=1e-3)
    assert capex.data_until == {2020: "2019-11-14", 2022: "2021-11-17", 2023: "2022-11-16"}[year]
    compute = ic["installed_ai_compute_2026"]
    assert compute.method == "observed" and not compute.look_ahead
    # below a year of purchases at the newest price-performance, above a quarter's
    hw = ic["hardware_price_performance_2026"].value * 2
    rate = CAPEX[year] / 2
    assert 0.25 * rate * hw < compute.value < 4 * rate * hw


def test_hindsight_adds_late_reports_never_quarters_after_the_start():
    """With known_by at the end of 2022, a 2022 start may use Q4 FY2022 (Nov 2021-Jan 2022,
    reported in February 2022) but none of the quarters of 2022 itself, for capex or for the
    installed fleet."""
    late = initial_conditions(2022, known_by="2022-12-31")
    capex = late["ai_capex_share_2026"]
    assert capex.value * late["gwp_2026"].value == pytest.approx(3.26e9 * 4 * (2 / 3) * 2, rel=1e-3)
    assert "2021.96" in late["installed_ai_compute_2026"].derivation
    assert "2022.21" not in late["installed_ai_compute_2026"].derivation


def test_capex_uses_the_last_quarter_reported_by_known_by():
    capex = initial_conditions(2022, known_by="2021-11-17")["ai_capex_share_2026"]
    assert capex.data_until == "2021-11-17"
    day_before = initial_conditions(2022, known_by="2021-11-16")["ai_capex_share_2026"]
    assert day_before.data_until == "2021-09-10"  # the quarter before (Q2 FY2022)
    assert day_before.value < capex.value


def test_hardware_growth_for_2020_is_the_published_trend():
    """One accelerator generation by 2020 gives no slope: AI Impacts' 2017 trend instead; the
    slope needs the A100 row (2020-05-21) for a second point."""
    v = initial_conditions(2020)["hardware_growth_2026"]
    assert v.method == "observed" and v.data_until == "2017-11-11"
    assert v.value == pytest.approx(math.log(10) / 13, rel=1e-3)
    before = initial_conditions(2022, known_by="2020-05-20")["hardware_growth_2026"]
    assert before.value == v.value and before.data_until == "2017-11-11"
    after = initial_conditions(2022, known_by="2020-05-21")["hardware_growth_2026"]
    assert after.data_until == "2020-05-21" and "slope" in after.derivation


def test_a_known_by_before_the_a100_uses_the_v100():
    """For a 2022 start known by 2020-05-20 the newest accelerator is still the V100."""
    hw = initial_conditions(2022, known_by="2020-05-20")["hardware_price_performance_2026"]
    assert hw.method == "observed" and hw.data_until == "2017-05-13"
    assert "2017.36" in hw.derivation


def test_start_values_file_is_well_formed():
    from takeoff.data.observations import COLUMNS
    from takeoff.evidence.initial_sources import UNITS, load_start_values

    frame = load_start_values()
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["series"]) == set(UNITS)
    # Sources for starts up to LAST_SOURCED_START only: each published before that start.
    from takeoff.evidence.initial_sources import LAST_SOURCED_START

    assert (frame["published"] < pd.Timestamp(f"{LAST_SOURCED_START}-01-01")).all()
    assert frame["source"].str.len().min() > 40


def test_2025_ai_work_share_comes_from_openai_s_reported_run_rate():
    """OpenAI's $3.4B annualized revenue (reported 2024-06-12) / 0.3 is 2025's AI revenue,
    and the registry's work share per $ of AI revenue turns it into a work share; reported a
    day later than known_by, the values are the flagged backcast again."""
    ic = initial_conditions(2025)
    revenue, share = ic["ai_revenue_2026"], ic["ai_work_share_2026"]
    assert revenue.method == share.method == "observed" and not share.look_ahead
    assert revenue.value == pytest.approx(3.4e9 / 0.3)
    assert share.value == pytest.approx(0.0012 * (3.4e9 / 0.3) / 6e10)
    assert share.data_until == "2024-06-12"
    before = initial_conditions(2025, known_by="2024-06-11")["ai_work_share_2026"]
    assert before.method == "backcast" and before.look_ahead
