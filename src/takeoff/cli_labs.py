"""``takeoff labs``: Amodei's compute-purchase dilemma (docs/labs.md).

Registered on the main Typer app (:mod:`takeoff.cli_common`) when :mod:`takeoff.cli` imports
this module. The run takes milliseconds, so there is no progress bar.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.markup import escape
from rich.table import Table

from takeoff.cli_common import (
    SeedOption,
    _dump_json,
    app,
    console,
    err_console,
    user_errors,
)
from takeoff.io_safety import check_output_file, staged_file

#: LabParams field -> the option that sets it (error messages name the option).
OPTIONS = {
    "base_year": "--base-year",
    "base_revenue": "--base-revenue",
    "demand_growth": "--demand-growth",
    "trend_sd": "--trend-sd",
    "demand_sd": "--demand-sd",
    "lead_time": "--lead-time",
    "cost_per_gw_year": "--cost-per-gw-year",
    "n_firms": "--firms",
    "demand_elasticity": "--elasticity",
    "research_share": "--research-share",
    "other_cost_share": "--other-cost-share",
    "initial_cash": "--cash",
    "borrowing_limit": "--borrowing-limit",
    "borrowing_per_revenue": "--borrowing-per-revenue",
    "overbuild_margin": "--overbuild-margin",
    "anchor": "--anchor",
}
RUN_OPTIONS = {
    "buy_growth": "--buy-growth",
    "years": "--years",
    "samples": "--samples",
    "seed": "--seed",
}


def _opt(name: str, help_text: str):
    return typer.Option(OPTIONS[name], help=help_text, show_default=True)


def _money(x: float | None) -> str:
    """$B to three significant figures: 0.512 -> $0.512B, -15.6 -> -$15.6B, 1234 -> $1.23T."""
    if x is None:
        return "-"
    sign, x = ("-" if x < 0 else ""), abs(x)
    value, unit = (x / 1000, "T") if x >= 1000 else (x, "B")
    digits = max(0, 2 - int(np.floor(np.log10(value)))) if value > 0 else 0
    return f"{sign}${value:,.{digits}f}{unit}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


@app.command("labs")
@user_errors
def labs_cmd(
    buy_growth: Annotated[
        list[float] | None,
        typer.Option(
            "--buy-growth",
            help="Growth (x/yr) a strategy buys compute for; repeatable (default: 10 and 5).",
        ),
    ] = None,
    demand_growth: Annotated[
        float, _opt("demand_growth", "Median yearly demand growth (x/yr).")
    ] = 7.07,
    trend_sd: Annotated[float, _opt("trend_sd", "sd of ln(growth), persistent per path.")] = 0.35,
    demand_sd: Annotated[float, _opt("demand_sd", "sd of ln(growth), fresh each year.")] = 0.15,
    lead_time: Annotated[
        int, _opt("lead_time", "Years from committing to compute to having it online.")
    ] = 1,
    n_firms: Annotated[int, _opt("n_firms", "Symmetric Cournot competitors.")] = 4,
    demand_elasticity: Annotated[
        float, _opt("demand_elasticity", "Price elasticity of demand.")
    ] = 0.75,
    cost_per_gw_year: Annotated[float, _opt("cost_per_gw_year", "$B per GW-year.")] = 12.5,
    research_share: Annotated[
        float, _opt("research_share", "Share of compute kept for research.")
    ] = 0.3,
    other_cost_share: Annotated[
        float, _opt("other_cost_share", "Other costs, share of revenue.")
    ] = 0.0,
    base_year: Annotated[int, _opt("base_year", "Year of the base revenue.")] = 2025,
    base_revenue: Annotated[float, _opt("base_revenue", "Revenue in the base year, $B.")] = 10.0,
    initial_cash: Annotated[
        float, _opt("initial_cash", "Cash at the end of the base year, $B.")
    ] = 10.0,
    borrowing_limit: Annotated[
        float, _opt("borrowing_limit", "Most the lab can borrow, $B.")
    ] = 100.0,
    borrowing_per_revenue: Annotated[
        float, _opt("borrowing_per_revenue", "Extra borrowing per $ of yearly revenue.")
    ] = 0.0,
    overbuild_margin: Annotated[
        float, _opt("overbuild_margin", "Overbuilt: capacity above demand by more than this share.")
    ] = 0.2,
    anchor: Annotated[
        str, _opt("anchor", "observed (re-forecast from demand seen) or plan (fixed path).")
    ] = "observed",
    years: Annotated[int, typer.Option("--years", help="Years simulated after the base year.")] = 4,
    samples: Annotated[int, typer.Option("--samples", "-n", help="Demand paths.")] = 2000,
    seed: SeedOption = 0,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the chart to this PNG file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Buy compute ahead of uncertain demand: revenue vs compute cost, overbuilding, bankruptcy."""
    from takeoff.industry.labs import simulate_labs
    from takeoff.industry.params import make_params

    values = {name: value for name, value in locals().items() if name in OPTIONS}
    params = make_params(values, names=OPTIONS)  # before any work: bad values exit here
    growths = _check_run(buy_growth or [10.0, 5.0], years, samples, seed)
    if plot is not None:
        plot = check_output_file(plot, "--plot", suffix=".png", example="labs.png")
    result = simulate_labs(params, growths, years=years, n_samples=samples, seed=seed)
    payload = result.to_dict()
    if as_json:
        _dump_json(payload)
    else:
        for table in (market_table(payload), summary_table(payload), *yearly_tables(payload)):
            console.print(table)
    if plot is not None:
        from takeoff.industry.charts import labs_chart

        with staged_file(plot, "--plot") as tmp:
            labs_chart(result, tmp)
        (err_console if as_json else console).print(f"wrote {plot}", highlight=False)


