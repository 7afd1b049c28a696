"""Integer query parameters: out of range is a 422 (JSON under /api, the error page elsewhere), never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storyline.export.records import SECTIONS
from storyline.store.paging import SQLITE_MAX_INT, limit_clause
from storyline.web.params import MAX_LIMIT, MAX_OFFSET, MAX_PAGE

from .conftest import STORE_INDEPENDENT


@STORE_INDEPENDENT
@pytest.mark.parametrize(("url", "name"), [
    ("/api/articles?offset=9223372036854775808", "offset"),  # was OverflowError binding it for SQLite
    ("/api/timeline?offset=9223372036854775807", "offset"),  # was ValueError from itertools.islice
    ("/api/timeline?story=story:nope&offset=9223372036854775807", "offset"),
    ("/api/search?offset=9223372036854775808", "offset"),
    ("/api/quotes?offset=-1", "offset"),
    (f"/api/claims?offset={MAX_OFFSET + 1}", "offset"),
    (f"/api/stories?limit={MAX_LIMIT + 1}", "limit"),
    ("/api/events?limit=0", "limit"),
    ("/api/framing?limit=1e3", "limit"),
])
def test_api_numbers_out_of_range_are_a_json_422_naming_the_parameter(client: TestClient, url: str, name: str) -> None:
    r = client.get(url)
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    assert [e["loc"] for e in r.json()["detail"]] == [["query", name]]


@STORE_INDEPENDENT
@pytest.mark.parametrize("url", [
    "/search?page=99999999999999999999999",  # was OverflowError binding the offset for SQLite
    "/?page=99999999999999999999999",
    f"/search?q=ferry&page={MAX_PAGE + 1}",
    "/search?page=0",
    "/?page=-3",
    "/?page=two",
])
def test_page_numbers_out_of_range_are_a_422_page(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "422: bad parameters" in r.text and "page: " in r.text
    assert "script-src 'none'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_section_answers_an_empty_last_page_at_the_largest_offset(client: TestClient, section: str) -> None:
    r = client.get(f"/api/{section}", params={"offset": MAX_OFFSET, "limit": MAX_LIMIT})
    assert r.status_code == 200
    assert (r.json()["items"], r.json()["next_offset"]) == ([], None)


@pytest.mark.parametrize("url", [f"/search?page={MAX_PAGE}", f"/?page={MAX_PAGE}", f"/api/search?offset={MAX_OFFSET}"])
def test_the_largest_page_numbers_and_offsets_are_answered(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("page", "bound"), [
    ((10, 20), (10, 20)),
    ((SQLITE_MAX_INT, SQLITE_MAX_INT), (SQLITE_MAX_INT, SQLITE_MAX_INT)),
    ((2**64, 2**80), (SQLITE_MAX_INT, SQLITE_MAX_INT)),  # selects the same rows: no table holds 2**63 rows
])
def test_store_pages_are_bound_within_sqlites_integers(page: tuple[int, int], bound: tuple[int, int]) -> None:
    assert limit_clause(page) == (" LIMIT ? OFFSET ?", bound)


@pytest.mark.parametrize("page", [(-1, 0), (10, -1)])
def test_store_pages_refuse_negative_numbers(page: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="at least 0"):
        limit_clause(page)
