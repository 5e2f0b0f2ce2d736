"""``takeoff update``: a worldview's milestones after observations (likelihood-weighted
Monte Carlo, ``takeoff.evidence``), and ``--what-if`` tables of hypothetical ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from takeoff.cli_common import (
    DaskOption,
    EndYearOption,
    ScenarioArg,
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
from takeoff.errors import ValidationError
from takeoff.evidence.update import DEFAULT_MIN_ESS, DEFAULT_SAMPLES
from takeoff.io_safety import check_output_file, staged_file
from takeoff.parallel import check_workers
from takeoff.report.compare import KEY_MILESTONES

#: Milestones shown in the table (all are in --json): the report's headline ones.
SHOWN = KEY_MILESTONES


def _year(value) -> str:
    return ">end" if value is None else f"{value:.1f}"


def _range(summary: dict | None) -> str:
    if summary is None:
        return "-"
    return f"{_year(summary['p50'])} [{_year(summary['p10'])}-{_year(summary['p90'])}]"


def _number(value) -> str:
    return "-" if value is None else f"{value:.3g}"


#: Years of the "P(by YEAR)" columns (those on the run's grid), read off the milestone CDFs.
BY_SHOWN = (2030, 2040)


def _by_columns(d: dict) -> list[tuple[int, int]]:
    """(year, index in the CDFs' years) for each of BY_SHOWN the run's grid has."""
    years = d.get("cdf", {}).get("years", [])
    return [(year, years.index(float(year))) for year in BY_SHOWN if float(year) in years]


def _by_cell(d: dict, name: str, index: int) -> str:
    """P(reached by the year) before -> after the evidence."""
    pair = d["cdf"]["milestones"].get(name)
    if pair is None:
        return "-"
    return f"{pair['prior'][index]:.0%} -> {pair['posterior'][index]:.0%}"


def update_tables(d: dict) -> list[Table]:
    """Observations (fit), milestones prior vs posterior, and the parameters moved most."""
    fit = Table(title=escape(f"{d['scenario']}: observations (model p50 [p10-p90])"))
    for column in ("observation", "observed", "prior", "posterior"):
        fit.add_column(column, justify="right" if column != "observation" else "left")
    for row in d["observations"]:
        prior, post = row["prior"], row["posterior"]
        fit.add_row(
            escape(row["observation"]),
            f"{row['observed']:.3g} {row['unit']}",
            f"{_number(prior[1])} [{_number(prior[0])}-{_number(prior[2])}]",
            f"{_number(post[1])} [{_number(post[0])}-{_number(post[2])}]",
        )
    milestones = Table(
        title=escape(
            f"milestone year p50 [p10-p90]; effective sample size "
            f"{d['effective_sample_size']:,.0f} of {d['samples']:,}"
        )
    )
    by = _by_columns(d)
    for column in ("milestone", "prior", "posterior", "shift of p50"):
        milestones.add_column(column, justify="right" if column != "milestone" else "left")
    for year, _ in by:
        milestones.add_column(f"P(by {year})", justify="right")
    for name in SHOWN:
        if name not in d["milestones"]:
            continue
        prior = d["milestones"][name]["prior"]
        post = d["milestones"][name]["posterior"]
        shift = (
            "-"
            if prior["p50"] is None or post["p50"] is None
            else f"{post['p50'] - prior['p50']:+.1f} y"
        )
        milestones.add_row(
            name,
            _range(prior),
            _range(post),
            shift,
            *(_by_cell(d, name, index) for _, index in by),
        )
    moved = Table(title=escape("parameters the evidence moved most (p50 [p10-p90])"))
    for column in ("parameter", "prior", "posterior", "shift"):
        moved.add_column(column, justify="right" if column != "parameter" else "left")
    for row in d["parameters"][:6]:
        prior, post = row["prior"], row["posterior"]
        moved.add_row(
            row["parameter"],
            f"{_number(prior[1])} [{_number(prior[0])}-{_number(prior[2])}]",
            f"{_number(post[1])} [{_number(post[0])}-{_number(post[2])}]",
            f"{row['shift']:+.2f}",
        )
    return [fit, milestones, moved]


def what_if_tables(d: dict) -> Table:
    table = Table(
        title=escape(
            f"{d['scenario']}: what would change the {d['milestone']} year "
            f"(prior {_range(d['prior'])}; {d['samples']:,} samples)"
        ),
        caption=escape(d["source"]),
    )
    for column in ("if we observe", "posterior p50 [p10-p90]", "shift of p50", "ESS"):
        table.add_column(escape(column), justify="right" if column != "if we observe" else "left")
    for row in d["cases"]:
        if row["posterior"] is None:
            table.add_row(escape(row["label"]), "too far in the prior's tail", "-", "< min")
            continue
        shift = "-" if row["shift_years"] is None else f"{row['shift_years']:+.1f} y"
        table.add_row(escape(row["label"]), _range(row["posterior"]), shift, f"{row['ess']:,.0f}")
    return table


@app.command("update")
@user_errors
def update_cmd(
    scenario: ScenarioArg = "besiroglu-erdil",
    observe: Annotated[
        list[str] | None,
        typer.Option(
            "--observe",
            metavar="SERIES=VALUE@YEAR[±SD]",
            help="An observation, e.g. ai_revenue=5e11@2030±30% (repeatable; SD defaults to "
            "the series'; docs/evidence.md lists the series).",
        ),
    ] = None,
    observations: Annotated[
        Path | None,
        typer.Option(
            "--observations", metavar="FILE.toml", help="Observations as [[observe]] tables."
        ),
    ] = None,
    what_if: Annotated[
        bool,
        typer.Option(
            "--what-if",
            help="Show how the worldview's headline milestone moves under the hypothetical "
            "observations its speakers named.",
        ),
    ] = False,
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Prior Monte Carlo samples.")
    ] = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    min_ess: Annotated[
        float,
        typer.Option("--min-ess", help="Refuse a posterior with fewer effective samples."),
    ] = DEFAULT_MIN_ESS,
    end_year: EndYearOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE.json", help="Also write the result as JSON."),
    ] = None,
    workers: WorkersOption = 1,
    dask: DaskOption = None,
) -> None:
    """Update SCENARIO's milestones on observations: prior vs posterior, the effective
    sample size, and the parameters the evidence moved (docs/evidence.md)."""
    from takeoff.evidence.observables import load_observations, parse_observation
    from takeoff.evidence.update import check_answerable, reweight
    from takeoff.evidence.whatif import what_if_set, what_if_table
    from takeoff.parallel import dask_cluster
    from takeoff.scenarios.loader import load_scenario
    from takeoff.uncertainty.montecarlo import run_mc

    _check_mc_args(samples, seed)
    check_workers(workers)
    if not min_ess >= 1:
        raise ValidationError(f"--min-ess: {min_ess:g} must be at least 1")
    parsed = [parse_observation(text) for text in observe or []]
    if observations is not None:
        parsed += load_observations(observations)
    if not parsed and not what_if:
        raise ValidationError(
            "update: give observations (--observe SERIES=VALUE@YEAR[±SD] or --observations "
            "FILE.toml) or --what-if"
        )
    if out is not None:
        out = check_output_file(out, "--out", suffix=".json", example="update.json")
    loaded = load_scenario(scenario).with_settings(end_year=end_year)
    # Refuse what cannot be answered before simulating anything.
    if what_if:
        what_if_set(loaded.name)
    if parsed:
        check_answerable(loaded.name, bool(loaded.distributions), loaded.settings.end_year, parsed)
    with dask_cluster(dask), _mc_progress() as bar:
        task = bar.add_task(escape(f"prior {loaded.name}"), total=samples)
        mc = run_mc(
            loaded,
            samples,
            seed,
            keep_trajectories=True,
            workers=workers,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    payload: dict = {}
    if parsed:
        payload["update"] = reweight(mc, parsed, min_ess=min_ess).to_dict()
    if what_if:
        payload["what_if"] = what_if_table(mc, min_ess=min_ess)
    if as_json:
        _dump_json(payload)
    else:
        for table in update_tables(payload["update"]) if parsed else []:
            console.print(table)
        if what_if:
            console.print(what_if_tables(payload["what_if"]))
    if out is not None:
        import json

        with staged_file(out, "--out") as staging:
            staging.write_text(json.dumps(payload, indent=2, allow_nan=False), encoding="utf-8")
        (err_console if as_json else console).print(f"wrote {out}", markup=False, highlight=False)
