"""takeoff: a compute-centric model of AI progress, automation and economic growth.

>>> import takeoff
>>> result = takeoff.simulate("default", {"diffusion_years": 5.0})
>>> result.milestone_dict()["automated_50pct"]  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from takeoff.api import Result, simulate
from takeoff.scenarios.loader import Scenario, load_scenario

__all__ = ["Result", "Scenario", "__version__", "load_scenario", "simulate"]
