"""ASGI middleware that refuses a request before the application sees it.

- :class:`HostGuard`: only the host names this server is meant to be reached by
  (loopback by default). A page on another site can point its own DNS name at
  127.0.0.1 ("DNS rebinding") and then read this server's answers as same-origin; its
  requests carry its own name in ``Host``, so refusing unknown names stops that.
- :class:`BodyLimit`: bodies over a size (413) or slower than a time limit (408), and
  JSON nested too deeply or with an integer too long to parse (422, naming the field).

Their refusals are JSON like every other error (``{"detail": [{"loc", "msg", "type"}]}``)
and close the connection, since the rest of the request may still be unread.
"""

from __future__ import annotations

import json
import re

import anyio

#: host[:port] or [IPv6][:port]; anything else in a Host header is malformed.
_HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[^\[\]:/@\s]+)(?::([0-9]{0,5}))?$")

#: No request of this API nests deeper than 2; Python's parser fails near 1,000.
MAX_JSON_DEPTH = 32
#: Python refuses to convert longer decimal integers (sys.get_int_max_str_digits).
MAX_INT_DIGITS = 4300
_JSON_TOKENS = re.compile(
    rb'"((?:[^"\\]|\\.)*)"(\s*:)?|[\[\]{}]|(?<![\d.eE+-])-?\d{%d,}(?![\d.eE])'
    % (MAX_INT_DIGITS + 1)
)


def error_body(loc: list, msg: str, kind: str) -> bytes:
    return json.dumps({"detail": [{"loc": loc, "msg": msg, "type": kind}]}).encode()


async def send_error(send, status: int, loc: list, msg: str, kind: str) -> None:
    body = error_body(loc, msg, kind)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _key(raw: bytes) -> str:
    try:
        return str(json.loads(b'"' + raw + b'"'))
    except ValueError:
        return raw.decode("utf-8", "replace")


def json_problem(body: bytes) -> tuple[list, str] | None:
    """Where a JSON body nests too deeply or holds an integer too long for Python, found
    before parsing, so that the answer can name the top-level field (the parser's own
    error names none)."""
    if len(body) <= MAX_INT_DIGITS and body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return None
    depth, key = 0, None
    for match in _JSON_TOKENS.finditer(body):
        token = match.group(0)
        if token in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                where = ["body"] if key is None else ["body", key]
                return where, f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
        elif token in (b"]", b"}"):
            depth -= 1
        elif token.startswith(b'"'):
            if match.group(2) and depth == 1:
                key = _key(match.group(1))
        else:
            where = ["body"] if key is None else ["body", key]
            return where, f"an integer with more than {MAX_INT_DIGITS} digits"
    return None


def is_json(scope) -> bool:
    ctype = dict(scope.get("headers") or []).get(b"content-type", b"")
    media = ctype.split(b";")[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


def normalise_host(name: str) -> str:
    """Lower case, no trailing dot; an IPv6 address in brackets, as in a Host header."""
    name = name.strip().lower().rstrip(".")
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return name


def host_name(header: str) -> str | None:
    """The name in a Host header value without its port; None when malformed."""
    match = _HOST.match(header.strip().lower())
    if match is None:
        return None
    return match.group(1).rstrip(".")


class HostGuard:
    """Answer 400 to a request whose Host header is not one of ``allowed``.

    ``allowed`` holds names (``localhost``, ``127.0.0.1``, ``[::1]``, any port),
    ``*.example.org`` for every subdomain, or ``*`` for any host (no check).
    """

    def __init__(self, app, allowed):
        self.app = app
        names = {normalise_host(h) for h in allowed}
        self.any = "*" in names
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))
        self.names = {n for n in names if not n.startswith("*")}
        self.listed = ", ".join(sorted(names))

    def allows(self, header: str | None) -> bool:
        if self.any:
            return True
        name = host_name(header) if header is not None else None
        if name is None:
            return False
        return name in self.names or name.endswith(self.suffixes)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        hosts = [v for k, v in scope.get("headers") or [] if k == b"host"]
        header = hosts[0].decode("latin-1") if len(hosts) == 1 else None
        if self.allows(header):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        if len(hosts) > 1:
            msg = "more than one Host header"
        elif header is None:
            msg = "no Host header"
        else:
            msg = (
                "this server does not answer to that host name; allowed: "
                f"{self.listed} (any port). Add a name with TAKEOFF_WEB_ALLOWED_HOSTS or "
                "--allowed-host"
            )
        await send_error(send, 400, ["header", "host"], msg, "invalid_host")


class BodyLimit:
    """Read the whole body before the application runs: 413 over ``limit`` bytes
    (with or without a Content-Length), 408 when it takes longer than ``seconds``.

    Every method's body is read, so that a request the application does not read
    (a GET with a body) cannot trickle in for ever either.
    """

    def __init__(self, app, limit: int, seconds: float):
        self.app = app
        self.limit = limit
        self.seconds = seconds

    async def _too_big(self, send) -> None:
        msg = f"request body larger than this server's limit of {self.limit} bytes"
        await send_error(send, 413, ["body"], msg, "body_too_large")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = self.limit + 1
            if declared > self.limit:
                return await self._too_big(send)
        messages, total = [], 0
        with anyio.move_on_after(self.seconds) as timer:
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                total += len(message.get("body", b""))
                if total > self.limit:
                    return await self._too_big(send)
                if not message.get("more_body", False):
                    break
        if timer.cancelled_caught:
            msg = f"request body not received within this server's limit of {self.seconds:g} s"
            return await send_error(send, 408, ["body"], msg, "request_timeout")
        if is_json(scope):
            problem = json_problem(b"".join(m.get("body", b"") for m in messages))
            if problem is not None:
                return await send_error(send, 422, *problem, "json_invalid")

        async def replay():
            if messages:
                return messages.pop(0)
            return await receive()

        return await self.app(scope, replay, send)