def _check_run(buy_growth, years, samples, seed) -> list[float]:
    """The run settings checked, errors naming the options that set them."""
    from takeoff.errors import ValidationError
    from takeoff.industry.labs import check_run

    try:
        return check_run(buy_growth, years, samples, seed)
    except ValidationError as exc:
        text = str(exc)
        field = text.split(":", 1)[0]
        if field in RUN_OPTIONS:
            text = RUN_OPTIONS[field] + text[len(field) :]
        raise ValidationError(text) from None


def market_table(d: dict) -> Table:
    m = d["market"]
    table = Table(
        title=f"Market: symmetric Cournot, demand elasticity {m['demand_elasticity']:g} "
        f"(Lerner index (P - c)/P = 1/(N x elasticity))"
    )
    for col in ("firms N", "margin (P - c)/P", "price / compute cost"):
        table.add_column(col, justify="right")
    rows = {r["n_firms"]: r for r in m["by_n_firms"]}
    rows[m["n_firms"]] = {k: m[k] for k in ("n_firms", "lerner_index", "price_over_cost")}
    for n in sorted(rows):
        r = rows[n]
        mark = " (used)" if n == m["n_firms"] else ""
        interior = r["lerner_index"] is not None
        table.add_row(
            f"{n}{mark}",
            _pct(r["lerner_index"]) if interior else "no equilibrium",
            f"{r['price_over_cost']:.2f}" if interior else "-",
        )
    table.caption = (
        f"one GW-year earns {_money(m['revenue_per_gw_year'])} when used; compute costs "
        f"{m['compute_cost_per_revenue']:.3f} per $ of revenue at full use"
    )
    return table


def summary_table(d: dict) -> Table:
    n, last = d["n_samples"], d["years"][-1]
    table = Table(
        title=f"Purchase strategies over {d['years'][0]}-{last} ({n} demand paths, seed {d['seed']})"
    )
    for col in (
        "strategy",
        "P(overbuilt some year)",
        "P(loss year)",
        f"P(bankrupt by {last})",
        "median bankruptcy year",
        "revenue forgone",
        f"break-even demand growth in {last}",
    ):
        table.add_column(col, justify="left" if col == "strategy" else "right")
    for s in d["strategies"]:
        year = s["median_bankruptcy_year"]
        table.add_row(
            escape(s["label"]),
            _pct(s["p_overbuilt_any_year"]),
            _pct(s["p_loss_any_year"]),
            _pct(s["p_bankrupt"]),
            "-" if year is None else f"{year:.0f}",
            _pct(s["forgone_revenue_share"]),
            "never"
            if s["break_even_demand_growth"] is None
            else f"{s['break_even_demand_growth']:.2f}x/yr",
        )
    fatal = d["shortfall"]["fatal_planned_revenue"]
    table.caption = (
        "a revenue shortfall of 20% (Amodei: $800B instead of $1T) against compute bought for "
        + (
            f"{_money(fatal)} or more is fatal in one year"
            if fatal
            else "any revenue is never fatal"
        )
    )
    return table


def _band_cell(yearly: dict, i: int, name: str) -> str:
    """Median over [p10-p90] of ``yearly[name]`` in year index ``i``."""
    b = yearly[name]
    return escape(f"{_money(b['p50'][i])}\n[{_money(b['p10'][i])}-{_money(b['p90'][i])}]")


def yearly_tables(d: dict) -> list[Table]:
    tables = []
    demand = d["demand"]
    for s in d["strategies"]:
        y = s["yearly"]
        table = Table(title=escape(f"{s['label']}: median [p10-p90] by year"))
        for col in ("year", "GW online\n(bought in)", "demand"):
            table.add_column(col, justify="right")
        for col in ("revenue", "compute cost", "cash"):
            table.add_column(col, justify="right", no_wrap=True)
        for col in ("P(over-\nbuilt)", "P(loss)", "P(bankrupt\nby)"):
            table.add_column(col, justify="right")
        for i, year in enumerate(d["years"]):
            band = partial(_band_cell, y, i)
            gw = y["compute_gw"]
            table.add_row(
                str(year),
                f"{gw['p50'][i]:,.1f} ({y['compute_committed_in'][i]})",
                _money(demand["p50"][i]),
                band("revenue"),
                band("compute_cost"),
                _money(y["cash"]["p50"][i]),
                _pct(y["p_overbuilt"][i]),
                _pct(y["p_loss"][i]),
                _pct(y["p_bankrupt_by"][i]),
            )
        tables.append(table)
    return tables
