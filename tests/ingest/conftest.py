"""A real HTTP server on 127.0.0.1 for fetch and feed tests.

Tests register replies by path (``server.route("/page", b"<html>...", status=200)``;
keyword options are the fields of :class:`Reply`) and read back what the server saw (``server.requests``, ``server.connections``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline.settings import Settings


@dataclass(frozen=True)
class Reply:
    """What the test server sends for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    framing: str = "length"
    """``length`` (Content-Length), ``chunked``, or ``close`` (body ends when the connection closes)."""
    delay: float = 0.0
    """Seconds to wait before sending anything."""
    stall: float = 0.0
    """Seconds to wait after the headers and the first half of the body."""


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Reply] = {}
        self.requests: list[Seen] = []
        self.connections = 0
        self.stopping = threading.Event()

    def verify_request(self, request: object, client_address: object) -> bool:
        self.connections += 1  # counted per accepted connection, before any request is read
        return True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose (size cap, timeouts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self.server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        reply = self.server.routes.get(self.path, Reply(b"no such page", status=404))
        self.server.stopping.wait(reply.delay)
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.framing == "length":
            self.send_header("Content-Length", str(len(reply.body)))
        elif reply.framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        half = len(reply.body) // 2
        self._write(reply.body[:half], reply.framing)
        self.wfile.flush()
        self.server.stopping.wait(reply.stall)
        self._write(reply.body[half:], reply.framing)
        if reply.framing == "chunked":
            self.wfile.write(b"0\r\n\r\n")

    def _write(self, data: bytes, framing: str) -> None:
        for start in range(0, len(data), 16_384):
            piece = data[start : start + 16_384]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if framing == "chunked" else piece)

    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer:
    """Handle on the running server."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self.port = server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, body: bytes = b"", **options: Any) -> str:
        """Serve ``body`` at ``path`` (``options`` as in :class:`Reply`) and return its URL."""
        self._server.routes[path] = Reply(body, **options)
        return self.url(path)

    @property
    def requests(self) -> list[Seen]:
        return self._server.requests

    @property
    def connections(self) -> int:
        return self._server.connections


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """Start an HTTP server on 127.0.0.1 and an ephemeral port; stop it afterwards."""
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield LocalServer(httpd)
    httpd.stopping.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def local() -> Settings:
    """Settings that may fetch from the loopback test server."""
    return Settings(allow_private=True, fetch_timeout=2.0)
