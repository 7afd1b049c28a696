"""The store on both backends: schema version, migrations, full text, plain readable tables; SQLite's WAL; PostgreSQL's URLs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from storyline.errors import StoreError
from storyline.models import Article, Evidence, Removal
from storyline.store.articles import load_article, save_article, search, update_cleaning
from storyline.store.migrations import MIGRATIONS
from storyline.store.schema import SCHEMA_VERSION, connect, schema_version


def _article(text: str = "The ferry crossed the strait at dawn, the harbour master said.") -> Article:
    return Article(
        id="a1b2c3d4e5f60718", source="x.txt", text=text, raw_text="Trending\n" + text, title="Dawn ferry",
        outlet="Harbour Ledger", published="2025-03-04", published_inferred=True,
        published_range=("2025-03-04", None), removed=(Removal("Trending", "navigation or section label", 0, 8),),
        evidence=(Evidence("published", "2025-03-04", "dateline", "March 4, 2025", 0, 13),), ingested_at="2025-03-05T00:00:00+00:00",
    )


def test_new_database_is_wal_and_current(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema_version(conn) == SCHEMA_VERSION == len(MIGRATIONS)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"articles", "removals", "evidence", "sources", "signatures", "articles_fts"} <= tables


def test_new_postgresql_store_is_current_with_views_triggers_and_rowids(pg_store: str) -> None:
    conn = connect(pg_store)
    assert schema_version(conn) == SCHEMA_VERSION
    names = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    assert {"articles", "quotes_with_article", "story_articles", "storyline_schema"} <= names
    assert {r[0] for r in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")} == {
        "link_docs_ad", "claim_vectors_ad", "story_members_ad"}
    from dataclasses import replace
    save_article(conn, replace(_article(), id="ffffffffffffffff"), b"")
    save_article(conn, _article(), b"")
    conn.commit()
    assert [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")] == ["ffffffffffffffff", _article().id]


def test_save_load_round_trip_and_plain_sql(store_url: str) -> None:
    conn = connect(store_url)
    article = _article()
    assert save_article(conn, article, b"\x00" * 8)
    assert not save_article(conn, article, b"\x00" * 8)  # same id: nothing changes
    conn.commit()
    assert load_article(conn, article.id) == article
    assert load_article(conn, article.id[:6]) == article  # unique prefix
    plain = _plain(store_url)  # readable without Storyline
    assert plain.execute("SELECT outlet, published FROM articles").fetchall() == [("Harbour Ledger", "2025-03-04")]
    assert plain.execute('SELECT reason FROM removals').fetchall() == [("navigation or section label",)]
    plain.close()


def _plain(target: str) -> sqlite3.Connection | psycopg.Connection[tuple[object, ...]]:
    """The store's driver itself, without Storyline."""
    if target.startswith("postgresql://"):
        return psycopg.connect(target)
    return sqlite3.connect(target)


def test_fts_follows_updates(store_url: str) -> None:
    conn = connect(store_url)
    article = _article()
    save_article(conn, article, b"")
    assert [h.id for h in search(conn, "harbour master")] == [article.id]
    assert "\x02" in search(conn, '"harbour master"')[0].snippet
    from dataclasses import replace
    update_cleaning(conn, replace(article, text="A different text about grain."))
    assert search(conn, "harbour master") == []
    assert [h.id for h in search(conn, "grain")] == [article.id]


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "col:on", "*", "(", "NEAR("])
def test_search_never_raises_on_user_syntax(store_url: str, query: str) -> None:
    conn = connect(store_url)
    save_article(conn, _article(), b"")
    assert isinstance(search(conn, query), list)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    connect(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        connect(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        connect(path)


@pytest.mark.parametrize(("url", "says"), [
    ("postgresql://news:secret@db.invalid/story", "postgresql://news:\\*\\*\\*@db.invalid/story: cannot connect to PostgreSQL"),
    ("postgresql+psycopg://u@127.0.0.1:1/x", "cannot connect to PostgreSQL"),
    ("mysql://u@h/d", "not a database Storyline can open")])
def test_a_database_url_is_never_taken_for_a_file_name(url: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for readonly in (False, True):
        with pytest.raises(StoreError, match=says) as raised:
            connect(url, readonly=readonly)
        assert "secret" not in str(raised.value)  # a password is never printed
    assert not list(tmp_path.iterdir())  # no file called "postgresql:" left behind


def test_a_postgresql_database_without_storyline_tables_is_refused_read_only(postgres_url: str) -> None:
    url = postgres_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with pytest.raises(StoreError, match="no Storyline tables in this database"):
        connect(url, readonly=True)


def test_a_newer_postgresql_store_is_refused(pg_store: str) -> None:
    with psycopg.connect(pg_store, autocommit=True) as raw:
        raw.execute("UPDATE storyline_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer"):
        connect(pg_store)
