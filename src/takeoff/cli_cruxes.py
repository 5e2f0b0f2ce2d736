"""``takeoff cruxes``, ``takeoff sensitivity`` and ``takeoff discover`` (docs/cruxes.md).

Registered on the main Typer app (:mod:`takeoff.cli_common`) when :mod:`takeoff.cli` imports
this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from takeoff.cli_common import (
    DaskOption,
    DtOption,
    EndYearOption,
    SeedOption,
    WorkersOption,
    _check_mc_args,
    _dump_json,
    _mc_progress,
    app,
    console,
    err_console,
    user_errors,
)
from takeoff.io_safety import check_output_file, staged_file

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
PlotOption = Annotated[
    Path | None, typer.Option("--plot", help="Write the chart to this PNG file.")
]
MilestoneOption = Annotated[
    str, typer.Option("--milestone", "-m", help="Milestone (see docs/model.md).")
]


def _bar(description: str):
    """(progress context, callback(done, total)) for a Rich bar on stderr."""
    bar = _mc_progress()
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


def _plot_to(plot: Path | None) -> Path | None:
    return None if plot is None else check_output_file(plot, "--plot", suffix=".png")


def _write_plot(plot: Path | None, draw, result, as_json: bool) -> None:
    if plot is None:
        return
    with staged_file(plot, "--plot") as tmp:
        draw(result, tmp)
    (err_console if as_json else console).print(f"wrote {plot}", highlight=False)


@app.command("cruxes")
@user_errors
def cruxes_cmd(
    a: Annotated[str, typer.Argument(help="First worldview (built-in name or TOML path).")],
    b: Annotated[str, typer.Argument(help="Second worldview.")],
    milestone: MilestoneOption = "automated_100pct",
    metric: Annotated[
        str,
        typer.Option("--metric", help="median, prob-by:YEAR or mean-growth:Y0-Y1 (GWP, %/yr)."),
    ] = "median",
    by: Annotated[
        str,
        typer.Option("--by", help="Group parameters by auto, block or parameter."),
    ] = "auto",
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="A group of your own: NAME=param1,param2 (repeatable)."),
    ] = None,
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Samples per hybrid worldview.")
    ] = 1000,
    seed: SeedOption = 0,
    workers: WorkersOption = 1,
    dt: DtOption = None,
    end_year: EndYearOption = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
    dask: DaskOption = None,
) -> None:
    """Why A and B disagree: each parameter group's Shapley share of the difference."""
    from takeoff.cruxes.attribution import attribute
    from takeoff.cruxes.charts import waterfall
    from takeoff.parallel import dask_cluster

    plot = _plot_to(plot)
    bar, update = _bar(f"cruxes {a} vs {b}")
    with dask_cluster(dask), bar:
        att = attribute(
            a,
            b,
            milestone,
            metric,
            by=by,
            groups=group,
            n_samples=samples,
            seed=seed,
            workers=workers,
            dt=dt,
            end_year=end_year,
            progress=update,
        )
    if as_json:
        _dump_json(att.to_json())
    else:
        console.print(attribution_table(att))
        for sentence in att.sentences():
            console.print(f"- {escape(sentence)}", highlight=False)
    _write_plot(plot, waterfall, att, as_json)


def attribution_table(att) -> Table:
    m = att.metric
    how = "exact" if att.exact else f"{att.orders} sampled orders"
    table = Table(
        title=f"{m.label}: {att.a} {m.fmt(att.value_a)} -> {att.b} {m.fmt(att.value_b)} "
        f"({m.fmt_delta(att.total)}, SE {m.scale * att.se_total:.2f}; Shapley {how}, "
        f"{att.coalitions} hybrids x {att.n_samples} samples, {att.seconds:.0f} s)"
    )
    for col in (
        "group",
        "parameters",
        "Shapley",
        "SE",
        f"alone into {att.a}",
        f"last out of {att.b}",
    ):
        table.add_column(escape(col), justify="left" if col in ("group", "parameters") else "right")
    for g in att.ranked():
        grp = att.groups[g]
        table.add_row(
            escape(grp.name),
            escape(", ".join(grp.parameters)),
            m.fmt_delta(att.shapley[g]),
            f"{m.scale * att.se[g]:.2f}",
            m.fmt_delta(att.alone[g]),
            m.fmt_delta(att.last[g]),
        )
    if att.censored_b or att.censored_a:
        table.caption = (
            f"never reached by the end year: {att.a} {att.censored_a:.0%}, {att.b} "
            f"{att.censored_b:.0%} (counted as the end year)"
        )
    return table


