"""Watch feeds, pages and files of URLs; store what is new, round after round, until stopped.

One round (:meth:`Watcher.run_round`):

1. every watched source that is due is checked with a conditional GET through the
   :class:`~storyline.follow.polite.PoliteFetcher` (robots.txt, per-host pacing, Retry-After): a 304
   costs nothing; a feed gives the entries not seen before; a watched page gives itself; a local file
   of URLs gives the URLs not seen before. A failed check waits longer each time (the round interval
   doubled per failure, with jitter, at most ``watch_backoff_max``; ``Retry-After`` when the server
   said); a source answering 404 or 410 three times running is marked gone and checked once a day;
2. pages stored by the watch in the last ``revisit_hours`` are fetched again, conditionally, at most
   once per round interval, so an edit is caught even when no feed announces it (an edited text is
   stored as a new version of its article by the save step: docs/versions.md);
3. the new documents go through the whole flow (:func:`storyline.flow.run.ingest_documents`): pages
   fetched, cleaned, kept only when in the source's scope (:mod:`storyline.follow.scope`), saved,
   annotated, linked;
4. what each entry gave is recorded, so a restart never fetches it again; an entry that failed for a
   passing reason (network, 429, 5xx) is not recorded and is tried again next round.

State lives in the database (store/watch.py), so a watch can stop and start (or run from cron with
``--once``) without losing its place. ``stop()`` is asked after every document: a SIGTERM ends the
round after the current article, with nothing half-stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..errors import FetchError, InputError, StorylineError
from ..flow.run import ingest_documents
from ..ingest.fetch import Validators
from ..ingest.files import read_file
from ..ingest.sources import complete, document_of, is_url
from ..models import Article, Failure, IngestSummary, RawDocument
from ..settings import Settings
from ..store.articles import article_for_source
from ..store.db import Connection
from ..store.retry import write
from ..store.schema import connect
from ..store.watch import (
    WatchPage, WatchSource, add_source, entry_counts, load_sources, pages_due, record_entries, remember_page, save_check, seen_entries,
    touch_page,
)
from .clock import stamp, utc_now
from .polite import PoliteFetcher
from .scope import Scope, parse_scope

__all__ = ["Round", "Watcher", "GONE_AFTER", "utc_now", "source_rows"]

GONE_AFTER = 3
"""Consecutive 404/410 answers after which a source is marked gone (then checked once a day)."""
_DAY = 24 * 3600.0
_KEPT = ("ingested", "duplicate", "updated", "skipped", "out of scope")


@dataclass
class Round:
    """What one round did."""

    started: str
    checked: int = 0
    not_modified: int = 0
    new_documents: int = 0
    revisited: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(source, reason) for sources that could not be checked."""
    summary: IngestSummary = field(default_factory=IngestSummary)
    stopped: bool = False

    def line(self) -> str:
        """The round in one line, for the log."""
        s = self.summary
        return (f"{self.started}: checked {self.checked} source(s) ({self.not_modified} unchanged), revisited {self.revisited} page(s);"
                f" {len(s.ingested)} new, {len(s.updated)} edited, {len(s.duplicates)} near-duplicate(s),"
                f" {sum(1 for _, why in s.skipped if why == 'out of scope')} out of scope, {len(s.failed)} failed"
                + (f"; {len(self.failures)} source(s) failing" if self.failures else "") + ("; stopped" if self.stopped else ""))


@dataclass
class _Plan:
    """The documents a round will ingest and where each came from."""

    documents: list[tuple[RawDocument | Failure, str | None]] = field(default_factory=list)
    """(document, the watched source it is an entry of; None for a revisited page)."""
    urls: set[str] = field(default_factory=set)

    def add(self, item: RawDocument | Failure, owner: str | None) -> bool:
        key = _key(item)
        if key in self.urls:
            return False
        self.urls.add(key)
        self.documents.append((item, owner))
        return True


