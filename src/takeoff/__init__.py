"""takeoff: a compute-centric model of AI progress, automation and economic growth."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
