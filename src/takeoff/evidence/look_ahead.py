"""How much a backtest leans on the start values that carry look-ahead (issue 13, item 2).

A start value derived from the 2026 one (``backcast``, flagged ``look_ahead``) uses what was
not known at the start. To see whether that matters, each such value ``v`` is replaced by

    v x f  and  v / f,    f = RATE_FACTOR for rates (unit 1/yr), LEVEL_FACTOR otherwise,

clipped to the registry's allowed range, the backtest is run again, and every observed
series' error is compared with the unperturbed one:

    change = mean|e|(perturbed) - mean|e|(as derived)      (log points, per worldview)

with ``mean|e|`` the summary's miss (:meth:`Backtest.summary`). A value whose change is ~0
for every worldview and series carries no weight in the backtest, so its look-ahead does
not flatter the fit; a large change says which rows would look different to someone who
did not know the 2026 level. A perturbed start the model refuses (for instance a capital
stock whose implied savings rate exceeds the investment bound) is reported with the
model's message instead of errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from takeoff.errors import ValidationError
from takeoff.evidence.backtest import DEFAULT_END, backtest
from takeoff.params.schema import registry

#: Multiplier for a level (a stock, a share, a revenue): 3x either way.
LEVEL_FACTOR = 3.0
#: Multiplier for a rate (unit 1/yr): 1.5x either way is already a wide band for a growth rate.
RATE_FACTOR = 1.5
#: A change below this (log points) rounds to 0.00 in the tables: no "where" is named.
NEGLIGIBLE = 0.005
COLUMNS = (
    "parameter",
    "factor",
    "value",
    "scenario",
    "series",
    "mean_abs_log_error",
    "perturbed_mean_abs_log_error",
    "change",
    "note",
)


def factor_for(name: str) -> float:
    """The multiplier applied to ``name``: :data:`RATE_FACTOR` for rates, else the level's."""
    return RATE_FACTOR if registry()[name].unit.startswith("1/yr") else LEVEL_FACTOR


def look_ahead_sensitivity(
    start: int = 2020,
    scenarios: Sequence[Any] = ("default",),
    *,
    end: float = DEFAULT_END,
    known_by: Any = None,
) -> pd.DataFrame:
    """One row per (look-ahead value, factor, worldview, observed series): the backtest's
    mean |e| as derived and with the value multiplied by the factor (module docstring).

    Deterministic runs (the worldviews' medians). Empty when no value carries look-ahead.
    """
    base = backtest(start, scenarios, end=end, known_by=known_by)
    base_summary = base.summary()
    specs = registry()
    frames = []
    for name in base.initial.look_ahead():
        value, spec = base.initial[name].value, specs[name]
        step = factor_for(name)
        for factor in (step, 1.0 / step):
            moved = float(np.clip(value * factor, spec.low, spec.high))
            initial = base.initial.with_value(name, moved, f"x {factor:.3g} (look-ahead check)")
            rows = base_summary[["scenario", "series", "mean_abs_log_error"]].assign(
                parameter=name, factor=factor, value=moved
            )
            try:
                perturbed = backtest(start, scenarios, end=end, initial=initial).summary()
            except ValidationError as exc:
                frames.append(
                    rows.assign(perturbed_mean_abs_log_error=np.nan, change=np.nan, note=str(exc))
                )
                continue
            merged = rows.merge(
                perturbed[["scenario", "series", "mean_abs_log_error"]],
                on=["scenario", "series"],
                suffixes=("", "_perturbed"),
                validate="one_to_one",
            ).rename(columns={"mean_abs_log_error_perturbed": "perturbed_mean_abs_log_error"})
            merged["change"] = merged["perturbed_mean_abs_log_error"] - merged["mean_abs_log_error"]
            frames.append(merged.assign(note=""))
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)]


def largest_changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Per look-ahead value and factor: the largest |change| over worldviews and series,
    where it is, and the model's message if it refused the perturbed start."""
    out = []
    for (name, factor), group in rows.groupby(["parameter", "factor"], sort=False):
        refused = group["note"].iloc[0]
        if refused:
            out.append((name, factor, group["value"].iloc[0], np.nan, "", "", refused))
            continue
        worst = group.loc[group["change"].abs().idxmax()]
        where = (
            (worst["scenario"], worst["series"]) if abs(worst["change"]) >= NEGLIGIBLE else ("", "")
        )
        out.append((name, factor, worst["value"], worst["change"], *where, ""))
    return pd.DataFrame(
        out,
        columns=["parameter", "factor", "value", "largest_change", "scenario", "series", "note"],
    )


def change_cells(row) -> tuple[str, str]:
    """(largest change, where) of one :func:`largest_changes` row as table text: "refused"
    for a start the model refused, otherwise signed to two decimals (never "-0.00")."""
    change = "refused" if row.note else f"{round(row.largest_change, 2) + 0.0:+.2f}"
    return change, f"{row.scenario}: {row.series}" if row.scenario else ""


def sensitivity_markdown(rows: pd.DataFrame, start: int) -> str:
    """:func:`largest_changes` as a Markdown table."""
    lines = [
        f"Look-ahead check, start {start}: each backcast start value multiplied and divided "
        "(rates by 1.5, levels by 3); largest change of any worldview's mean |error| per "
        "observed series, in log points",
        "",
        "| start value | factor | value | largest change | where | note |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in largest_changes(rows).itertuples():
        change, where = change_cells(r)
        lines.append(
            f"| {r.parameter} | x{r.factor:.3g} | {r.value:.3g} | {change} | {where} | {r.note} |"
        )
    if rows.empty:
        lines.append("| (none: no start value carries look-ahead) | | | | | |")
    return "\n".join(lines) + "\n"