class Watcher:
    """Watches the sources stored in one database (see the module)."""

    def __init__(self, settings: Settings, *, every: float, fetcher: PoliteFetcher | None = None,
                 now: Callable[[], dt.datetime] = utc_now, rng: random.Random | None = None) -> None:
        """``every``: seconds between rounds (also the base of the backoff and the revisit interval)."""
        self.settings = settings
        self.every = every
        self.fetcher = fetcher or PoliteFetcher(settings)
        self.now = now
        self.rng = rng or random.Random()

    def add(self, sources: Sequence[str], match: str = "") -> None:
        """Watch these feeds, pages or files of URLs (within the scope ``match``).

        Raises:
            InputError: a source that is no http(s) URL nor a readable file, or a scope that cannot be parsed.
        """
        conn = connect(self.settings.db)
        try:
            parse_scope(match, conn)
            for source in sources:
                if not is_url(source) and not Path(source).is_file():
                    raise InputError(f"{source}: not an http(s) URL nor a file of URLs")
            now = stamp(self.now())

            def save() -> None:
                for source in sources:
                    add_source(conn, source if is_url(source) else str(Path(source).resolve()), match, now)
            write(conn, save, what="adding watched sources")
        finally:
            conn.close()

    def run(self, stop: threading.Event, report: Callable[[Round], None] = lambda r: None) -> None:
        """Run rounds every ``every`` seconds until ``stop`` is set (a round in progress ends after its current article)."""
        while not stop.is_set():
            report(self.run_round(stop.is_set))
            stop.wait(self.every)

    def run_round(self, stop: Callable[[], bool] = lambda: False) -> Round:
        """Check what is due, ingest what is new, record it (see the module)."""
        self.fetcher.validators.clear()
        self.fetcher.answered.clear()
        self.fetcher.errors.clear()
        now = self.now()
        done = Round(started=stamp(now))
        plan = _Plan()
        conn = connect(self.settings.db)
        try:
            scopes: dict[str, Scope] = {}
            pending: dict[str, WatchSource] = {}
            for source in load_sources(conn):
                if stop():
                    done.stopped = True
                    break
                if not _due(source, now):
                    continue
                scopes[source.url] = parse_scope(source.match, conn)
                state, items = self._check(conn, source, now)
                if items:  # its new validators only once every new entry is handled (a stop or a retry would lose them)
                    pending[source.url] = state
                    state = replace(state, etag=source.etag, last_modified=source.last_modified)
                write(conn, lambda: save_check(conn, state), what="recording a watched source's check")
                done.checked += 1
                done.not_modified += state.last_status == 304
                if state.failures:
                    done.failures.append((source.url, state.last_error or ""))
                done.new_documents += sum(plan.add(item, source.url) for item in items)
            if not done.stopped:
                done.revisited = self._revisit(conn, plan, now)
            done.summary, retry = self._ingest(conn, plan, scopes, stop, now)
            done.stopped = done.stopped or stop()
            settled = [] if done.stopped else [state for url, state in pending.items() if url not in retry]

            def settle() -> None:
                for state in settled:
                    save_check(conn, state)
            write(conn, settle, what="recording validators")
        finally:
            conn.close()
        return done

    # -- checking sources ------------------------------------------------------

    def _check(self, conn: Connection, source: WatchSource, now: dt.datetime) -> tuple[WatchSource, list[RawDocument | Failure]]:
        iso = stamp(now)
        if not is_url(source.url):
            return self._check_list(conn, source, now)
        self.fetcher.validators[source.url] = Validators(source.etag, source.last_modified)
        try:
            fetched = self.fetcher(source.url, self.settings)
            if fetched.not_modified:
                return replace(source, last_checked=iso, last_ok=iso, last_status=304, last_error=None, failures=0,
                               next_after=None, gone=False), []
            found = document_of(fetched, source.url, self.settings)
        except StorylineError as exc:
            return self._failed(source, exc, now), []
        kind = "feed" if isinstance(found, list) else "page"
        state = replace(source, kind=kind, etag=fetched.validators.etag, last_modified=fetched.validators.last_modified,
                        last_checked=iso, last_ok=iso, last_status=fetched.status, last_error=None, failures=0,
                        next_after=None, gone=False)
        if not isinstance(found, list):
            return state, [found]
        seen = seen_entries(conn, source.url)
        return state, [item for item in (_stable(e, source.url) for e in found) if _key(item) not in seen]

    def _check_list(self, conn: Connection, source: WatchSource, now: dt.datetime) -> tuple[WatchSource, list[RawDocument | Failure]]:
        iso = stamp(now)
        try:
            items = [i for i in read_file(Path(source.url), self.settings) if isinstance(i, RawDocument) and i.url]
        except StorylineError as exc:
            return self._failed(source, exc, now), []
        seen = seen_entries(conn, source.url)
        fresh: list[RawDocument | Failure] = [replace(i, source=i.url or i.source) for i in items if i.url not in seen]
        return replace(source, kind="list", last_checked=iso, last_ok=iso, last_status=None, last_error=None, failures=0,
                       next_after=None), fresh

    def _failed(self, source: WatchSource, exc: StorylineError, now: dt.datetime) -> WatchSource:
        status = exc.status if isinstance(exc, FetchError) else None
        failures = source.failures + 1
        gone = status in (404, 410) and failures >= GONE_AFTER
        if gone:
            wait = _DAY
        elif isinstance(exc, FetchError) and exc.retry_after is not None:
            wait = exc.retry_after
        else:
            wait = min(self.settings.watch_backoff_max, self.every * 2 ** (failures - 1)) * self.rng.uniform(0.8, 1.2)
        return replace(source, last_checked=stamp(now), last_status=status, last_error=str(exc), failures=failures,
                       next_after=stamp(now + dt.timedelta(seconds=wait)), gone=gone)

    def _revisit(self, conn: Connection, plan: _Plan, now: dt.datetime) -> int:
        """Fetch again (conditionally) the stored pages within their revisit window; a changed one joins the plan."""
        count = 0
        for page in pages_due(conn, stamp(now), stamp(now - dt.timedelta(seconds=self.every))):
            self.fetcher.validators[page.url] = Validators(page.etag, page.last_modified)
            count += 1
            try:
                fetched = self.fetcher(page.url, self.settings)
                found = None if fetched.not_modified else document_of(fetched, page.url, self.settings)
            except StorylineError:
                found, fetched = None, None  # tried again next round
            if isinstance(found, RawDocument):
                plan.add(found, None)
            got = fetched.validators if fetched is not None and not fetched.not_modified else Validators()
            write(conn, lambda: touch_page(conn, page.url, stamp(now), got.etag, got.last_modified), what="recording a revisit")
        return count

    # -- ingesting -------------------------------------------------------------

    def _ingest(self, conn: Connection, plan: _Plan, scopes: dict[str, Scope], stop: Callable[[], bool],
                now: dt.datetime) -> tuple[IngestSummary, set[str]]:
        """Ingest the plan; return the summary and the sources with an entry to try again next round."""
        if not plan.documents:
            return IngestSummary(), set()
        owner_of: dict[str, str | None] = {}
        passing: set[str] = set()
        outcomes: dict[str, str] = {}

        def documents() -> Iterator[RawDocument | Failure]:
            for item, owner in plan.documents:
                done = complete(item, self.settings, self.fetcher)
                owner_of[done.source] = owner
                error = self.fetcher.errors.get(item.url or "") if isinstance(item, RawDocument) else None
                if isinstance(done, Failure) and error is not None and (error.status is None or error.status == 429 or error.status >= 500):
                    passing.add(done.source)
                yield done

        def keep(article: Article) -> bool:
            owner = owner_of.get(article.source)
            return owner is None or scopes.get(owner, _EVERYTHING).keeps(article)

        summary = ingest_documents(documents(), self.settings, keep=keep, stop=stop,
                                   progress=lambda outcome, source: outcomes.__setitem__(source, outcome))
        self._record(conn, outcomes, owner_of, passing, now)
        unhandled = {owner for item, owner in plan.documents if owner is not None and _key(item) not in outcomes}
        return summary, unhandled | {owner for source in passing if (owner := owner_of.get(source)) is not None}

    def _record(self, conn: Connection, outcomes: dict[str, str], owner_of: dict[str, str | None],
                passing: set[str], now: dt.datetime) -> None:
        iso = stamp(now)
        until = stamp(now + dt.timedelta(hours=self.settings.revisit_hours))
        by_owner: dict[str, list[tuple[str, str | None, str]]] = {}
        pages: list[WatchPage] = []
        for source, outcome in outcomes.items():
            if outcome == "failed" and source in passing:
                continue
            article = article_for_source(conn, source) if outcome in _KEPT else None
            owner = owner_of.get(source)
            if owner is not None:
                by_owner.setdefault(owner, []).append((source, article, outcome))
            if outcome in ("ingested", "updated") and is_url(source):
                got = self.fetcher.answered.get(source, Validators())
                pages.append(WatchPage(source, article, got.etag, got.last_modified, until))

        def save() -> None:
            for owner, entries in by_owner.items():
                record_entries(conn, owner, entries, iso)
            for page in pages:
                remember_page(conn, page, iso)
        write(conn, save, what="recording watched entries")


_EVERYTHING = Scope("", ())


def source_rows(conn: Connection) -> list[dict[str, object]]:
    """Every watched source with its health and the entries it has given: what `watch --status`, the Watched page
    and ``GET /api/watching`` show."""
    counts = entry_counts(conn)
    return [{**asdict(s), "health": s.health, "entries": counts.get(s.url, 0)} for s in load_sources(conn)]


def _due(source: WatchSource, now: dt.datetime) -> bool:
    return source.next_after is None or dt.datetime.fromisoformat(source.next_after) <= now


def _key(item: RawDocument | Failure) -> str:
    return (item.url or item.source) if isinstance(item, RawDocument) else item.source


def _stable(item: RawDocument | Failure, feed: str) -> RawDocument | Failure:
    """An entry without a link is named by its content (its position in the feed moves as entries come and go)."""
    if isinstance(item, RawDocument) and not item.url:
        digest = hashlib.sha256((item.html or item.text or "").encode("utf-8")).hexdigest()[:16]
        return replace(item, source=f"{feed}#entry-{digest}")
    return item
