"""HEAD wherever GET answers, OPTIONS with an Allow header, no CORS invitation."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from storyline.store.schema import connect

from .conftest import STORE_INDEPENDENT

PATHS = ["/", "/search?q=ferry", "/ingest", "/api", "/api/articles?limit=3", "/api/search?q=truce", "/api/timeline",
         "/openapi.json", "/docs", "/redoc", "/assets/storyline.css", "/stories/story:nope", "/api/stories/story:nope",
         "/nope", "/search?page=99999999999999999999999"]


def _story(store: str) -> str:
    conn = connect(store, readonly=True)
    try:
        return str(conn.execute("SELECT id FROM stories ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("path", PATHS)
def test_head_answers_what_get_answers_without_the_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("content-length") == got.headers.get("content-length")
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_head_on_stored_pages(client: TestClient, web_store: str) -> None:
    story = _story(web_store)
    for path in (f"/stories/{story}", f"/api/stories/{story}"):
        head = client.head(path)
        assert (head.status_code, head.content) == (200, b""), path
        assert int(head.headers["content-length"]) == len(client.get(path).content)


@STORE_INDEPENDENT
@pytest.mark.parametrize(("path", "allow"), [
    ("/", "GET, HEAD, OPTIONS"),
    ("/ingest", "GET, HEAD, OPTIONS, POST"),
    ("/api/articles", "GET, HEAD, OPTIONS"),
    ("/api/stories/story:nope", "GET, HEAD, OPTIONS"),
    ("/stories/anything/at/all", "GET, HEAD, OPTIONS"),
    ("/assets/storyline.css", "GET, HEAD, OPTIONS"),
    ("/docs", "GET, HEAD, OPTIONS"),
])
def test_options_lists_the_allowed_methods_and_invites_no_other_origin(client: TestClient, path: str, allow: str) -> None:
    r = client.options(path, headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"})
    assert (r.status_code, r.headers["allow"], r.content) == (204, allow, b"")
    assert not any(name.startswith("access-control-") for name in r.headers)
    assert r.headers["x-frame-options"] == "DENY"


@STORE_INDEPENDENT
def test_options_on_an_unknown_path_is_a_404(client: TestClient) -> None:
    assert client.options("/nope").status_code == 404


@STORE_INDEPENDENT
def test_other_methods_are_still_refused(client: TestClient) -> None:
    assert client.delete("/api/articles").status_code == 405
    assert client.put("/").status_code == 405


def test_head_over_uvicorn_sends_headers_only(demo_server: str) -> None:
    with httpx.Client(base_url=demo_server, timeout=10) as http:
        got, head = http.get("/api/articles?limit=2"), http.head("/api/articles?limit=2")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(got.content))
