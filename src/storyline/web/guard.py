"""What every response of the app carries and every request body must respect.

One plain ASGI middleware: it caps request bodies (an upload larger than the limit is cut
off with 413 before it is spooled anywhere), times the app (``Server-Timing: app;dur=ms``)
and adds the security headers. Pages carry no script at all, so their policy forbids every
script; only the API documentation pages (Swagger UI, ReDoc, served from the package) may
run theirs.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["Guard", "PAGE_POLICY", "DOCS_POLICY"]

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
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(send)
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
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = (f"Request body over the limit of {self.max_body:,} bytes (the max_bytes setting and room for the form);"
                " nothing was stored; send a smaller file.").encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *_headers(PAGE_POLICY)]})
        await send({"type": "http.response.body", "body": body})


def _headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
