"""The playground: a single page and a JSON API served by one FastAPI process.

Start it with ``takeoff serve`` (or ``python -m takeoff.web.server``); then open
http://127.0.0.1:8000/ for the playground, /docs for the API (Swagger UI served from
the package, no CDN) and /openapi.json for the machine-readable description.

Every computation runs in a worker thread under a per-request time limit and a cap on
concurrent work; invalid requests get a 4xx naming the field and the reason.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

import takeoff
from takeoff.errors import TakeoffError
from takeoff.model.engine.setup import Settings
from takeoff.web import compute
from takeoff.web.models import (
    MAX_COMPARE,
    MAX_DT,
    MAX_END_YEAR,
    MAX_MC_WORK,
    MAX_SAMPLES,
    MIN_DT,
    CompareRequest,
    CompareResponse,
    ErrorResponse,
    MilestoneInfo,
    MonteCarloRequest,
    MonteCarloResponse,
    ParameterInfo,
    RunRequest,
    RunResponse,
    ScenarioInfo,
    SeriesInfo,
    check_scenario_name,
)

log = logging.getLogger("takeoff.web")

STATIC = Path(__file__).parent / "static"
#: dt the playground uses while a slider moves (results are dt-converged to ~0.1 yr).
INTERACTIVE_DT = 0.2
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-request time limits (seconds) and concurrency of the computing threads."""

    run_seconds: float = 15.0
    mc_seconds: float = 60.0
    compare_seconds: float = 45.0
    run_threads: int = 4
    mc_threads: int = 1
    #: Backend of single runs and comparisons (Monte Carlo batches stay on NumPy, which
    #: is faster for many samples on a CPU): JAX when installed, compiled at start-up.
    backend: str = field(default_factory=lambda: "jax" if find_spec("jax") else "numpy")

    @classmethod
    def from_env(cls) -> Limits:
        def num(key: str, default: float) -> float:
            raw = os.environ.get(key)
            return float(raw) if raw else default

        extra = {}
        if os.environ.get("TAKEOFF_WEB_BACKEND"):
            extra["backend"] = os.environ["TAKEOFF_WEB_BACKEND"]
        return cls(
            run_seconds=num("TAKEOFF_WEB_RUN_SECONDS", cls.run_seconds),
            mc_seconds=num("TAKEOFF_WEB_MC_SECONDS", cls.mc_seconds),
            compare_seconds=num("TAKEOFF_WEB_COMPARE_SECONDS", cls.compare_seconds),
            **extra,
        )


def _json(payload: Any, status_code: int = 200) -> Response:
    """Serialise straight to JSON (the payloads are plain lists and dicts already)."""
    body = json.dumps(payload, allow_nan=False, separators=(",", ":"))
    return Response(content=body, status_code=status_code, media_type="application/json")


def _error(status: int, loc: list, msg: str, kind: str) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"detail": [{"loc": loc, "msg": msg, "type": kind}]}
    )


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_big = _error(
            413,
            ["body"],
            f"request body larger than this server's limit of {self.limit} bytes",
            "body_too_large",
        )
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = self.limit + 1
            if declared > self.limit:
                return await too_big(scope, receive, send)
        # Buffer (at most limit + one chunk) so a body without a length is bounded too.
        messages, total = [], 0
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                total += len(message.get("body", b""))
                if total > self.limit:
                    return await too_big(scope, receive, send)
                if not message.get("more_body", False):
                    break

        async def replay():
            if messages:
                return messages.pop(0)
            return await receive()

        return await self.app(scope, replay, send)


ERRORS = {
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse, "description": "Invalid request: the field and the reason."},
    503: {"model": ErrorResponse, "description": "Over the per-request time limit."},
}


