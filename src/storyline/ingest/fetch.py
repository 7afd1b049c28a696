"""Fetch one URL safely: the HTTP layer of ingest (what the body is, is :mod:`storyline.ingest.pages`'s job).

Steps for each hop of a fetch: 1. accept only absolute http/https URLs
without a user name or password; 2. resolve the host once and refuse it if
any address is private, loopback, link-local or otherwise non-public (unless
``allow_private``); 3. send the request, without following redirects, to a
checked address itself: the URL keeps its host in the Host header, the TLS
server name (SNI) and the certificate check, but the name is never resolved
again, so a DNS server that answers differently the second time (DNS
rebinding) cannot slip past the check; 4. on a redirect, go back to step 1
with the new URL, at most ``max_redirects`` times; 5. stream the body,
refusing it as soon as it grows past ``max_bytes``.

Connections are not kept alive between hops: a TLS connection verified for
one host name is never reused for a request to another name on the same
address.

Conditional GET: given the validators of an earlier response (its ``ETag`` and
``Last-Modified``), the request carries ``If-None-Match`` / ``If-Modified-Since``
and a ``304 Not Modified`` comes back as a :class:`Fetched` with status 304 and no
body. An error status raises :class:`~storyline.errors.FetchError` with the status
and, for 429 and 503, the wait ``Retry-After`` asked for (seconds or an HTTP date).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus

import httpx

from ..errors import FetchError
from ..settings import Settings

__all__ = ["Fetched", "Fetcher", "Validators", "fetch", "post_json", "parse_content_type", "retry_after"]

_SCHEMES = ("http", "https")
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.9,"
    "application/atom+xml;q=0.9,application/xml;q=0.8,text/plain;q=0.8,*/*;q=0.5"
)

_ERRNO_PREFIX = re.compile(r"^\[Errno -?\d+\]\s*")


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies a response's version: sent back to ask "has it changed?"."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers these validators make."""
        out = {"If-None-Match": self.etag} if self.etag else {}
        return out | ({"If-Modified-Since": self.last_modified} if self.last_modified else {})


