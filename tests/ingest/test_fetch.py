"""Fetching URLs from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from storyline.errors import FetchError, InputError
from storyline.ingest import fetch as fetch_module
from storyline.ingest.fetch import Fetched, fetch
from storyline.ingest.pages import classify, document_from_fetched
from storyline.settings import Settings

PAGE = b"<!DOCTYPE html><html><head><title>Ferry</title></head><body><p>The night ferry ran late.</p></body></html>"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Notes</title></channel></rss>'
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay Notes</title></feed>'
RDF = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'


def test_fetches_html_page(server, local):
    url = server.route("/news/ferry", PAGE)

    fetched = fetch(url, local)

    assert fetched == Fetched(url=url, content_type="text/html", charset="utf-8", body=PAGE)
    assert classify(fetched) == "html"
    document = document_from_fetched(fetched, url, local)
    assert (document.source, document.url, document.text) == (url, url, None)
    assert "The night ferry ran late." in (document.html or "")


@pytest.mark.parametrize(
    ("header", "content_type", "charset"),
    [
        ("text/html; charset=utf-8", "text/html", "utf-8"),
        ('Text/HTML; Charset="ISO-8859-1"', "text/html", "iso-8859-1"),
        ("text/plain", "text/plain", None),
        ("application/rss+xml; charset=UTF-8; q=1", "application/rss+xml", "utf-8"),
        (None, "", None),
    ],
)
def test_content_type_is_split_into_type_and_charset(server, local, header, content_type, charset):
    fetched = fetch(server.route("/typed", b"words", content_type=header), local)

    assert (fetched.content_type, fetched.charset) == (content_type, charset)


@pytest.mark.parametrize("agent", ["Storyline/0.1 (news analysis)", "harbour-desk-bot/2.5"])
def test_sends_user_agent(server, local, agent):
    fetch(server.route("/ua", PAGE), replace(local, user_agent=agent))

    assert [seen.headers["user-agent"] for seen in server.requests] == [agent]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_allow_private_permits_loopback(server, local, host):
    server.route("/ok", PAGE)

    assert fetch(server.url("/ok", host=host), local).body == PAGE


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("http://127.0.0.1:{port}/a", "127.0.0.1 resolves to loopback address 127.0.0.1"),
        ("http://localhost:{port}/a", "localhost resolves to loopback address"),
        ("http://[::1]:{port}/a", "::1 resolves to loopback address ::1"),
        ("http://[::ffff:127.0.0.1]:{port}/a", "resolves to loopback address ::ffff:127.0.0.1"),
        ("http://0.0.0.0:{port}/a", "resolves to unspecified address 0.0.0.0"),
        ("http://10.0.0.1/a", "10.0.0.1 resolves to private address 10.0.0.1"),
        ("http://192.168.4.20/a", "resolves to private address 192.168.4.20"),
        ("http://169.254.169.254/latest/meta-data/", "resolves to link-local address 169.254.169.254"),
        ("http://[fe80::1]/a", "resolves to link-local address fe80::1"),
        ("http://224.0.0.251/a", "resolves to multicast address 224.0.0.251"),
        ("http://100.64.0.7/a", "resolves to non-public address 100.64.0.7"),
    ],
)
def test_refuses_private_addresses_before_connecting(server, url, refusal):
    server.route("/a", PAGE)

    with pytest.raises(FetchError, match="^refused: ") as caught:
        fetch(url.format(port=server.port), Settings(fetch_timeout=0.5))

    assert refusal in str(caught.value)
    assert "--allow-private" in str(caught.value)
    assert (server.connections, server.requests) == (0, [])


@pytest.mark.parametrize(
    ("allow_private", "reason"),
    [(False, "cannot resolve host no-such-host.invalid"), (True, "cannot connect: ")],
)
def test_unresolvable_host(allow_private, reason):
    with pytest.raises(FetchError, match=reason):
        fetch("http://no-such-host.invalid/story", Settings(allow_private=allow_private, fetch_timeout=2.0))


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/file", "file:///etc/hostname", "javascript:alert(1)", "/relative/path", "news"]
)
def test_refuses_non_http_urls(url, local):
    with pytest.raises(FetchError, match="only absolute http and https URLs"):
        fetch(url, local)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_follows_redirect_chain(server, local, status):
    server.route("/one", status=status, headers={"Location": server.url("/two")})
    server.route("/two", status=status, headers={"Location": "/three"})  # relative Location
    final = server.route("/three", PAGE)

    fetched = fetch(server.url("/one"), local)

    assert (fetched.url, fetched.body) == (final, PAGE)
    assert [seen.path for seen in server.requests] == ["/one", "/two", "/three"]


@pytest.mark.parametrize(
    ("hops", "max_redirects", "allowed"),
    [(0, 0, True), (1, 0, False), (2, 2, True), (3, 2, False), (6, 5, False)],
)
def test_redirect_limit(server, local, hops, max_redirects, allowed):
    for hop in range(hops):
        server.route(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})
    server.route(f"/hop{hops}", PAGE)
    settings = replace(local, max_redirects=max_redirects)

    if allowed:
        assert fetch(server.url("/hop0"), settings).url == server.url(f"/hop{hops}")
    else:
        with pytest.raises(FetchError, match=f"too many redirects: more than {max_redirects} "):
            fetch(server.url("/hop0"), settings)
        assert len(server.requests) == max_redirects + 1


@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("http://localhost:{port}/secret", "localhost resolves to loopback address"),
        ("http://10.20.30.40/admin", "10.20.30.40 resolves to private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 resolves to link-local address"),
    ],
)
def test_redirect_hops_are_checked_again(server, monkeypatch, target, refusal):
    # Pretend the first address checked (the test server's own) is public so the first hop
    # passes and connects to it; every later address is checked for real.
    first = iter([True])
    real_kind = fetch_module._non_public_kind
    monkeypatch.setattr(fetch_module, "_non_public_kind", lambda address: None if next(first, False) else real_kind(address))
    server.route("/secret", PAGE)
    start = server.route("/start", status=302, headers={"Location": target.format(port=server.port)})

    with pytest.raises(FetchError, match=refusal):
        fetch(start, Settings(fetch_timeout=0.5))

    assert [seen.path for seen in server.requests] == ["/start"]


@pytest.mark.parametrize("target", ["file:///etc/hostname", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
def test_redirect_to_other_scheme_is_refused(server, local, target):
    start = server.route("/start", status=301, headers={"Location": target})

    with pytest.raises(FetchError, match="only absolute http and https URLs"):
        fetch(start, local)


@pytest.mark.parametrize(
    ("status", "headers", "message"),
    [
        (404, {}, "HTTP 404 Not Found"),
        (403, {}, "HTTP 403 Forbidden"),
        (500, {}, "HTTP 500 Internal Server Error"),
        (503, {}, "HTTP 503 Service Unavailable"),
        (302, {}, "HTTP 302 Found"),  # a redirect without a Location
        (304, {}, "HTTP 304 Not Modified"),
    ],
)
def test_non_success_status(server, local, status, headers, message):
    url = server.route("/status", b"" if status == 304 else b"nope", status=status, headers=headers)

    with pytest.raises(FetchError, match=f"^{message}$"):
        fetch(url, local)


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
def test_body_over_max_bytes_is_refused(server, local, framing):
    url = server.route("/big", b"x" * 50_000, content_type="text/plain", framing=framing)

    with pytest.raises(FetchError, match="too large: .*10,000-byte cap") as caught:
        fetch(url, replace(local, max_bytes=10_000))

    assert ("Content-Length 50,000 bytes" in str(caught.value)) == (framing == "length")


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
def test_body_at_max_bytes_is_accepted(server, local, framing):
    url = server.route("/fits", b"y" * 10_000, content_type="text/plain", framing=framing)

    assert fetch(url, replace(local, max_bytes=10_000)).body == b"y" * 10_000


@pytest.mark.parametrize(
    "slowness",
    [{"delay": 3.0}, {"stall": 3.0, "framing": "close"}, {"stall": 3.0, "framing": "chunked"}],
    ids=["before-headers", "mid-body-close", "mid-body-chunked"],
)
def test_slow_server_times_out(server, slowness):
    url = server.route("/slow", PAGE, **slowness)
    started = time.monotonic()

    with pytest.raises(FetchError, match=r"^timed out after 0\.5 s"):
        fetch(url, Settings(allow_private=True, fetch_timeout=0.5))

    assert time.monotonic() - started < 2.0


def test_closed_port_cannot_connect(local):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchError, match="^cannot connect: connection refused$"):
        fetch(f"http://127.0.0.1:{port}/story", local)


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("application/pdf", PDF, r"application/pdf \(a PDF document\), not an article page"),
        ("image/png", PNG, r"image/png \(an image\)"),
        ("audio/mpeg", b"ID3\x04\x00", r"audio/mpeg \(audio\)"),
        ("video/mp4", b"\x00\x00\x00\x18ftypmp42", r"video/mp4 \(video\)"),
        ("application/zip", b"PK\x03\x04rest", r"application/zip \(a ZIP archive\)"),
        ("text/html", PDF, r"text/html \(the body is a PDF document\)"),
        ("application/octet-stream", PNG, r"application/octet-stream \(the body is a PNG image\)"),
        (None, PNG, r"no content type \(the body is a PNG image\)"),
        ("application/octet-stream", b"plain words", r"application/octet-stream \(unknown binary data\)"),
    ],
)
def test_binary_responses_are_unsupported(server, local, content_type, body, message):
    fetched = fetch(server.route("/file", body, content_type=content_type), local)

    with pytest.raises(InputError, match=f"^unsupported content: {message}"):
        classify(fetched)
    with pytest.raises(InputError, match="^unsupported content: "):
        document_from_fetched(fetched, fetched.url, local)


def _fetched(content_type: str, body: bytes, charset: str | None = None) -> Fetched:
    return Fetched(url="https://news.example/page", content_type=content_type, charset=charset, body=body)


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("text/html", PAGE, "html"),
        ("application/xhtml+xml", PAGE, "html"),
        ("text/plain", b"The council met on Tuesday.", "text"),
        ("text/markdown", b"# Council meets", "text"),
        ("application/json", b'{"title": "Council"}', "json"),
        ("application/ld+json", b'{"@type": "NewsArticle"}', "json"),
        ("application/vnd.api+json", b"[]", "json"),
        ("application/rss+xml", RSS, "feed"),
        ("application/atom+xml", ATOM, "feed"),
        ("text/xml", ATOM, "feed"),
        ("application/xml", RDF, "feed"),
        ("text/html", RSS, "feed"),  # feeds served under the wrong type
        ("", PAGE, "html"),
        ("application/octet-stream", b"  <html><body>hi</body></html>", "html"),
        ("", b' [{"title": "x"}]', "json"),
        ("", b"Plain words with no markup.", "text"),
        ("", RSS, "feed"),
    ],
)
def test_classify(content_type, body, kind):
    assert classify(_fetched(content_type, body)) == kind


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("text/xml", b"<urlset><url>x</url></urlset>", r"text/xml \(XML that is not an RSS or Atom feed\)"),
        ("text/css", b"body { color: red }", r"text/css \(a style sheet\)"),
        ("application/javascript", b"alert(1)", r"application/javascript \(a script\)"),
        ("application/x-thing", b"words", r"application/x-thing \(not a text format\)"),
    ],
)
def test_classify_refuses_non_articles(content_type, body, message):
    with pytest.raises(InputError, match=f"^unsupported content: {message}, not an article page$"):
        classify(_fetched(content_type, body))


@pytest.mark.parametrize(
    ("content_type", "charset", "body", "field", "expected"),
    [
        ("text/html", "cp1252", "<p>caf\u00e9 \u2013 quay</p>".encode("cp1252"), "html", "caf\u00e9 \u2013 quay"),
        (
            "text/html",
            None,
            '<head><meta charset="koi8-r"></head><p>\u043f\u0440\u0438\u0441\u0442\u0430\u043d\u044c</p>'.encode("koi8-r"),
            "html",
            "\u043f\u0440\u0438\u0441\u0442\u0430\u043d\u044c",
        ),
        ("text/plain", "utf-8", "Stra\u00dfe gesperrt".encode(), "text", "Stra\u00dfe gesperrt"),
    ],
)
def test_document_from_fetched_decodes(content_type, charset, body, field, expected):
    document = document_from_fetched(_fetched(content_type, body, charset), "src", Settings())

    assert expected in getattr(document, field)
    assert (document.source, document.url) == ("src", "https://news.example/page")


@pytest.mark.parametrize(("content_type", "body"), [("application/json", b"{}"), ("application/rss+xml", RSS)])
def test_document_from_fetched_refuses_json_and_feeds(content_type, body):
    with pytest.raises(InputError, match="expected an article page"):
        document_from_fetched(_fetched(content_type, body), "src", Settings())


@pytest.mark.parametrize(
    "url",
    ["http://reader:hunter2@127.0.0.1:{port}/a", "http://reader@127.0.0.1:{port}/a", "https://:hunter2@news.example/a"],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_urls_with_user_info_are_refused_before_connecting(server, url, allow_private):
    server.route("/a", PAGE)

    with pytest.raises(FetchError, match=r"^refused: .* with a user name or password \(user:pass@host\)") as caught:
        fetch(url.format(port=server.port), Settings(allow_private=allow_private, fetch_timeout=0.5))

    assert "hunter2" not in str(caught.value) and "reader" not in str(caught.value)
    assert (server.connections, server.requests) == (0, [])


def test_a_redirect_to_a_url_with_user_info_is_refused(server, local):
    start = server.route("/start", status=302, headers={"Location": server.url("/a", host="reader:hunter2@127.0.0.1")})

    with pytest.raises(FetchError, match="user name or password"):
        fetch(start, local)

    assert [seen.path for seen in server.requests] == ["/start"]


class _Rebinding:
    """A resolver for ``rebind.test`` that answers 127.0.0.1 once, then a private address (DNS rebinding)."""

    def __init__(self, real: object) -> None:
        self.real, self.lookups = real, 0

    def __call__(self, host: str, port: object, *args: object, **kwargs: object) -> object:
        if host != "rebind.test":
            return self.real(host, port, *args, **kwargs)  # type: ignore[operator]
        self.lookups += 1
        address = "127.0.0.1" if self.lookups == 1 else "10.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]


@pytest.fixture
def rebinding(monkeypatch) -> _Rebinding:
    """Resolve ``rebind.test`` through :class:`_Rebinding` and count 127.0.0.1 as a public address."""
    resolver = _Rebinding(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    real_kind = fetch_module._non_public_kind
    monkeypatch.setattr(fetch_module, "_non_public_kind", lambda address: None if address == "127.0.0.1" else real_kind(address))
    return resolver


def test_connects_to_the_checked_address_without_resolving_again(server, rebinding):
    url = server.route("/story", PAGE).replace("127.0.0.1", "rebind.test")

    fetched = fetch(url, Settings(fetch_timeout=1.0))

    assert (fetched.url, fetched.body, rebinding.lookups) == (url, PAGE, 1)
    assert server.requests[0].headers["host"] == f"rebind.test:{server.port}"


def test_the_next_checked_address_is_tried_when_one_refuses(server, monkeypatch):
    # two.test resolves to 127.0.0.2 (nothing listens there) and 127.0.0.1, both counted as public.
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["127.0.0.2", "127.0.0.1"])
    monkeypatch.setattr(fetch_module, "_non_public_kind", lambda address: None)
    url = server.route("/story", PAGE).replace("127.0.0.1", "two.test")

    assert fetch(url, Settings(fetch_timeout=1.0)).body == PAGE
    assert server.requests[0].headers["host"] == f"two.test:{server.port}"


def test_each_redirect_hop_is_resolved_and_checked_again(server, rebinding):
    server.route("/two", PAGE)
    server.route("/one", status=302, headers={"Location": "/two"})

    # The second hop resolves rebind.test again: now to 10.0.0.1, which is refused.
    with pytest.raises(FetchError, match="rebind.test resolves to private address 10.0.0.1"):
        fetch(server.url("/one", host="rebind.test"), Settings(fetch_timeout=1.0))

    assert ([seen.path for seen in server.requests], rebinding.lookups) == (["/one"], 2)


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """Write a self-signed certificate for ``name`` and its key into ``folder``."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hosts.append(self.headers["host"])  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for news.test; yields (port, CA file, SNI names seen, Host headers seen)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = _certificate(tmp_path, "news.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    httpd.hosts = []  # type: ignore[attr-defined]
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield httpd.server_address[1], cert, names, httpd.hosts  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize(("host", "trusted"), [("news.test", "news.test"), ("news.test", "other.test")])
def test_https_to_a_pinned_address_keeps_sni_and_the_certificate_check(tls_server, monkeypatch, tmp_path, host, trusted):
    port, cert, names, hosts = tls_server
    monkeypatch.setattr(fetch_module, "_resolve", lambda name, _port: ["93.184.215.14"] if name == host else [])
    monkeypatch.setattr(fetch_module, "_pin", _pin_to_loopback(fetch_module._pin))
    ca = cert if trusted == "news.test" else _certificate(tmp_path, trusted)[0]
    transport = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(ca)))
    url = f"https://{host}:{port}/story"

    if trusted == host:
        assert fetch(url, Settings(fetch_timeout=2.0), transport=transport).body == PAGE
        assert (names, hosts) == ([host], [f"{host}:{port}"])
    else:
        with pytest.raises(FetchError, match="certificate verify failed"):
            fetch(url, Settings(fetch_timeout=2.0), transport=transport)
        assert names == [host] and hosts == []


def _pin_to_loopback(pin):
    """Wrap ``_pin`` so the public address it was given is swapped for 127.0.0.1, where the test server listens."""

    def pinned(request: httpx.Request, address: str) -> None:
        assert address == "93.184.215.14"  # the checked address is the one pinned
        pin(request, "127.0.0.1")

    return pinned
