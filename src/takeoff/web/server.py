"""The playground: a single page and a JSON API served by one FastAPI process.

Start it with ``takeoff serve`` (or ``python -m takeoff.web.server``); then open
http://127.0.0.1:8000/ for the playground, /docs for the API (Swagger UI served from
the package, no CDN) and /openapi.json for the machine-readable description.

Every computation runs in a worker thread under a per-request time limit and a cap on
concurrent work; invalid requests get a 4xx naming the field and the reason
(``handlers.py``). Requests for an unknown host, and bodies too large or too slow, are
refused before the application sees them (``guard.py``); ``serving.py`` runs uvicorn
with timeouts on requests that do not arrive.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Query
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

import takeoff
from takeoff.model.engine.setup import Settings
from takeoff.web import catalogue, compute, handlers
from takeoff.web.guard import BodyLimit, HostGuard
from takeoff.web.handlers import error, require_json
from takeoff.web.limits import LOOPBACK_HOSTS, MAX_BODY_BYTES, Limits, env_allowed_hosts
from takeoff.web.models import (
    MAX_COMPARE,
    MAX_DT,
    MAX_END_YEAR,
    MAX_MC_WORK,
    MAX_SAMPLES,
    MIN_DT,
    CompareRequest,
    CompareResponse,
    CruxesRequest,
    CruxesResponse,
    ErrorResponse,
    LabsRequest,
    LabsResponse,
    MilestoneInfo,
    MonteCarloRequest,
    MonteCarloResponse,
    ObservableInfo,
    ParameterInfo,
    RunRequest,
    RunResponse,
    ScenarioInfo,
    SeriesInfo,
    UpdateRequest,
    UpdateResponse,
    check_scenario_name,
)

__all__ = ["MAX_BODY_BYTES", "Limits", "create_app", "serve"]

log = logging.getLogger("takeoff.web")

STATIC = Path(__file__).parent / "static"
#: dt the playground uses while a slider moves (results are dt-converged to ~0.1 yr).
INTERACTIVE_DT = 0.2


def _json(payload: Any, status_code: int = 200) -> Response:
    """Serialise straight to JSON (the payloads are plain lists and dicts already)."""
    body = json.dumps(payload, allow_nan=False, separators=(",", ":"))
    return Response(content=body, status_code=status_code, media_type="application/json")


ERRORS = {
    408: {"model": ErrorResponse, "description": "Request body not received in time."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    415: {"model": ErrorResponse, "description": "Request body not declared as JSON."},
    422: {"model": ErrorResponse, "description": "Invalid request: the field and the reason."},
    503: {"model": ErrorResponse, "description": "Over the per-request time limit."},
}


def create_app(limits: Limits | None = None, allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The FastAPI application: JSON API under /api, playground at /, docs at /docs.

    It answers to the loopback names, the names in ``allowed_hosts`` and those in
    TAKEOFF_WEB_ALLOWED_HOSTS; a request for any other ``Host`` gets 400.
    """
    limits = limits or Limits.from_env()
    hosts = [*LOOPBACK_HOSTS, *env_allowed_hosts(), *allowed_hosts]
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
    app.state.allowed_hosts = hosts
    run_limiter = anyio.CapacityLimiter(limits.run_threads)
    mc_limiter = anyio.CapacityLimiter(limits.mc_threads)

    # The last added runs first: the host is checked before a body is read.
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES, seconds=limits.body_seconds)
    app.add_middleware(HostGuard, allowed=hosts)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    handlers.install(app)

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
                "header_seconds": limits.header_seconds,
                "body_seconds": limits.body_seconds,
                "keep_alive_seconds": limits.keep_alive_seconds,
                "max_connections": limits.max_connections,
            },
            "key_parameters": list(catalogue.KEY_PARAMETERS),
            "marker_milestones": list(catalogue.MARKER_MILESTONES),
            "fan_series": list(FAN_SERIES),
            "quantiles": list(QUANTILES),
            "series": {name: catalogue.series_info(name) for name in catalogue.SERIES_INFO},
            "milestones": catalogue.milestones_payload(),
        }

    @app.get(
        "/api/scenarios",
        tags=["scenarios"],
        summary="Built-in scenarios (worldviews)",
        response_model=list[ScenarioInfo],
    )
    async def scenarios():
        return _json(catalogue.scenarios_payload())

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
            return error(404, ["path", "name"], str(exc), "not_found")
        return _json(catalogue.scenario_payload(name))

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
            return error(422, ["query", "scenario"], str(exc), "value_error")
        return _json(catalogue.parameters_payload(scenario))

    @app.get(
        "/api/milestones",
        tags=["meta"],
        summary="Milestone definitions",
        response_model=list[MilestoneInfo],
    )
    async def milestones():
        return _json(catalogue.milestones_payload())

    @app.get(
        "/api/series",
        tags=["meta"],
        summary="Labels and units of the series",
        response_model=list[SeriesInfo],
    )
    async def series():
        from takeoff.web.models import model_series_names

        names = sorted(model_series_names())
        return _json([catalogue.series_info(name) for name in names])

    # ---------------------------------------------------------------- computations

    @app.post(
        "/api/run",
        tags=["simulate"],
        summary="Simulate one scenario with overrides: yearly series and milestone years",
        response_model=RunResponse,
        responses=ERRORS,
        dependencies=[Depends(require_json)],
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
        responses=ERRORS,
        dependencies=[Depends(require_json)],
    )
    async def montecarlo(req: MonteCarloRequest):
        return await _in_thread(partial(compute.mc_payload, req), limits.mc_seconds, mc_limiter)

    @app.post(
        "/api/compare",
        tags=["simulate"],
        summary="Run several worldviews side by side",
        response_model=CompareResponse,
        responses=ERRORS,
        dependencies=[Depends(require_json)],
    )
    async def compare(req: CompareRequest):
        return await _in_thread(
            partial(compute.compare_payload, req, backend=limits.backend),
            limits.compare_seconds,
            run_limiter,
        )

    @app.post(
        "/api/cruxes",
        tags=["simulate"],
        summary="Why two worldviews differ: Shapley attribution to groups of parameters",
        response_model=CruxesResponse,
        responses=ERRORS,
        dependencies=[Depends(require_json)],
    )
    async def cruxes(req: CruxesRequest):
        from takeoff.web.cruxes import cruxes_payload

        # Many runs, like a Monte Carlo: its time limit and its one-at-a-time limiter.
        return await _in_thread(partial(cruxes_payload, req), limits.mc_seconds, mc_limiter)

    @app.post(
        "/api/update",
        tags=["evidence"],
        summary="A worldview's milestones after observations (likelihood-weighted Monte Carlo)",
        response_model=UpdateResponse,
        responses=ERRORS,
        dependencies=[Depends(require_json)],
    )
    async def update(req: UpdateRequest):
        from takeoff.web.evidence import update_payload

        return await _in_thread(partial(update_payload, req), limits.mc_seconds, mc_limiter)

    @app.get(
        "/api/observables",
        tags=["evidence"],
        summary="The series an observation of /api/update may name, with units and default SDs",
        response_model=list[ObservableInfo],
    )
    async def observables():
        from takeoff.evidence.observables import OBSERVABLES

        return _json(
            [
                {
                    "name": o.name,
                    "unit": o.unit,
                    "scale": o.scale,
                    "default_sd": o.default_sd,
                    "description": o.description,
                }
                for o in OBSERVABLES.values()
            ]
        )

    @app.post(
        "/api/labs",
        tags=["industry"],
        summary="Amodei's compute-purchase dilemma: revenue vs compute cost, bankruptcy risk",
        response_model=LabsResponse,
        responses=ERRORS,
        dependencies=[Depends(require_json)],
    )
    async def labs(req: LabsRequest):
        from takeoff.web.labs import labs_payload

        return await _in_thread(partial(labs_payload, req), limits.run_seconds, run_limiter)

    return app


def serve(host: str = "127.0.0.1", port: int = 8000, allowed_hosts: Iterable[str] = ()) -> None:
    """Serve the playground and API with uvicorn (blocks until interrupted).

    Besides the loopback names, the server answers to ``allowed_hosts`` and to
    ``host`` itself unless it is a wildcard (0.0.0.0, ::).
    """
    import uvicorn

    from takeoff.web.serving import WILDCARDS, config, server_hosts

    limits = Limits.from_env()
    app = create_app(limits, server_hosts(host, allowed_hosts))
    print(f"takeoff playground: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    if host in WILDCARDS and not allowed_hosts:
        print(
            "note: requests must name this machine as localhost, 127.0.0.1 or [::1]; "
            "give others with --allowed-host NAME or TAKEOFF_WEB_ALLOWED_HOSTS"
        )
    uvicorn.Server(config(app, host, port, limits, log_level="info")).run()


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - entry point
    parser = argparse.ArgumentParser(description="Serve the takeoff playground and API.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (repeatable; '*.example.org', '*')",
    )
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.allowed_host)


if __name__ == "__main__":  # pragma: no cover
    main()