@dataclass(frozen=True, slots=True)
class Fetched:
    """One HTTP response body, after redirects."""

    url: str
    """Final URL, after redirects."""
    content_type: str
    """Media type, lowercased, without parameters; ``""`` when the server sent none."""
    charset: str | None
    """The ``charset`` parameter of the Content-Type header, lowercased."""
    body: bytes
    status: int = 200
    """200 (or another 2xx), or 304 when a conditional request found it unchanged (then ``body`` is empty)."""
    validators: Validators = Validators()
    """The response's ``ETag`` and ``Last-Modified``, to send back next time."""

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request."""
        return self.status == 304


Fetcher = Callable[[str, Settings], Fetched]
"""Fetches one URL: takes the URL and the settings, returns the response (:func:`fetch`, or a polite or test one)."""


def fetch(url: str, settings: Settings, *, transport: httpx.BaseTransport | None = None,
          validators: Validators | None = None) -> Fetched:
    """Fetch ``url`` with redirects, address checks and a size cap.

    Args:
        url: an absolute http or https URL.
        validators: an earlier response's ETag and Last-Modified: a conditional GET, answered by a
            :class:`Fetched` with status 304 and no body when nothing changed.
        settings: uses ``fetch_timeout``, ``max_redirects``, ``max_bytes``,
            ``user_agent`` and ``allow_private``.
        transport: an httpx transport to send requests through (tests, proxies).
            Without ``allow_private`` it gets each request addressed to the
            checked IP address (Host header and ``sni_hostname`` extension
            naming the host); with it the host is not resolved beforehand,
            so a transport that never touches the network sees any host name.

    Returns:
        The final URL, content type, charset and body.

    Raises:
        FetchError: bad URL or scheme, a URL with a user name or password,
            refused or unresolvable address, network error, timeout, too many
            redirects, a non-2xx status (with ``status`` and ``retry_after``), or a
            body larger than ``max_bytes``.
    """
    current = _checked_url(url)
    conditional = validators.headers() if validators else None
    with _client(settings, transport) as client:
        for _ in range(settings.max_redirects + 1):
            addresses = _checked_addresses(current, settings)
            with _translated_errors(settings):
                with _opened(client, current, addresses, headers=conditional) as response:
                    if response.status_code == 304 and conditional:
                        return Fetched(str(current), "", None, b"", 304, validators or Validators())
                    target = _redirect_target(response)
                    if target is None:
                        return _read(response, current, settings)
            current = _checked_url(target, base=current)
    raise FetchError(
        f"too many redirects: more than {settings.max_redirects} starting at {url} (setting max_redirects)"
    )


def post_json(url: str, payload: object, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> int:
    """POST ``payload`` as JSON to ``url`` (a webhook) under the rules of :func:`fetch`: http(s) only, no user
    name or password in the URL, private and loopback addresses refused unless ``allow_private``, the
    ``fetch_timeout``, the User-Agent; redirects are not followed (a webhook that moved is an error).

    Returns:
        The HTTP status (2xx).

    Raises:
        FetchError: as :func:`fetch`, or a status that is not 2xx (a redirect included).
    """
    import json

    target = _checked_url(url)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    with _client(settings, transport) as client:
        addresses = _checked_addresses(target, settings)
        with _translated_errors(settings):
            with _opened(client, target, addresses, method="POST", content=body,
                         headers={"Content-Type": "application/json; charset=utf-8"}) as response:
                if not response.is_success:
                    raise FetchError(f"HTTP {response.status_code} {_reason(response)}", status=response.status_code)
                return response.status_code


# -- URLs and addresses -------------------------------------------------------


def _checked_url(raw: str, base: httpx.URL | None = None) -> httpx.URL:
    try:
        url = httpx.URL(raw) if base is None else base.join(raw)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"invalid URL {raw!r}: {exc}") from exc
    if url.scheme not in _SCHEMES:
        what = f"scheme {url.scheme!r}" if url.scheme else "no scheme"
        raise FetchError(f"cannot fetch {raw!r}: {what}; only absolute http and https URLs can be fetched")
    if not url.raw_host:
        raise FetchError(f"invalid URL {raw!r}: no host name")
    if url.userinfo:  # never echo it: it may hold a password
        raise FetchError(
            f"refused: {url.copy_with(userinfo=b'')} was given with a user name or password (user:pass@host);"
            " Storyline does not send credentials, remove them from the URL"
        )
    return url


def _checked_addresses(url: httpx.URL, settings: Settings) -> list[str]:
    """Resolve ``url``'s host once and return its addresses, refusing it if any is non-public.

    Returns no addresses with ``allow_private``: the host is then neither resolved nor pinned.
    """
    if settings.allow_private:
        return []
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = list(dict.fromkeys(_resolve(host, port)))
    for address in addresses:
        kind = _non_public_kind(address)
        if kind:
            raise FetchError(
                f"refused: {host} resolves to {kind} address {address}; pass --allow-private to allow"
            )
    return addresses


def _resolve(host: str, port: int) -> list[str]:
    """Return every address ``host`` resolves to (in the resolver's order of preference)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) and exc.strerror else str(exc)
        raise FetchError(f"cannot resolve host {host}: {reason.lower()}") from exc
    return [str(info[4][0]) for info in infos]


def _non_public_kind(address: str) -> str | None:
    """Return why ``address`` is not a public unicast address, or None if it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


# -- HTTP ---------------------------------------------------------------------


def _client(settings: Settings, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.fetch_timeout),
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT},
        limits=httpx.Limits(max_keepalive_connections=0),  # see the module docstring: no reuse across host names
    )


@contextmanager
def _opened(client: httpx.Client, url: httpx.URL, addresses: list[str], *, method: str = "GET",
            content: bytes | None = None, headers: dict[str, str] | None = None) -> Iterator[httpx.Response]:
    """Send a request for ``url`` (a GET unless ``method`` says) to the first of ``addresses`` that accepts a
    connection, and stream its response.

    With no addresses (``allow_private``) the client resolves the host itself.
    """
    refused: httpx.ConnectError | None = None
    targets: list[str | None] = [*addresses] if addresses else [None]
    for address in targets:
        request = client.build_request(method, url, content=content, headers=headers)
        if address is not None:
            _pin(request, address)
        try:
            response = client.send(request, stream=True)
        except httpx.ConnectError as exc:
            refused = exc  # the next checked address may answer, as a plain connect would have tried it
            continue
        try:
            yield response
        finally:
            response.close()
        return
    assert refused is not None
    raise refused


def _pin(request: httpx.Request, address: str) -> None:
    """Address ``request`` to the IP ``address`` while it keeps naming its host (Host header, TLS SNI and certificate check)."""
    request.extensions["sni_hostname"] = request.url.raw_host.decode("ascii")
    request.url = request.url.copy_with(host=address)


@contextmanager
def _translated_errors(settings: Settings) -> Iterator[None]:
    """Turn httpx exceptions into FetchError with a short human reason."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {settings.fetch_timeout:g} s (setting fetch_timeout)") from exc
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {_os_reason(exc)}") from exc
    except (httpx.RemoteProtocolError, httpx.DecodingError, httpx.ReadError) as exc:
        raise FetchError(f"broken response: {_os_reason(exc)}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"fetch failed: {_os_reason(exc)}") from exc


def _os_reason(exc: BaseException) -> str:
    """Return the most specific reason in an exception chain, e.g. 'connection refused'."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    text = _ERRNO_PREFIX.sub("", str(exc)) or type(exc).__name__
    return text[:1].lower() + text[1:]


def _redirect_target(response: httpx.Response) -> str | None:
    """Return the Location of a redirect, or None for a final response."""
    location = str(response.headers.get("location", ""))
    if response.status_code in _REDIRECT_CODES and location:
        return location
    if not response.is_success:
        raise FetchError(f"HTTP {response.status_code} {_reason(response)}", status=response.status_code,
                         retry_after=retry_after(response.headers.get("retry-after", "")))
    return None


def retry_after(value: str, now: float | None = None) -> float | None:
    """Read a ``Retry-After`` header: seconds, or an HTTP date (seconds from ``now``); None when absent or unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _reason(response: httpx.Response) -> str:
    try:
        standard = HTTPStatus(response.status_code).phrase
    except ValueError:
        standard = ""
    return response.reason_phrase or standard or "(no reason given)"


def _read(response: httpx.Response, url: httpx.URL, settings: Settings) -> Fetched:
    """Read the body of a final response, stopping at ``max_bytes``."""
    limit = settings.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"too large: Content-Length {int(declared):,} bytes exceeds the {limit:,}-byte cap (setting max_bytes)"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"too large: body exceeds the {limit:,}-byte cap (setting max_bytes)")
        chunks.append(chunk)
    content_type, charset = parse_content_type(response.headers.get("content-type", ""))
    found = Validators(response.headers.get("etag") or None, response.headers.get("last-modified") or None)
    return Fetched(str(url), content_type, charset, b"".join(chunks), response.status_code, found)


def parse_content_type(header: str) -> tuple[str, str | None]:
    """Split ``text/html; charset=UTF-8`` into ``("text/html", "utf-8")``."""
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


