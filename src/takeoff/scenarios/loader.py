"""Scenario files: TOML with parameter values (or distributions) and their provenance.

Format::

    name = "my-view"
    description = "..."
    [simulation]            # optional: start_year, end_year, dt, n_tasks, n_rnd_tasks, output_step
    end_year = 2080
    [parameters]            # any parameter of `takeoff params`; omitted ones keep defaults
    diffusion_years = 5.0
    full_automation_requirement = { value = 1e36, unit = "FLOP (2026 algorithms)", source = "..." }
    software_returns = { dist = "lognormal", median = 1.2, sd_log10 = 0.2, source = "..." }

A ``unit`` given in the file must match the registry's unit exactly (so a value in
the wrong unit is caught, not silently misread). A file is read through
:mod:`takeoff.scenarios.files` (size, nesting and encoding bounds) and every field is
checked here: nothing is coerced, so a list, a number given as text or a non-string
title is refused with the field named rather than silently cut or converted.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from takeoff.errors import ValidationError, brief
from takeoff.model.engine.setup import Settings
from takeoff.params.schema import check_name, check_value
from takeoff.scenarios.files import display_path, parse_toml, read_toml

TOP_KEYS = {"name", "title", "description", "simulation", "parameters", "correlations", "sources"}
SIMULATION_KEYS = {"start_year", "end_year", "dt", "n_tasks", "n_rnd_tasks", "output_step"}
ENTRY_META = {"unit", "source", "note"}

#: Longest texts accepted (characters); the name goes into chart titles and folder names.
MAX_NAME, MAX_TITLE, MAX_DESCRIPTION, MAX_SOURCE = 80, 200, 4000, 2000
#: Allowed start years. The initial state is the ``*_2026`` parameters, read as the state at
#: start_year: another year with those values only relabels 2026's state, while
#: ``takeoff.evidence.initial.initial_conditions(year)`` gives the observed state of 2020-2026
#: (docs/evidence.md).
START_YEARS = (2000, 2100)
#: Distribution and correlation specs (as JSON) that passed :func:`_check_joint`.
_JOINT_CHECKED: set[str] = set()
#: Longest ``--set`` value; a plain number needs far fewer characters.
MAX_SET_CHARS = 64
# Plain ASCII decimal or scientific notation; float() would also take "1_0", "inf",
# Arabic-Indic digits and surrounding Unicode spaces.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: point values, distributions and provenance per parameter."""

    name: str
    title: str = ""
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    values: dict[str, float] = field(default_factory=dict)  # point values given in the file
    distributions: dict[str, dict[str, Any]] = field(default_factory=dict)  # raw dist specs
    sources: dict[str, str] = field(default_factory=dict)
    correlations: list[dict[str, Any]] = field(default_factory=list)
    path: str | None = None

    def point_values(self) -> dict[str, float]:
        """Values for a deterministic run: point values, and each distribution's median."""
        out = dict(self.values)
        if self.distributions:
            from takeoff.uncertainty.distributions import parse_distribution

            for name, spec in self.distributions.items():
                out[name] = float(parse_distribution(spec, field=f"parameters.{name}").median())
        return out

    def with_settings(self, **changes) -> Scenario:
        clean = {k: v for k, v in changes.items() if v is not None}
        settings = replace(self.settings, **clean)
        check_settings(settings)
        return replace(self, settings=settings)


def builtin_names() -> list[str]:
    folder = resources.files("takeoff.scenarios")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_scenario(name_or_path: str | Path = "default") -> Scenario:
    """Load a built-in scenario by name, or a TOML file by path."""
    text_path = str(name_or_path)
    if text_path in builtin_names():
        text = resources.files("takeoff.scenarios").joinpath(f"{text_path}.toml").read_text()
        return parse_scenario(parse_toml(text, where=text_path), where=text_path)
    if not os.path.lexists(text_path):  # False also for names too long or with a NUL
        raise ValidationError(
            f"scenario {brief(text_path)}: no such file or built-in scenario "
            f"(built-ins: {', '.join(builtin_names())})"
        )
    return load_scenario_file(text_path)


def load_scenario_file(path: str | Path) -> Scenario:
    """Load a scenario from a TOML file (never a built-in name)."""
    where = display_path(path)
    scenario = parse_scenario(read_toml(path), where=where)
    return replace(scenario, path=str(path))


