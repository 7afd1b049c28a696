"""store/links.py: the stored link and claim backends, stories, claim groups and framing, on SQLite and PostgreSQL stores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from storyline.link.claimlink import ClaimLinker
from storyline.link.origins import resolve_origin
from storyline.link.stories import MemoryBackend, StoryLinker
from storyline.models import (
    Article, ArticleFraming, Attribution, Claim, ClaimLink, ClaimRecord, LinkedDoc, LoadedTerm, Span, StoryAssignment, TextAnnotations,
    Verdict,
)
import storyline.store.links as links
from storyline.store.annotations import clear_annotations, save_annotations
from storyline.store.articles import save_article
from storyline.link.groups import iter_claim_groups
from storyline.store.claims import SqliteClaimBackend, related_groups, save_claims
from storyline.store.framing import iter_framing, save_framing
from storyline.store.links import (
    SqliteLinkBackend, bucket_keys, iter_stories, iter_threads, save_assignment, save_link_docs, story_articles,
)
from storyline.store.db import Connection
from storyline.store.pg import PgConnection
from storyline.store.schema import connect

DIM = 384


def _unit(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)  # type: ignore[no-any-return]


def _random_docs(conn: Connection, rng: np.random.Generator, n: int, *, width: int) -> np.ndarray:
    """Store ``n`` articles ``d0..`` (ids ``width`` digits) linked with random unit vectors, each its own story; return the vectors."""
    vectors = _unit(rng, n)
    ids = [f"d{i:0{width}d}" for i in range(n)]
    for aid in ids:
        _article(conn, aid)
    save_link_docs(conn, [_doc(a, v) for a, v in zip(ids, vectors)], [(f"story:{a}", f"thread:{a}") for a in ids])
    return vectors


def _article(conn: Connection, aid: str, *, outlet: str | None = None, published: str | None = None, title: str | None = None) -> None:
    save_article(conn, Article(id=aid, source=f"{aid}.txt", text="t", raw_text="t", outlet=outlet, published=published, title=title,
                               ingested_at="2024-06-01T00:00:00+00:00"), b"", commit=False)


def _doc(aid: str, vector: np.ndarray, actors: frozenset[str] = frozenset()) -> LinkedDoc:
    return LinkedDoc(aid, None, actors, {}, frozenset(), vector, _unit(np.random.default_rng(len(aid)), 3), ("s1", "s2", "s3"), {"w:dam": 1})


def test_linked_doc_round_trips_every_field(store_url: str) -> None:
    conn = connect(store_url)
    _article(conn, "a1", published="2024-05-24")
    vec = _unit(np.random.default_rng(1))[0]
    sentences = _unit(np.random.default_rng(2), 4)
    doc = LinkedDoc("a1", date(2024, 5, 24), frozenset({"putin", "kyiv"}), {"new york times": 0.5}, frozenset({2023, 2024}), vec,
                    sentences, ("Title", "First sentence here."), {"w:dam": 3, "n:brenholt": 1}, 4, "ledger",
                    {"putin": (frozenset({"ready", "talks"}), frozenset({"war"}))})
    backend = SqliteLinkBackend(conn)
    backend.add(doc, "story:a1", "thread:a1")
    (back,) = backend.load(["a1"])
    assert (back.id, back.published, back.actors, dict(back.origins), back.years) == (doc.id, doc.published, doc.actors, {"new york times": 0.5}, doc.years)
    assert (back.sentences, dict(back.terms), back.attributions, back.outlet, dict(back.quotes)) == (
        doc.sentences, {"w:dam": 3, "n:brenholt": 1}, 4, "ledger", dict(doc.quotes))
    assert np.array_equal(back.doc_vector, vec) and back.sentence_vectors.shape == (4, DIM)
    assert np.allclose(back.sentence_vectors, sentences, atol=1e-3)  # stored as float16
    assert backend.size() == 1 and backend.story_of("a1") == ("story:a1", "thread:a1")
    assert backend.df(["w:dam", "a:putin", "a:nobody"]) == {"w:dam": 1, "a:putin": 1, "a:nobody": 0}
    backend.add(doc, "story:b", "thread:b")  # linking again does not count twice, and leaves no empty story behind
    assert backend.df(["w:dam"]) == {"w:dam": 1} and backend.size() == 1
    assert [(s.id, s.thread_id, s.article_ids) for s in iter_stories(conn)] == [("story:b", "thread:b", ("a1",))]
    assert [t.id for t in iter_threads(conn)] == ["thread:b"]


def test_lsh_finds_a_near_duplicate_among_2000_random_vectors(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(links, "EXACT_BELOW", 0)  # LSH alone: no exhaustive fallback
    conn = connect(store_url)
    rng = np.random.default_rng(7)
    vectors = _random_docs(conn, rng, 2000, width=4)
    query = vectors[1234] + 0.25 * _unit(rng)[0]
    query /= np.linalg.norm(query)
    assert float(query @ vectors[1234]) < 0.98  # near, not identical
    found = SqliteLinkBackend(conn).index.nearest(query, 5)
    assert found[0] == "d1234"
    keys = {tuple(k) for k in bucket_keys(vectors[:50])}
    assert len(keys) == 50  # random vectors spread over the buckets


def test_lsh_alone_on_a_large_store_does_not_scan(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """LSH alone returns a few candidates, not the whole store; the exhaustive fallback fills a small store's list."""
    conn = connect(store_url)
    rng = np.random.default_rng(3)
    vectors = _random_docs(conn, rng, 300, width=3)
    monkeypatch.setattr(links, "EXACT_BELOW", 0)
    assert len(SqliteLinkBackend(conn).candidates(vectors[42], 100)) < 100
    monkeypatch.setattr(links, "EXACT_BELOW", 5000)  # a small store that yields too few is searched exhaustively
    found = SqliteLinkBackend(conn).candidates(vectors[42], 100)
    assert found[0] == "d042" and len(found) == 100


