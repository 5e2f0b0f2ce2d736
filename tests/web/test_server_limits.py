"""Timeouts and connection limits of the server, against a live uvicorn over raw sockets.

The server runs with one-second limits (header, body, keep-alive) so that a test that
waits for a timeout takes about a second; the defaults are checked separately.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from takeoff.web.limits import Limits  # noqa: E402
from takeoff.web.server import create_app  # noqa: E402
from takeoff.web.serving import config, running, server_hosts  # noqa: E402

LIMITS = Limits(
    backend="numpy",
    header_seconds=1.0,
    body_seconds=1.0,
    keep_alive_seconds=1.0,
    max_connections=50,
)
HEAD = b"POST /api/run HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"


@pytest.fixture(scope="module")
def server():
    with running(create_app(LIMITS, server_hosts("takeoff.test")), LIMITS) as base:
        yield base


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.settimeout(10)
    return sock


def _read_until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    t0, data = time.monotonic(), b""
    while chunk := sock.recv(65536):
        data += chunk
    return data, time.monotonic() - t0


def _status_and_detail(data: bytes) -> tuple[int, list]:
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)["detail"]


def test_normal_requests_still_work(server):
    with httpx.Client(base_url=server) as client:
        assert client.get("/api/health").status_code == 200
        r = client.post("/api/run", json={"dt": 1.0, "end_year": 2030, "series": ["gwp"]})
        assert r.status_code == 200, r.text


def test_a_connection_that_sends_nothing_gets_408_and_is_closed(server):
    with _connect(server) as sock:
        data, waited = _read_until_closed(sock)
    status, detail = _status_and_detail(data)
    assert status == 408 and detail[0]["loc"] == ["headers"]
    assert 0.8 < waited < 3


def test_headers_trickling_in_are_cut_off(server):
    """One byte every 0.2 s keeps the connection busy but does not extend the limit."""
    line = b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100
    with _connect(server) as sock:
        sock.settimeout(0.2)
        t0, data = time.monotonic(), b""
        for byte in line:
            try:
                sock.send(bytes([byte]))
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:  # reset after the close
                break
            if not chunk:
                break
            data += chunk
        waited = time.monotonic() - t0
    assert data.startswith(b"HTTP/1.1 408"), data
    assert waited < 3


def test_a_body_that_does_not_arrive_gets_408_naming_the_body(server):
    with _connect(server) as sock:
        sock.sendall(HEAD + b"Content-Length: 100\r\n\r\n" + b'{"dt": ')
        data, waited = _read_until_closed(sock)
    status, detail = _status_and_detail(data)
    assert status == 408 and detail[0]["loc"] == ["body"], data
    assert b"connection: close" in data.lower()
    assert 0.8 < waited < 3


def test_a_chunked_body_that_stalls_gets_408(server):
    with _connect(server) as sock:
        sock.sendall(HEAD + b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"dt"\r\n')
        data, waited = _read_until_closed(sock)
    assert _status_and_detail(data)[0] == 408 and waited < 3


def test_an_idle_kept_alive_connection_is_closed(server):
    with _connect(server) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        data, waited = _read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 200") and waited < 3


def test_hundreds_of_slow_connections_are_all_closed(server):
    socks = []
    try:
        for i in range(300):
            sock = _connect(server)
            if i % 2:
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: local")
            socks.append(sock)
        t0 = time.monotonic()
        for sock in socks:
            sock.settimeout(max(0.1, 5 - (time.monotonic() - t0)))
            data, _ = _read_until_closed(sock)
            assert data.startswith(b"HTTP/1.1 408"), data[:60]
        assert time.monotonic() - t0 < 5
    finally:
        for sock in socks:
            sock.close()
    with httpx.Client(base_url=server) as client:  # and the server still answers
        assert client.get("/api/health").status_code == 200


def test_the_connection_limit_answers_503_then_recovers():
    limits = Limits(backend="numpy", header_seconds=1.0, max_connections=4)
    with running(create_app(limits), limits) as base:
        held = [_connect(base) for _ in range(4)]
        try:
            time.sleep(0.2)
            with httpx.Client(base_url=base) as client:
                assert client.get("/api/health").status_code == 503
                for sock in held:
                    _read_until_closed(sock)
                assert client.get("/api/health").status_code == 200
        finally:
            for sock in held:
                sock.close()


def test_host_names_on_a_live_server(server):
    with httpx.Client(base_url=server) as client:
        for host in ("localhost", "127.0.0.1:8000", "[::1]", "takeoff.test", "TAKEOFF.test:1"):
            assert client.get("/api/health", headers={"host": host}).status_code == 200, host
        for host in ("evil.example", "takeoff.test.evil.example", "localhost.evil.example"):
            r = client.get("/api/health", headers={"host": host})
            assert r.status_code == 400, host
            assert r.json()["detail"][0]["loc"] == ["header", "host"]


def test_uvicorn_is_configured_with_the_limits():
    limits = Limits()
    cfg = config(create_app(limits), "127.0.0.1", 8000, limits)
    assert cfg.timeout_keep_alive == limits.keep_alive_seconds == 5
    assert cfg.limit_concurrency == limits.max_connections == 1000
    assert cfg.http.head_seconds == limits.header_seconds == 10
    assert limits.body_seconds == 10
    unlimited = Limits(max_connections=0)
    assert config(create_app(unlimited), "127.0.0.1", 8000, unlimited).limit_concurrency is None
