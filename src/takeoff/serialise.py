"""JSON shapes of results shared by the command line and the web server.

It sits below both (it imports neither), so that the server can serialise a run the
way ``takeoff run --json`` does without importing the command line and its
dependencies (typer, rich).
"""

from __future__ import annotations

import math

import numpy as np


def finite_list(values) -> list[float | None]:
    """Plain floats; NaN and infinities become None (JSON has no literal for them)."""
    arr = np.asarray(values, dtype=float)
    out = arr.tolist()
    if not np.isfinite(arr).all():
        out = [v if math.isfinite(v) else None for v in out]
    return out


def result_json(result) -> dict:
    """The documented JSON shape of ``takeoff run --json`` (yearly points)."""
    rows = result.yearly()
    series = {name: finite_list(arr[rows, 0]) for name, arr in result.series.items()}
    series["year"] = [float(y) for y in np.round(result.years[rows], 6)]
    return {"scenario": result.scenario, "milestones": result.milestone_dict(), "series": series}
