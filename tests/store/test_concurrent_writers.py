"""Several writers into one PostgreSQL store at once: nothing duplicated, nothing lost, readers never blocked."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

from storyline.annotate.registry import ActorRegistry, fold
from storyline.flow.save import SaveRun
from storyline.models import Actor, Article
from storyline.settings import Settings
from storyline.store.articles import load_article
from storyline.store.schema import connect
from tests.conftest import REPO

CORPUS = sorted((REPO / "demo" / "corpus").iterdir())


def _facts(target: str | Path) -> dict[str, object]:
    """What one whole ingest of the demo corpus must leave, however many processes wrote it and in whatever order
    (which of two near-duplicates came first, and so which actor id a name got first, may differ)."""
    conn = connect(target, readonly=True)
    try:
        def rows(sql: str) -> list[tuple[object, ...]]:
            return sorted(tuple(r) for r in conn.execute(sql))
        owners: dict[str, set[str]] = {}
        for actor_id, variant in conn.execute("SELECT actor_id, variant FROM actor_variants"):
            owners.setdefault(fold(variant), set()).add(actor_id)
        return {
            "articles": rows("SELECT id FROM articles"),
            "near-duplicate pairs": sorted(sorted(r) for r in rows("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")),
            "sources": rows("SELECT source, article_id FROM sources"),
            "annotated": rows("SELECT article_id FROM annotated"),
            "quotes": rows("SELECT article_id, COUNT(*) FROM quotes GROUP BY article_id"),
            "claims": rows("SELECT article_id, COUNT(*) FROM claims GROUP BY article_id"),
            "linked": rows("SELECT article_id FROM link_docs"),
            "placed": rows("SELECT article_id FROM story_members"),
            "frequencies": rows("SELECT key, df FROM link_df WHERE df <> 0 AND key NOT LIKE 'a:%'"),  # words, counted once
            "names with two actors": sorted(name for name, ids in owners.items() if len(ids) > 1),  # one name, one actor
        }
    finally:
        conn.close()


def test_two_ingest_processes_into_one_postgresql_store_lose_and_duplicate_nothing(pg_store: str, demo_db: Path) -> None:
    """Two `storyline ingest` processes over overlapping halves of the demo corpus, at once, leave exactly what one
    process leaves with the whole corpus (the SQLite demo store): each article once with every source, annotated
    and linked once, corpus frequencies counted once; meanwhile a reader is never kept waiting."""
    third = len(CORPUS) // 3
    halves = [CORPUS[: 2 * third + 1], CORPUS[third:]]
    assert set(halves[0]) & set(halves[1]) and set(halves[0]) | set(halves[1]) == set(CORPUS)
    waits: list[float] = []
    stop = threading.Event()

    def read() -> None:  # a web worker's kind of query, over and over, while the writers write
        with psycopg.connect(pg_store, autocommit=True) as reader:
            while not stop.is_set():
                start = time.perf_counter()
                reader.execute("SELECT COUNT(*), MAX(title) FROM articles").fetchone()
                waits.append(time.perf_counter() - start)
                time.sleep(0.05)

    watcher = threading.Thread(target=read, daemon=True)
    watcher.start()
    procs = [subprocess.Popen([sys.executable, "-m", "storyline", "ingest", *map(str, half), "--db", pg_store, "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for half in halves]
    outputs = [p.communicate(timeout=600) for p in procs]
    stop.set()
    watcher.join()
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err[-2000:]
    together, alone = _facts(pg_store), _facts(demo_db)
    assert together == alone, {k: (together[k], alone[k]) for k in together if together[k] != alone[k]}
    assert waits and max(waits) < 1.0, f"a reader waited {max(waits):.2f} s"


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, source=f"{article_id}.txt", text=text, raw_text=text, ingested_at="2025-03-05T00:00:00+00:00")


def test_a_near_duplicate_stored_by_another_writer_meanwhile_is_seen(store_url: str) -> None:
    """Two runs open at once: the second queued its copy before the first stored the original; when it writes, it
    finds the original (stored first) and stores its copy as that article's near-duplicate, as one run would."""
    text = " ".join(f"The harbour authority said ship number {n} was cleared to sail at dawn." for n in range(40))
    settings = Settings(db=store_url)
    first, second = SaveRun(connect(store_url), settings), SaveRun(connect(store_url), settings)
    assert first.handle(_article("aaaaaaaaaaaaaaaa", text)) == "ingested"
    assert second.handle(_article("bbbbbbbbbbbbbbbb", text.replace("dawn.", "dusk.", 1))) == "ingested"  # it cannot know yet
    first.commit()
    second.commit()
    assert first.summary().ingested == ("aaaaaaaaaaaaaaaa",)
    assert second.summary().duplicates == (("bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa"),) and not second.summary().ingested
    conn = connect(store_url, readonly=True)
    assert sorted(tuple(r) for r in conn.execute("SELECT id, duplicate_of FROM articles")) == [
        ("aaaaaaaaaaaaaaaa", None), ("bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa")]
    assert any(e.field == "duplicate_of" and e.value == "aaaaaaaaaaaaaaaa"
               for e in (load_article(conn, "bbbbbbbbbbbbbbbb") or _article("x", "x")).evidence)


def test_a_name_two_writers_met_at_once_becomes_one_actor() -> None:
    """The registry of a run that created an actor not yet stored learns that another run stored an actor of
    the same name meanwhile: it reports the clash (the run then reads its registry again from the store)."""
    mine = ActorRegistry()
    created = mine.resolve("Brenholt", "GPE")
    assert mine.created == {created.id}
    theirs = Actor("org:brenholt", "Brenholt", "ORG", ("Brenholt",))
    assert mine.learn([theirs])
    same_id = ActorRegistry()
    same_id.resolve("Brenholt", "ORG")
    assert not same_id.learn([theirs])  # the same id: one actor, its rows merge when stored
    assert not ActorRegistry().learn([theirs])  # nothing of its own unstored: nothing to redo
    person = ActorRegistry()
    person.resolve("Hollen", "PERSON")
    assert person.learn([Actor("person:dimitri-hollen", "Dimitri Hollen", "PERSON", ("Dimitri Hollen",))])  # surname of one person
