"""The parameter registry: every model parameter with unit, default, range and source.

The registry is data (``parameters.toml`` beside this module); this module only
reads it and checks values against it. Values are NumPy arrays of shape
``(n_samples,)`` so one call can simulate many samples.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from takeoff.errors import ValidationError, brief

BLOCKS = (
    "initial",
    "economy",
    "compute",
    "investment",
    "software",
    "capabilities",
    "labour",
    "adoption",
)


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter: allowed range ``[low, high]`` (inclusive), unit and provenance."""

    name: str
    block: str
    unit: str
    default: float
    low: float
    high: float
    plausible: tuple[float, float]
    description: str
    source: str

    @property
    def log_scale(self) -> bool:
        """True when the range spans more than two orders of magnitude (plot/slide in log)."""
        return self.low > 0 and self.high / self.low > 100

    def describe_range(self) -> str:
        return f"[{self.low:g}, {self.high:g}] {self.unit}"


def _parse_spec(name: str, raw: dict) -> ParameterSpec:
    low, high = raw["range"]
    spec = ParameterSpec(
        name=name,
        block=raw["block"],
        unit=raw["unit"],
        default=float(raw["default"]),
        low=float(low),
        high=float(high),
        plausible=(float(raw["plausible"][0]), float(raw["plausible"][1])),
        description=raw["description"],
        source=raw["source"],
    )
    # The registry is shipped data: a broken entry is a bug, so fail loudly at import.
    assert spec.block in BLOCKS, f"{name}: unknown block {spec.block}"
    assert spec.low <= spec.default <= spec.high, f"{name}: default outside range"
    return spec


@cache
def registry() -> dict[str, ParameterSpec]:
    """All parameter specs, in file order (grouped by block)."""
    text = resources.files("takeoff.params").joinpath("parameters.toml").read_text()
    return {name: _parse_spec(name, raw) for name, raw in tomllib.loads(text).items()}


def draw_plausible(names, n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """n values per parameter, uniform over its plausible range (log-uniform where the
    registry marks it log-scaled); for benchmarks and tests that need varied samples."""
    rng = np.random.default_rng(seed)
    out = {}
    for name in names:
        spec = registry()[name]
        low, high = spec.plausible
        if spec.log_scale and low > 0:
            out[name] = np.exp(rng.uniform(np.log(low), np.log(high), n))
        else:
            out[name] = rng.uniform(low, high, n)
    return out


def defaults() -> dict[str, float]:
    return {name: spec.default for name, spec in registry().items()}


def _field(where: str, name: str) -> str:
    """'parameters.x' for files and API bodies, '--set x' for the command line."""
    if not (name.isidentifier() and name.isascii() and len(name) <= 64):
        name = brief(name, 40)  # quoted: it may hold spaces, control characters or a megabyte
    return f"{where} {name}" if where.startswith("--") else f"{where}.{name}"


def check_name(name: str, where: str = "parameters") -> ParameterSpec:
    """Return the spec of ``name`` or raise a message that suggests close names."""
    specs = registry()
    if name in specs:
        return specs[name]
    import difflib

    # difflib is quadratic in the name's length; no parameter name is longer than 64.
    close = difflib.get_close_matches(name, specs, n=3) if len(name) <= 64 else []
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValidationError(f"{_field(where, name)}: unknown parameter{hint} (see `takeoff params`)")


def check_value(name: str, value, where: str = "parameters") -> np.ndarray:
    """Validate one parameter's value(s): numeric, finite and inside the allowed range.

    Returns a float64 array of shape ``(n,)`` (a scalar becomes shape ``(1,)``).
    """
    spec = check_name(name, where)
    if isinstance(value, bool) or not isinstance(value, int | float | np.ndarray | list | tuple):
        raise ValidationError(
            f"{_field(where, name)}: expected a number in {spec.describe_range()}, got {brief(value)}"
        )
    try:
        arr = np.atleast_1d(np.asarray(value, dtype=float))
    except (TypeError, ValueError, OverflowError):  # Overflow: an int beyond float range
        raise ValidationError(
            f"{_field(where, name)}: expected a number in {spec.describe_range()}, got {brief(value)}"
        ) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValidationError(
            f"{_field(where, name)}: expected a scalar or a non-empty 1-D array of samples"
        )
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValidationError(
            f"{_field(where, name)}: value must be finite, got {arr[bad][0]} "
            f"(allowed {spec.describe_range()})"
        )
    out = (arr < spec.low) | (arr > spec.high)
    if out.any():
        raise ValidationError(
            f"{_field(where, name)}: {arr[out][0]:g} is outside the allowed range {spec.describe_range()}"
        )
    return arr


def build_parameters(values: dict[str, object], where: str = "parameters") -> dict[str, np.ndarray]:
    """Defaults overlaid with ``values``; every array broadcast to a common sample count."""
    merged: dict[str, np.ndarray] = {
        name: np.array([spec.default]) for name, spec in registry().items()
    }
    for name, value in values.items():
        merged[name] = check_value(name, value, where)
    sizes = {arr.size for arr in merged.values()} - {1}
    if len(sizes) > 1:
        raise ValidationError(
            f"{where}: parameter arrays have different sample counts {sorted(sizes)}; "
            "give every array the same length (or a scalar)"
        )
    n = sizes.pop() if sizes else 1
    _check_cross_constraints(merged, where)
    return {name: np.broadcast_to(arr, (n,)).copy() for name, arr in merged.items()}


def _check_cross_constraints(p: dict[str, np.ndarray], where: str) -> None:
    """Constraints that involve two parameters at once."""
    shares = p["experiment_compute_share"] + p["rnd_inference_share"]
    if (shares >= 1.0).any():
        raise ValidationError(
            f"{where}: experiment_compute_share + rnd_inference_share must be < 1 "
            f"(the rest runs the economy's AI workers); got {shares.max():g}"
        )
    shifts = p["rnd_compute_shift"] + p["experiment_compute_shift"]
    if (shifts > 0.95).any():
        raise ValidationError(
            f"{where}: rnd_compute_shift + experiment_compute_shift must be <= 0.95 "
            f"(what is left runs the economy's AI workers); got {shifts.max():g}"
        )
    ceiling = p["ai_capex_ceiling"]
    if (ceiling > p["ai_capex_ceiling_max"]).any():
        raise ValidationError(
            f"{where}.ai_capex_ceiling: must not exceed ai_capex_ceiling_max "
            f"({p['ai_capex_ceiling_max'].min():g})"
        )
    lowest = np.log10(p["full_automation_requirement"]) - 1.25 * p["flop_gap_oom"]
    if (lowest <= -math.inf).any():  # pragma: no cover - guarded by ranges
        raise ValidationError(f"{where}: task thresholds underflow")
