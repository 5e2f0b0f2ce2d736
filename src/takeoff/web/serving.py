"""Running the app under uvicorn with timeouts on requests that do not arrive.

uvicorn times out idle keep-alive connections, but not a connection that never
completes its request: a client may open one and send a header line every few seconds,
or nothing at all, and hold it for ever (2,000 such connections were all still open
after 30 s). Here:

- :class:`HeadTimeoutProtocol` (uvicorn's h11 protocol) answers 408 and closes a
  connection whose request line and headers have not all arrived within
  ``Limits.header_seconds`` of connecting or of the previous response;
- :class:`takeoff.web.guard.BodyLimit` does the same for the body (``body_seconds``);
- ``limit_concurrency`` (``Limits.max_connections``) answers 503 once that many
  connections and requests are open, and ``timeout_keep_alive`` closes idle ones.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterable, Iterator

import h11
from uvicorn import Config, Server
from uvicorn.protocols.http.h11_impl import H11Protocol

from takeoff.web.guard import normalise_host
from takeoff.web.limits import Limits

#: Bind addresses that mean "every interface": no single name to add to the allowed hosts.
WILDCARDS = {"0.0.0.0", "::", "[::]", ""}


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a time limit on receiving a request's head."""

    head_seconds: float = Limits.header_seconds

    def connection_made(self, transport) -> None:
        self._head_timer = None
        super().connection_made(transport)
        self._arm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_timer()  # the next request on a kept-alive connection

    def connection_lost(self, exc) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.head_seconds, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        # IDLE: no complete request head since the timer started; once a head is in,
        # the body limit and the computation limits take over.
        waiting = self.cycle is None or self.cycle.response_complete
        if self.conn.their_state is not h11.IDLE or not waiting:
            return
        body = json.dumps(
            {
                "detail": [
                    {
                        "loc": ["headers"],
                        "msg": "request line and headers not received within this "
                        f"server's limit of {self.head_seconds:g} s",
                        "type": "request_timeout",
                    }
                ]
            }
        ).encode()
        head = (
            "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        ).encode()
        self.transport.write(head + body)
        self.transport.close()


def protocol_with(head_seconds: float) -> type[HeadTimeoutProtocol]:
    return type("HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"head_seconds": head_seconds})


def server_hosts(bind: str, extra: Iterable[str] = ()) -> list[str]:
    """Names to allow besides loopback: ``extra`` and the bind address unless a wildcard."""
    hosts = list(extra)
    if bind not in WILDCARDS:
        hosts.append(normalise_host(bind))
    return hosts


def config(app, host: str, port: int, limits: Limits, **kwargs) -> Config:
    """uvicorn's settings for ``app`` under ``limits`` (kwargs: other uvicorn settings)."""
    return Config(
        app,
        host=host,
        port=port,
        http=protocol_with(limits.header_seconds),
        timeout_keep_alive=limits.keep_alive_seconds,
        limit_concurrency=limits.max_connections or None,
        **kwargs,
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(app, limits: Limits, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Serve ``app`` in a thread for the duration of the block; yields its base URL."""
    port = port or free_port(host)
    srv = Server(config(app, host, port, limits, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=15)
