"""Bundled data sets (copied from ``shared/data`` with their provenance, see README.md here).

Use :func:`data_path` rather than paths relative to the repository, so an installed
package finds its data too.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(filename: str) -> Path:
    """Absolute path of a bundled data file, e.g. ``data_path("kremer_1993_population.csv")``."""
    path = Path(str(resources.files("takeoff.data").joinpath(filename)))
    if not path.exists():
        from takeoff.errors import ValidationError

        raise ValidationError(f"bundled data file {filename!r} is missing from takeoff/data/")
    return path
