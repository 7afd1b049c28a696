"""What every response of the app carries and every request body must respect.

One plain ASGI middleware: it refuses a request that changes something (POST, PUT, PATCH,
DELETE) sent by a page of another site (403: cross-site request forgery, judged by the
browser's ``Origin`` and ``Sec-Fetch-Site`` headers), caps request bodies (an upload larger
than the limit is cut off with 413 before it is spooled anywhere), times the app
(``Server-Timing: app;dur=ms``) and adds the security headers. Pages carry no script at all,
so their policy forbids every script; only the API documentation pages (Swagger UI, ReDoc,
served from the package) may run theirs.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Guard", "PAGE_POLICY", "DOCS_POLICY", "same_site"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'none'; form-action 'self';"
               " base-uri 'none'; frame-ancestors 'none'")
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
               " worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'none'")
_DOCS = ("/docs", "/redoc", "/static-offline-docs")
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


class _TooLarge(Exception):
    pass


class Guard:
    """Wrap an ASGI app: body cap, timing, security headers.

    Args:
        app: the wrapped application.
        max_body: largest request body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (other ASGI scopes pass through untouched)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("method") in _WRITES and not same_site(scope):
            await self._refuse(send, 403, "Refused: this request to change the store was sent by a page of another site"
                                          " (cross-site request forgery); nothing was stored. Use the app's own pages.")
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send)
            return
        started, received, sent = time.perf_counter(), 0, False
        policy = DOCS_POLICY if scope["path"].startswith(_DOCS) else PAGE_POLICY

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise _TooLarge
            return message

        async def headed(message: Message) -> None:
            nonlocal sent
            if message["type"] == "http.response.start":
                sent = True
                ms = (time.perf_counter() - started) * 1000
                message["headers"] = [*message.get("headers", []), *_headers(policy), (b"server-timing", f"app;dur={ms:.1f}".encode())]
            await send(message)

        try:
            await self.app(scope, counted, headed)
        except _TooLarge:
            if not sent:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        await self._refuse(send, 413, f"Request body over the limit of {self.max_body:,} bytes (the max_bytes setting and room"
                                      " for the form); nothing was stored; send a smaller file.")

    @staticmethod
    async def _refuse(send: Send, status: int, message: str) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *_headers(PAGE_POLICY)]})
        await send({"type": "http.response.body", "body": message.encode()})


def same_site(scope: Scope) -> bool:
    """Tell whether a request may come from the app's own pages: False when the browser says another site sent it.

    1. ``Sec-Fetch-Site`` (every current browser sends it) must be ``same-origin`` or ``none`` (typed or bookmarked);
    2. without it, ``Origin`` must name this host (as ``Host`` names it, default ports aside); ``null`` is refused:
       a sandboxed page, or any page asking for no referrer (the app's own pages ask that, which is why 1 comes first);
    3. a client that sends neither is no browser (curl, a script) and cannot be made to send a request by
       another site's page, so it passes.
    """
    headers = dict(scope.get("headers") or [])
    site = headers.get(b"sec-fetch-site")
    if site is not None:
        return site in (b"same-origin", b"none")
    origin = headers.get(b"origin")
    if origin is None:
        return True
    parts = urlsplit(origin.decode("latin-1").strip())
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    return parts.scheme in _DEFAULT_PORTS and bool(host) and _without_default_port(parts.netloc.lower(), parts.scheme) == (
        _without_default_port(host, parts.scheme))


def _without_default_port(netloc: str, scheme: str) -> str:
    port = _DEFAULT_PORTS.get(scheme, "")
    return netloc[: -len(port)] if port and netloc.endswith(port) else netloc


def _headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
