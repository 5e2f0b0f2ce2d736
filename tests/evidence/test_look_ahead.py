"""The look-ahead check: how much the backtest leans on start values backcast from 2026
(issue 13, item 2; docs/evidence.md, "How much the look-ahead matters")."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.errors import ValidationError
from takeoff.evidence.backtest import backtest
from takeoff.evidence.initial import initial_conditions
from takeoff.evidence.look_ahead import (
    LEVEL_FACTOR,
    RATE_FACTOR,
    factor_for,
    largest_changes,
    look_ahead_sensitivity,
)

WORLDVIEWS = (
    "default",
    "amodei",
    "baumol-skeptic",
    "besiroglu-erdil",
    "epoch-gate",
    "ftm",
    "software-explosion",
)
#: "Carries no weight": every worldview's mean |error| of every series moves by less than
#: this (log points, 0.1 = 10%) when a look-ahead value is tripled or divided by three.
NO_WEIGHT = 0.1


@pytest.fixture(scope="module")
def late_start():
    """2024 with the start-value sources cut off after 2022 (``LAST_SOURCED_START``), so
    that most values are backcasts, as they were before the 2023-2025 rows were added."""
    from takeoff.evidence import initial_sources

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(initial_sources, "LAST_SOURCED_START", 2022)
        rows = look_ahead_sensitivity(2024, ["default"])
    return rows


def _cut_off_after_2022(monkeypatch):
    from takeoff.evidence import initial_sources

    monkeypatch.setattr(initial_sources, "LAST_SOURCED_START", 2022)


def test_each_look_ahead_value_is_moved_both_ways(late_start, monkeypatch):
    _cut_off_after_2022(monkeypatch)
    names = initial_conditions(2024).look_ahead()
    assert len(names) > 5
    pairs = set(zip(late_start["parameter"], late_start["factor"], strict=True))
    assert pairs == {(n, f) for n in names for f in (factor_for(n), 1 / factor_for(n))}
    assert factor_for("hardware_growth_2026") == RATE_FACTOR
    assert factor_for("capital_2026") == LEVEL_FACTOR


def test_changes_are_the_rerun_backtests(late_start, monkeypatch):
    """A row's perturbed error is the backtest from the start with that one value moved."""
    _cut_off_after_2022(monkeypatch)
    base = initial_conditions(2024)
    name = "installed_ai_compute_2026"
    moved = base[name].value / LEVEL_FACTOR
    rerun = backtest(2024, ["default"], initial=base.with_value(name, moved, "test")).summary()
    rows = late_start[(late_start["parameter"] == name) & (late_start["factor"] < 1)]
    merged = rows.merge(rerun, on=["scenario", "series"], suffixes=("", "_rerun"))
    assert len(merged) == len(rows) > 0
    np.testing.assert_allclose(
        merged["perturbed_mean_abs_log_error"], merged["mean_abs_log_error_rerun"], rtol=0
    )
    assert (merged["change"].abs() > 0.05).any()  # compute matters in 2024-2026


def test_a_value_outside_the_dynamics_changes_nothing_and_a_driver_does(late_start):
    largest = largest_changes(late_start).set_index(["parameter", "factor"])
    # ai_revenue_2026 is a calibration check, not an input to the dynamics
    assert (largest.loc["ai_revenue_2026", "largest_change"] == 0).all()
    assert (largest.loc["energy_efficiency_2026", "largest_change"].abs() > 0.5).all()


def test_a_start_the_model_refuses_is_reported_not_raised(late_start):
    """Tripling the capital stock implies a savings rate near 1: the model refuses it."""
    largest = largest_changes(late_start).set_index(["parameter", "factor"])
    note = largest.loc[("capital_2026", LEVEL_FACTOR), "note"]
    assert "savings rate" in note
    assert np.isnan(largest.loc[("capital_2026", LEVEL_FACTOR), "largest_change"])


@pytest.mark.parametrize("start", [2020, 2022, 2023, 2024])
def test_the_look_ahead_left_in_2020_to_2024_carries_no_weight(start):
    """Every start value still backcast for a start from 2020 to 2024 (capital, the
    automatable share, the leading-edge share, and before 2025 AI's work share and revenue)
    moves no worldview's error of any series by NO_WEIGHT or more when tripled or divided
    by three; capital x3 is refused."""
    rows = look_ahead_sensitivity(start, list(WORLDVIEWS))
    assert set(rows["parameter"]) == set(initial_conditions(start).look_ahead())
    ran = rows[rows["note"] == ""]
    assert ran["change"].abs().max() < NO_WEIGHT, ran.loc[ran["change"].abs().idxmax()]
    refused = rows[rows["note"] != ""]
    assert set(zip(refused["parameter"], refused["factor"], strict=True)) == {
        ("capital_2026", LEVEL_FACTOR)
    }


def test_in_2025_only_the_automatable_share_carries_weight():
    """A year before the registry's state, the share of work AI could already do (one task
    of 100, a model construct with no observation) matters: three tasks instead of one move
    baumol-skeptic's OpenAI-revenue error by about -0.34 log points (it is then less low).
    Everything else stays under NO_WEIGHT."""
    rows = look_ahead_sensitivity(2025, list(WORLDVIEWS))
    ran = rows[rows["note"] == ""]
    heavy = ran[ran["change"].abs() >= NO_WEIGHT]
    assert set(heavy["parameter"]) == {"ai_automatable_share_2026"}
    assert heavy["change"].abs().max() < 0.5


def test_an_initial_state_for_another_year_is_refused():
    with pytest.raises(ValidationError, match="initial: a start in 2022"):
        backtest(2020, ["default"], initial=initial_conditions(2022))


def test_cli_look_ahead_check_prints_and_writes(tmp_path):
    from takeoff.cli import app

    out = tmp_path / "bt"
    done = CliRunner().invoke(
        app, ["backtest", "--start", "2022", "--look-ahead-check", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert "Look-ahead check" in done.output and "ai_work_share_2026" in done.output
    assert {"look_ahead.csv", "look_ahead.md"} <= {p.name for p in out.iterdir()}
    assert "| capital_2026 | x3 |" in (out / "look_ahead.md").read_text(encoding="utf-8")