def parse_scenario(raw: dict[str, Any], where: str = "scenario") -> Scenario:
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: expected a TOML table at the top level")
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise ValidationError(
            f"{where}: unknown top-level keys {_some(unknown)}; allowed: {sorted(TOP_KEYS)}"
        )
    name = _text(raw, "name", where, MAX_NAME, one_line=True)
    if not name or not name.strip():
        raise ValidationError(f"{where}: name: a non-empty string is required")
    title = _text(raw, "title", where, MAX_TITLE, one_line=True)
    description = _text(raw, "description", where, MAX_DESCRIPTION)
    settings = _parse_settings(raw.get("simulation", {}), where)
    values, distributions, sources = {}, {}, {}
    params = raw.get("parameters", {})
    if not isinstance(params, dict):
        raise ValidationError(f"{where}: parameters: expected a table, got {brief(params)}")
    field_name = f"{where}: parameters"
    for key, entry in params.items():
        spec = check_name(key, field_name)
        if isinstance(entry, dict):
            unit = entry.get("unit")
            if unit is not None and unit != spec.unit:
                raise ValidationError(
                    f"{field_name}.{key}: unit {brief(unit)} does not match the model's unit "
                    f"{spec.unit!r}"
                )
            for meta in ("source", "note"):
                text = _text(entry, meta, f"{field_name}.{key}", MAX_SOURCE, sep=".")
                if meta == "source" and text is not None:
                    sources[key] = text
            if "dist" in entry:
                distributions[key] = dict(entry)
                _check_distribution(key, entry, spec, field_name)
                continue
            extra = set(entry) - ENTRY_META - {"value"}
            if extra or "value" not in entry:
                raise ValidationError(
                    f"{field_name}.{key}: expected a number, {{value = ...}} or {{dist = ...}}; "
                    f"unknown keys {_some(extra)}"
                    if extra
                    else f"{field_name}.{key}: missing 'value'"
                )
            entry = entry["value"]
        values[key] = _number(key, entry, spec, field_name)
    for key, text in _parse_sources(raw.get("sources", {}), where).items():
        sources.setdefault(key, text)  # a source given beside the value wins
    correlations = raw.get("correlations", [])
    if not isinstance(correlations, list):
        raise ValidationError(f"{where}: correlations: expected an array of tables")
    _check_joint(distributions, correlations, where)
    return Scenario(
        name=name,
        title=title if title is not None else name,
        description=description or "",
        settings=settings,
        values=values,
        distributions=distributions,
        sources=sources,
        correlations=correlations,
    )


def _some(keys) -> str:
    """A few of ``keys`` for a message (a hostile file may have thousands)."""
    shown = [brief(k, 40) for k in sorted(map(str, keys))[:5]]
    return "[" + ", ".join(shown) + (", …]" if len(keys) > 5 else "]")


def _text(
    table: dict, key: str, where: str, limit: int, one_line: bool = False, sep: str = ": "
) -> str | None:
    """``table[key]`` as a string of at most ``limit`` characters (None when absent).

    Control characters are refused: names and sources are printed to terminals.
    """
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str):
        raise ValidationError(f"{where}{sep}{key}: expected a string, got {brief(value)}")
    if len(value) > limit:
        raise ValidationError(
            f"{where}{sep}{key}: {len(value):,} characters; at most {limit:,} are allowed"
        )
    bare = value if one_line else value.replace("\n", "").replace("\t", "")
    if not bare.isprintable():
        kind = "a single line without control characters" if one_line else "no control characters"
        raise ValidationError(f"{where}{sep}{key}: {brief(value)} must be {kind}")
    return value


def _number(key: str, value: Any, spec, where: str) -> float:
    """One parameter's point value: a number (an array would be cut to its first element)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "an array (one value only" if isinstance(value, list) else brief(value)
        raise ValidationError(
            f"{where}.{key}: expected a number in {spec.describe_range()}, got {kind}"
            + ("; give uncertainty as {dist = ...})" if isinstance(value, list) else "")
        )
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float range
        raise ValidationError(
            f"{where}.{key}: {brief(value, 30)} is outside the allowed range "
            f"{spec.describe_range()}"
        ) from None
    return float(check_value(key, number, where)[0])


def _parse_sources(raw: Any, where: str) -> dict[str, str]:
    """The optional ``[sources]`` table: parameter name -> source."""
    if not isinstance(raw, dict):
        raise ValidationError(f'{where}: sources: expected a table of parameter = "source"')
    out = {}
    for key in raw:
        check_name(key, f"{where}: sources")
        out[key] = _text(raw, key, f"{where}: sources", MAX_SOURCE, sep=".")
    return out


def _check_joint(distributions: dict, correlations: list, where: str) -> None:
    """What ``takeoff mc`` checks before sampling: correlations (names, range, a valid
    matrix) and enough of each distribution's mass inside the allowed range."""
    if not distributions and not correlations:
        return
    try:  # the check takes ~20 ms (SciPy) and the server loads built-ins on every request
        key = json.dumps([distributions, correlations], sort_keys=True)
    except (TypeError, ValueError):  # dates and the like: not cached
        key = None
    if key in _JOINT_CHECKED:
        return
    from takeoff.params.schema import registry
    from takeoff.uncertainty.distributions import parse_distribution, sample_parameters
    from takeoff.uncertainty.montecarlo import parse_correlations

    specs = registry()
    dists = {
        key: parse_distribution(spec, field=f"{where}: parameters.{key}")
        for key, spec in distributions.items()
    }
    try:
        pairs = parse_correlations(correlations, set(dists))
        bounds = {key: (specs[key].low, specs[key].high) for key in dists}
        sample_parameters(dists, 2, 0, correlations=pairs, bounds=bounds)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}") from None
    if key is not None and len(_JOINT_CHECKED) < 1024:
        _JOINT_CHECKED.add(key)


