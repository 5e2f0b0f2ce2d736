"""What the playground's endpoints compute: JSON payloads, a small result cache and deadlines.

Everything here is synchronous and runs in a worker thread (see ``server.py``). A
:class:`Deadline` is checked at every time step of a single run (through
``simulate(on_step=...)``) and between chunks of a Monte Carlo run, so a request that
runs past its time limit stops computing instead of holding a core.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from importlib import resources
from typing import Any

import numpy as np

from takeoff.web.models import MAX_COMPARE, CompareRequest, MonteCarloRequest, RunRequest

log = logging.getLogger("takeoff.web")

#: The parameters the playground shows as sliders, most influential first.
KEY_PARAMETERS = (
    "full_automation_requirement",
    "flop_gap_oom",
    "software_returns",
    "research_substitution_rho",
    "task_substitution_rho",
    "diffusion_years",
    "ai_capex_ceiling",
    "ai_capex_growth",
    "automation_cap",
    "runtime_flop_per_worker",
    "physical_extra_oom",
    "algorithmic_progress_2026",
)

#: Series the compare view returns by default.
COMPARE_SERIES = (
    "automatable_share",
    "automated_share",
    "gwp_growth",
    "gwp",
    "ai_compute",
    "power_gw",
    "ai_capex_share",
    "wage",
    "time_horizon_minutes",
)

#: Milestones drawn as markers on the time axis of the playground's charts.
MARKER_MILESTONES = (
    "automated_coder",
    "automated_20pct",
    "automated_50pct",
    "country_of_geniuses",
    "remote_work_automated",
    "explosive_growth",
    "automated_100pct",
)

#: Labels and units of the series (others are shown by name).
SERIES_INFO: dict[str, tuple[str, str, bool]] = {
    "gwp": ("Gross world product", "$/yr", True),
    "gwp_growth": ("GWP growth", "1/yr (fraction)", False),
    "gwp_per_worker": ("GWP per worker", "$/yr", True),
    "automatable_share": ("Tasks automatable", "share of tasks", False),
    "automated_share": ("Tasks automated", "share of tasks", False),
    "cognitive_automatable_share": ("Cognitive tasks automatable", "share", False),
    "cognitive_automated_share": ("Cognitive tasks automated", "share", False),
    "rnd_automatable_share": ("AI R&D tasks automatable", "share", False),
    "rnd_automated_share": ("AI R&D tasks automated", "share", False),
    "rnd_compute_share": ("AI compute running AI researchers", "share of AI compute", False),
    "ai_compute": ("Installed AI compute", "FLOP/s", True),
    "power_gw": ("AI power draw", "GW", True),
    "ai_capex_share": ("AI capex", "share of GWP", False),
    "ai_capex": ("AI capex", "$/yr", True),
    "cost_per_gw_year": ("Cost per GW-year", "$/GW-yr", True),
    "effective_training_compute": ("Largest run, effective", "FLOP (2026 algorithms)", True),
    "largest_training_run": ("Largest training run", "FLOP", True),
    "software_efficiency": ("Software efficiency", "x 2026", True),
    "hardware_price_performance": ("Hardware price-performance", "FLOP/s per $", True),
    "energy_efficiency": ("Energy efficiency", "FLOP/s per W", True),
    "time_horizon_minutes": ("METR 50% time horizon", "minutes", True),
    "ai_workers": ("AI workers", "worker-equivalents at market prices", True),
    "ai_researchers": ("AI researchers", "researcher-equivalents at market prices", True),
    "expert_equivalents": ("Expert-equivalents runnable", "instances", True),
    "wage": ("Wage", "$/worker/yr", True),
    "labour_share": ("Labour share", "share of GWP", False),
    "ai_output_share": ("AI share of output", "share of GWP", False),
    "ai_revenue": ("AI revenue", "$/yr", True),
    "labour_force": ("Labour force", "workers", True),
    "capital": ("Capital", "$", True),
}


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


def finite_list(values) -> list[float | None]:
    arr = np.asarray(values, dtype=float)
    out = arr.tolist()
    if not np.isfinite(arr).all():
        out = [v if math.isfinite(v) else None for v in out]
    return out


def _settings_dict(settings) -> dict[str, float]:
    return {
        "start_year": float(settings.start_year),
        "end_year": float(settings.end_year),
        "dt": float(settings.dt),
    }


# ------------------------------------------------------------------ metadata


def series_info(name: str) -> dict[str, Any]:
    label, unit, log = SERIES_INFO.get(name, (name.replace("_", " "), "", False))
    return {"name": name, "label": label, "unit": unit, "log_scale": log}


def milestones_payload() -> list[dict[str, Any]]:
    from takeoff.model.engine.milestones import default_milestones

    return [
        {
            "name": m.name,
            "description": m.description,
            "source": m.source,
            "conditions": [
                {"series": c.series, "at_least": c.at_least, "scale": c.scale} for c in m.conditions
            ],
        }
        for m in default_milestones().values()
    ]


def scenario_payload(name: str) -> dict[str, Any]:
    from takeoff.scenarios.loader import load_scenario

    s = load_scenario(name)
    return {
        "name": s.name,
        "title": s.title,
        "description": s.description,
        "settings": _settings_dict(s.settings),
        "values": dict(s.values),
        "distributions": {k: dict(v) for k, v in s.distributions.items()},
        "sources": dict(s.sources),
        "n_correlations": len(s.correlations),
    }


def scenarios_payload() -> list[dict[str, Any]]:
    from takeoff.errors import TakeoffError
    from takeoff.scenarios.loader import builtin_names

    names = builtin_names()
    ordered = (["default"] if "default" in names else []) + [n for n in names if n != "default"]
    out = []
    for name in ordered:
        try:
            out.append(scenario_payload(name))
        except TakeoffError as exc:  # one broken file must not hide the others
            log.warning("scenario %s is not listed: %s", name, exc)
    return out


def parameters_payload(scenario: str) -> list[dict[str, Any]]:
    from takeoff.params.schema import registry
    from takeoff.scenarios.loader import load_scenario

    s = load_scenario(scenario)
    values = s.point_values()
    out = []
    for name, spec in registry().items():
        out.append(
            {
                "name": name,
                "block": spec.block,
                "unit": spec.unit,
                "default": spec.default,
                "value": float(values.get(name, spec.default)),
                "range": [spec.low, spec.high],
                "plausible": list(spec.plausible),
                "log_scale": spec.log_scale,
                "description": spec.description,
                "source": spec.source,
                "scenario_source": s.sources.get(name),
                "distribution": s.distributions.get(name),
                "key": name in KEY_PARAMETERS,
            }
        )
    return out


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
    from takeoff.cli import result_json
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
    payload["settings"] = _settings_dict(result.settings)
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
            "settings": _settings_dict(
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
