"""How the server turns exceptions into JSON errors: every 4xx names what is wrong.

``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``, where ``loc`` is the
field (``["body", "overrides"]``, ``["query", "scenario"]``), or the part of the request
(``["path"]``, ``["method"]``, ``["header", "content-type"]``) at fault. A response
never carries a traceback or a file path of this machine: an unexpected exception is
logged and answered with its type's name only.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from takeoff.errors import TakeoffError
from takeoff.web import compute

log = logging.getLogger("takeoff.web")

#: The part of the request Starlette's own errors are about.
_HTTP_LOC = {400: ["body"], 404: ["path"], 405: ["method"]}
_HTTP_MSG = {
    400: "the body could not be parsed as JSON (nested too deeply, a number too long, "
    "or not UTF-8)",
    404: "nothing here: no endpoint or file at this path (see /docs for the API)",
}


class UnsupportedMediaType(Exception):
    """A POST whose body is not declared as JSON (answered with 415)."""


def error(status: int, loc: list, msg: str, kind: str, headers=None) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"detail": [{"loc": loc, "msg": msg, "type": kind}]},
        headers=headers,
    )


def require_json(request: Request) -> None:
    """Dependency of the POST endpoints: the body must be declared JSON.

    FastAPI leaves a body with another content type unparsed and then reports only
    that the body is not an object; this says what is actually wrong.
    """
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        shown = repr(media[:60]) if media else "none"
        raise UnsupportedMediaType(
            f"the body must be JSON: send 'Content-Type: application/json' (got {shown})"
        )


def install(app: FastAPI) -> None:
    """Register the exception handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        items = []
        for err in exc.errors():
            msg = str(err.get("msg", "invalid"))
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            items.append({"loc": list(err.get("loc", [])), "msg": msg, "type": err.get("type")})
        return JSONResponse(status_code=422, content={"detail": items})

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        status = exc.status_code
        msg = _HTTP_MSG.get(status, str(exc.detail))
        if status == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            msg = f"{request.method} is not allowed here" + (f"; use {allowed}" if allowed else "")
        return error(status, _HTTP_LOC.get(status, []), msg, f"http_{status}", exc.headers)

    @app.exception_handler(UnsupportedMediaType)
    async def _media(request: Request, exc: UnsupportedMediaType):
        return error(415, ["header", "content-type"], str(exc), "unsupported_media_type")

    @app.exception_handler(TakeoffError)
    async def _takeoff_error(request: Request, exc: TakeoffError):
        return error(422, ["body"], str(exc), "takeoff_error")

    @app.exception_handler(compute.ComputationTimeout)
    async def _timeout(request: Request, exc: compute.ComputationTimeout):
        return error(503, [], str(exc), "time_limit")

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):  # a bug, not bad input: say so in JSON
        log.exception("internal error on %s", request.url.path)
        msg = f"internal error ({type(exc).__name__}); please report this request"
        return error(500, [], msg, "internal_error")
