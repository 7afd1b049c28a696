"""Jobs started from the web app: one at a time, in a background thread, with progress to show.

SQLite takes one writer at a time, so jobs run one after another on a single worker thread;
pages keep reading while a job writes (the store is in WAL mode). An ingest job (the ingest
form) ingests its sources (cleaning, duplicates, boilerplate) and then annotates and links
what it stored, counting each step so the status page can show how far it got. A
re-annotation job (after a correction of an article's metadata) annotates and links those
articles again (:func:`storyline.flow.correct.reannotate`).
"""

from __future__ import annotations

import hashlib
import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..ingest.files import SUFFIXES
from ..ingest.warc import is_archive
from ..flow import annotate_pending, ingest
from ..flow.correct import reannotate
from ..settings import Settings
from ..store.annotations import count_unannotated
from ..store.schema import connect

__all__ = ["Job", "JobQueue", "save_upload"]


@dataclass
class Job:
    """One ingest or re-annotation request and how far it got."""

    id: str
    sources: tuple[str, ...]
    label: str
    kind: str = "ingest"
    """``ingest`` (sources) or ``reannotate`` (the articles in ``article_ids``, after a correction)."""
    article_ids: tuple[str, ...] = ()
    state: str = "queued"
    """queued, ingesting, annotating, done or failed."""
    seen: int = 0
    ingested: list[str] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0
    updated: list[str] = field(default_factory=list)
    """Articles whose page came back with edited text: stored as a new version (docs/versions.md)."""
    failures: list[tuple[str, str]] = field(default_factory=list)
    annotated: int = 0
    to_annotate: int = 0
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def running(self) -> bool:
        """True until the job is done or failed."""
        return self.state not in {"done", "failed"}

    def snapshot(self) -> dict[str, object]:
        """Return the job's state as plain data (for the JSON API)."""
        return {"id": self.id, "kind": self.kind, "article_ids": list(self.article_ids), "label": self.label, "state": self.state,
                "seen": self.seen, "ingested": list(self.ingested),
                "duplicates": self.duplicates, "skipped": self.skipped, "updated": list(self.updated),
                "failures": [{"source": s, "reason": r} for s, r in self.failures],
                "annotated": self.annotated, "to_annotate": self.to_annotate, "error": self.error,
                "started": self.started, "finished": self.finished}


class JobQueue:
    """Runs ingest jobs one at a time on a daemon thread; keeps the most recent :data:`KEEP` jobs."""

    KEEP = 200

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._todo: queue.Queue[Job] = queue.Queue()
        threading.Thread(target=self._work, name="storyline-ingest", daemon=True).start()

    def submit(self, sources: list[str], label: str) -> Job:
        """Queue a job for these sources (URLs, feeds or saved uploads) and return it."""
        return self._queue(Job(uuid.uuid4().hex[:12], tuple(sources), label))

    def submit_reannotation(self, article_ids: list[str], label: str) -> Job:
        """Queue a job that annotates and links these stored articles again, and return it."""
        return self._queue(Job(uuid.uuid4().hex[:12], (), label, kind="reannotate", article_ids=tuple(article_ids)))

    def reannotation(self, article_id: str) -> Job | None:
        """Return the latest re-annotation job of this article, or None."""
        with self._lock:
            found = [j for j in self.jobs.values() if j.kind == "reannotate" and article_id in j.article_ids]
        return max(found, key=lambda j: j.started, default=None)

    def _queue(self, job: Job) -> Job:
        with self._lock:
            self.jobs[job.id] = job
            for old in list(self.jobs)[:-self.KEEP]:
                if not self.jobs[old].running:
                    del self.jobs[old]
        self._todo.put(job)
        return job

    def recent(self, n: int = 10) -> list[Job]:
        """Return the ``n`` most recently started jobs, newest first."""
        with self._lock:
            return sorted(self.jobs.values(), key=lambda j: -j.started)[:n]

    def get(self, job_id: str) -> Job | None:
        """Return a job by id, or None."""
        with self._lock:
            return self.jobs.get(job_id)

    def _work(self) -> None:
        while True:
            job = self._todo.get()
            try:
                if job.kind == "reannotate":
                    self._reannotate(job)
                else:
                    self._run(job)
                job.state = "done"
            except Exception as exc:  # a failed job is reported on its page; the worker goes on
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
            job.finished = time.time()

    def _run(self, job: Job) -> None:
        job.state = "ingesting"

        def ingested(outcome: str, source: str) -> None:
            job.seen += 1
            job.duplicates += outcome == "duplicate"
            job.skipped += outcome == "skipped"

        summary = ingest(job.sources, replace(self.settings, annotate=False), progress=ingested)
        job.ingested = list(summary.ingested) + [a for a, _ in summary.duplicates]
        job.updated = list(dict.fromkeys(a for _, a in summary.updated))
        job.failures = [(f.source, f.reason) for f in summary.failed]
        job.state = "annotating"
        conn = connect(self.settings.db)
        try:
            job.to_annotate = count_unannotated(conn, self.settings.spacy_model)

            def annotated(outcome: str, article_id: str) -> None:
                job.annotated += 1

            annotate_pending(conn, self.settings, progress=annotated)
        finally:
            conn.close()

    def _reannotate(self, job: Job) -> None:
        job.state, job.to_annotate = "annotating", len(job.article_ids)

        def annotated(outcome: str, article_id: str) -> None:
            job.annotated += 1
            if outcome == "failed":
                job.failures.append((article_id, "annotating it again failed (see `storyline failures`)"))

        conn = connect(self.settings.db)
        try:
            reannotate(conn, self.settings, list(job.article_ids), progress=annotated)
        finally:
            conn.close()


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def save_upload(folder: Path, filename: str | None, data: bytes) -> Path:
    """Keep an uploaded file under ``folder`` as ``<content hash>-<safe name>`` and return its path.

    The same bytes uploaded twice land on the same path, so the second ingest finds the
    source already stored.

    Raises:
        InputError: the file's type is not one Storyline reads, or it is empty.
    """
    name = Path(filename or "upload.txt").name
    suffix = Path(name).suffix.lower()
    if is_archive(Path(name)):
        suffix = "".join(Path(name).suffixes[-2:]).lower() if suffix == ".gz" else suffix  # .warc.gz
    elif suffix not in SUFFIXES:
        raise InputError(f"{name}: Storyline reads {', '.join(sorted(SUFFIXES))} files, not {suffix or 'files without a suffix'}")
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    safe = _UNSAFE.sub("_", name[: len(name) - len(suffix)])[:60].strip("._") or "upload"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{safe}{suffix}"
    if not path.exists():
        path.write_bytes(data)
    return path
