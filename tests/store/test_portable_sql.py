"""Store statements written in SQL both SQLite and PostgreSQL read (docs/store.md): they return the same on both."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
from hypothesis import given, strategies as st

from storyline.models import Actor, Article, Attribution, Mention, Quote, Span, TextAnnotations
from storyline.store import browse
from storyline.store.annotations import (
    _read_languages, actor_summaries, count_skipped, count_unannotated, iter_attributions, iter_mentions, iter_quotes, load_actors,
    save_actors, save_annotations, skip_unread_languages, unannotated_articles, unannotated_exceed, unannotated_texts_by_date,
)
from storyline.link.groups import iter_claim_groups
from storyline.store.articles import iter_articles, list_articles, load_article, save_article
from storyline.store.claims import SqliteClaimBackend, article_claims, iter_group_appearances, related_groups
from storyline.store.corpus import repeated_outlet_lines
from storyline.store.framing import iter_framing
from storyline.store.heads import article_heads
from storyline.store.links import SqliteLinkBackend, iter_stories, iter_threads, story_actor_names, story_articles
from storyline.store.times import iter_events, iter_time_expressions
from storyline.store.digest import actors_named
from storyline.store.db import Connection, is_postgres
from storyline.store.pg import PgRow
from storyline.store.schema import connect
from storyline.store.sync import signatures_since
from storyline.store.versions import stored_urls
from storyline.store.watch import WatchPage, remember_page

MODEL = "m"
ACTORS = (Actor("person:ilona-maresh", "Ilona Maresh", "PERSON", ("Ilona Maresh", "Maresh")),
          Actor("org:port-authority", "Port Authority", "ORG", ("Port Authority", "the Authority")))
IDS = {"Ilona Maresh": "person:ilona-maresh", "Port Authority": "org:port-authority", "the Authority": "org:port-authority"}


def _article(conn: Connection, aid: str, text: str, *, language: str | None = None, published: str | None = None,
             outlet: str | None = None, duplicate_of: str | None = None) -> None:
    save_article(conn, Article(id=aid, source=f"{aid}.txt", text=text, raw_text=text, language=language, published=published,
                               outlet=outlet, duplicate_of=duplicate_of, ingested_at="2024-06-01T00:00:00+00:00"), b"", commit=False)


def _label(text: str, start: int = 0) -> Mention:
    return Mention(text, start, start + len(text), "label", "PERSON", "Ilona Maresh")


def _annotated(store_url: str) -> Connection:
    """a1: Maresh named twice, labelled "the Minister" twice and "The minister" once, "an ally" once; a2: Maresh once, the
    Authority twice; quotes by "Ilona Maresh" (a1) and "the Authority" (a2)."""
    conn = connect(store_url)
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


def test_actor_summaries_count_mentions_and_articles_and_fold_labels_by_case(store_url: str) -> None:
    conn = _annotated(store_url)
    maresh, authority = actor_summaries(conn)
    assert (maresh.id, maresh.name, maresh.type, maresh.mentions, maresh.articles) == ("person:ilona-maresh", "Ilona Maresh", "PERSON", 7, 2)
    assert maresh.variants == ("Ilona Maresh", "Maresh")
    assert maresh.labels == ("The minister", "an ally")  # one spelling per label, case aside: the one that sorts first
    assert (authority.mentions, authority.articles, authority.labels) == (2, 1, ())
    assert [a.id for a in actor_summaries(conn, limit=1)] == ["person:ilona-maresh"]
    assert [a.id for a in actor_summaries(conn, limit=-1)] == ["person:ilona-maresh", "org:port-authority"]  # negative: all
    assert [a.id for a in actor_summaries(conn, kind="ORG", limit=-1)] == ["org:port-authority"]


def test_the_speaker_filter_is_case_blind_on_name_actor_and_variant(store_url: str) -> None:
    conn = _annotated(store_url)
    assert [q.id for q in iter_quotes(conn, speaker="ILONA")] == ["a1:q0"]  # the speaker's name (and the actor's)
    assert [q.id for q in iter_quotes(conn, speaker="port authority")] == ["a2:q0"]  # the actor's name only
    assert [q.id for q in iter_quotes(conn, speaker="THE AUTH")] == ["a2:q0"]  # a variant and the speaker's name
    assert [q.id for q in iter_quotes(conn, speaker="%")] == ["a1:q0", "a2:q0"]
    assert list(iter_quotes(conn, speaker="nobody")) == []


def test_actors_named_and_find_actor_ignore_case(store_url: str) -> None:
    conn = _annotated(store_url)
    assert actors_named(conn, '"ILONA MARESH" and the AUTHORITY') == [("org:port-authority", "Port Authority"),
                                                                        ("person:ilona-maresh", "Ilona Maresh")]
    assert actors_named(conn, "maresh") == [("person:ilona-maresh", "Ilona Maresh")]
    assert actors_named(conn, "Marés") == []
    found = browse.find_actor(conn, "the authority")
    assert found is not None and found.id == "org:port-authority"
    found = browse.find_actor(conn, "PORT authority")
    assert found is not None and found.id == "org:port-authority"


def test_quotes_and_attributions_at_one_place_come_in_the_order_stored(store_url: str) -> None:
    """Readings that start at one place keep their stored order (SQLite's, by its index; PostgreSQL's only when asked)."""
    conn = connect(store_url)
    for aid in ("a2", "a1"):  # stored out of order, so that the rows must be sorted (an ordered input is kept as it is)
        _article(conn, aid, "x" * 200)
        save_annotations(conn, aid, TextAnnotations(
            quotes=tuple(Quote(f"q{i}", 5 + i % 2, 6 + i, True) for i in range(40)),
            attributions=tuple(Attribution(Span(f"c{i}", 5 + i % 2, 6 + i), None, "anonymous") for i in range(40))), {}, MODEL, "t")
    conn.commit()
    stored = [f"q{i}" for i in range(0, 40, 2)] + [f"q{i}" for i in range(1, 40, 2)]
    assert [q.quote.text for q in iter_quotes(conn)] == stored * 2
    assert [q.quote.text for q in iter_quotes(conn, article_id="a1", page=(3, 9))] == stored[9:12]
    assert [a.attribution.content.text for a in iter_attributions(conn)] == [c.replace("q", "c") for c in stored] * 2


def test_actor_labels_used_equally_often_come_in_the_order_sqlite_always_gave(store_url: str) -> None:
    """Most used first; among labels used equally often, the later words first (the order SQLite's sorter gave them)."""
    conn = connect(store_url)
    _article(conn, "a1", "x" * 200)
    save_actors(conn, ACTORS[:1])
    labels = ["the envoy", "The Envoy", "a minister", "A Minister", "an aide", "the official", "her deputy", "the mayor"]
    save_annotations(conn, "a1", TextAnnotations(mentions=tuple(_label(t, 10 * i) for i, t in enumerate(labels))), IDS, MODEL, "t")
    conn.commit()
    (maresh,) = actor_summaries(conn)
    assert maresh.labels == ("The Envoy", "A Minister", "the official", "the mayor", "her deputy", "an aide")


def _pending(store_url: str) -> Connection:
    conn = connect(store_url)
    for i, (language, published) in enumerate([("en", "2024-03-01"), ("de", None), (None, "2024-01-01"), ("fr", "2024-02-01"), ("en", None)]):
        _article(conn, f"p{i}", "w" * (10 * (i + 1)), language=language, published=published)
    conn.commit()
    return conn


def test_unannotated_articles_pages_in_ingest_order(store_url: str) -> None:
    conn = _pending(store_url)
    every = unannotated_articles(conn, MODEL)
    assert [p.id for p in every] == ["p0", "p1", "p2", "p3", "p4"]
    assert unannotated_articles(conn, MODEL, limit=-5) == every
    first = unannotated_articles(conn, MODEL, limit=2)
    assert [p.id for p in first] == ["p0", "p1"]
    assert [p.id for p in unannotated_articles(conn, MODEL, after=first[-1].rowid, limit=2)] == ["p2", "p3"]
    assert unannotated_articles(conn, MODEL, limit=0) == []
    assert list(unannotated_texts_by_date(conn, MODEL)) == ["w" * 30, "w" * 40, "w" * 10, "w" * 20, "w" * 50]
    assert count_unannotated(conn, MODEL) == 5 and count_unannotated(conn, "other") == 5


def test_unannotated_exceed_counts_each_text_up_to_the_cut(store_url: str) -> None:
    conn = _pending(store_url)  # lengths 10, 20, 30, 40, 50
    assert unannotated_exceed(conn, MODEL, 1000, 149) and not unannotated_exceed(conn, MODEL, 1000, 150)
    assert unannotated_exceed(conn, MODEL, 25, 104) and not unannotated_exceed(conn, MODEL, 25, 105)  # 10 + 20 + 25 * 3


def test_skip_unread_languages_skips_and_forgets(store_url: str) -> None:
    conn = _pending(store_url)
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


def test_list_articles_without_a_limit_lists_all(store_url: str) -> None:
    conn = _pending(store_url)
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


def test_remember_page_keeps_the_known_article_when_a_revisit_has_none(store_url: str) -> None:
    conn = connect(store_url)
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


def test_stored_urls_take_http_sources_in_any_case(store_url: str) -> None:
    conn = connect(store_url)
    save_article(conn, Article(id="u1", source="HTTPS://Example.org/a", text="t", raw_text="t", ingested_at="t"), b"", commit=False)
    save_article(conn, Article(id="u2", source="notes/http.txt", text="t", raw_text="t", url="http://example.org/b", ingested_at="t"), b"",
                 commit=False)
    assert list(stored_urls(conn)) == [("HTTPS://Example.org/a", "u1"), ("http://example.org/b", "u2")]


def _comparable(value: object) -> object:
    """``value`` with vectors as bytes and dataclasses as tuples (less when they were ingested), for ``==``."""
    if isinstance(value, np.ndarray):
        return value.tobytes()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_comparable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "ingested_at"))
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, sqlite3.Row, PgRow)):  # a row of either driver: its values
        return [_comparable(v) for v in value]
    return value


