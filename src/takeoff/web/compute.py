"""What the playground's simulating endpoints compute: payloads, a result cache, deadlines.

Everything here is synchronous and runs in a worker thread (see ``server.py``). A
:class:`Deadline` is checked at every time step of a single run (through
``simulate(on_step=...)``) and between chunks of a Monte Carlo run, so a request that
runs past its time limit stops computing instead of holding a core.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from importlib import resources
from typing import Any

import numpy as np

from takeoff.serialise import finite_list, result_json
from takeoff.web.catalogue import COMPARE_SERIES, settings_dict
from takeoff.web.models import MAX_COMPARE, CompareRequest, MonteCarloRequest, RunRequest

log = logging.getLogger("takeoff.web")


class ComputationTimeout(Exception):
    """A computation ran past its request's time limit (answered with 503)."""


class Deadline:
    """A time limit that computations check cooperatively."""

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self.start = time.monotonic()
        self.expires = self.start + self.seconds

    def check(self, done: float | None = None) -> None:
        if time.monotonic() > self.expires:
            where = f" ({100 * done:.0f}% done)" if done is not None else ""
            raise ComputationTimeout(
                f"the computation exceeded this server's time limit of {self.seconds:g} s{where}; "
                "ask for fewer samples, a larger dt or an earlier end_year"
            )

    def on_step(self, k: int, n: int) -> None:
        # The JAX backend reports only its last step: check there too.
        if k % 8 == 0 or k == n:
            self.check(k / max(n, 1))


class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


RUN_CACHE = LRU(256)
MC_CACHE = LRU(8)


def _scenario_fingerprint(name: str) -> str:
    """Hash of a built-in scenario's file, so an edited file is never served from cache."""
    text = resources.files("takeoff.scenarios").joinpath(f"{name}.toml").read_text()
    return hashlib.sha1(text.encode()).hexdigest()[:16]


# ------------------------------------------------------------------ computations


def _simulate_cached(
    scenario: str,
    overrides: dict[str, float],
    dt: float | None,
    end_year: float | None,
    deadline: Deadline,
    backend: str = "numpy",
) -> tuple[dict[str, Any], bool]:
    """Full yearly payload of one run (every series), from cache when possible."""
    from takeoff.api import simulate
    from takeoff.scenarios.loader import load_scenario

    key = (
        scenario,
        _scenario_fingerprint(scenario),
        tuple(sorted(overrides.items())),
        dt,
        end_year,
        backend,
    )
    hit = RUN_CACHE.get(key)
    if hit is not None:
        return hit, True
    loaded = load_scenario(scenario)
    result = simulate(
        loaded, overrides, dt=dt, end_year=end_year, backend=backend, on_step=deadline.on_step
    )
    payload = result_json(result)
    payload["settings"] = settings_dict(result.settings)
    payload["growth_capped"] = bool(result.growth_capped[0])
    payload["title"] = loaded.title
    RUN_CACHE.put(key, payload)
    return payload, False


def _pick_series(series: dict[str, list], names) -> dict[str, list]:
    if names is None:
        return dict(series)
    out = {"year": series["year"]}
    for name in names:
        out[name] = series[name]
    return out


def warm_up(backend: str) -> None:
    """Run the default scenario at the playground's time steps once, so that the JAX
    backend's compiled code is ready before the first slider moves."""
    from takeoff.api import simulate

    for dt in (0.2, 0.1):
        t0 = time.perf_counter()
        simulate("default", dt=dt, backend=backend)
        log.info(
            "warmed up the %s backend at dt %g in %.1f s", backend, dt, time.perf_counter() - t0
        )


def run_payload(req: RunRequest, deadline: Deadline, backend: str = "numpy") -> dict[str, Any]:
    t0 = time.perf_counter()
    full, cached = _simulate_cached(
        req.scenario, req.overrides, req.dt, req.end_year, deadline, backend
    )
    return {
        "scenario": full["scenario"],
        "settings": full["settings"],
        "overrides": dict(req.overrides),
        "milestones": full["milestones"],
        "series": _pick_series(full["series"], req.series),
        "growth_capped": full["growth_capped"],
        "elapsed_ms": round(1000 * (time.perf_counter() - t0), 2),
        "cached": cached,
    }


def compare_payload(
    req: CompareRequest, deadline: Deadline, backend: str = "numpy"
) -> dict[str, Any]:
    from takeoff.scenarios.loader import builtin_names

    t0 = time.perf_counter()
    if req.scenarios is None:
        names = builtin_names()
        names = (["default"] if "default" in names else []) + [n for n in names if n != "default"]
        names = names[:MAX_COMPARE]
    else:
        names = list(req.scenarios)
    wanted = list(req.series) if req.series is not None else list(COMPARE_SERIES)
    runs = []
    settings = None
    for name in names:
        deadline.check()
        full, _ = _simulate_cached(name, req.overrides, req.dt, req.end_year, deadline, backend)
        settings = settings or full["settings"]
        runs.append(
            {
                "scenario": full["scenario"],
                "title": full["title"],
                "settings": full["settings"],
                "milestones": full["milestones"],
                "series": _pick_series(full["series"], wanted),
                "growth_capped": full["growth_capped"],
            }
        )
    return {
        "settings": settings,
        "overrides": dict(req.overrides),
        "runs": runs,
        "elapsed_ms": round(1000 * (time.perf_counter() - t0), 2),
    }


def mc_payload(req: MonteCarloRequest, deadline: Deadline) -> dict[str, Any]:
    from takeoff.scenarios.loader import load_scenario
    from takeoff.uncertainty.montecarlo import FAN_SERIES, QUANTILES, run_mc

    t0 = time.perf_counter()
    key = (
        req.scenario,
        _scenario_fingerprint(req.scenario),
        req.n_samples,
        req.seed,
        tuple(sorted(req.overrides.items())),
        req.dt,
        req.end_year,
    )
    full = MC_CACHE.get(key)
    cached = full is not None
    if full is None:
        loaded = load_scenario(req.scenario)

        def progress(done: int, total: int) -> None:
            deadline.check(done / total)

        result = run_mc(
            loaded,
            req.n_samples,
            req.seed,
            overrides=dict(req.overrides) or None,
            dt=req.dt,
            end_year=req.end_year,
            progress=progress,
        )
        years = np.asarray(result.years, dtype=float)
        cdf = {}
        for name, values in result.milestones.items():
            reached = np.where(np.isnan(values), np.inf, values)
            cdf[name] = np.round(
                np.mean(reached[:, None] <= years[None, :] + 1e-9, axis=0), 5
            ).tolist()
        full = {
            "scenario": result.scenario,
            "n_samples": result.n_samples,
            "seed": result.seed,
            "settings": settings_dict(
                loaded.with_settings(dt=req.dt, end_year=req.end_year).settings
            ),
            "overrides": dict(req.overrides),
            "sampled": sorted(result.sampled),
            "quantiles": list(QUANTILES),
            "years": years.round(6).tolist(),
            "fans": {
                name: [finite_list(row) for row in result.quantiles[name]] for name in FAN_SERIES
            },
            "milestones": result.milestone_summary(),
            "cdf": cdf,
            "growth_capped_share": round(float(np.mean(result.growth_capped)), 5),
        }
        MC_CACHE.put(key, full)
    out = dict(full)
    if req.series is not None:
        out["fans"] = {name: full["fans"][name] for name in req.series}
    out["elapsed_ms"] = round(1000 * (time.perf_counter() - t0), 2)
    out["cached"] = cached
    return out
