"""Milestones: first times at which series cross thresholds (defined in milestones.toml).

For each condition the first crossing time is found by linear interpolation (in log
space for ``scale = "log"``) between the two steps that bracket it. A milestone with
several conditions is reached at the latest of their first crossings, which is the
first time all hold when the series are non-decreasing (true of all the shares and
capabilities used). Not reached by the end year -> NaN.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from takeoff.errors import ValidationError


@dataclass(frozen=True)
class Condition:
    series: str
    at_least: float
    scale: str = "linear"


@dataclass(frozen=True)
class Milestone:
    name: str
    description: str
    conditions: tuple[Condition, ...]
    source: str = ""


def parse_milestones(raw: dict, where: str = "milestones") -> dict[str, Milestone]:
    out = {}
    for name, entry in raw.items():
        unknown = set(entry) - {"description", "conditions", "source"}
        if unknown:
            raise ValidationError(f"{where}.{name}: unknown keys {sorted(unknown)}")
        conditions = []
        for i, cond in enumerate(entry.get("conditions", [])):
            extra = set(cond) - {"series", "at_least", "scale"}
            if extra or "series" not in cond or "at_least" not in cond:
                raise ValidationError(
                    f"{where}.{name}.conditions[{i}]: needs 'series' and 'at_least' (optional 'scale')"
                )
            scale = cond.get("scale", "linear")
            if scale not in ("linear", "log"):
                raise ValidationError(
                    f"{where}.{name}.conditions[{i}].scale: 'linear' or 'log', got {scale!r}"
                )
            conditions.append(Condition(cond["series"], float(cond["at_least"]), scale))
        if not conditions:
            raise ValidationError(f"{where}.{name}: at least one condition is required")
        out[name] = Milestone(
            name, entry.get("description", ""), tuple(conditions), entry.get("source", "")
        )
    return out


@cache
def default_milestones() -> dict[str, Milestone]:
    text = resources.files("takeoff.model.engine").joinpath("milestones.toml").read_text()
    return parse_milestones(tomllib.loads(text))


def load_milestones(path: str | Path) -> dict[str, Milestone]:
    try:
        raw = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"{path}: cannot read milestones file ({exc})") from None
    return parse_milestones(raw, where=str(path))


def first_crossing(
    years: np.ndarray, values: np.ndarray, threshold: float, scale: str
) -> np.ndarray:
    """Interpolated first time ``values`` (T, n) reaches ``threshold``; NaN if never.

    Between the last step below the threshold (t_0, v_0) and the first at or above it
    (t_1, v_1) the time is the earlier of the chord's crossing and, where there is a
    step before t_0 with the series rising, the crossing of the line continued from
    that step's slope:

        t = min(t_0 + (x - v_0)(t_1 - t_0)/(v_1 - v_0),  t_0 + (x - v_0)/s_0),
        s_0 = (v_0 - v_-1)/(t_0 - t_-1)

    A share that reaches its ceiling within the step (1 when the last task is
    automatable) lies above its chord, which crosses up to a step late; for a convex
    series the chord is the earlier and both are second order in dt.
    """
    reached = values >= threshold
    hit = reached.any(axis=0)
    first = reached.argmax(axis=0)
    before = np.maximum(first - 1, 0)
    earlier = np.maximum(first - 2, 0)
    cols = np.arange(values.shape[1])
    v_1, v0, v1 = values[earlier, cols], values[before, cols], values[first, cols]
    target = threshold
    if scale == "log":
        v_1 = np.log(np.maximum(v_1, 1e-300))
        v0, v1 = np.log(np.maximum(v0, 1e-300)), np.log(np.maximum(v1, 1e-300))
        target = np.log(threshold)
    span = np.where(v1 > v0, v1 - v0, 1.0)
    fraction = np.clip(np.where(v1 > v0, (target - v0) / span, 1.0), 0.0, 1.0)
    chord = years[before] + fraction * (years[first] - years[before])
    rising = (first >= 2) & (v0 > v_1)
    step_before = np.where(rising, years[before] - years[earlier], 1.0)  # 0 where first < 2
    slope = np.where(rising, (v0 - v_1) / step_before, 1.0)
    continued = np.where(rising, years[before] + (target - v0) / slope, np.inf)
    when = np.where(first == 0, years[0], np.minimum(chord, continued))
    return np.where(hit, when, np.nan)


#: Steps of one block that the next reads first (:func:`first_crossing` reads two back).
CARRIED = 2


class FirstCrossings:
    """:func:`first_crossing` of each condition, over steps that come a block at a time.

    Each block is read together with the last two steps before it (what
    :func:`first_crossing` reads before a crossing), so a crossing near the start of a
    block is found from the same steps as over the whole run, and the times are the
    same, bit for bit.
    """

    def __init__(self, conditions: Iterable[Condition]):
        self.conditions = tuple(dict.fromkeys(conditions))
        self.times: dict[Condition, np.ndarray] = {}
        self._last: tuple[np.ndarray, dict[str, np.ndarray]] | None = None

    def add(self, years: np.ndarray, series: dict[str, np.ndarray]) -> None:
        """Steps ``years`` (R,) of each condition's series (R, n), after the steps added so far."""
        if self._last is not None:
            last_years, last_rows = self._last
            years = np.concatenate([last_years, years])
        extended = {}
        for cond in self.conditions:
            values = series[cond.series]
            if self._last is None:
                self.times[cond] = first_crossing(years, values, cond.at_least, cond.scale)
                extended[cond.series] = values
                continue
            # The steps before the block are below the threshold where nothing was
            # reached yet, so a crossing found here is the first one.
            values = np.concatenate([last_rows[cond.series], values])
            extended[cond.series] = values
            open_ = np.isnan(self.times[cond])
            if open_.any():
                found = first_crossing(years, values, cond.at_least, cond.scale)
                self.times[cond] = np.where(open_, found, self.times[cond])
        # Copies: a block may be a view of a buffer that the next block overwrites.
        self._last = (
            years[-CARRIED:].copy(),
            {name: values[-CARRIED:].copy() for name, values in extended.items()},
        )

    def milestone_years(self, milestones: dict[str, Milestone]) -> dict[str, np.ndarray]:
        """Year each milestone is reached (the latest of its conditions' first crossings)."""
        return {
            name: np.max(np.stack([self.times[cond] for cond in milestone.conditions]), axis=0)
            for name, milestone in milestones.items()
        }


def check_series(
    milestones: dict[str, Milestone], present: Iterable[str], listed: Iterable[str] | None = None
) -> None:
    """Refuse a condition on a series not in ``present``, naming ``listed`` (default
    ``present``) as those to choose from."""
    present = set(present)
    for name, milestone in milestones.items():
        for cond in milestone.conditions:
            if cond.series not in present:
                raise ValidationError(
                    f"milestone {name}: unknown series {cond.series!r}; choose from "
                    f"{sorted(present if listed is None else listed)}"
                )


def milestone_years(
    years: np.ndarray,
    series: dict[str, np.ndarray],
    milestones: dict[str, Milestone] | None = None,
    available=None,
) -> dict[str, np.ndarray]:
    """Year each milestone is reached, per sample (NaN = not reached by the end year), from
    whole (steps, n) series; a run finds them a block of steps at a time (engine/fine.py).

    ``available`` names the series a user may choose from (for the error message; by
    default those in ``series``).
    """
    milestones = default_milestones() if milestones is None else milestones
    check_series(milestones, series, available)
    crossings = FirstCrossings(
        cond for milestone in milestones.values() for cond in milestone.conditions
    )
    crossings.add(years, series)
    return crossings.milestone_years(milestones)