def _readings(conn: Connection) -> dict[str, object]:
    """What the readers of articles, annotations, times, stories, claims and framing give on the demo store."""
    ids = [a.id for a in iter_articles(conn)]
    groups = list(iter_group_appearances(conn))
    claim_ids = [a.claim_id for _, appearances in groups for a in appearances]
    stories = list(iter_stories(conn))
    links, claim_backend = SqliteLinkBackend(conn), SqliteClaimBackend(conn)
    first_doc, first_claim = links.load(ids[:1])[0], claim_backend.load(claim_ids[:1])[0]
    return {
        "articles": list(iter_articles(conn)), "article page": list(iter_articles(conn, page=(5, 3))), "list": list_articles(conn),
        "prefix": load_article(conn, ids[3][:5]), "signatures": [(s.article_id, s.minhash) for s in signatures_since(conn, 0)], "heads": article_heads(conn),
        "actors": actor_summaries(conn, limit=-1), "actor page": load_actors(conn, page=(4, 2)), "mentions": list(iter_mentions(conn)),
        "quotes": list(iter_quotes(conn)), "speaker": list(iter_quotes(conn, speaker="ma")), "attributions": list(iter_attributions(conn)),
        "times": list(iter_time_expressions(conn)), "events": list(iter_events(conn)), "actor events": list(iter_events(conn, actor="maresh")),
        "stories": stories, "story page": list(iter_stories(conn, page=(3, 1))), "threads": list(iter_threads(conn)),
        "thread page": list(iter_threads(conn, page=(2, 1))), "members": [story_articles(conn, s.id) for s in stories],
        "story actors": [story_actor_names(conn, s.id) for s in stories], "docs": links.load(ids),
        "nearest docs": links.candidates(first_doc.doc_vector, 10), "frequencies": links.df(["w:port", "a:person:ilona-maresh"]),
        "groups": groups, "group page": list(iter_group_appearances(conn, page=(5, 2))), "claim groups": list(iter_claim_groups(conn, related=True)),
        "article claims": [article_claims(conn, i) for i in ids], "claims": claim_backend.load(claim_ids),
        "nearest claims": claim_backend.candidates(first_claim.vector, 10),
        "related": [related_groups(conn, g, [a.claim_id for a in appearances]) for g, appearances in groups],
        "framing": list(iter_framing(conn)), "framing page": list(iter_framing(conn, page=(4, 1))),
        "outlet lines": repeated_outlet_lines(conn, 2),
    }


def test_the_readers_read_the_demo_store_alike_on_both_backends(demo_db: Path, demo_pg: str) -> None:
    """The demo corpus ingested into SQLite and into PostgreSQL reads back the same through every reader, order included
    (rows equal in what a reader sorts by among them)."""
    sqlite_conn, pg_conn = connect(demo_db, readonly=True), connect(demo_pg, readonly=True)
    try:
        on_sqlite, on_pg = _readings(sqlite_conn), _readings(pg_conn)
    finally:
        sqlite_conn.close()
        pg_conn.close()
    assert on_sqlite["groups"] and on_sqlite["framing"] and on_sqlite["events"]  # the demo store has all of them
    for name, value in on_sqlite.items():
        assert _comparable(on_pg[name]) == _comparable(value), name
