"""A seeded corpus of malformed and hostile requests to every endpoint of the web API.

``corpus(n, seed)`` returns ``n`` :class:`Case` objects, cycling through the kinds in
``KINDS`` (so any prefix of the corpus covers every kind): wrong methods, wrong content
types, malformed, deep, huge and unicode-laden JSON, NaN and Infinity literals, wrong
types, unknown fields, out-of-range values, path traversal in path and query
parameters, and bad Host headers. Each case says which statuses it expects and which
field a 4xx must name; :func:`check` judges a response. Used by tests/web/test_fuzz.py.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import takeoff
from takeoff.params.schema import registry
from tests.web.fuzz_values import (
    BAD_CONTENT_TYPES,
    BAD_HOSTS,
    GOOD_HOSTS,
    MALFORMED,
    NON_FINITE,
    TRAVERSAL,
    UNICODE,
    UNKNOWN_KEYS,
    WRONG_TYPES,
)

GET_PATHS = (
    "/api/health",
    "/api/meta",
    "/api/scenarios",
    "/api/scenarios/default",
    "/api/parameters",
    "/api/milestones",
    "/api/series",
    "/api",
    "/",
    "/docs",
    "/openapi.json",
    "/static/style.css",
)
POST_PATHS = ("/api/run", "/api/montecarlo", "/api/compare")
#: Cheap valid bodies that each case spoils in one place.
BASES = {
    "/api/run": {"dt": 1.0, "end_year": 2030.0},
    "/api/montecarlo": {"n_samples": 2, "seed": 1, "dt": 1.0, "end_year": 2030.0},
    "/api/compare": {"scenarios": ["default"], "dt": 1.0, "end_year": 2030.0},
}
FIELDS = {
    "/api/run": ("scenario", "overrides", "dt", "end_year", "series"),
    "/api/montecarlo": ("scenario", "overrides", "dt", "end_year", "series", "n_samples", "seed"),
    "/api/compare": ("scenarios", "overrides", "dt", "end_year", "series"),
}
JSON = ((b"content-type", b"application/json"),)
MAX_BODY = 64 * 1024

#: Strings that must never appear in a response: tracebacks and this machine's paths.
LEAKS = (
    "Traceback (most recent call last)",
    'File "/',
    str(Path(takeoff.__file__).resolve().parent),
    "site-packages",
    sys.prefix,
)


@dataclass(frozen=True)
class Case:
    kind: str
    method: str
    url: str
    body: bytes | None = None
    headers: tuple[tuple[bytes, bytes], ...] = ()
    #: Statuses the case may get; None: anything below 500 (the request may be valid).
    status: frozenset[int] | None = None
    #: Named in a 4xx answer: equal to an element of a ``loc`` or inside a ``msg``.
    field: str | None = None
    #: Send the body in 8 KiB chunks without a Content-Length.
    chunked: bool = False

    def describe(self) -> str:
        body = self.body if self.body is None or len(self.body) < 120 else self.body[:117] + b"..."
        return f"{self.kind}: {self.method} {self.url[:120]} headers={self.headers} body={body!r}"


def _post(kind, path, payload, field, status=frozenset({422}), headers=JSON, raw=None) -> Case:
    body = raw if raw is not None else json.dumps(payload).encode()
    return Case(kind, "POST", path, body, headers, status, field)


def _spoil(rng: random.Random, path: str, field: str, value) -> dict:
    body = dict(BASES[path])
    body[field] = value
    return body


# ------------------------------------------------------------------ kinds


def wrong_method(rng: random.Random) -> Case:
    path = rng.choice(GET_PATHS + POST_PATHS)
    allowed = {"POST"} if path in POST_PATHS else {"GET"}
    if path.startswith("/static/") or path == "/openapi.json":
        allowed.add("HEAD")
    method = rng.choice(
        [
            m
            for m in (
                "GET",
                "POST",
                "PUT",
                "DELETE",
                "PATCH",
                "OPTIONS",
                "TRACE",
                "HEAD",
                "PROPFIND",
            )
            if m not in allowed
        ]
    )
    body = json.dumps(BASES["/api/run"]).encode() if rng.random() < 0.5 else None
    return Case(
        "wrong_method", method, path, body, JSON if body else (), frozenset({405}), "method"
    )


def content_type(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    ctype = rng.choice(BAD_CONTENT_TYPES)
    headers = () if ctype is None else ((b"content-type", ctype),)
    body = json.dumps(BASES[path]).encode()
    return Case("content_type", "POST", path, body, headers, frozenset({415}), "content-type")


def malformed(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    if rng.random() < 0.4:  # a valid body cut short is never valid
        text = json.dumps(BASES[path]).encode()
        raw = text[: rng.randrange(1, len(text))]
    else:
        raw = rng.choice(MALFORMED)
    return _post("malformed", path, None, "body", frozenset({400, 422}), raw=raw)


def deep(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    depth = rng.choice((50, 500, 2_000, 9_000))
    inner = (
        ("[" * depth + "]" * depth) if rng.random() < 0.5 else '{"a":' * depth + "1" + "}" * depth
    )
    where = rng.choice(("body", *FIELDS[path]))
    if where == "body":
        raw = inner
    else:
        raw = json.dumps(_spoil(rng, path, where, "@@")).replace('"@@"', inner)
    return _post("deep", path, None, where, raw=raw.encode())


def non_finite(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    literal = rng.choice(NON_FINITE + ("nan", "inf"))
    field = rng.choice(
        ("dt", "end_year", "overrides", *(("n_samples", "seed") if "monte" in path else ()))
    )
    if field == "overrides":
        param = rng.choice(sorted(registry()))
        body = _spoil(rng, path, "overrides", {param: "@@"})
        field = param
    else:
        body = _spoil(rng, path, field, "@@")
    raw = json.dumps(body).replace('"@@"', literal).encode()
    if literal in ("nan", "inf"):  # not JSON at all
        field = "body"
    return _post("non_finite", path, None, field, raw=raw)


def wrong_type(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    field = rng.choice(FIELDS[path])
    if field == "overrides" and rng.random() < 0.5:
        param = rng.choice(sorted(registry()))
        value = rng.choice(("5", True, None, [], {}, [1.0]))
        return _post("wrong_type", path, _spoil(rng, path, "overrides", {param: value}), param)
    return _post(
        "wrong_type", path, _spoil(rng, path, field, rng.choice(WRONG_TYPES[field])), field
    )


def unknown_field(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    key = rng.choice(UNKNOWN_KEYS + ("seed",) * (path != "/api/montecarlo"))
    body = dict(BASES[path])
    body[key] = rng.choice((1, "x", None, [], {}))
    return _post("unknown_field", path, body, key)


def out_of_range(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    choices = {
        "dt": (0, 0.0499, 1.0001, -1, 1e308, -1e-308, 5e-324),
        "end_year": (2026.9, 2200.01, -1e308, 0, 1e308, 2026),
        "n_samples": (0, -1, 5001, 2**31, 2**63, 10**30),
        "seed": (-1, 2**32, 2**64, -(2**63)),
    }
    field = rng.choice(
        ("dt", "end_year", "overrides", "overrides", "series", "scenario")
        + (("n_samples", "seed") if "monte" in path else ())
    )
    if field == "overrides":
        name, spec = rng.choice(sorted(registry().items()))
        span = abs(spec.high - spec.low) + 1.0
        value = rng.choice(
            (spec.low - span * rng.uniform(0.01, 10), spec.high + span * rng.uniform(0.01, 10))
        )
        return _post("out_of_range", path, _spoil(rng, path, "overrides", {name: value}), name)
    if field == "series":
        names = rng.choice(
            (["gwp"] * 65, ["nope"], ["gwp", "not_a_series"], ["year", "capital"] * 40)
        )
        return _post("out_of_range", path, _spoil(rng, path, "series", names), "series")
    if field == "scenario":
        if path == "/api/compare":
            value = rng.choice(([], ["default"] * 9, ["default", "default"], ["nope"]))
            return _post("out_of_range", path, _spoil(rng, path, "scenarios", value), "scenarios")
        value = rng.choice(("nope", "Default", "default.toml", "a" * 65, "-x"))
        return _post("out_of_range", path, _spoil(rng, path, "scenario", value), "scenario")
    return _post("out_of_range", path, _spoil(rng, path, field, rng.choice(choices[field])), field)


def huge(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS)
    pick = rng.randrange(6)
    if pick == 0:  # over the body limit, declared
        body = _spoil(rng, path, "pad", "x" * rng.choice((70_000, 200_000)))
        return _post("huge", path, body, "body", frozenset({413}))
    if pick == 1:
        return _post(
            "huge", path, _spoil(rng, path, "series", ["gwp"] * 12_000), "body", frozenset({413})
        )
    if pick == 2:
        many = {f"p{i}": 1.0 for i in range(rng.choice((201, 3_000, 9_000)))}
        body = _spoil(rng, path, "overrides", many)
        if len(json.dumps(body)) > MAX_BODY:
            return _post("huge", path, body, "body", frozenset({413}))
        return _post("huge", path, body, "overrides")
    if pick == 3:  # streamed without a length
        body = json.dumps(_spoil(rng, path, "pad", "y" * 100_000)).encode()
        return Case("huge", "POST", path, body, JSON, frozenset({413}), "body", chunked=True)
    if pick == 4:  # an integer too long to convert
        field = rng.choice(("dt", "end_year", "seed", "overrides"))
        raw = json.dumps(_spoil(rng, path, field, "@@")).replace('"@@"', "9" * 50_000).encode()
        return _post("huge", path, None, field, frozenset({422}), raw=raw)
    series = ["gwp"] * rng.choice((100, 5_000))
    return _post("huge", path, _spoil(rng, path, "series", series), "series")


def unicode(rng: random.Random) -> Case:
    path = rng.choice(POST_PATHS + ("/api/parameters", "/api/scenarios/{}"))
    text = rng.choice(UNICODE)
    if path == "/api/parameters":
        url = f"/api/parameters?scenario={quote(text)}"
        return Case("unicode", "GET", url, status=frozenset({422}), field="scenario")
    if path == "/api/scenarios/{}":
        return Case(
            "unicode", "GET", f"/api/scenarios/{quote(text)}", status=frozenset({404}), field="name"
        )
    field = rng.choice(
        [f for f in FIELDS[path] if f in ("scenario", "scenarios", "series", "overrides")]
    )
    value = {"scenario": text, "scenarios": [text], "series": [text], "overrides": {text: 1.0}}[
        field
    ]
    return _post("unicode", path, _spoil(rng, path, field, value), field)


#: Not found, or (a path that decodes to one ending in "/") redirected without it.
MISSING = frozenset({404, 307})


def traversal(rng: random.Random) -> Case:
    item = rng.choice(TRAVERSAL)
    where = rng.randrange(4)
    # A client resolves literal dot segments before sending; escaped, the server sees them.
    segment = item.replace("..", "%2E%2E")
    if where == 0:
        url = f"/api/scenarios/{segment}"
        return Case("traversal", "GET", url, status=MISSING, field="path")
    if where == 1:
        url = f"/static/{segment}"
        return Case("traversal", "GET", url, status=MISSING, field="path")
    if where == 2:
        url = f"/api/parameters?scenario={item}"
        return Case("traversal", "GET", url, status=frozenset({422}), field="scenario")
    path = rng.choice(POST_PATHS)
    if path == "/api/compare":
        return _post("traversal", path, _spoil(rng, path, "scenarios", [item]), "scenarios")
    return _post("traversal", path, _spoil(rng, path, "scenario", item), "scenario")


def bad_host(rng: random.Random) -> Case:
    path = rng.choice(GET_PATHS[:7] + POST_PATHS)
    method = "POST" if path in POST_PATHS else "GET"
    body = json.dumps(BASES[path]).encode() if method == "POST" else None
    if rng.random() < 0.1:
        host = rng.choice(GOOD_HOSTS)
        return Case("bad_host", method, path, body, JSON + ((b"host", host),))
    host = rng.choice(BAD_HOSTS)
    headers = JSON + ((b"host", host),)
    if rng.random() < 0.1:
        headers += ((b"host", b"localhost"),)
    return Case("bad_host", method, path, body, headers, frozenset({400}), "host")


def query(rng: random.Random) -> Case:
    value = rng.choice(
        (
            "%zz",
            "%00",
            "%ff%fe",
            "a" * 65,
            "",
            "default&scenario=nope",
            "default%0d%0aX-Injected:%201",
        )
    )
    url = f"/api/parameters?scenario={value}"
    if value in ("", "default&scenario=nope"):
        return Case("query", "GET", url, status=frozenset({422}), field="scenario")
    if value.startswith("default%0d"):
        return Case("query", "GET", url, status=frozenset({422}), field="scenario")
    if rng.random() < 0.3:  # unknown parameters are ignored
        return Case("query", "GET", f"/api/health?{'x' * rng.choice((10, 4_000))}=1&y=%zz")
    return Case("query", "GET", url, status=frozenset({422}), field="scenario")


KINDS = (
    wrong_method,
    content_type,
    malformed,
    deep,
    non_finite,
    wrong_type,
    unknown_field,
    out_of_range,
    huge,
    unicode,
    traversal,
    bad_host,
    query,
)


def corpus(n: int, seed: int = 14) -> list[Case]:
    rng = random.Random(seed)
    return [KINDS[i % len(KINDS)](rng) for i in range(n)]


# ------------------------------------------------------------------ judging


def _named(detail: list, field: str) -> bool:
    for item in detail:
        if field in [str(x) for x in item.get("loc", [])] or field in str(item.get("msg", "")):
            return True
    return False


def check(case: Case, status: int, content_type: str, text: str) -> str | None:
    """Why the response is wrong, or None."""
    if status >= 500:
        return f"{status}"
    if case.status is not None and status not in case.status:
        return f"status {status}, expected {sorted(case.status)}"
    for leak in LEAKS:
        if leak and leak in text:
            return f"the body shows {leak!r}"
    if status < 400 or case.method == "HEAD":
        return None
    if not content_type.startswith("application/json"):
        return f"{status} with content type {content_type!r}"
    try:
        detail = json.loads(text)["detail"]
    except (ValueError, KeyError, TypeError):
        return f"{status} without a JSON detail: {text[:200]!r}"
    shape_ok = (
        isinstance(detail, list)
        and detail
        and all(
            isinstance(d, dict)
            and isinstance(d.get("loc"), list)
            and isinstance(d.get("msg"), str)
            and d.get("type")
            for d in detail
        )
    )
    if not shape_ok:
        return f"detail is not a list of loc/msg/type: {text[:200]!r}"
    if case.field is not None and not _named(detail, case.field):
        return f"{status} does not name {case.field!r}: {text[:300]!r}"
    return None
