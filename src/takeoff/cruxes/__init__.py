"""Cruxes: why two worldviews disagree, which assumptions matter, which regions lead where.

- :func:`takeoff.cruxes.attribution.attribute` — Shapley attribution of the difference
  between two worldviews to groups of parameters (``takeoff cruxes A B``).
- :func:`takeoff.cruxes.sensitivity.sensitivity` (import it from its module: the
  package attribute ``sensitivity`` is the module) — variance-based (Sobol) indices within
  one worldview, valid under its rank correlations (``takeoff sensitivity NAME``).
- :func:`takeoff.cruxes.discovery.discover` — boxes in parameter space that lead to an
  outcome (``takeoff discover NAME --where ...``).

See docs/cruxes.md for the methods and their assumptions.
"""

from __future__ import annotations

# Imported on first use: SALib (sensitivity) takes about a second to import, and
# `takeoff cruxes` does not need it.
_EXPORTS = {
    "Attribution": "attribution",
    "attribute": "attribution",
    "Discovery": "discovery",
    "discover": "discovery",
    "Sensitivity": "sensitivity",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'takeoff.cruxes' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"takeoff.cruxes.{_EXPORTS[name]}"), name)
