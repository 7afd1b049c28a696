"""Fetch one URL safely and say what kind of document came back.

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
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus

import httpx

from ..errors import FetchError, InputError
from ..models import RawDocument
from ..settings import Settings
from .decode import decode_bytes, sniff_binary

__all__ = ["Fetched", "fetch", "post_json", "classify", "document_from_fetched"]

_SCHEMES = ("http", "https")
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.9,"
    "application/atom+xml;q=0.9,application/xml;q=0.8,text/plain;q=0.8,*/*;q=0.5"
)

# Media types that are never article pages: exact names, or prefixes ending in "/" or ".".
_UNSUPPORTED_TYPES: dict[str, str] = {
    "application/pdf": "a PDF document", "image/": "an image", "audio/": "audio", "video/": "video",
    "font/": "a font", "application/zip": "a ZIP archive", "application/gzip": "gzip-compressed data",
    "application/x-gzip": "gzip-compressed data", "application/x-tar": "a tar archive",
    "application/x-7z-compressed": "a 7-Zip archive", "application/vnd.rar": "a RAR archive",
    "application/msword": "a Word document", "application/vnd.ms-": "an office document",
    "application/vnd.openxmlformats-officedocument.": "an office document",
    "application/vnd.oasis.opendocument.": "an office document", "application/epub+zip": "an e-book",
    "application/wasm": "a WebAssembly program", "application/javascript": "a script",
    "text/javascript": "a script", "text/css": "a style sheet",
}
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_XML_TYPES = frozenset({"text/xml", "application/xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_JSON_TYPES = frozenset({"application/json", "text/json", "application/ld+json"})
_OCTET_STREAM_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})

_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ERRNO_PREFIX = re.compile(r"^\[Errno -?\d+\]\s*")


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


def fetch(url: str, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> Fetched:
    """Fetch ``url`` with redirects, address checks and a size cap.

    Args:
        url: an absolute http or https URL.
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
            redirects, a non-2xx status, or a body larger than ``max_bytes``.
    """
    current = _checked_url(url)
    with _client(settings, transport) as client:
        for _ in range(settings.max_redirects + 1):
            addresses = _checked_addresses(current, settings)
            with _translated_errors(settings):
                with _opened(client, current, addresses) as response:
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
                    raise FetchError(f"HTTP {response.status_code} {_reason(response)}")
                return response.status_code


def classify(fetched: Fetched) -> str:
    """Say what kind of document a response holds.

    Args:
        fetched: a response from :func:`fetch`.

    Returns:
        ``"html"``, ``"text"``, ``"json"`` or ``"feed"`` (RSS, Atom or RDF).

    Raises:
        InputError: the response is a PDF, an image, audio, video, an archive
            or other content that is not an article page.
    """
    from .feeds import is_feed  # feeds imports this module, so import it late

    ctype, body = fetched.content_type, fetched.body
    # 1. a declared type that is never an article
    described = _unsupported_type(ctype)
    if described:
        raise InputError(_unsupported(ctype, described))
    # 2. a body that is binary whatever its declared type
    binary = sniff_binary(body)
    if binary:
        raise InputError(_unsupported(ctype or "no content type", f"the body is {binary}"))
    # 3. declared types, with a sniff for feeds served under generic types
    if ctype in _FEED_TYPES or is_feed(body):
        return "feed"
    if ctype in _XML_TYPES:
        raise InputError(_unsupported(ctype, "XML that is not an RSS or Atom feed"))
    if ctype in _JSON_TYPES or ctype.endswith("+json"):
        return "json"
    if ctype in _HTML_TYPES:
        return "html"
    if ctype.startswith("text/"):
        return "text"
    # 4. no useful type: sniff the body
    return _sniffed_kind(ctype, body)


def document_from_fetched(fetched: Fetched, source: str, settings: Settings) -> RawDocument:
    """Decode an HTML or text response into a raw document.

    Args:
        fetched: a response from :func:`fetch`.
        source: what to record as the document's source (usually the URL asked for).
        settings: uses ``max_bytes``.

    Returns:
        A document with ``html`` or ``text`` set and ``url`` = the final URL.

    Raises:
        InputError: the response is not HTML or text (feeds and JSON are read
            elsewhere), or its bytes cannot be decoded.
    """
    kind = classify(fetched)
    if kind not in ("html", "text"):
        raise InputError(f"{fetched.url}: expected an article page, got {kind} content ({fetched.content_type})")
    declared = fetched.charset
    if kind == "html" and not declared:
        declared = _meta_charset(fetched.body)
    content = decode_bytes(fetched.body, declared=declared, max_bytes=settings.max_bytes)
    if kind == "html":
        return RawDocument(source=source, html=content, url=fetched.url)
    return RawDocument(source=source, text=content, url=fetched.url)


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
        raise FetchError(f"HTTP {response.status_code} {_reason(response)}")
    return None


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
    content_type, charset = _parse_content_type(response.headers.get("content-type", ""))
    return Fetched(url=str(url), content_type=content_type, charset=charset, body=b"".join(chunks))


def _parse_content_type(header: str) -> tuple[str, str | None]:
    """Split ``text/html; charset=UTF-8`` into ``("text/html", "utf-8")``."""
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


# -- content kinds ------------------------------------------------------------


def _unsupported_type(ctype: str) -> str | None:
    for pattern, described in _UNSUPPORTED_TYPES.items():
        if ctype == pattern or (pattern.endswith((".", "/")) and ctype.startswith(pattern)):
            return described
    return None


def _unsupported(ctype: str, described: str) -> str:
    return f"unsupported content: {ctype} ({described}), not an article page"


def _sniffed_kind(ctype: str, body: bytes) -> str:
    """Guess the kind of a body whose declared type says nothing useful."""
    if _HTML_START.match(body[:4096]):
        return "html"
    if body.lstrip()[:1] in (b"{", b"["):
        return "json"
    if ctype in _OCTET_STREAM_TYPES:
        raise InputError(_unsupported(ctype, "unknown binary data"))
    if ctype and not ctype.startswith("text/"):
        raise InputError(_unsupported(ctype, "not a text format"))
    return "text"


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:2048])
    return match.group(1).decode("ascii").lower() if match else None
