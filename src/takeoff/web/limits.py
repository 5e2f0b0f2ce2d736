"""The server's limits: time per computation, time to receive a request, connections.

Every field can be set from the environment (``TAKEOFF_WEB_...``, see
:meth:`Limits.from_env`); docs/api.md lists the defaults and why they are what they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from importlib.util import find_spec

from takeoff.errors import ValidationError

MAX_BODY_BYTES = 64 * 1024

#: Host names every server answers to: a DNS-rebinding page can only send its own name.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


@dataclass(frozen=True)
class Limits:
    """Per-request time limits (seconds), connection timeouts and concurrency."""

    run_seconds: float = 15.0
    mc_seconds: float = 60.0
    compare_seconds: float = 45.0
    run_threads: int = 4
    mc_threads: int = 1
    #: A client must send a request's line and headers within this time of connecting
    #: (or of the previous response), else 408 and the connection is closed: uvicorn
    #: itself never times out a request that has not arrived.
    header_seconds: float = 10.0
    #: ... and its body (at most MAX_BODY_BYTES) within this time of its headers.
    body_seconds: float = 10.0
    #: An idle keep-alive connection is closed after this time (uvicorn's timeout).
    keep_alive_seconds: float = 5.0
    #: Open connections (or running requests) at which uvicorn answers 503 at once
    #: (uvicorn's ``limit_concurrency``; 0: no limit). Far above what a browser opens
    #: (6); bounds memory: at most this many 64 KiB bodies are buffered.
    max_connections: int = 1000
    #: Backend of single runs and comparisons (Monte Carlo batches stay on NumPy, which
    #: is faster for many samples on a CPU): JAX when installed, compiled at start-up.
    backend: str = field(default_factory=lambda: "jax" if find_spec("jax") else "numpy")

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by ``TAKEOFF_WEB_<FIELD>`` (e.g. TAKEOFF_WEB_BODY_SECONDS)."""
        values: dict = {}
        for f in fields(cls):
            key = f"TAKEOFF_WEB_{f.name.upper()}"
            raw = os.environ.get(key)
            if not raw:
                continue
            if f.name == "backend":
                values[f.name] = raw
                continue
            kind = int if f.type in ("int", int) else float
            try:
                value = kind(raw)
            except ValueError:
                raise ValidationError(f"{key}: {raw!r} is not a valid {kind.__name__}") from None
            if not value >= 0 or value == float("inf"):
                raise ValidationError(f"{key}: {raw!r} must be a finite number >= 0")
            values[f.name] = value
        return cls(**values)


def env_allowed_hosts() -> list[str]:
    """Extra host names from TAKEOFF_WEB_ALLOWED_HOSTS (comma-separated)."""
    raw = os.environ.get("TAKEOFF_WEB_ALLOWED_HOSTS", "")
    return [h.strip() for h in raw.split(",") if h.strip()]