def test_a_crowded_bucket_gives_its_first_items_in_key_order(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past BUCKET_CAP items a bucket is cut at the same items on both backends: the first by key and id, not the first stored."""
    monkeypatch.setattr(links, "EXACT_BELOW", 0)  # LSH alone
    monkeypatch.setattr(links, "BUCKET_CAP", 3)
    conn = connect(store_url)
    vector = _unit(np.random.default_rng(8))[0]
    ids = [f"d{i}" for i in range(9, -1, -1)]  # stored last id first
    for aid in ids:
        _article(conn, aid)
    save_link_docs(conn, [_doc(a, vector) for a in ids], [(f"story:{a}", f"thread:{a}") for a in ids])
    conn.commit()
    if isinstance(conn, PgConnection):  # the plan a large store gets, reading the bucket in table order, not in index order
        conn.raw.execute("SET enable_indexscan = off")
    assert sorted(SqliteLinkBackend(conn).candidates(vector, 10)) == ["d0", "d1", "d2"]  # one vector: equally near, in no order


def test_story_linker_on_the_store_merges_and_relabels(store_url: str) -> None:
    conn = connect(store_url)
    for aid, published, title in (("a1", "2024-05-02", "Second"), ("a2", "2024-05-01", "First"), ("a3", "2024-05-03", "Third")):
        _article(conn, aid, published=published, title=title)
    backend = SqliteLinkBackend(conn)
    rng = np.random.default_rng(5)
    backend.add(_doc("a1", _unit(rng)[0]), "story:a1", "thread:a1")
    backend.add(_doc("a2", _unit(rng)[0]), "story:a2", "thread:a2")
    backend.add(_doc("a3", _unit(rng)[0]), "story:a3", "thread:a3")
    backend.merge({"story:a1", "story:a2"}, {"thread:a1", "thread:a2", "thread:a3"}, "story:a1", "thread:a1")
    assert [backend.story_of(a) for a in ("a1", "a2", "a3")] == [("story:a1", "thread:a1")] * 2 + [("story:a3", "thread:a1")]
    stories = {s.id: s for s in iter_stories(conn)}
    assert set(stories) == {"story:a1", "story:a3"}
    assert stories["story:a1"].article_ids == ("a2", "a1") and stories["story:a1"].title == "First"
    assert (stories["story:a1"].first_published, stories["story:a1"].last_published) == ("2024-05-01", "2024-05-02")
    (thread,) = iter_threads(conn)
    assert thread.id == "thread:a1" and thread.story_ids == ("story:a1", "story:a3") and thread.title == "First"
    assert story_articles(conn, "story:a1") == ["a2", "a1"] and story_articles(conn, "nope") == []


def test_store_backend_places_like_the_memory_backend(store_url: str) -> None:
    """The same documents in the same order land in the same stories on either backend."""
    conn = connect(store_url)
    rng = np.random.default_rng(11)
    centres = _unit(rng, 3)
    docs = []
    for i in range(12):
        v = centres[i % 3] + 0.05 * _unit(rng)[0]
        v /= np.linalg.norm(v)
        docs.append(LinkedDoc(f"a{i:02d}", None, frozenset(), {}, frozenset(), v.astype(np.float32), v[None, :].astype(np.float16).astype(np.float32),
                              (), {f"w:topic{i % 3}": 2, f"n:place{i % 3}": 1}))
        _article(conn, f"a{i:02d}")
    store_linker, memory_linker = StoryLinker(SqliteLinkBackend(conn)), StoryLinker(MemoryBackend())
    for d in docs:
        a, b = store_linker.add(d), memory_linker.add(d)
        save_assignment(conn, a)
        assert (a.story_id, a.thread_id) == (b.story_id, b.thread_id)
    assert len(list(iter_stories(conn))) == 3
    evidence = conn.execute("SELECT evidence FROM story_members WHERE article_id = 'a03'").fetchone()[0]
    assert evidence.startswith("with a00: score")


def test_deleting_an_article_cascades(store_url: str) -> None:
    conn = connect(store_url)
    _article(conn, "a1")
    _article(conn, "a2")
    rng = np.random.default_rng(9)
    SqliteLinkBackend(conn).add(_doc("a1", _unit(rng)[0], frozenset({"putin"})), "story:a1", "thread:a1")
    SqliteLinkBackend(conn).add(_doc("a2", _unit(rng)[0]), "story:a2", "thread:a2")
    save_claims(conn, "a1", [Claim("x", 0, 1, Span("x", 0, 1))])
    record = ClaimRecord("a1:c0", "a1", _unit(rng)[0], "x", False)
    SqliteClaimBackend(conn).add(record, "claim:a1:c0")
    save_framing(conn, ArticleFraming("a1", None))
    conn.execute("DELETE FROM articles WHERE id = 'a1'")
    for table in ("link_docs", "story_members", "stories", "threads", "claims", "claim_vectors", "claim_groups", "framing"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == (1 if table in ("link_docs", "story_members", "stories", "threads") else 0), table  # noqa: S608
    assert conn.execute("SELECT COUNT(DISTINCT item_id) FROM vector_buckets").fetchone()[0] == 1
    assert dict(conn.execute("SELECT key, df FROM link_df").fetchall()) == {"w:dam": 1, "a:putin": 0}


def _claims_db(target: str) -> Connection:
    """Four articles telling one claim: two retell The New York Times, one quotes Putin, one reports it itself."""
    conn = connect(target)
    rows = [  # (article, outlet, published, claim text, hedge, via, source, source kind)
        ("b1", "Kyiv Post", "2024-05-25", "Putin is ready for talks", "reportedly", ("The New York Times",), "two former officials", "anonymous"),
        ("b2", "Harbour Ledger", "2024-05-24", "Putin is ready to talk", None, ("New York Times",), "officials", "anonymous"),
        ("b3", "Saren Post", "2024-05-26", "Putin says he is ready for talks", None, (), "Putin", "person"),
        ("b4", None, "2024-05-27", "Putin ready for talks", "may", (), "sources", "anonymous"),
    ]
    for aid, outlet, published, text, hedge, via, source, kind in rows:
        _article(conn, aid, outlet=outlet, published=published, title=f"title {aid}")
        body = f"{text}, {source} said."
        att = Attribution(Span(text, 0, len(text)), Span(source, body.index(source), body.index(source) + len(source)), kind,
                          via=tuple(Span(v, 0, len(v)) for v in via))
        save_annotations(conn, aid, TextAnnotations(attributions=(att,)), {}, "test", "now")
        hedges = (Span(hedge, 0, len(hedge)),) if hedge else ()
        claim = Claim(text, 0, len(text), Span(body, 0, len(body)), hedges, attribution_index=0,
                      conditions=(Span("if asked", 0, 8),) if aid == "b4" else ())
        save_claims(conn, aid, [claim], origins=[resolve_origin(att, article_id=aid, outlet=outlet, actor_ids={})])
    rng = np.random.default_rng(4)
    base = _unit(rng)[0]
    linker = ClaimLinker(SqliteClaimBackend(conn))
    for aid, *_ in rows:
        linker.add(ClaimRecord(f"{aid}:c0", aid, base, "x", False))
    return conn


def test_claim_groups_with_appearances_chains_and_independent_origins(store_url: str) -> None:
    conn = _claims_db(store_url)
    (group,) = iter_claim_groups(conn)
    assert group.id == "claim:b1:c0"
    assert group.text == "Putin is ready to talk" and group.first_seen == "2024-05-24"  # the earliest published telling
    assert [a.article_id for a in group.appearances] == ["b2", "b1", "b3", "b4"]
    b1 = group.appearances[1]
    assert b1.chain == ("Kyiv Post", "The New York Times", "two former officials") and b1.origin == "unnamed officials of New York Times"
    assert b1.hedges == ("reportedly",) and b1.attribution_id == "b1:a0"
    assert b1.join == "" and group.appearances[0].join.startswith("close wording, similarity 1.000")  # b1 came first; b2 joined it
    assert [a.origin for a in group.appearances] == [
        "unnamed officials of New York Times", "unnamed officials of New York Times", "Putin", "unnamed sources of an unknown outlet (article b4…)"]
    # "two former officials" and "officials" of one outlet are one pool; b4's outlet is unknown: flagged, counted in the most only
    assert group.independent_origins == 2 and group.origin_range == (2, 3)
    assert group.origins == ("unnamed officials of New York Times", "Putin", "unnamed sources of an unknown outlet (article b4…)")
    pool, putin, unknown = group.origin_counts
    assert pool.claim_ids == ("b2:c0", "b1:c0") and pool.why == "its own unnamed sources" and pool.dates == ("2024-05-24", "2024-05-25")
    assert putin.origin.kind == "person" and putin.why == "its own statement"
    assert unknown.origin.flagged and "unknown" in unknown.why
    assert group.appearances[3].conditions == ("if asked",)
    assert list(iter_claim_groups(conn, min_articles=5)) == []


def test_claim_groups_of_one_story(store_url: str) -> None:
    conn = _claims_db(store_url)
    rng = np.random.default_rng(1)
    backend = SqliteLinkBackend(conn)
    backend.add(_doc("b3", _unit(rng)[0]), "story:b3", "thread:b3")
    assert len(list(iter_claim_groups(conn, story_id="story:b3"))[0].appearances) == 4
    assert list(iter_claim_groups(conn, story_id="story:none")) == []


def test_claim_backend_merges_groups(store_url: str) -> None:
    conn = connect(store_url)
    rng = np.random.default_rng(2)
    backend = SqliteClaimBackend(conn)
    for aid in ("a1", "a2", "a3"):
        _article(conn, aid)
        save_claims(conn, aid, [Claim("x", 0, 1, Span("x", 0, 1))])
        backend.add(ClaimRecord(f"{aid}:c0", aid, _unit(rng)[0], "x", False, frozenset({"kyiv"}), frozenset({"7"}),
                                (("2024-05-01", "2024-05-31"),), frozenset({"person:elena-varga"}), frozenset(), ("not",),
                                _unit(rng)[0]), f"claim:{aid}:c0")
    backend.merge({"claim:a2:c0", "claim:a3:c0"}, "claim:a2:c0")
    assert [backend.group_of(f"{a}:c0") for a in ("a1", "a2", "a3")] == ["claim:a1:c0", "claim:a2:c0", "claim:a2:c0"]
    (record,) = backend.load(["a3:c0"])
    assert (record.conditions, record.numbers, record.text) == (frozenset({"kyiv"}), frozenset({"7"}), "x")
    assert (record.dates, record.agents, record.polarity) == ((("2024-05-01", "2024-05-31"),), frozenset({"person:elena-varga"}), ("not",))
    assert record.predicate is not None and record.predicate.shape == (384,)
    assert backend.candidates(record.vector, 1) == ["a3:c0"]
    with pytest.raises(KeyError):
        backend.group_of("nope")


def test_framing_round_trips_and_clear_annotations_forgets_claims_and_framing(store_url: str) -> None:
    conn = connect(store_url)
    _article(conn, "a1", outlet="Ledger")
    framing = ArticleFraming("a1", "Ledger", (("Putin", Span("the dictator", 4, 16)),),
                             (LoadedTerm("regime", "pejorative-label", 20, 26, "The regime fell.", "Putin"),),
                             (LoadedTerm("claimed", "loaded-attribution-verb", 30, 37, "He claimed it."),), 2, 1, (Span("may", 1, 4),))
    save_framing(conn, framing)
    assert list(iter_framing(conn)) == [framing]
    save_claims(conn, "a1", [Claim("x", 0, 1, Span("x", 0, 1))])
    clear_annotations(conn, "a1")
    assert list(iter_framing(conn)) == [] and conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0


def test_framing_comes_by_outlet_then_date_undated_first(store_url: str) -> None:
    """The order SQLite gives (NULL first among dates), also on PostgreSQL, which sorts NULL last unless told."""
    conn = connect(store_url)
    for aid, outlet, published in (("f1", "Ledger", "2024-05-02"), ("f2", "Ledger", None), ("f3", "Ledger", "2024-05-01"),
                                   ("f4", None, "2024-05-01"), ("f5", "Herald", None)):
        _article(conn, aid, outlet=outlet, published=published)
        save_framing(conn, ArticleFraming(aid, outlet))
    assert [f.article_id for f in iter_framing(conn)] == ["f5", "f2", "f3", "f1", "f4"]
    assert [f.article_id for f in iter_framing(conn, ["f1", "f2", "f3"])] == ["f2", "f3", "f1"]


def test_equally_close_related_groups_come_in_group_order(store_url: str) -> None:
    """Groups kept apart from one at the same similarity are listed by group id, whatever order their links were stored in."""
    conn = connect(store_url)
    rng = np.random.default_rng(6)
    backend = SqliteClaimBackend(conn)
    for aid in ("a1", "a4", "a3", "a2"):
        _article(conn, aid)
        save_claims(conn, aid, [Claim(f"x {aid}", 0, 1, Span("x", 0, 1))])
        links = [] if aid == "a1" else [ClaimLink(f"{aid}:c0", "a1:c0", Verdict("related", 0.5, "rule", f"why {aid}"))]
        backend.add(ClaimRecord(f"{aid}:c0", aid, _unit(rng)[0], "x", False), f"claim:{aid}:c0", links)
    related = related_groups(conn, "claim:a1:c0", ["a1:c0"])
    assert [(r.group_id, r.text, r.reason) for r in related] == [
        ("claim:a2:c0", "x a2", "why a2"), ("claim:a3:c0", "x a3", "why a3"), ("claim:a4:c0", "x a4", "why a4")]


def test_assignment_evidence_is_saved(store_url: str) -> None:
    conn = connect(store_url)
    _article(conn, "a1")
    SqliteLinkBackend(conn).add(_doc("a1", _unit(np.random.default_rng(0))[0]), "story:a1", "thread:a1")
    save_assignment(conn, StoryAssignment("a1", "story:a1", "thread:a1", "no article close enough: a new story"))
    assert conn.execute("SELECT evidence FROM story_members").fetchone()[0] == "no article close enough: a new story"


def test_a_larger_store_is_read_at_a_finer_resolution_and_still_finds_the_neighbour(
        store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys hold 24 bits a band; a query matches as many as the store's size needs, so it reads about the same
    number of candidates at 1,000 or 1,000,000 items."""
    assert [links.resolution(n) for n in (10, 65_536, 65_537, 1_000_000, 10**9)] == [12, 12, 13, 16, 24]
    conn = connect(store_url)
    rng = np.random.default_rng(11)
    vectors = _random_docs(conn, rng, 600, width=3)
    monkeypatch.setattr(links, "EXACT_BELOW", 0)  # LSH alone
    coarse = SqliteLinkBackend(conn).candidates(vectors[7], 600)
    monkeypatch.setattr(links, "PER_BUCKET", 0)  # as if the store were huge: all 24 bits
    fine = SqliteLinkBackend(conn).candidates(vectors[7], 600)
    assert fine[0] == coarse[0] == "d007"
    assert len(fine) < len(coarse)  # a fine bucket holds a part of its coarse bucket


def test_version_9_rekeys_the_stored_buckets(tmp_path: Path) -> None:
    """A store made before version 9 (12-bit keys) gets 24-bit keys whose top bits are the old ones."""
    path = tmp_path / "s.db"
    conn = connect(path)
    rng = np.random.default_rng(12)
    vectors = _random_docs(conn, rng, 20, width=2)
    new = {(r[0], r[1]): r[2] for r in conn.execute("SELECT item_id, band, key FROM vector_buckets")}
    conn.execute(f"UPDATE vector_buckets SET key = key >> {links.FINE_ROWS - links.ROWS}")  # the old keys
    for table in ("watch_entries", "watch_pages", "watch_sources", "article_versions", "digests"):
        conn.execute(f"DROP TABLE {table}")  # what version 13 adds
    conn.execute("DROP INDEX articles_ingested")
    conn.execute("ALTER TABLE articles RENAME COLUMN authors TO author")  # what version 12 changes
    for view in ("quotes_with_article", "attributions_with_article", "claim_appearances", "story_articles"):
        conn.execute(f"DROP VIEW {view}")  # what version 11 adds
    conn.execute("DROP TABLE annotation_skips")  # what version 10 adds
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    conn = connect(path)
    assert {(r[0], r[1]): r[2] for r in conn.execute("SELECT item_id, band, key FROM vector_buckets")} == new
    assert SqliteLinkBackend(conn).index.nearest(vectors[3], 1) == ["d03"]
