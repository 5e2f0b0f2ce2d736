"""docs/labs.md stays in step with the code: every parameter and function, and the worked
example's numbers (the defaults, seed 0)."""

from __future__ import annotations

from pathlib import Path

from takeoff.cli_labs import OPTIONS, _money, _pct
from takeoff.industry.labs import simulate_labs
from takeoff.industry.params import LabParams

DOC = (Path(__file__).parents[2] / "docs" / "labs.md").read_text(encoding="utf-8")


def test_every_parameter_and_function_is_documented():
    for field, option in OPTIONS.items():
        assert f"`{field}` (`{option}`)" in DOC, field
    for name in (
        "lerner_index",
        "price_over_cost",
        "cournot_equilibrium",
        "revenue_per_gw_year",
        "compute_cost_per_revenue",
        "demand_paths",
        "serving_capacity",
        "lab_accounts",
        "utilisation",
        "revenue_to_compute_cost",
        "break_even_demand_growth",
        "shortfall_loss",
        "fatal_planned_revenue",
    ):
        assert f"`{name}" in DOC, name


def test_worked_example_numbers_are_what_the_command_prints():
    d = simulate_labs(LabParams(), (10, 5), years=4, n_samples=2000, seed=0).to_dict()
    ten, five = d["strategies"]
    row = (
        f"| buy for 10x/yr | {_pct(ten['p_overbuilt_any_year'])} | {_pct(ten['p_loss_any_year'])} "
        f"| {_pct(ten['p_bankrupt'])} |"
    )
    assert row in DOC
    assert f"| buy for 5x/yr | {_pct(five['p_overbuilt_any_year'])} |" in DOC
    assert f"**{_money(d['shortfall']['fatal_planned_revenue'])}**" in DOC
    last = ten["yearly"]["compute_gw"]["p50"][-1]
    assert f"| 2029 | {last:,.1f} (2028) |" in DOC
