"""`storyline stories`, `claims`, `framing` and `timeline --story` on a small database filled through the store functions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from storyline.cli import app
from storyline.link.origins import resolve_origin
from storyline.models import Article, ArticleFraming, Attribution, Claim, ClaimRecord, LinkedDoc, LoadedTerm, Span, TextAnnotations
from storyline.store.annotations import save_annotations
from storyline.store.articles import save_article
from storyline.store.claims import SqliteClaimBackend, save_claims
from storyline.store.framing import save_framing
from storyline.store.links import SqliteLinkBackend
from storyline.store.migrations import MIGRATIONS
from storyline.store.db import Connection
from storyline.store.schema import connect
from tests.test_timeline_cli import timeline_db

DAM = ("aaaa000000000001", "aaaa000000000002")
OTHERS = ("aaaa000000000003", "aaaa000000000004", "aaaa000000000005", "aaaa000000000006")
CLAIMS = ("cccc000000000001", "cccc000000000002")
CLAIM = "The dam was breached [by flood water]"


def _vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return v / np.linalg.norm(v)


def _link(conn: Connection, article_id: str, story: str, thread: str, seed: int) -> None:
    v = _vector(seed)
    SqliteLinkBackend(conn).add(LinkedDoc(article_id, None, frozenset(), {}, frozenset(), v, v[None, :]), story, thread)


def _claim(conn: Connection, article_id: str, outlet: str | None, published: str, hedge: str | None,
           via: tuple[str, ...], source: str) -> None:
    """Store an article with one attribution and one claim reported through it, grouped with the first such claim."""
    sentence = f"{CLAIM}, {source} said."
    save_article(conn, Article(id=article_id, source=f"{article_id}.txt", text=sentence, raw_text=sentence, outlet=outlet,
                               published=published, ingested_at="2024-06-01T00:00:00+00:00"), b"")
    at = len(CLAIM) + 2
    att = Attribution(Span(CLAIM, 0, len(CLAIM)), Span(source, at, at + len(source)), "anonymous", via=tuple(Span(v, 0, len(v)) for v in via))
    save_annotations(conn, article_id, TextAnnotations(attributions=(att,)), {}, "test", "now")
    hedges = (Span(hedge, 0, len(hedge)),) if hedge else ()
    origin = resolve_origin(att, article_id=article_id, outlet=outlet, actor_ids={})
    save_claims(conn, article_id, [Claim(CLAIM, 0, len(CLAIM), Span(sentence, 0, len(sentence)), hedges, attribution_index=0)],
                origins=[origin])
    record = ClaimRecord(f"{article_id}:c0", article_id, _vector(1), CLAIM, False)
    SqliteClaimBackend(conn).add(record, f"claim:{CLAIMS[0]}:c0")
    _link(conn, article_id, "story:" + DAM[0], "thread:" + DAM[0], 20 + CLAIMS.index(article_id))


def linked_db(target: str | Path) -> str:
    """The timeline database, plus two stories in one thread, one claim told twice and two articles' framing, in the
    store at ``target`` (a SQLite path or a PostgreSQL URL); return ``target`` as ``--db`` takes it."""
    timeline_db(target)
    conn = connect(target)
    for i, aid in enumerate(DAM):
        _link(conn, aid, "story:" + DAM[0], "thread:" + DAM[0], i)
    for i, aid in enumerate(OTHERS):
        _link(conn, aid, "story:" + OTHERS[0], "thread:" + DAM[0], 10 + i)
    _claim(conn, CLAIMS[0], "Harbour Ledger", "2024-05-24", "reportedly", ("The [New] York Times",), "two former officials")
    _claim(conn, CLAIMS[1], None, "2024-05-25", None, (), "engineers")
    save_framing(conn, ArticleFraming(DAM[0], "Harbour Ledger", (("Elena Varga", Span("Flood", 0, 5)),),
                                      (LoadedTerm("breached", "intensifier", 16, 24, "Flood water breached the dam.", "Elena Varga"),)))
    save_framing(conn, ArticleFraming(OTHERS[0], "Saren Post", (("Elena Varga", Span("Elena Varga", 0, 11)),)))
    save_framing(conn, ArticleFraming(OTHERS[1], "Saren Post", (("Brenholt", Span("Brenholt", 15, 23)),)))
    conn.commit()
    conn.close()
    return str(target)


def _run(*args: str) -> tuple[int, str, str]:
    """Run a command for its human view (`-f table`: the tests read what a person sees)."""
    result = CliRunner().invoke(app, [args[0], "-f", "table", *args[1:]], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_stories_lists_threads_with_their_stories(store_url: str) -> None:
    code, out, err = _run("stories", "--db", linked_db(store_url))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("(no title)") and "thread:aaaa000000000001" in lines[0]
    assert lines[1].split() == ["story:aaaa000000000003", "2024-01-10..2024-05-24", "4", "article(s)", "(no", "title)"]
    assert lines[2].split()[:3] == ["story:aaaa000000000001", "2024-05-24..2024-05-25", "4"]
    assert "2 story(ies) in 1 thread(s)" in err


def test_claims_show_the_canonical_wording_origins_and_every_chain(store_url: str) -> None:
    code, out, err = _run("claims", "--db", linked_db(store_url), "--min-articles", "2")
    assert code == 0, err
    assert out.splitlines()[0].startswith(CLAIM)  # escaped, not taken as markup
    assert "first seen 2024-05-24 · 2 article(s), 1 known outlet(s) · 1–2 independent origin(s)" in out
    assert "1. unnamed officials of [New] York Times (anonymous) — its own unnamed sources · 1 appearance(s) · 2024-05-24" in out
    assert "? unnamed engineers of an unknown outlet (article cccc0000…) (anonymous) — outlet or speaker unknown" in out  # flagged
    assert (f"Harbour Ledger 2024-05-24 · “{CLAIM}, two former officials said.” · hedged: reportedly · origin: unnamed officials of "
            "[New] York Times · chain: Harbour Ledger <- The [New] York Times <- two former officials") in out
    assert "unknown outlet 2024-05-25" in out and "(flagged)" in out
    assert "1 claim(s)" in err
    code, out, err = _run("claims", "--db", store_url, "--min-articles", "3")
    assert code == 0 and out.strip() == "" and "0 claim(s)" in err
    code, out, _ = _run("claims", "--db", store_url, "--story", "story:" + OTHERS[0])
    assert code == 0 and out.strip() == ""


def test_framing_compares_outlets_for_one_actor(store_url: str) -> None:
    code, out, err = _run("framing", "--actor", "Varga", "--db", linked_db(store_url))
    assert code == 0, err
    ledger, saren = out.index("Harbour Ledger"), out.index("Saren Post")
    assert ledger < saren
    assert "breached (intensifier, aaaa000000000001) Flood water breached the dam." in out
    assert "Elena Varga (label, aaaa000000000003) Elena Varga will open the Brenholt bridge next week." in out  # the label's sentence
    assert "Brenholt (label" not in out  # another actor's label
    assert "3 label(s) and term(s) for Varga in 2 outlet(s)" in err


def test_timeline_of_one_story(store_url: str) -> None:
    db = linked_db(store_url)
    code, out, err = _run("timeline", "--db", db, "--story", "story:" + DAM[0])
    assert code == 0, err
    assert "23 May 2024" in out and "2024-W22" not in out and "week of" not in out and "1 event(s) from 2 article(s)" in err  # the claims' articles have no events
    code, out, err = _run("timeline", "--db", db, "--story", "story:nope")
    assert code == 1 and "no story with id 'story:nope'; see `storyline stories`" in err


def test_a_database_before_migration_4_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:
        for script in MIGRATIONS[:3]:
            raw.executescript(script)
        raw.execute("PRAGMA user_version = 3")
    for command in ("stories", "claims"):
        code, _, err = _run(command, "--db", str(path))
        assert code == 2 and "predates stories and claims" in err
    code, _, err = _run("framing", "--actor", "x", "--db", str(path))
    assert code == 2 and "predates stories and claims" in err
