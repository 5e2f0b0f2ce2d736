"""Latency of the playground's API: ``python -m takeoff.web.bench [--runs N] [--mc-samples N]``.

Starts the app under uvicorn on a free local port and times, over real HTTP:
single-scenario runs 2026-2100 with a fresh override each time (so the result
cache never answers) on the server's backend (JAX when installed; set
``TAKEOFF_WEB_BACKEND=numpy`` to time the NumPy backend) at dt = 0.2 (the playground's interactive step) and dt = 0.1,
and one Monte Carlo run. Prints medians of the server's own compute time
(``elapsed_ms``) and of the round trip.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
        "min": round(ordered[0], 1),
        "n": len(ordered),
    }


def main(argv: list[str] | None = None) -> dict:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per setting")
    parser.add_argument("--mc-samples", type=int, default=2000)
    parser.add_argument("--scenario", default="default")
    args = parser.parse_args(argv)

    from takeoff.web.server import Limits, create_app
    from takeoff.web.serving import running

    limits = Limits.from_env()
    report: dict = {"scenario": args.scenario}
    with running(create_app(limits), limits) as base:
        with httpx.Client(base_url=base, timeout=120) as client:
            report["backend"] = client.get("/api/meta").json()["backend"]
            client.post("/api/run", json={"scenario": args.scenario, "dt": 0.2})  # warm-up
            for dt in (0.2, 0.1):
                server_ms, trip_ms = [], []
                for i in range(args.runs):
                    body = {
                        "scenario": args.scenario,
                        "dt": dt,
                        "overrides": {"diffusion_years": 3.0 + 0.001 * (i + 1) + dt},
                    }
                    t0 = time.perf_counter()
                    r = client.post("/api/run", json=body)
                    trip_ms.append(1000 * (time.perf_counter() - t0))
                    r.raise_for_status()
                    server_ms.append(r.json()["elapsed_ms"])
                report[f"run_dt{dt}"] = {
                    "server_ms": _stats(server_ms),
                    "round_trip_ms": _stats(trip_ms),
                }
            for dt in (0.2, 0.1):
                body = {
                    "scenario": args.scenario,
                    "n_samples": args.mc_samples,
                    "seed": 7,
                    "dt": dt,
                }
                t0 = time.perf_counter()
                r = client.post("/api/montecarlo", json=body)
                trip = time.perf_counter() - t0
                r.raise_for_status()
                report[f"mc{args.mc_samples}_dt{dt}"] = {
                    "server_s": round(r.json()["elapsed_ms"] / 1000, 2),
                    "round_trip_s": round(trip, 2),
                    "sampled": len(r.json()["sampled"]),
                }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":  # pragma: no cover
    main()
