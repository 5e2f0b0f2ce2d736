"""``POST /api/labs``: the payload of Amodei's compute-purchase dilemma (docs/labs.md).

Runs in a worker thread like the other computations (``server.py``); one run of the
largest allowed request takes a fraction of a second, so the deadline is checked once.
"""

from __future__ import annotations

import time

from takeoff.industry.labs import simulate_labs
from takeoff.industry.params import LabParams
from takeoff.web.models import LabsRequest

RUN_FIELDS = ("buy_growth", "years", "n_samples", "seed")


def labs_payload(req: LabsRequest, deadline) -> dict:
    """The JSON of ``takeoff labs --json`` plus ``elapsed_ms``."""
    start = time.perf_counter()
    params = LabParams(**req.model_dump(exclude=set(RUN_FIELDS)))
    result = simulate_labs(
        params, req.buy_growth, years=req.years, n_samples=req.n_samples, seed=req.seed
    )
    deadline.check()
    payload = result.to_dict()
    payload["elapsed_ms"] = round(1000 * (time.perf_counter() - start), 2)
    return payload
