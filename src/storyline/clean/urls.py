"""One form for the URLs of one page, so that a page fetched again is known for the page it is.

``https://Example.org/news/ferry/?utm_source=rss#top`` and ``https://example.org/news/ferry`` are the
same page. :func:`page_key` drops what never changes the page: the case of the scheme and host, a
default port, the fragment, a trailing slash, and the tracking parameters that sharing and feeds add
(:data:`TRACKING_PARAMETERS`, :data:`TRACKING_PREFIXES`). Every other query parameter stays, in its
order: ``?id=12`` and ``?id=13`` are different pages.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMETERS", "TRACKING_PREFIXES", "page_key"]

TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})
"""Query parameters that only say who shared or advertised the link."""
TRACKING_PREFIXES = ("utm_",)
"""Query parameters starting with these (``utm_source``, ``utm_medium``, ...) are tracking too."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def page_key(url: str | None) -> str | None:
    """Return the form of an http(s) URL that every URL of the same page shares, or None for anything else.

    Args:
        url: a URL as fetched, declared or linked (surrounding spaces are ignored).

    Returns:
        The URL with its scheme and host lower-cased, a default port, the fragment, a trailing slash
        and tracking parameters removed; None when ``url`` is empty, not http(s), or has no host.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a bad port or a malformed IPv6 host: not a URL we can compare
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)])
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), query, ""))