@app.command("sensitivity")
@user_errors
def sensitivity_cmd(
    scenario: Annotated[str, typer.Argument(help="Worldview (built-in name or TOML path).")],
    milestone: MilestoneOption = "automated_100pct",
    growth: Annotated[
        str, typer.Option("--growth", help="GWP growth span Y0-Y1 for the growth indices.")
    ] = "2026-2050",
    samples: Annotated[
        int,
        typer.Option("--samples", "-n", help="Base samples N, a power of 2 (N (G+2) runs)."),
    ] = 512,
    seed: SeedOption = 0,
    workers: WorkersOption = 1,
    dt: DtOption = None,
    end_year: EndYearOption = None,
    plot: PlotOption = None,
    as_json: JsonOption = False,
    dask: DaskOption = None,
) -> None:
    """Which assumptions matter within one worldview: Sobol indices (SALib)."""
    from takeoff.cruxes.charts import tornado
    from takeoff.cruxes.sensitivity import sensitivity
    from takeoff.parallel import dask_cluster

    plot = _plot_to(plot)
    bar, update = _bar(f"sensitivity {scenario}")
    with dask_cluster(dask), bar:
        sens = sensitivity(
            scenario,
            milestone,
            growth,
            n_base=samples,
            seed=seed,
            workers=workers,
            dt=dt,
            end_year=end_year,
            progress=update,
        )
    if as_json:
        _dump_json(sens.to_json())
    else:
        for ix in sens.outputs.values():
            console.print(sensitivity_table(sens, ix))
    _write_plot(plot, tornado, sens, as_json)


def sensitivity_table(sens, ix) -> Table:
    note = f"; never reached: {ix.censored:.0%} (counted as the end year)" if ix.censored else ""
    table = Table(
        title=f"{sens.scenario}: {ix.label} (mean {ix.mean:.2f}, sd {ix.sd:.2f} {ix.unit}{note}); "
        f"{sens.runs} runs"
    )
    for col in ("group", "S1", "±", "ST", "±"):
        table.add_column(col, justify="left" if col == "group" else "right")
    for g in ix.ranked():

        def fmt(x) -> str:
            return "—" if x != x else f"{x:.3f}"

        table.add_row(
            escape(sens.groups[g].name),
            fmt(ix.S1[g]),
            fmt(ix.S1_conf[g]),
            fmt(ix.ST[g]),
            fmt(ix.ST_conf[g]),
        )
    if ix.sd == 0 or ix.ST.size and all(x != x for x in ix.ST):
        table.caption = "no variance in this output: the indices are undefined"
    return table


@app.command("discover")
@user_errors
def discover_cmd(
    scenario: Annotated[str, typer.Argument(help="Worldview (built-in name or TOML path).")],
    where: Annotated[
        str,
        typer.Option("--where", help='Outcome, e.g. "remote_work_automated < 2035" (and-joined).'),
    ],
    samples: Annotated[int, typer.Option("--samples", "-n", help="Monte Carlo samples.")] = 2000,
    seed: SeedOption = 0,
    depth: Annotated[int, typer.Option("--depth", help="Tree depth (1-6).")] = 3,
    min_leaf: Annotated[
        float, typer.Option("--min-leaf", help="Smallest box, as a share of samples.")
    ] = 0.05,
    workers: WorkersOption = 1,
    as_json: JsonOption = False,
    dask: DaskOption = None,
) -> None:
    """Which regions of a worldview's parameter space lead to an outcome (boxes)."""
    from takeoff.cruxes.discovery import discover
    from takeoff.parallel import dask_cluster

    _check_mc_args(samples, seed)
    bar, update = _bar(f"discover {scenario}")
    with dask_cluster(dask), bar:
        found = discover(
            scenario,
            where,
            n_samples=samples,
            seed=seed,
            depth=depth,
            min_leaf=min_leaf,
            workers=workers,
            progress=update,
        )
    if as_json:
        _dump_json(found.to_json())
        return
    for sentence in found.sentences():
        console.print(f"- {escape(sentence)}", highlight=False)
