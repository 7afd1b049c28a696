"""store/tables.py: the SQLAlchemy schema is the SQLite store's, and it builds on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storyline.store import tables
from storyline.store.articles import search
from storyline.store.fulltext import fts_query
from storyline.store.schema import connect
from tests.pgserver import PostgresServer, unavailable_reason

_TYPES: dict[str, type[sa.types.TypeEngine[Any]]] = {
    "TEXT": sa.Text, "INTEGER": sa.Integer, "REAL": sa.Float, "BLOB": sa.LargeBinary,
}
_SQLITE_ONLY = "articles_fts"  # the FTS5 table and its shadow tables articles_fts_data, _idx, _docsize, _config


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """A fresh SQLite store with every migration applied."""
    conn = connect(tmp_path_factory.mktemp("tables") / "s.db")
    yield conn
    conn.close()


def _sqlite_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {name for (name,) in rows if not name.startswith(_SQLITE_ONLY)}


def _sa_default(column: sa.Column[Any]) -> str | None:
    """The column's DEFAULT as SQLite's table_info reports it ("'[]'", "0")."""
    default = column.server_default
    if default is None:
        return None
    assert isinstance(default, sa.DefaultClause)
    arg = default.arg
    return arg.text if isinstance(arg, sa.TextClause) else f"'{arg}'"


def test_every_table_of_the_store_is_declared(store: sqlite3.Connection) -> None:
    assert _sqlite_tables(store) == set(tables.metadata.tables)
    assert set(tables.__all__) >= set(tables.metadata.tables)
    for name in tables.metadata.tables:
        assert getattr(tables, name) is tables.metadata.tables[name]


@pytest.mark.parametrize("name", sorted(tables.metadata.tables))
def test_columns_match_the_store(store: sqlite3.Connection, name: str) -> None:
    table = tables.metadata.tables[name]
    info = store.execute(f"PRAGMA table_info('{name}')").fetchall()
    assert [r[1] for r in info] == [c.name for c in table.columns], "column names and order"
    for _, column, declared, notnull, default, pk in info:
        declared_as = table.c[column]
        assert isinstance(declared_as.type, _TYPES[declared]), f"{name}.{column}: {declared} vs {declared_as.type!r}"
        assert (bool(notnull) or pk > 0) == (not declared_as.nullable), f"{name}.{column}: NOT NULL"
        assert default == _sa_default(declared_as), f"{name}.{column}: DEFAULT"
    primary = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    assert primary == [c.name for c in table.primary_key.columns], "primary key"


@pytest.mark.parametrize("name", sorted(tables.metadata.tables))
def test_foreign_keys_match_the_store(store: sqlite3.Connection, name: str) -> None:
    table = tables.metadata.tables[name]
    rows = store.execute(f"PRAGMA foreign_key_list('{name}')").fetchall()
    in_store = {(r[3], r[2], r[4], r[6]) for r in rows}  # (from, table, to, on delete)
    declared = {(fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete or "NO ACTION") for fk in table.foreign_keys}
    assert declared == in_store


@pytest.mark.parametrize("name", sorted(tables.metadata.tables))
def test_indexes_match_the_store(store: sqlite3.Connection, name: str) -> None:
    table = tables.metadata.tables[name]
    in_store = {}
    for _, index, unique, origin, _partial in store.execute(f"PRAGMA index_list('{name}')").fetchall():
        if origin == "pk":
            continue  # the primary key, compared with the columns
        columns = tuple(r[2] for r in store.execute(f"PRAGMA index_info('{index}')"))
        in_store[index] = (columns, bool(unique))
    declared = {i.name: (tuple(c.name for c in i.columns), bool(i.unique)) for i in table.indexes}
    unique_constraints = {c.name for c in table.constraints if isinstance(c, sa.UniqueConstraint)}
    assert declared == in_store
    assert not unique_constraints  # none in the store (an UNIQUE would show here as origin 'u')


def test_create_all_on_sqlite_builds_a_store_without_full_text() -> None:
    engine = sa.create_engine("sqlite://")
    tables.metadata.create_all(engine)
    with engine.begin() as conn:
        assert set(sa.inspect(conn).get_table_names()) == set(tables.metadata.tables)
        assert "search" not in {c["name"] for c in sa.inspect(conn).get_columns("articles")}
        conn.execute(tables.articles.insert().values(id="a1", source="x.txt", text="The dam held.", raw_text="The dam held.",
                                                     ingested_at="2025-03-05T00:00:00+00:00"))
        row = conn.execute(sa.select(tables.articles.c.published_inferred, tables.articles.c.authors)).one()
    assert tuple(row) == (0, None)


def test_create_all_on_postgresql_and_search_by_tsvector(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    tables.metadata.create_all(engine)
    try:
        inspector = sa.inspect(engine)
        assert set(inspector.get_table_names()) == set(tables.metadata.tables)
        assert "articles_search" in {i["name"] for i in inspector.get_indexes("articles")}
        with engine.begin() as conn:
            conn.execute(tables.articles.insert(), [
                {"id": "a1", "source": "x.txt", "title": "Café owners protest", "text": "The harbour dam held overnight, officials said.",
                 "raw_text": "", "ingested_at": "2025-03-05T00:00:00+00:00"},
                {"id": "a2", "source": "y.txt", "title": "Ferry", "text": "Officials said the ferry left the harbour.",
                 "raw_text": "", "ingested_at": "2025-03-05T00:00:00+00:00"},
            ])
            found: dict[tuple[str, str], list[str]] = {}
            for parse in ("plainto_tsquery", "websearch_to_tsquery", "phraseto_tsquery"):
                for words in ("dam held", "harbour dam", '"harbour dam"', "cafe", "CAFÉ owners", "officials said"):
                    query = getattr(sa.func, parse)(tables.SEARCH_CONFIG, words)
                    ids: sa.ScalarResult[str] = conn.execute(sa.select(tables.articles.c.id).where(tables.search_vector().op("@@")(query))
                                       .order_by(tables.articles.c.id)).scalars()
                    found[parse, words] = list(ids)
        assert found["plainto_tsquery", "dam held"] == found["websearch_to_tsquery", '"harbour dam"'] == ["a1"]
        assert found["plainto_tsquery", "cafe"] == found["plainto_tsquery", "CAFÉ owners"] == ["a1"]  # accents folded
        assert found["websearch_to_tsquery", "officials said"] == ["a1", "a2"]
        assert found["phraseto_tsquery", "dam held"] == ["a1"] and found["phraseto_tsquery", "harbour dam"] == ["a1"]
    finally:
        tables.metadata.drop_all(engine)
        engine.dispose()


_CORPUS = {  # id: (title, text)
    "a1": ("Café owners protest", "The harbour dam held overnight, officials said. Costs reached 3.5 million."),
    "a2": ("Ferry", "Officials said the ferry left the harbour. The U.S.-led talks resume in Zürich."),
    "a3": (None, "See https://example.org/dam_report or write to press@example.org; the ceasefire-talks stalled."),
    "a4": ("Dam", "Held back: no comment from the harbour master's office."),
}
_QUERIES = [
    "dam", "dam held", '"dam held"', '"harbour dam"', "cafe", "CAFÉ", "zurich", "officials said", '"said the ferry"',
    "3.5", "3.5 million", "U.S.", "u s led", "example.org", "dam_report", "ceasefire-talks", "press", "harbour master's",
    '"held back" comment', "AND OR NOT", "-dam", "dam*", "master NEAR office", "nothing-here",
]


def _fts_strings(query: str) -> list[str]:
    """The FTS5 strings of ``fts_query(query)`` ("a" "b c" -> ["a", "b c"])."""
    return [part.replace('""', '"') for part in re.findall(r'"((?:[^"]|"")*)"', fts_query(query))]


def test_postgresql_search_finds_what_fts5_finds(tmp_path: Path, postgres_url: str) -> None:
    """The documented query syntax (all words, "quoted phrases", operators read as words) finds the same articles."""
    lite = connect(tmp_path / "s.db")
    engine = sa.create_engine(postgres_url)
    tables.metadata.create_all(engine)
    rows = [{"id": k, "source": k, "title": t, "text": x, "raw_text": x, "ingested_at": "2025-03-05"} for k, (t, x) in _CORPUS.items()]
    try:
        lite.executemany("INSERT INTO articles (id, source, title, text, raw_text, ingested_at)"
                         " VALUES (:id, :source, :title, :text, :raw_text, :ingested_at)", rows)
        with engine.begin() as conn:
            conn.execute(tables.articles.insert(), rows)
            for query in _QUERIES:
                strings = _fts_strings(query)
                tsquery = tables.phrase_query(strings[0])
                for more in strings[1:]:
                    tsquery = tsquery.op("&&")(tables.phrase_query(more))
                found: set[str] = set(conn.execute(sa.select(tables.articles.c.id).where(tables.search_vector().op("@@")(tsquery))).scalars())
                assert found == {hit.id for hit in search(lite, query, limit=50)}, query
        assert {hit.id for hit in search(lite, "dam held")} == {"a1", "a4"}  # the check can fail: it finds something
    finally:
        lite.close()
        tables.metadata.drop_all(engine)
        engine.dispose()


def test_throwaway_server_stops_and_leaves_nothing() -> None:
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"no throwaway PostgreSQL: {reason}")
    import psycopg

    server = PostgresServer.start()
    try:
        with psycopg.connect(server.dsn, connect_timeout=5) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        server.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.dsn, connect_timeout=5)
    assert not Path(server.root).exists()
