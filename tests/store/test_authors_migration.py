"""Schema version 12: `articles.authors` is a JSON list; older bylines become one-name lists, and an old
database read without migrating reads the same."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storyline.models import Article
from storyline.store.articles import iter_articles, load_article, save_article
from storyline.store.links import band_key
from storyline.store.migrations import MIGRATIONS
from storyline.store.schema import connect, schema_version


def _version_11(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.create_function("storyline_band_key", 2, band_key)  # used by version 9
        for script in MIGRATIONS[:11]:
            raw.executescript(script)
        raw.execute("PRAGMA user_version = 11")
        raw.executemany("INSERT INTO articles (id, source, text, raw_text, ingested_at, author) VALUES (?, ?, 't', 't', 'now', ?)",
                        [("a1", "a.txt", "Ana Brel, Ivo Bratt"), ("a2", "b.txt", None), ("a3", "c.txt", "")])


def test_an_old_byline_becomes_a_one_name_list(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _version_11(path)
    old = connect(path, readonly=True)  # not migrated: read as the migration would write it
    assert [a.authors for a in iter_articles(old)] == [("Ana Brel, Ivo Bratt",), (), ()]
    assert load_article(old, "a1").authors == ("Ana Brel, Ivo Bratt",)  # type: ignore[union-attr]
    old.close()
    conn = connect(path)
    assert schema_version(conn) == len(MIGRATIONS)
    assert [json.loads(r[0]) for r in conn.execute("SELECT authors FROM articles ORDER BY id")] == [["Ana Brel, Ivo Bratt"], [], []]
    assert [a.authors for a in iter_articles(conn)] == [("Ana Brel, Ivo Bratt",), (), ()]


def test_authors_round_trip(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    article = Article(id="b1", source="x.txt", text="t", raw_text="t", authors=("Ana Brel", "Zoë Ćirić"), ingested_at="now")
    save_article(conn, article, b"")
    assert load_article(conn, "b1") == article
    assert conn.execute("SELECT authors FROM articles").fetchone()[0] == '["Ana Brel", "Zoë Ćirić"]'
