"""HEAD wherever GET answers, and OPTIONS that says what a path allows: one ASGI middleware for the whole app.

FastAPI routes answer only the methods they declare, so without this HEAD and OPTIONS get 405
everywhere. HEAD is served as the GET it mirrors (same status and headers, Content-Length
included) with the body dropped. OPTIONS is answered here: 204 with ``Allow`` listing what the
path's routes accept, or passed on to the app (a 404) for a path no route serves. No CORS
headers are added: other origins are not invited.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Methods", "allowed_methods"]

_MOUNTED = frozenset({"GET", "HEAD"})
"""What a mounted app (static files) is assumed to serve."""
_PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")
"""The methods a route is asked about (routers included with a prefix only say whether a method matches)."""
_FILE_SENDS = ("http.response.pathsend", "http.response.zerocopysend")


class Methods:
    """Wrap an ASGI app so HEAD mirrors GET and OPTIONS lists the allowed methods.

    Args:
        app: the wrapped application.
        routes: the routes to read allowed methods from (the app's own list, so routes added later count).
    """

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request; everything but HTTP HEAD and OPTIONS passes through untouched."""
        method = scope.get("method") if scope["type"] == "http" else None
        if method == "HEAD":
            extensions = {k: v for k, v in (scope.get("extensions") or {}).items() if k not in _FILE_SENDS}
            await self.app({**scope, "method": "GET", "extensions": extensions}, receive, _bodiless(send))
            return
        allowed = allowed_methods(self.routes, scope) if method == "OPTIONS" else set()
        if not allowed:
            await self.app(scope, receive, send)
            return
        await Response(status_code=204, headers={"Allow": ", ".join(sorted(allowed))})(scope, receive, send)


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> set[str]:
    """Return the methods the routes accept at the request's path (with HEAD beside GET, and OPTIONS); empty if none serve it."""
    allowed: set[str] = set()
    for route in routes:
        if isinstance(route, Mount):  # a mount matches every method on its prefix
            allowed |= _MOUNTED if route.matches(dict(scope))[0] is not Match.NONE else set()
        else:
            allowed |= {method for method in _PROBED if route.matches({**scope, "method": method})[0] is Match.FULL}
    if "GET" in allowed:
        allowed.add("HEAD")
    return allowed | {"OPTIONS"} if allowed else allowed


def _bodiless(send: Send) -> Send:
    """Wrap ``send`` so the response's headers go out and its body does not."""

    async def headers_only(message: Message) -> None:
        if message["type"] == "http.response.start":
            await send(message)
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return headers_only
