"""A real news site on 127.0.0.1 whose feeds and pages change while a test runs.

Pages answer conditional GETs (``ETag``/``If-None-Match`` and ``Last-Modified``/``If-Modified-Since``
give 304), routes can answer any status with any headers (429 with ``Retry-After``, 500, 404), and
every request is recorded with its headers. The articles are ours: invented places and people.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers now."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: str | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class LiveSite(ThreadingHTTPServer):
    """The server: ``site.page(path, title, paragraphs)``, ``site.feed(path, title, [paths])``, ``site.route(...)``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def route(self, path: str, route: Route) -> str:
        with self.lock:
            self.routes[path] = route
        return self.url(path)

    def page(self, path: str, title: str, paragraphs: list[str], **kw: object) -> str:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        html = (f"<!doctype html><html><head><title>{title}</title></head><body><header><a href='/'>Home</a></header>"
                f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>")
        return self.route(path, Route(html.encode(), **kw))  # type: ignore[arg-type]

    def feed(self, path: str, title: str, items: list[tuple[str, str]]) -> str:
        entries = "".join(f"<item><title>{t}</title><link>{self.url(p)}</link></item>" for p, t in items)
        rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'
        return self.route(path, Route(rss.encode(), content_type="application/rss+xml"))

    def seen(self, path: str) -> list[tuple[dict[str, str], int]]:
        """The requests for ``path``: their headers and the status answered."""
        with self.lock:
            return [(h, s) for p, h, s in self.requests if p == path]

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LiveSite

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.server.lock:
            route = self.server.routes.get(self.path)
        status, body, extra = 404, b"not here", {}
        if route is not None:
            status, body, extra = route.status, route.body, dict(route.headers)
            if status == 200:
                extra["ETag"] = route.etag
                if route.last_modified:
                    extra["Last-Modified"] = route.last_modified
                if headers.get("if-none-match") == route.etag or (
                        route.last_modified and headers.get("if-modified-since") == route.last_modified):
                    status, body = 304, b""
        with self.server.lock:
            self.server.requests.append((self.path, headers, status))
        self.send_response(status)
        if route is not None and status != 304:
            self.send_header("Content-Type", route.content_type)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
