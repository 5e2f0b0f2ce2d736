"""Reproductions of the classic models and trend estimates behind the compute-centric view.

Each reproduction lives in its own module and exposes ``reproduce(**options)``
returning a :class:`ClassicResult`. The registry below maps the CLI name
(``takeoff classics NAME``) to that module; modules are imported lazily so the
command stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: CLI name -> module under ``takeoff.classics``.
REGISTRY: dict[str, str] = {
    "kremer": "kremer",
    "roodman": "roodman",
    "jones": "jones",
    "aghion-jones": "aghion_jones",
    "metr": "metr",
    "compute-trend": "compute_trend",
    "sie": "sie",
    "ai2027": "ai2027",
}


@dataclass
class ClassicResult:
    """Outcome of one reproduction.

    ``values`` holds the estimated quantities under stable keys (JSON-serialisable
    scalars, lists or nested dicts). ``published`` maps the same keys to the published
    figure where one exists, for the side-by-side tables. ``plot`` draws the result to
    a PNG path when called.
    """

    name: str
    values: dict[str, Any]
    published: dict[str, Any] = field(default_factory=dict)
    plot: Callable[[str], None] | None = None


def get(name: str):
    """Import and return the reproduction module registered under ``name``."""
    if name not in REGISTRY:
        from takeoff.errors import ValidationError

        raise ValidationError(
            f"unknown classic {name!r}; choose one of: {', '.join(sorted(REGISTRY))}"
        )
    return importlib.import_module(f"takeoff.classics.{REGISTRY[name]}")
