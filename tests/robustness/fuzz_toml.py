"""The building blocks of the fuzz corpus: a hostile case, a tiny TOML writer (it can
write what ``tomli_w`` refuses: NaN, raw broken values) and the valid base scenario that
every case breaks in one place."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass


class Raw(str):
    """TOML text written as is (nan, inf, dates, deliberately broken values)."""


@dataclass(frozen=True)
class Case:
    """One hostile input: file bytes (or a special path) and what its message must name."""

    family: str
    label: str
    content: bytes | None  # None: a special path (see ``path_kind``)
    expect: tuple[str, ...]  # any one of these must appear in the message
    path_kind: str = "file"


# ---------------------------------------------------------------- a tiny TOML writer


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _value(value) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def to_toml(doc: dict) -> str:
    """Top-level values, then one [table] per dict, then [[array]] per list of dicts."""
    lines, tables, arrays = [], [], []
    for key, value in doc.items():
        if isinstance(value, dict) and not isinstance(value, Raw):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            arrays.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, table in tables:
        lines.append(f"[{_key(key)}]")
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items())
    for key, items in arrays:
        for item in items:
            lines.append(f"[[{_key(key)}]]")
            lines.extend(f"{_key(k)} = {_value(v)}" for k, v in item.items())
    return "\n".join(lines) + "\n"


def base() -> dict:
    """A valid scenario (checked by a test); each case breaks it in one place."""
    return {
        "name": "fuzz",
        "title": "Fuzz base",
        "description": "A valid scenario that each case breaks in one place.",
        "simulation": {"end_year": 2030, "dt": 0.5},
        "parameters": {
            "diffusion_years": {"value": 4.0, "unit": "years", "source": "test"},
            "software_returns": {"dist": "lognormal", "median": 1.2, "sd_log10": 0.1},
            "full_automation_requirement": {"dist": "lognormal", "median": 1e36, "sd_log10": 0.5},
        },
        "correlations": [
            {"between": ["software_returns", "full_automation_requirement"], "rank": -0.3}
        ],
    }


def _with(path: tuple[str, ...], value, delete: bool = False) -> dict:
    doc = base()
    target = doc
    for part in path[:-1]:
        target = target.setdefault(part, {})
    if delete:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return doc


def _case(family: str, label: str, doc_or_text, *expect: str, kind: str = "file") -> Case:
    if isinstance(doc_or_text, dict):
        data = to_toml(doc_or_text).encode()
    elif isinstance(doc_or_text, str):
        data = doc_or_text.encode("utf-8", "surrogatepass")
    else:
        data = doc_or_text
    return Case(family, label, data, tuple(expect), kind)