def _check_distribution(key: str, entry: dict, spec, where: str) -> None:
    from takeoff.uncertainty.distributions import parse_distribution

    dist = parse_distribution(entry, field=f"{where}.{key}")
    median = float(dist.median())
    if not (math.isfinite(median) and spec.low <= median <= spec.high):
        raise ValidationError(
            f"{where}.{key}: distribution median {median:g} is outside the allowed range {spec.describe_range()}"
        )


def _parse_settings(raw: dict[str, Any], where: str) -> Settings:
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: simulation: expected a table")
    unknown = set(raw) - SIMULATION_KEYS
    if unknown:
        raise ValidationError(
            f"{where}: simulation: unknown keys {_some(unknown)}; allowed: {sorted(SIMULATION_KEYS)}"
        )
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        integer = key.startswith("n_")
        ok = not isinstance(value, bool) and isinstance(value, int if integer else int | float)
        if ok and not integer:
            try:
                value = float(value)
            except OverflowError:  # an integer beyond float range
                ok = False
        if not ok or (not integer and not math.isfinite(value)):
            kind = "an integer" if integer else "a finite number"
            raise ValidationError(f"{where}: simulation.{key}: expected {kind}, got {brief(value)}")
        kwargs[key] = value
    settings = Settings(**kwargs)
    try:
        check_settings(settings)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}") from None
    return settings


def check_settings(settings: Settings) -> None:
    """The model's own checks, plus a whole start year in START_YEARS and an end year
    that a whole number of steps reaches (the model would otherwise overshoot it)."""
    low, high = START_YEARS
    start = settings.start_year
    if not (low <= start <= high and float(start).is_integer()):
        raise ValidationError(
            f"simulation.start_year: {start:g} must be a whole year in [{low}, {high}] "
            "(the *_2026 parameters are the state at start_year; they are 2026's unless "
            "replaced, e.g. by takeoff.evidence.initial.initial_conditions)"
        )
    settings.check()
    span = settings.end_year - start
    steps = span / settings.dt
    if round(steps) < 1 or abs(steps - round(steps)) > 1e-6:
        reachable = start + settings.dt * max(1, round(steps))
        raise ValidationError(
            f"simulation.end_year: end_year - start_year ({span:g} years) must be a whole "
            f"number (at least 1) of time steps dt = {settings.dt:g}; e.g. end_year = "
            f"{reachable:g}"
        )


def parse_override(text: str) -> tuple[str, float]:
    """Parse ``name=value`` from ``--set``; the value must be a plain ASCII number
    (decimal or scientific notation: 5, -0.25, 1e36, 2.5E-3)."""
    if "=" not in text:
        raise ValidationError(f"--set {brief(text)}: expected name=value")
    name, _, raw_value = text.partition("=")
    name = name.strip()
    check_name(name, "--set")
    number = raw_value.strip(" \t")
    if len(number) > MAX_SET_CHARS:
        raise ValidationError(
            f"--set {name}: a value of {len(number):,} characters; write the number in "
            f"scientific notation (e.g. 1e36) in at most {MAX_SET_CHARS}"
        )
    if not _NUMBER.fullmatch(number):
        raise ValidationError(
            f"--set {name}: {brief(raw_value, 40)} is not a number; write it in plain decimal "
            "or scientific notation (e.g. 5, 0.25, 1e36)"
        )
    value = float(number)
    if not math.isfinite(value):  # 1e999: too large for a float
        spec = check_name(name, "--set")
        raise ValidationError(
            f"--set {name}: {number} is outside the allowed range {spec.describe_range()}"
        )
    check_value(name, value, "--set")
    return name, value
