"""Shared fixtures: paths to ../shared (read, never copied), a fresh database, a throwaway PostgreSQL server."""

from __future__ import annotations

import importlib.util
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from storyline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def load_eval_script(name: str) -> ModuleType:
    """Import ``eval/<name>.py`` (the evaluation scripts are not a package) as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, REPO / "eval" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def seed_path(prefix: str) -> Path:
    """Return the seed file whose name starts with ``prefix`` (e.g. "001")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at an empty database in a temporary folder."""
    return Settings(db=str(tmp_path / "test.db"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus ingested, annotated and linked once per test session (read it, never write it)."""
    from storyline.flow import ingest

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    ingest([str(REPO / "demo" / "corpus")], Settings(db=str(path), workers=1))
    return path


@pytest.fixture(scope="session")
def hostile_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database plus tests/data/web's hostile articles (script tags, event handlers, javascript: links)."""
    import shutil

    from storyline.flow import ingest

    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    shutil.copyfile(demo_db, path)
    ingest([str(DATA / "web" / "hostile-article.html"), str(DATA / "web" / "hostile-wire.json")], Settings(db=str(path), workers=1))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server for the session (tests/pgserver.py): yields its SQLAlchemy URL
    (``postgresql+psycopg://postgres@127.0.0.1:PORT/testdb``); skips where it cannot run (not root, not
    installed: `make postgresql`). The server is stopped and its folder removed after the session."""
    from tests.pgserver import PostgresServer, unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"no throwaway PostgreSQL: {reason}")
    server = PostgresServer.start()
    try:
        yield server.url
    finally:
        server.stop()
    with socket.socket() as sock:  # stopped means stopped: nothing answers on its port any more
        assert sock.connect_ex(("127.0.0.1", server.port)) != 0, f"PostgreSQL still listens on port {server.port}"


@pytest.fixture(scope="session")
def pg_template(postgres_url: str) -> str:
    """A database holding an empty, current Storyline store, which :func:`pg_store` copies (``CREATE DATABASE ... TEMPLATE``
    takes milliseconds, creating the tables a second)."""
    from storyline.store.schema import connect

    _admin(postgres_url, "CREATE DATABASE storyline_template")
    connect(_database(postgres_url, "storyline_template")).close()
    return "storyline_template"


@pytest.fixture
def pg_store(postgres_url: str, pg_template: str) -> Iterator[str]:
    """The URL of a new PostgreSQL store, current and empty, dropped after the test."""
    import uuid

    name = f"store_{uuid.uuid4().hex[:12]}"
    _admin(postgres_url, f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield _database(postgres_url, name)
    _admin(postgres_url, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store on each backend in turn: the path of a SQLite file, then the URL of a PostgreSQL database
    (store tests and CLI tests take it, so both backends run the same test)."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return str(request.getfixturevalue("pg_store"))


@pytest.fixture(scope="session")
def demo_pg(postgres_url: str) -> str:
    """The demo corpus ingested, annotated and linked once per session into a PostgreSQL store (read it, never write it)."""
    from storyline.flow import ingest

    _admin(postgres_url, "CREATE DATABASE storyline_demo")
    url = _database(postgres_url, "storyline_demo")
    ingest([str(REPO / "demo" / "corpus")], Settings(db=url, workers=1))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_store(request: pytest.FixtureRequest) -> str:
    """The demo store on each backend in turn (:func:`demo_db`, :func:`demo_pg`): a path or a URL."""
    return str(request.getfixturevalue("demo_db" if request.param == "sqlite" else "demo_pg"))


def _database(url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``url`` (libpq form: ``postgresql://``)."""
    return url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/" + name


def _admin(url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on the server of ``url``."""
    import psycopg

    with psycopg.connect(_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]  # test-made names, not input


def report_of(db: Path | str, out: Path) -> Path:
    """Write the static report of the database ``db`` into ``out`` and return ``out``."""
    from storyline.report.writer import write_report
    from storyline.store.schema import connect

    conn = connect(db, readonly=True)
    try:
        write_report(conn, out)
    finally:
        conn.close()
    return out
