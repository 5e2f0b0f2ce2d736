"""What ``POST /api/update`` computes: a worldview updated on observations.

The prior Monte Carlo (with its yearly trajectories) is cached per worldview, sample
count and seed, so trying other observations on the same prior only reweights it
(``takeoff.evidence.update.reweight``; milliseconds). docs/evidence.md.
"""

from __future__ import annotations

import time
from typing import Any

from takeoff.web.compute import LRU, Deadline, _scenario_fingerprint

PRIOR_CACHE = LRU(8)


def update_payload(req, deadline: Deadline) -> dict[str, Any]:
    """``takeoff update --json`` for the request, plus timing and whether it was cached."""
    from takeoff.evidence.observables import parse_observation
    from takeoff.evidence.update import reweight
    from takeoff.evidence.whatif import what_if_set, what_if_table
    from takeoff.scenarios.loader import load_scenario
    from takeoff.uncertainty.montecarlo import run_mc

    t0 = time.perf_counter()
    observations = [parse_observation(text) for text in req.observations]
    if req.what_if:
        what_if_set(req.scenario)
    key = (req.scenario, _scenario_fingerprint(req.scenario), req.n_samples, req.seed)
    prior = PRIOR_CACHE.get(key)
    cached = prior is not None
    if prior is None:
        prior = run_mc(
            load_scenario(req.scenario),
            req.n_samples,
            req.seed,
            keep_trajectories=True,
            progress=lambda done, total: deadline.check(done / total),
        )
        PRIOR_CACHE.put(key, prior)
    deadline.check()
    return {
        "scenario": req.scenario,
        "samples": req.n_samples,
        "update": reweight(prior, observations, min_ess=req.min_ess).to_dict()
        if observations
        else None,
        "what_if": what_if_table(prior, min_ess=req.min_ess) if req.what_if else None,
        "elapsed_ms": round(1000 * (time.perf_counter() - t0), 2),
        "cached": cached,
    }
