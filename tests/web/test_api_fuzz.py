"""Property tests: whatever the request line, no route of the web app answers 5xx.

Two generators, over an app on a copy of the demo store:

1. schemathesis reads ``/openapi.json`` and sends requests that fit the description (positive)
   and requests that break it (negative: wrong types, out-of-range numbers, missing values) to
   every API operation;
2. Hypothesis sends GET, HEAD and OPTIONS with arbitrary query strings (the route's own
   parameter names with any value, huge and negative numbers included, unknown names, stray
   ``%`` escapes) and arbitrary path parameters to every GET route: the API's and those the
   description leaves out (the HTML pages, ``/api``, ``/docs``, ``/redoc``, the static files).

``STORYLINE_FUZZ_EXAMPLES`` sets the examples per generator (default :data:`DEFAULT_EXAMPLES`,
under twenty seconds); a longer campaign: ``STORYLINE_FUZZ_EXAMPLES=20000 pytest tests/web/test_api_fuzz.py``.
The requests tried and the 5xx answers are printed and written to ``test-artifacts/api-fuzz.json``.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from starlette.routing import Mount, Route

from storyline.settings import Settings
from storyline.web.api import api_router
from storyline.web.app import create_app
from .conftest import copy_store

DEFAULT_EXAMPLES = 500
EXAMPLES = int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
RECORD = Path(__file__).resolve().parents[2] / "test-artifacts" / "api-fuzz.json"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])

NUMBERS = ["", "0", "-1", "1", "1000", "1001", "1000000000", "1000000001", "9223372036854775807", "9223372036854775808",
           "18446744073709551616", "99999999999999999999999", "-9223372036854775809", "1e309", "NaN", "0x10", "9" * 5000]
"""Values on and around every bound (ours, SQLite's int64, Python's sys.maxsize) and non-numbers that look like numbers."""


@dataclass
class Tally:
    """Requests sent by one generator and the ones answered 5xx (or that raised)."""

    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, status: int, request: str) -> None:
        """Count one answered request; keep it when it was a server error."""
        self.requests += 1
        if status >= 500:
            self.failures.append(f"{status} {request}"[:400])


@pytest.fixture(scope="module")
def app(web_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The app over a copy of the demo store, on each backend."""
    for db in copy_store(web_store, tmp_path_factory.mktemp("fuzz")):
        yield create_app(Settings(db=db, workers=1))


@pytest.fixture(scope="module")
def tallies(request: pytest.FixtureRequest) -> Iterator[dict[str, Tally]]:
    """One tally per generator; at the end of the module, print the totals and write them to :data:`RECORD`."""
    found: dict[str, Tally] = {}
    yield found
    record = {"examples_per_generator": EXAMPLES, "requests": sum(t.requests for t in found.values()),
              "server_errors": sum(len(t.failures) for t in found.values()),
              "generators": {name: {"requests": t.requests, "server_errors": len(t.failures)} for name, t in found.items()}}
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    RECORD.write_text(json.dumps(record, indent=2) + "\n")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\napi fuzz: {record['requests']:,} requests tried, {record['server_errors']} answered 5xx "
              f"({EXAMPLES} examples per generator; STORYLINE_FUZZ_EXAMPLES to change) -> {RECORD}")


def _report(tally: Tally) -> str:
    return f"{len(tally.failures)} of {tally.requests} requests answered 5xx:\n" + "\n".join(tally.failures[:20])


def test_no_api_operation_answers_5xx(app: FastAPI, tallies: dict[str, Tally]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    tally = tallies.setdefault("openapi", Tally())
    cases = st.one_of([op.as_strategy(generation_mode=mode) for op in operations for mode in GenerationMode])

    @FUZZ
    @given(case=cases)
    def send(case: schemathesis.Case) -> None:
        request = case.as_curl_command()
        try:
            status = case.call().status_code
        except Exception as exc:  # the ASGI transport re-raises what the app raised: a 500 to a real client
            status, request = 500, f"{request}  # raised {type(exc).__name__}: {exc}"
        tally.check(status, request)

    send()
    assert not tally.failures, _report(tally)


def _get_routes(app: FastAPI) -> list[tuple[str, list[str]]]:
    """Return (path template, query parameter names) for every GET route and mount: the app's own and the API router's."""
    routes: list[tuple[str, list[str]]] = []
    for route in [*app.routes, *api_router.routes]:  # the app lists the API router as one opaque entry
        if isinstance(route, Mount):
            routes.append((route.path + "/{file:path}", []))
        elif isinstance(route, Route) and "GET" in (route.methods or ()):
            names = [p.alias for p in route.dependant.query_params] if isinstance(route, APIRoute) else []
            routes.append((route.path, names))
    return routes


def _query(names: list[str]) -> st.SearchStrategy[str]:
    """A query string: the route's own names and unknown ones, with any value, encoded or raw."""
    value = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), st.text(max_size=40))
    pairs = st.lists(st.tuples(st.sampled_from(names) | st.text(max_size=12) if names else st.text(max_size=12), value), max_size=6)
    raw = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="#"), max_size=60)
    return st.one_of(pairs.map(urllib.parse.urlencode), raw)


def _url(path: str) -> st.SearchStrategy[str]:
    """A path for the template ``path``: each {parameter} filled with arbitrary (quoted) text."""
    pieces = path.replace("{", "}").split("}")
    literal, params = pieces[0::2], pieces[1::2]
    filled = st.tuples(*[st.text(min_size=1, max_size=30).map(lambda s: urllib.parse.quote(s, safe="/:")) for _ in params])
    return filled.map(lambda values: "".join(lit + val for lit, val in zip(literal, [*values, ""])))


def test_no_route_answers_5xx_for_any_query_string(app: FastAPI, tallies: dict[str, Tally]) -> None:
    routes = _get_routes(app)
    assert {"/", "/search", "/ingest", "/api", "/docs", "/api/search", "/api/timeline"} <= {path for path, _ in routes}
    requests = st.one_of([st.tuples(st.sampled_from(["GET", "HEAD", "OPTIONS"]), _url(path), _query(names)) for path, names in routes])
    tally = tallies.setdefault("pages", Tally())
    client = TestClient(app, raise_server_exceptions=False)

    @FUZZ
    @given(request=requests)
    def send(request: tuple[str, str, str]) -> None:
        method, path, query = request
        response = client.request(method, f"{path}?{query}" if query else path)
        tally.check(response.status_code, f"{method} {path}?{query}")
        if method == "HEAD" and response.content:
            tally.failures.append(f"HEAD {path}?{query} answered with a body")

    send()
    assert not tally.failures, _report(tally)
