"""What ``POST /api/cruxes`` computes: why two built-in worldviews differ.

The Shapley attribution of ``takeoff cruxes A B`` (:func:`takeoff.cruxes.attribute`,
docs/cruxes.md): the difference of a metric between two worldviews split between groups of
parameters, with bootstrap standard errors and the one-at-a-time bounds. Its cost is
(hybrid worldviews) x (samples) x (time steps); requests are refused above
``models.MAX_CRUXES_WORK`` before anything runs (``models.CruxesRequest``), the run checks
the request's deadline after every chunk of samples, and results are cached.
"""

from __future__ import annotations

import time
from typing import Any

from takeoff.web.compute import LRU, Deadline, _scenario_fingerprint

#: Samples simulated between two deadline checks.
CHUNK = 1_000
CRUXES_CACHE = LRU(16)


def planned_hybrids(a: str, b: str, by: str) -> int:
    """Upper bound on the hybrid worldviews the attribution of a -> b simulates: 2^k for
    k groups up to ``shapley.MAX_EXACT``, else the coalitions of the sampled orders.
    Raises the cruxes' ValidationError when nothing differs or ``by`` is unknown."""
    from takeoff.cruxes import shapley
    from takeoff.cruxes.attribution import ORDER_PAIRS
    from takeoff.cruxes.groups import make_groups
    from takeoff.scenarios.loader import load_scenario

    k = len(make_groups(load_scenario(a), load_scenario(b), by))
    orders = None if k <= shapley.MAX_EXACT else shapley.sample_orders(k, ORDER_PAIRS, 0)
    return len(shapley.coalitions_needed(k, orders))


def cruxes_payload(req, deadline: Deadline) -> dict[str, Any]:
    """The attribution as ``Attribution.to_json()`` plus every group's sentence, the two
    views' colours and titles; from the cache when the same request was answered."""
    from takeoff.cruxes.attribution import attribute
    from takeoff.report.palette import view_colours
    from takeoff.scenarios.loader import load_scenario

    t0 = time.perf_counter()
    key = (
        req.a,
        _scenario_fingerprint(req.a),
        req.b,
        _scenario_fingerprint(req.b),
        req.milestone,
        req.metric,
        req.by,
        req.n_samples,
        req.seed,
        req.dt,
    )
    full = CRUXES_CACHE.get(key)
    cached = full is not None
    if full is None:
        a, b = load_scenario(req.a), load_scenario(req.b)

        def progress(done: int, total: int) -> None:
            deadline.check(done / max(total, 1))

        att = attribute(
            a,
            b,
            req.milestone,
            req.metric,
            by=req.by,
            n_samples=req.n_samples,
            seed=req.seed,
            dt=req.dt,
            chunk_size=CHUNK,
            progress=progress,
        )
        full = att.to_json()
        full["milestone"] = req.milestone
        full["sentences"] = att.sentences(top=len(att.groups))
        full["titles"] = {"a": a.title or a.name, "b": b.title or b.name}
        colour_a, colour_b = view_colours([a.name, b.name])
        full["colours"] = {"a": colour_a, "b": colour_b}
        CRUXES_CACHE.put(key, full)
    out = dict(full)
    out["elapsed_ms"] = round(1000 * (time.perf_counter() - t0), 2)
    out["cached"] = cached
    return out
