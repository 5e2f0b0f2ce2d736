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
the wrong unit is caught, not silently misread).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from takeoff.errors import ValidationError
from takeoff.model.engine.setup import Settings
from takeoff.params.schema import check_name, check_value

TOP_KEYS = {"name", "title", "description", "simulation", "parameters", "correlations", "sources"}
SIMULATION_KEYS = {"start_year", "end_year", "dt", "n_tasks", "n_rnd_tasks", "output_step"}
ENTRY_META = {"unit", "source", "note"}


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
        settings.check()
        return replace(self, settings=settings)


def builtin_names() -> list[str]:
    folder = resources.files("takeoff.scenarios")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_scenario(name_or_path: str | Path = "default") -> Scenario:
    """Load a built-in scenario by name, or a TOML file by path."""
    text_path = str(name_or_path)
    if text_path in builtin_names():
        text = resources.files("takeoff.scenarios").joinpath(f"{text_path}.toml").read_text()
        return parse_scenario(tomllib.loads(text), where=text_path)
    path = Path(text_path)
    if not path.exists():
        raise ValidationError(
            f"scenario {text_path!r}: no such file or built-in scenario "
            f"(built-ins: {', '.join(builtin_names())})"
        )
    try:
        raw = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{path}: malformed TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path}: cannot read file: {exc}") from None
    scenario = parse_scenario(raw, where=str(path))
    return replace(scenario, path=str(path))


def parse_scenario(raw: dict[str, Any], where: str = "scenario") -> Scenario:
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise ValidationError(
            f"{where}: unknown top-level keys {sorted(unknown)}; allowed: {sorted(TOP_KEYS)}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ValidationError(f"{where}: name: a non-empty string is required")
    settings = _parse_settings(raw.get("simulation", {}), where)
    values, distributions, sources = {}, {}, {}
    params = raw.get("parameters", {})
    if not isinstance(params, dict):
        raise ValidationError(f"{where}: parameters: expected a table")
    for key, entry in params.items():
        field_name = f"{where}: parameters"
        spec = check_name(key, field_name)
        if isinstance(entry, dict):
            unit = entry.get("unit")
            if unit is not None and unit != spec.unit:
                raise ValidationError(
                    f"{field_name}.{key}: unit {unit!r} does not match the model's unit {spec.unit!r}"
                )
            if "source" in entry:
                sources[key] = str(entry["source"])
            if "dist" in entry:
                distributions[key] = dict(entry)
                _check_distribution(key, entry, spec, field_name)
                continue
            extra = set(entry) - ENTRY_META - {"value"}
            if extra or "value" not in entry:
                raise ValidationError(
                    f"{field_name}.{key}: expected a number, {{value = ...}} or {{dist = ...}}; "
                    f"unknown keys {sorted(extra)}"
                    if extra
                    else f"{field_name}.{key}: missing 'value'"
                )
            entry = entry["value"]
        values[key] = float(check_value(key, entry, field_name)[0])
    correlations = raw.get("correlations", [])
    if not isinstance(correlations, list):
        raise ValidationError(f"{where}: correlations: expected an array of tables")
    return Scenario(
        name=name,
        title=str(raw.get("title", name)),
        description=str(raw.get("description", "")),
        settings=settings,
        values=values,
        distributions=distributions,
        sources=sources,
        correlations=correlations,
    )


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
            f"{where}: simulation: unknown keys {sorted(unknown)}; allowed: {sorted(SIMULATION_KEYS)}"
        )
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        integer = key.startswith("n_")
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok or (not integer and not math.isfinite(value)):
            kind = "an integer" if integer else "a finite number"
            raise ValidationError(f"{where}: simulation.{key}: expected {kind}, got {value!r}")
        kwargs[key] = value if integer else float(value)
    settings = Settings(**kwargs)
    try:
        settings.check()
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}") from None
    return settings


def parse_override(text: str) -> tuple[str, float]:
    """Parse ``name=value`` from ``--set``; the value must be a number."""
    if "=" not in text:
        raise ValidationError(f"--set {text!r}: expected name=value")
    name, _, raw_value = text.partition("=")
    name = name.strip()
    check_name(name, "--set")
    try:
        value = float(raw_value)
    except ValueError:
        raise ValidationError(f"--set {name}: {raw_value!r} is not a number") from None
    check_value(name, value, "--set")
    return name, value