def create_app(limits: Limits | None = None) -> FastAPI:
    """The FastAPI application: JSON API under /api, playground at /, docs at /docs."""
    limits = limits or Limits.from_env()
    Settings(backend=limits.backend).check()  # a bad TAKEOFF_WEB_BACKEND fails here, clearly

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Compile the JAX step for the playground's shapes before serving (~3 s once per
        # process), so that no slider move waits for a compilation or competes with one.
        if limits.backend == "jax":
            await anyio.to_thread.run_sync(compute.warm_up, limits.backend)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="takeoff playground API",
        version=takeoff.__version__,
        description=(
            "Simulate the compute-centric AI takeoff model: list scenarios and parameters, run "
            "one scenario with overrides, run a bounded Monte Carlo, compare worldviews. "
            f"Limits: at most {MAX_SAMPLES:,} Monte Carlo samples and {MAX_MC_WORK:,} "
            f"sample-steps, end_year <= {MAX_END_YEAR:g}, dt in [{MIN_DT}, {MAX_DT}], "
            f"at most {MAX_COMPARE} scenarios per comparison, request bodies <= "
            f"{MAX_BODY_BYTES // 1024} KiB; time limits {limits.run_seconds:g} s (run), "
            f"{limits.mc_seconds:g} s (Monte Carlo), {limits.compare_seconds:g} s (compare)."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.limits = limits
    run_limiter = anyio.CapacityLimiter(limits.run_threads)
    mc_limiter = anyio.CapacityLimiter(limits.mc_threads)

    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # ---------------------------------------------------------------- errors

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        items = []
        for err in exc.errors():
            msg = str(err.get("msg", "invalid"))
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            items.append({"loc": list(err.get("loc", [])), "msg": msg, "type": err.get("type")})
        return JSONResponse(status_code=422, content={"detail": items})

    @app.exception_handler(TakeoffError)
    async def _takeoff_error(request: Request, exc: TakeoffError):
        return _error(422, ["body"], str(exc), "takeoff_error")

    @app.exception_handler(compute.ComputationTimeout)
    async def _timeout(request: Request, exc: compute.ComputationTimeout):
        return _error(503, [], str(exc), "time_limit")

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):  # a bug, not bad input: say so in JSON
        log.exception("internal error on %s", request.url.path)
        return _error(
            500,
            [],
            f"internal error ({type(exc).__name__}: {exc}); please report this request",
            "internal_error",
        )

    async def _in_thread(
        work: Callable[[compute.Deadline], Any], seconds: float, limiter
    ) -> Response:
        deadline = compute.Deadline(seconds)
        try:
            with anyio.fail_after(seconds + 1.0):
                payload = await anyio.to_thread.run_sync(
                    partial(work, deadline), abandon_on_cancel=True, limiter=limiter
                )
        except TimeoutError:
            # The thread stops at its next deadline check; answer now.
            raise compute.ComputationTimeout(
                f"the computation exceeded this server's time limit of {seconds:g} s"
            ) from None
        return _json(payload)

    # ---------------------------------------------------------------- pages

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="takeoff API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
        )

    @app.get("/api", include_in_schema=False)
    async def api_index():
        return HTMLResponse(
            "<!doctype html><meta charset=utf-8><title>takeoff API</title>"
            "<h1>takeoff API</h1><ul>"
            '<li><a href="/docs">/docs</a> (Swagger UI, served locally)</li>'
            '<li><a href="/openapi.json">/openapi.json</a></li>'
            '<li><a href="/">playground</a></li></ul>'
        )

    # ---------------------------------------------------------------- metadata

    @app.get("/api/health", tags=["meta"], summary="Liveness check")
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": takeoff.__version__}

    @app.get("/api/meta", tags=["meta"], summary="Limits, key parameters, series and milestones")
    async def meta() -> dict[str, Any]:
        from takeoff.uncertainty.montecarlo import FAN_SERIES, QUANTILES

        return {
            "version": takeoff.__version__,
            "interactive_dt": INTERACTIVE_DT,
            "backend": limits.backend,
            "limits": {
                "max_samples": MAX_SAMPLES,
                "max_mc_work": MAX_MC_WORK,
                "max_end_year": MAX_END_YEAR,
                "dt_range": [MIN_DT, MAX_DT],
                "max_compare": MAX_COMPARE,
                "max_body_bytes": MAX_BODY_BYTES,
                "run_seconds": limits.run_seconds,
                "mc_seconds": limits.mc_seconds,
                "compare_seconds": limits.compare_seconds,
            },
            "key_parameters": list(compute.KEY_PARAMETERS),
            "marker_milestones": list(compute.MARKER_MILESTONES),
            "fan_series": list(FAN_SERIES),
            "quantiles": list(QUANTILES),
            "series": {name: compute.series_info(name) for name in compute.SERIES_INFO},
            "milestones": compute.milestones_payload(),
        }

    @app.get(
        "/api/scenarios",
        tags=["scenarios"],
        summary="Built-in scenarios (worldviews)",
        response_model=list[ScenarioInfo],
    )
    async def scenarios():
        return _json(compute.scenarios_payload())

    @app.get(
        "/api/scenarios/{name}",
        tags=["scenarios"],
        summary="One built-in scenario",
        response_model=ScenarioInfo,
        responses={404: {"model": ErrorResponse}},
    )
    async def scenario(name: str):
        try:
            check_scenario_name(name)
        except ValueError as exc:
            return _error(404, ["path", "name"], str(exc), "not_found")
        return _json(compute.scenario_payload(name))

    @app.get(
        "/api/parameters",
        tags=["parameters"],
        summary="Every parameter: unit, range, plausible range, description, source",
        response_model=list[ParameterInfo],
        responses={422: ERRORS[422]},
    )
    async def parameters(
        scenario: str = Query("default", max_length=64, description="Values from this scenario."),
    ):
        try:
            check_scenario_name(scenario)
        except ValueError as exc:
            return _error(422, ["query", "scenario"], str(exc), "value_error")
        return _json(compute.parameters_payload(scenario))

    @app.get(
        "/api/milestones",
        tags=["meta"],
        summary="Milestone definitions",
        response_model=list[MilestoneInfo],
    )
    async def milestones():
        return _json(compute.milestones_payload())

    @app.get(
        "/api/series",
        tags=["meta"],
        summary="Labels and units of the series",
        response_model=list[SeriesInfo],
    )
    async def series():
        from takeoff.web.models import model_series_names

        names = sorted(model_series_names())
        return _json([compute.series_info(name) for name in names])

    # ---------------------------------------------------------------- computations

    @app.post(
        "/api/run",
        tags=["simulate"],
        summary="Simulate one scenario with overrides: yearly series and milestone years",
        response_model=RunResponse,
        responses={k: ERRORS[k] for k in (413, 422, 503)},
    )
    async def run(req: RunRequest):
        return await _in_thread(
            partial(compute.run_payload, req, backend=limits.backend),
            limits.run_seconds,
            run_limiter,
        )

    @app.post(
        "/api/montecarlo",
        tags=["simulate"],
        summary="Monte Carlo over the scenario's distributions: fan charts and milestone CDFs",
        response_model=MonteCarloResponse,
        responses={k: ERRORS[k] for k in (413, 422, 503)},
    )
    async def montecarlo(req: MonteCarloRequest):
        return await _in_thread(partial(compute.mc_payload, req), limits.mc_seconds, mc_limiter)

    @app.post(
        "/api/compare",
        tags=["simulate"],
        summary="Run several worldviews side by side",
        response_model=CompareResponse,
        responses={k: ERRORS[k] for k in (413, 422, 503)},
    )
    async def compare(req: CompareRequest):
        return await _in_thread(
            partial(compute.compare_payload, req, backend=limits.backend),
            limits.compare_seconds,
            run_limiter,
        )

    return app


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the playground and API with uvicorn (blocks until interrupted)."""
    import uvicorn

    print(f"takeoff playground: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")


if __name__ == "__main__":  # pragma: no cover
    serve()
