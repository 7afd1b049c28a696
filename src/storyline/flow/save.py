"""Step 3 of the flow, save: cleaned articles into the store, near-duplicates linked, outlet-wide boilerplate cut.

Cleaned articles are written in small groups (``commit_every``, or every 2 s), each group in one short
write transaction that takes the write lock at its start and waits for (or retries after) other writers
(:func:`storyline.store.retry.write`): another ingest, annotate or watch process, or the web app, can use
the same database at once. Inside the transaction each article is checked again (another process may
have stored it meanwhile: then only its source is recorded, and it counts as skipped) and written under
its own savepoint, so an article the store refuses fails alone. An interrupted run loses at most the
unwritten group, never leaves a partial article, and running it again completes the work without
duplicates.

A page read again with edited text (same page URL, new text: :mod:`storyline.flow.edit`) is stored as a
new version of its article, under the article's id (:func:`storyline.store.versions.save_version`): it
counts as ``updated``, never as ingested or a duplicate, and the article is annotated and linked again.
Whether that text is already a version of the article is checked again inside the transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from ..clean.dedup import DuplicateIndex, signature
from ..models import Article, Evidence, Failure, IngestSummary
from ..settings import Settings
from ..store import articles as store
from ..store import corpus
from ..store import retry, sync
from ..store import versions
from ..store.db import Connection
from .clean import outlet_line_keys, reclean, signature_bytes, signature_from_bytes, utc_now
from .edit import PageIndex, new_version, repeated_line_reason

__all__ = ["SaveRun", "outlet_boilerplate"]


@dataclass(frozen=True, slots=True)
class _Queued:
    """An article waiting to be written, and what to write it as."""

    article: Article
    sig: bytes = b""
    """Its MinHash signature; empty for a source of a text stored (or queued) already: only the source is recorded."""
    match: str | None = None
    """The article it nearly duplicates."""
    edits: str | None = None
    """The stored article it is a new version of."""


@dataclass
class SaveRun:
    """The state of one ingest run: the store, the duplicate index, what waits to be written, and what happened."""

    conn: Connection
    settings: Settings
    ingested: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)
    outlets: set[str] = field(default_factory=set)
    _waiting: list[_Queued] = field(default_factory=list)
    _failures: list[Failure] = field(default_factory=list)
    _last_commit: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.index = DuplicateIndex(threshold=self.settings.dedup_threshold, num_perm=self.settings.num_perm)
        stored = sync.signatures_since(self.conn, 0)
        self.index.add_all((s.article_id, signature_from_bytes(s.minhash)) for s in stored)
        self._seen = max((s.rowid for s in stored), default=0)
        """The last article (rowid) this run has looked at: later ones were stored by other writers or by this run."""
        self._claimed: set[str] = set()
        self._claimed_versions: set[tuple[str, str]] = set()
        self.pages = PageIndex(self.conn)

    def handle(self, result: Article | Failure) -> str:
        """Queue one cleaned article (or a failure) for writing; return its expected outcome (the summary has the final one).

        The outcome is ``ingested``, ``duplicate``, ``updated`` (a new version of a stored article's text),
        ``skipped`` (its text is stored already) or ``failed``.
        """
        if isinstance(result, Failure):
            self._failures.append(result)
            outcome = "failed"
        elif result.id in self._claimed or store.has_article(self.conn, result.id):
            self._waiting.append(_Queued(result))
            outcome = "skipped"
        elif (edits := self.pages.find(result)) is not None:
            outcome = self._queue_version(result, edits)
        else:
            outcome = self._queue(result)
        if len(self._waiting) + len(self._failures) >= self.settings.commit_every or time.monotonic() - self._last_commit > 2.0:
            self.commit()
        return outcome

    def _queue(self, article: Article) -> str:
        sig = signature(article.text, num_perm=self.settings.num_perm, shingle_size=self.settings.shingle_size)
        match = self.index.find(sig)
        if match:
            article = self._duplicate(article, *match)
        else:
            self.index.add(article.id, sig)
        self._claimed.add(article.id)
        self.pages.add(article)
        self._waiting.append(_Queued(article, signature_bytes(sig), match[0] if match else None))
        return "duplicate" if match else "ingested"

    def _duplicate(self, article: Article, of: str, similarity: float) -> Article:
        """``article`` marked as a near-duplicate of ``of``, with the evidence."""
        note = Evidence("duplicate_of", of, "minhash-lsh",
                        f"estimated Jaccard similarity {similarity:.2f} of {self.settings.shingle_size}-word shingles")
        return replace(article, duplicate_of=of, evidence=article.evidence + (note,))

    def _queue_version(self, article: Article, edits: str) -> str:
        """Queue a new version of the stored article ``edits``, unless its text is one of that article's versions already."""
        if (edits, article.id) in self._claimed_versions or self._version(article, edits) is None:
            self._waiting.append(_Queued(article, edits=edits))
            return "skipped"
        self._claimed_versions.add((edits, article.id))
        sig = signature(article.text, num_perm=self.settings.num_perm, shingle_size=self.settings.shingle_size)
        self._waiting.append(_Queued(article, signature_bytes(sig), edits=edits))
        return "updated"

    def _version(self, page: Article, edits: str) -> tuple[Article, frozenset[str]] | None:
        """The stored article ``edits`` with the page's text and the outlet lines cut from it; None when the page holds
        no new version (a text of one of its versions, the same words) or the article is gone."""
        if page.id == edits or versions.version_of_text(self.conn, page.id, edits):
            return None
        stored = store.load_article(self.conn, edits)
        if stored is None or stored.id != edits:
            return None
        return new_version(stored, page, self.settings.outlet_repeat_min)

    def commit(self) -> None:
        """Write what is waiting in one transaction (retried while another writer holds the lock)."""
        waiting, failures = self._waiting, self._failures
        self._waiting, self._failures = [], []
        self._last_commit = time.monotonic()
        if not waiting and not failures:
            return
        def work() -> list[str]:
            nonlocal waiting
            waiting = self._recheck(waiting)
            return [self._write(item) for item in waiting] + [self._fail(f) for f in failures]

        outcomes = retry.write(self.conn, work, what="storing articles")
        for item, outcome in zip(waiting, outcomes):
            self._count(item, outcome)
        self.failed.extend(failures)

    def _recheck(self, waiting: list[_Queued]) -> list[_Queued]:
        """Inside the transaction: canonical articles other writers stored since this run last looked join the
        duplicate index, and a waiting article that nearly duplicates one of them becomes its duplicate (theirs
        was stored first), as it would had one process read both."""
        found = sync.signatures_since(self.conn, self._seen)
        self._seen = max([self._seen, *(s.rowid for s in found)])
        others = [(s.article_id, signature_from_bytes(s.minhash)) for s in found if s.article_id not in self._claimed]
        if not others:
            return waiting
        self.index.add_all(others)
        out = []
        for item in waiting:
            if item.sig and item.match is None and item.edits is None:
                sig = signature_from_bytes(item.sig)
                best = max(((self.index.similarity(key, sig) or 0.0, key) for key, _ in others), default=(0.0, ""))
                if best[0] >= self.settings.dedup_threshold:
                    self.index.remove(item.article.id)
                    item = replace(item, article=self._duplicate(item.article, best[1], best[0]), match=best[1])
            out.append(item)
        return out

    def _write(self, item: _Queued) -> str:
        """Inside the transaction: store one article under its own savepoint; return stored, updated, present or the failure reason."""
        article = item.article
        if item.edits is not None:
            return self._write_version(item, item.edits)
        if not item.sig:  # a second source of an article this run queued already
            if not store.has_article(self.conn, article.id):
                return "not stored: the same article from another source failed"
            store.add_source(self.conn, article.source, article.id, article.ingested_at or utc_now(), commit=False)
            return "present"
        try:
            stored = not store.has_article(self.conn, article.id) and store.save_article(
                self.conn, article, item.sig, outlet_line_keys(article.text), commit=False)
        except Exception as exc:  # noqa: BLE001 - the store refused this article alone (its savepoint undone)
            if retry.is_busy(exc):
                raise
            return f"could not be stored ({type(exc).__name__}: {exc})"
        if not stored:  # another process stored it first: record this source too
            store.add_source(self.conn, article.source, article.id, article.ingested_at or utc_now(), commit=False)
            return "present"
        return "stored"

    def _write_version(self, item: _Queued, edits: str) -> str:
        """Inside the transaction: store a new version of ``edits``, checked again (another process may have stored it)."""
        page, seen = item.article, item.article.ingested_at or utc_now()
        if not store.has_article(self.conn, edits):
            return f"not stored: the article {edits} it is a new version of is not stored"
        found = self._version(page, edits) if item.sig else None
        if found is None:
            store.add_source(self.conn, page.source, edits, seen, commit=False)
            return "present"
        edited, cut = found
        try:
            versions.save_version(self.conn, edited, page.id, seen, item.sig, outlet_line_keys(page.text), cut)
            store.add_source(self.conn, page.source, edits, seen, commit=False)
        except Exception as exc:  # noqa: BLE001 - the store refused this version alone (its savepoint undone)
            if retry.is_busy(exc):
                raise
            return f"could not be stored as a new version of {edits} ({type(exc).__name__}: {exc})"
        if edited.outlet:
            self.outlets.add(edited.outlet)  # its lines are counted again: outlet-wide boilerplate is cut after the run
        return "updated"

    def _fail(self, failure: Failure) -> str:
        corpus.record_failure(self.conn, failure.source, failure.reason, utc_now(), commit=False)
        return "failed"

    def _count(self, item: _Queued, outcome: str) -> None:
        article = item.article
        if outcome == "present":
            self.skipped.append((article.source, f"already stored as {item.edits or article.id}"))
        elif outcome == "updated":
            self.updated.append((article.source, item.edits or article.id))
        elif outcome != "stored":
            self.failed.append(Failure(article.source, outcome))
        elif item.match:
            self.duplicates.append((article.id, item.match))
        else:
            self.ingested.append(article.id)
        if outcome in ("stored", "updated"):
            if article.outlet:
                self.outlets.add(article.outlet)
            self.warnings.extend((article.source, e.value) for e in article.evidence if e.field in {"encoding"})

    def summary(self) -> IngestSummary:
        """Return what this run did."""
        return IngestSummary(tuple(self.ingested), tuple(self.duplicates), tuple(self.skipped), tuple(self.failed), tuple(self.warnings),
                             tuple(self.updated))


def outlet_boilerplate(conn: Connection, outlets: set[str], settings: Settings) -> None:
    """Cut lines repeated across at least ``outlet_repeat_min`` articles of one outlet."""
    if not outlets:
        return
    for outlet, keys in corpus.repeated_outlet_lines(conn, settings.outlet_repeat_min, outlets).items():
        reason = repeated_line_reason(outlet, settings.outlet_repeat_min)
        for article_id in corpus.articles_with_lines(conn, outlet, keys):
            article = store.load_article(conn, article_id)
            if article is None:
                continue
            updated = reclean(article, keys, reason)
            if updated is not article:
                store.update_cleaning(conn, updated)
            corpus.mark_lines_removed(conn, outlet, article_id, keys)
