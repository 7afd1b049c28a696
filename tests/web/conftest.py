"""Web-test fixtures: the app in-process (``client``), Debian's Chromium for pytest-playwright, the app on 127.0.0.1, screenshots.

For the browser tests the app runs on uvicorn in a background thread, bound to a free port on 127.0.0.1, once per
session for each database: a copy of the demo store (the ingest tests write to it), the
hostile store (read only) and a copy of the demo store behind a small upload cap. Every
browser test leaves a full-page screenshot in ``test-artifacts/screenshots/<test name>.png``.
"""

from __future__ import annotations

import gc
import os
import re
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.store.db import is_url
from storyline.web.app import create_app
from tests.conftest import _admin, _database

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SMALL_CAP = 50_000
"""max_bytes of the ``capped_server`` fixture's app."""


def _chromium() -> str:
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    return "/usr/lib/chromium/chromium" if Path("/usr/lib/chromium/chromium").exists() else "/usr/bin/chromium"


CHROMIUM = _chromium()
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Launch Debian's Chromium (CHROMIUM_PATH overrides); fail loudly when it is missing."""
    if not Path(CHROMIUM).exists():
        message = (f"Chromium not found at {CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH; "
                   "set STORYLINE_SKIP_BROWSER=1 to skip the browser tests instead")
        if os.environ.get("STORYLINE_SKIP_BROWSER") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROME_ARGS}


def copy_db(source: Path, target: Path) -> Path:
    """Copy a SQLite store with the backup API (safe even if it has a WAL) and return the copy's path."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def copy_store(source: Path | str, folder: Path) -> Iterator[str]:
    """Yield a writable copy of the store ``source`` (a SQLite file: a backup into ``folder``; a PostgreSQL URL: a new
    database made with ``source`` as its template, dropped afterwards)."""
    if not is_url(str(source)):
        yield str(copy_db(Path(source), folder / Path(source).name))
        return
    url = str(source)
    name = f"copy_{uuid.uuid4().hex[:12]}"
    for attempt in range(100):  # a template must have no other session: a connection a test left to the garbage collector
        try:
            _admin(url, f"CREATE DATABASE {name} TEMPLATE {url.rsplit('/', 1)[1]}")
            break
        except psycopg.errors.ObjectInUse:
            if attempt == 99:
                raise
            gc.collect()
            time.sleep(0.1)
    yield _database(url, name)
    _admin(url, f"DROP DATABASE {name} WITH (FORCE)")


STORE_INDEPENDENT = pytest.mark.parametrize("web_store", ["sqlite"], indirect=True)
"""Marks a test of :func:`client` that checks what the app answers before it reads the store (methods, parameter
validation, the OpenAPI schema): it runs on SQLite only, not once per backend."""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_store(request: pytest.FixtureRequest) -> str:
    """The demo store on each backend (read it, never write it), for the module-scoped app of :func:`client`."""
    return str(request.getfixturevalue("demo_db" if request.param == "sqlite" else "demo_pg"))


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _serve(settings: Settings) -> Iterator[str]:
    """Run the app for ``settings`` on a free port of 127.0.0.1; yield its base URL; stop it afterwards."""
    sock = _free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="storyline-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/api", timeout=2).status_code < 500:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the test server on {base} did not answer within 30 s")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def demo_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app over a copy of the demo store (tests may ingest into it)."""
    db = copy_db(demo_db, tmp_path_factory.mktemp("web-demo") / "demo.db")
    yield from _serve(Settings(db=str(db), workers=1))


@pytest.fixture(scope="session")
def hostile_server(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app over a copy of the hostile store."""
    db = copy_db(hostile_db, tmp_path_factory.mktemp("web-hostile") / "hostile.db")
    yield from _serve(Settings(db=str(db), workers=1))


@pytest.fixture(scope="session")
def capped_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo store served by ``capped_server``."""
    return copy_db(demo_db, tmp_path_factory.mktemp("web-capped") / "capped.db")


@pytest.fixture(scope="session")
def capped_server(capped_db: Path) -> Iterator[str]:
    """Base URL of the app over ``capped_db`` with ``max_bytes`` = :data:`SMALL_CAP`."""
    yield from _serve(Settings(db=str(capped_db), max_bytes=SMALL_CAP, workers=1))


@pytest.fixture(scope="module")
def client(web_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app in-process over a copy of the demo store on each backend (:func:`web_store`), with ``max_bytes`` =
    20,000 (one per test module and backend)."""
    for db in copy_store(web_store, tmp_path_factory.mktemp("app")):
        with TestClient(create_app(Settings(db=db, max_bytes=20_000))) as c:
            yield c


def _file_name(node_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", node_name).strip("_")[:150]


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Return ``shoot(page, label="")``: save a full-page screenshot named after the test (and label)."""

    def shoot(page: object, label: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_file_name(request.node.name)}{'-' + _file_name(label) if label else ''}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return shoot


@pytest.fixture(autouse=True)
def _screenshot_after(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses pytest-playwright's ``page`` leaves a screenshot of where it ended, pass or fail."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    shoot = request.getfixturevalue("screenshot")
    yield
    try:
        if not page.is_closed():
            shoot(page)
    except Exception as exc:  # a screenshot that fails must not hide the test's own result
        print(f"screenshot failed: {exc}")
