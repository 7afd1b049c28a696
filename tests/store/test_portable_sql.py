"""Store statements written in SQL both SQLite and PostgreSQL read (docs/store.md): what they return on SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, strategies as st

from storyline.models import Actor, Article, Mention, Quote, Span, TextAnnotations
from storyline.store import browse
from storyline.store.annotations import (
    _read_languages, actor_summaries, count_skipped, count_unannotated, iter_quotes, save_actors, save_annotations,
    skip_unread_languages, unannotated_articles, unannotated_exceed, unannotated_texts_by_date,
)
from storyline.store.articles import list_articles, save_article
from storyline.store.digest import actors_named
from storyline.store.db import is_postgres
from storyline.store.schema import connect
from storyline.store.versions import stored_urls
from storyline.store.watch import WatchPage, remember_page

MODEL = "m"
ACTORS = (Actor("person:ilona-maresh", "Ilona Maresh", "PERSON", ("Ilona Maresh", "Maresh")),
          Actor("org:port-authority", "Port Authority", "ORG", ("Port Authority", "the Authority")))
IDS = {"Ilona Maresh": "person:ilona-maresh", "Port Authority": "org:port-authority", "the Authority": "org:port-authority"}


def _article(conn: sqlite3.Connection, aid: str, text: str, *, language: str | None = None, published: str | None = None,
             outlet: str | None = None, duplicate_of: str | None = None) -> None:
    save_article(conn, Article(id=aid, source=f"{aid}.txt", text=text, raw_text=text, language=language, published=published,
                               outlet=outlet, duplicate_of=duplicate_of, ingested_at="2024-06-01T00:00:00+00:00"), b"", commit=False)


def _label(text: str, start: int = 0) -> Mention:
    return Mention(text, start, start + len(text), "label", "PERSON", "Ilona Maresh")


def _annotated(tmp_path: Path) -> sqlite3.Connection:
    """a1: Maresh named twice, labelled "the Minister" twice and "The minister" once, "an ally" once; a2: Maresh once, the
    Authority twice; quotes by "Ilona Maresh" (a1) and "the Authority" (a2)."""
    conn = connect(tmp_path / "s.db")
    _article(conn, "a1", "x" * 200)
    _article(conn, "a2", "y" * 200)
    save_actors(conn, ACTORS)
    maresh = Mention("Maresh", 0, 6, "name", "PERSON", "Ilona Maresh")
    authority = Mention("the Authority", 0, 13, "name", "ORG", "Port Authority")
    save_annotations(conn, "a1", TextAnnotations(
        mentions=(maresh, maresh, _label("the Minister", 10), _label("The minister", 30), _label("the Minister", 50), _label("an ally", 70)),
        quotes=(Quote("We will reopen.", 100, 115, True, Span("Maresh", 0, 6), "Ilona Maresh"),)), IDS, MODEL, "t")
    save_annotations(conn, "a2", TextAnnotations(
        mentions=(maresh, authority, authority),
        quotes=(Quote("Closed.", 100, 107, True, Span("the Authority", 0, 13), "the Authority"),)), IDS, MODEL, "t")
    conn.commit()
    return conn


def test_actor_summaries_count_mentions_and_articles_and_fold_labels_by_case(tmp_path: Path) -> None:
    conn = _annotated(tmp_path)
    maresh, authority = actor_summaries(conn)
    assert (maresh.id, maresh.name, maresh.type, maresh.mentions, maresh.articles) == ("person:ilona-maresh", "Ilona Maresh", "PERSON", 7, 2)
    assert maresh.variants == ("Ilona Maresh", "Maresh")
    assert maresh.labels == ("The minister", "an ally")  # one spelling per label, case aside: the one that sorts first
    assert (authority.mentions, authority.articles, authority.labels) == (2, 1, ())
    assert [a.id for a in actor_summaries(conn, limit=1)] == ["person:ilona-maresh"]
    assert [a.id for a in actor_summaries(conn, limit=-1)] == ["person:ilona-maresh", "org:port-authority"]  # negative: all
    assert [a.id for a in actor_summaries(conn, kind="ORG", limit=-1)] == ["org:port-authority"]


def test_the_speaker_filter_is_case_blind_on_name_actor_and_variant(tmp_path: Path) -> None:
    conn = _annotated(tmp_path)
    assert [q.id for q in iter_quotes(conn, speaker="ILONA")] == ["a1:q0"]  # the speaker's name (and the actor's)
    assert [q.id for q in iter_quotes(conn, speaker="port authority")] == ["a2:q0"]  # the actor's name only
    assert [q.id for q in iter_quotes(conn, speaker="THE AUTH")] == ["a2:q0"]  # a variant and the speaker's name
    assert [q.id for q in iter_quotes(conn, speaker="%")] == ["a1:q0", "a2:q0"]
    assert list(iter_quotes(conn, speaker="nobody")) == []


def test_actors_named_and_find_actor_ignore_case(tmp_path: Path) -> None:
    conn = _annotated(tmp_path)
    assert actors_named(conn, '"ILONA MARESH" and the AUTHORITY') == [("org:port-authority", "Port Authority"),
                                                                        ("person:ilona-maresh", "Ilona Maresh")]
    assert actors_named(conn, "maresh") == [("person:ilona-maresh", "Ilona Maresh")]
    assert actors_named(conn, "Marés") == []
    found = browse.find_actor(conn, "the authority")
    assert found is not None and found.id == "org:port-authority"
    found = browse.find_actor(conn, "PORT authority")
    assert found is not None and found.id == "org:port-authority"


def _pending(tmp_path: Path) -> sqlite3.Connection:
    conn = connect(tmp_path / "s.db")
    for i, (language, published) in enumerate([("en", "2024-03-01"), ("de", None), (None, "2024-01-01"), ("fr", "2024-02-01"), ("en", None)]):
        _article(conn, f"p{i}", "w" * (10 * (i + 1)), language=language, published=published)
    conn.commit()
    return conn


def test_unannotated_articles_pages_in_ingest_order(tmp_path: Path) -> None:
    conn = _pending(tmp_path)
    every = unannotated_articles(conn, MODEL)
    assert [p.id for p in every] == ["p0", "p1", "p2", "p3", "p4"]
    assert unannotated_articles(conn, MODEL, limit=-5) == every
    first = unannotated_articles(conn, MODEL, limit=2)
    assert [p.id for p in first] == ["p0", "p1"]
    assert [p.id for p in unannotated_articles(conn, MODEL, after=first[-1].rowid, limit=2)] == ["p2", "p3"]
    assert unannotated_articles(conn, MODEL, limit=0) == []
    assert list(unannotated_texts_by_date(conn, MODEL)) == ["w" * 30, "w" * 40, "w" * 10, "w" * 20, "w" * 50]
    assert count_unannotated(conn, MODEL) == 5 and count_unannotated(conn, "other") == 5


def test_unannotated_exceed_counts_each_text_up_to_the_cut(tmp_path: Path) -> None:
    conn = _pending(tmp_path)  # lengths 10, 20, 30, 40, 50
    assert unannotated_exceed(conn, MODEL, 1000, 149) and not unannotated_exceed(conn, MODEL, 1000, 150)
    assert unannotated_exceed(conn, MODEL, 25, 104) and not unannotated_exceed(conn, MODEL, 25, 105)  # 10 + 20 + 25 * 3


def test_skip_unread_languages_skips_and_forgets(tmp_path: Path) -> None:
    conn = _pending(tmp_path)
    skip_unread_languages(conn, MODEL, ["en", "fr"], "t1")
    assert [p.id for p in unannotated_articles(conn, MODEL)] == ["p0", "p2", "p3", "p4"]  # de skipped; unknown annotated
    assert count_skipped(conn, MODEL) == 1
    assert conn.execute("SELECT reason FROM annotation_skips").fetchone()[0] == "written in de; Storyline annotates en, fr"
    skip_unread_languages(conn, MODEL, ["en", "de"], "t2")  # de read now: forgotten; fr skipped
    assert [p.id for p in unannotated_articles(conn, MODEL)] == ["p0", "p1", "p2", "p4"]
    assert count_skipped(conn, MODEL) == 1 and count_unannotated(conn, "other") == 5
    skip_unread_languages(conn, MODEL, [], "t3")
    assert [p.id for p in unannotated_articles(conn, MODEL)] == ["p2"]


@given(st.lists(st.text(alphabet="ab,", max_size=3), max_size=4), st.text(alphabet="ab,", max_size=5))
def test_read_languages_holds_what_a_substring_test_on_the_joined_list_finds(languages: list[str], language: str) -> None:
    assert (language in _read_languages(languages)) == (f",{language}," in "," + ",".join(languages) + ",")


def test_list_articles_without_a_limit_lists_all(tmp_path: Path) -> None:
    conn = _pending(tmp_path)
    assert [a.id for a in list_articles(conn)] == ["p0", "p3", "p2", "p1", "p4"]
    assert [a.id for a in list_articles(conn, limit=2)] == ["p0", "p3"]


def test_activity_leaves_out_near_duplicates(store_url: str) -> None:
    conn = connect(store_url)
    _article(conn, "b1", "t", published="2024-05-01", outlet="A")
    _article(conn, "b2", "t", published="2024-05-01T10:00", outlet="A")
    _article(conn, "b3", "t", published="2024-05-01", outlet="B", duplicate_of="b1")
    _article(conn, "b4", "t", outlet=None)
    conn.commit()
    assert sorted(browse.activity(conn), key=repr) == sorted([("A", "2024-05-01", 2), (None, None, 1)], key=repr)
    assert browse.sqlite_unindexed(conn, "duplicate_of") == ("duplicate_of" if is_postgres(conn) else "+duplicate_of")


def test_remember_page_keeps_the_known_article_when_a_revisit_has_none(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    _article(conn, "w1", "t")
    remember_page(conn, WatchPage("https://x/1", "w1", "e1", None, "2024-06-09"), "2024-06-01")
    remember_page(conn, WatchPage("https://x/1", None, "e2", "lm", "2024-06-10"), "2024-06-02")
    assert [tuple(r) for r in conn.execute("SELECT article_id, etag, last_modified, first_fetched, last_fetched, revisit_until FROM watch_pages")] == [
        ("w1", "e2", "lm", "2024-06-01", "2024-06-02", "2024-06-09")]


def test_the_portable_least_is_what_sqlite_min_gives() -> None:
    least = "SELECT CASE WHEN ? IS NULL THEN NULL WHEN ? < ? THEN ? ELSE ? END"  # as in unannotated_exceed, cut never NULL
    conn = sqlite3.connect(":memory:")
    for a, b in [(None, 3), (2, 5), (5, 2), (4, 4), (0, 0)]:
        assert conn.execute(least, (a, a, b, a, b)).fetchone() == conn.execute("SELECT MIN(?, ?)", (a, b)).fetchone()


def test_stored_urls_take_http_sources_in_any_case(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    save_article(conn, Article(id="u1", source="HTTPS://Example.org/a", text="t", raw_text="t", ingested_at="t"), b"", commit=False)
    save_article(conn, Article(id="u2", source="notes/http.txt", text="t", raw_text="t", url="http://example.org/b", ingested_at="t"), b"",
                 commit=False)
    assert list(stored_urls(conn)) == [("HTTPS://Example.org/a", "u1"), ("http://example.org/b", "u2")]
