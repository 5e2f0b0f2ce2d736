"""Load on the playground's server: concurrent mixed requests, and slow connections.

    python benchmarks/bench_server.py                        # 200 requests, 50 at a time
    python benchmarks/bench_server.py --requests 50          # one wave of 50
    python benchmarks/bench_server.py --slow-connections 2000
    python benchmarks/bench_server.py --output benchmarks/results/server.json

Starts ``python -m takeoff.web.server`` on a free port in a subprocess (so that the
load generator does not share the server's interpreter), waits until it answers, then:

- sends ``--requests`` requests from ``--concurrency`` concurrent clients: a seeded mix
  of metadata reads, single runs with a fresh override each (never cached), worldview
  comparisons, small Monte Carlo runs and invalid requests; reports the statuses and
  the latency (p50, p95, max) overall and per kind of request;
- with ``--slow-connections N``: opens N connections that send half a request and
  stall, and reports how many the server has closed, and when (TAKEOFF_WEB_HEADER_SECONDS
  and the other TAKEOFF_WEB_* variables are passed on to the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

RUN_PARAMETERS = ("diffusion_years", "software_returns", "flop_gap_oom", "automation_cap")
SCENARIOS = ("default", "amodei", "ftm", "epoch-gate")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``python -m takeoff.web.server`` on a free port, for the duration of a with-block."""

    def __init__(self, env: dict[str, str] | None = None, start_timeout: float = 120):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.start_timeout = start_timeout

    def __enter__(self) -> ServerProcess:
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "takeoff.web.server", "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=self.env,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.output()}")
            try:
                if httpx.get(self.base + "/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the server did not answer within {self.start_timeout:g} s")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def mixed_requests(n: int, seed: int = 0) -> list[tuple[str, str, str, dict | bytes | None]]:
    """(kind, method, path, body): 40% reads, 30% runs, 10% comparisons, 5% Monte
    Carlo, 15% invalid. Every run has a new override value, so none is served from cache."""
    rng = random.Random(seed)
    reads = (
        "/api/health",
        "/api/meta",
        "/api/scenarios",
        "/api/parameters?scenario=default",
        "/api/parameters?scenario=amodei",
        "/api/milestones",
        "/api/series",
        "/",
    )
    out = []
    for i in range(n):
        u = rng.random()
        if u < 0.40:
            out.append(("read", "GET", rng.choice(reads), None))
        elif u < 0.70:
            name = rng.choice(RUN_PARAMETERS)
            low, high = {"diffusion_years": (1, 10), "software_returns": (0.5, 2.5)}.get(
                name, (1.0, 6.0) if name == "flop_gap_oom" else (0.5, 0.99)
            )
            body = {
                "scenario": rng.choice(SCENARIOS),
                "dt": 0.2,
                "overrides": {name: round(rng.uniform(low, high), 6) + i * 1e-9},
            }
            out.append(("run", "POST", "/api/run", body))
        elif u < 0.80:
            body = {"scenarios": rng.sample(SCENARIOS, 2), "dt": 0.2}
            out.append(("compare", "POST", "/api/compare", body))
        elif u < 0.85:
            body = {"n_samples": 100, "seed": i, "dt": 0.5, "scenario": "besiroglu-erdil"}
            out.append(("montecarlo", "POST", "/api/montecarlo", body))
        else:
            bad = rng.choice(
                (
                    {"dt": 5},
                    {"overrides": {"flop_gap_oom": 1e9}},
                    {"scenario": "../etc/passwd"},
                    {"unknown": 1},
                    b'{"dt": NaN}',
                    b"{broken",
                )
            )
            out.append(("invalid", "POST", "/api/run", bad))
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(_percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


async def _load(base: str, requests, concurrency: int) -> list[dict]:
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def one(kind, method, path, body):
            async with gate:
                kwargs = {}
                if isinstance(body, bytes):
                    kwargs = {"content": body, "headers": {"content-type": "application/json"}}
                elif body is not None:
                    kwargs = {"json": body}
                t0 = time.perf_counter()
                try:
                    r = await client.request(method, path, **kwargs)
                    status = r.status_code
                except httpx.HTTPError as exc:
                    status = f"error: {type(exc).__name__}"
                return {"kind": kind, "status": status, "ms": 1000 * (time.perf_counter() - t0)}

        return await asyncio.gather(*(one(*req) for req in requests))


def load(base: str, n: int = 200, concurrency: int = 50, seed: int = 0) -> dict:
    """Send ``n`` mixed requests, ``concurrency`` at a time; statuses and latencies."""
    requests = mixed_requests(n, seed)
    t0 = time.perf_counter()
    results = asyncio.run(_load(base, requests, concurrency))
    wall = time.perf_counter() - t0
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    wrong = [
        r
        for r in results
        if not isinstance(r["status"], int)
        or (r["kind"] == "invalid") != (400 <= r["status"] < 500)
        or (r["kind"] != "invalid" and r["status"] != 200)
    ]
    kinds = sorted({r["kind"] for r in results})
    return {
        "requests": n,
        "concurrency": concurrency,
        "wall_s": round(wall, 2),
        "statuses": statuses,
        "server_errors": sum(
            1 for r in results if not isinstance(r["status"], int) or r["status"] >= 500
        ),
        "unexpected": len(wrong),
        "latency": _summary([r["ms"] for r in results]),
        "by_kind": {k: _summary([r["ms"] for r in results if r["kind"] == k]) for k in kinds},
    }


def slow_connections(base: str, n: int, wait: float = 30.0) -> dict:
    """Open ``n`` connections that send half a request line and stall; count when the
    server closes them. A complete request sent meanwhile shows whether it still answers."""
    host, port = base.removeprefix("http://").split(":")
    socks = []
    t0 = time.monotonic()
    for i in range(n):
        s = socket.create_connection((host, int(port)))
        s.setblocking(False)
        if i % 2:
            s.send(b"GET /api/health HTTP/1.1\r\nHost: local")
        socks.append(s)
    opened = time.monotonic() - t0
    try:
        during = httpx.get(base + "/api/health", timeout=10).status_code
    except httpx.HTTPError as exc:
        during = f"error: {type(exc).__name__}"
    closed_at: dict[int, float] = {}
    deadline = time.monotonic() + wait
    while len(closed_at) < n and time.monotonic() < deadline:
        for i, s in enumerate(socks):
            if i in closed_at:
                continue
            try:
                while chunk := s.recv(65536):
                    pass
                if chunk == b"":
                    closed_at[i] = time.monotonic() - t0
            except BlockingIOError:
                continue
            except OSError:
                closed_at[i] = time.monotonic() - t0
        time.sleep(0.05)
    for s in socks:
        s.close()
    after = httpx.get(base + "/api/health", timeout=10).status_code
    times = sorted(closed_at.values())
    return {
        "connections": n,
        "opened_in_s": round(opened, 2),
        "closed": len(times),
        "still_open_after_s": {f"{wait:g}": n - len(times)},
        "first_closed_s": round(times[0], 2) if times else None,
        "all_closed_s": round(times[-1], 2) if len(times) == n else None,
        "health_while_held": during,
        "health_after": after,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow-connections", type=int, default=0, metavar="N")
    parser.add_argument("--output", type=Path, help="also write the report here (JSON)")
    args = parser.parse_args(argv)

    report: dict = {}
    with ServerProcess() as server:
        report["backend"] = httpx.get(server.base + "/api/meta").json()["backend"]
        if args.requests:
            report["load"] = load(server.base, args.requests, args.concurrency, args.seed)
        if args.slow_connections:
            report["slow_connections"] = slow_connections(server.base, args.slow_connections)
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")
    return report


if __name__ == "__main__":
    main()
