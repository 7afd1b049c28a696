"""What is new since a given time: ``storyline digest``, the web app's "What's new" page and ``/api/digest``.

"New" is new to the store: an article counts from when Storyline ingested it (``articles.ingested_at``),
an edit from when its version was seen, whatever their publication dates (shown beside). For the
window it reports, per thread and story (articles in no story in an "unlinked" group):

1. new stories (every article ingested in the window) and the new articles;
2. claims seen for the first time, and claims told again (the Nth telling, first seen when and by whom);
3. changed figures ("28 dead" -> "31 dead", claims kept apart as variants), hedges and conditions
   ("ready for talks" -> "ready for talks only if ...") of a known claim;
4. claim groups that gained independent origins (before -> after, and which);
5. labels an outlet gives an actor for the first time;
6. quotes by the main actors (the 10 most mentioned, and those a ``match`` query names);
7. edited articles: each new version against the one before, word by word, with the quotes and
   claims it added or removed.

A ``match`` query (the words of ``storyline search``) keeps the stories holding an article that
matches it, and the unlinked articles that match it themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..errors import StorylineError
from ..store import browse
from ..store.annotations import iter_quotes
from ..store.db import Connection
from ..store.digest import (
    IngestedArticle, actors_named, articles_ingested_since, articles_matching, first_ingested, last_digest, most_mentioned_actors,
    new_label_uses, stories_matching, versions_seen_since,
)
from .claimnews import claim_news
from .clock import stamp, utc_now
from .digestformats import digest_html, digest_json, digest_markdown
from .edits import article_edit
from .news import (
    ArticleEdit, ChangedClaim, Digest, FirstSeenClaim, NewArticle, NewLabel, NewQuote, OriginsUp, RecurringClaim, StoryNews, ThreadNews,
)

__all__ = ["MAIN_ACTORS", "parse_since", "resolve_since", "utc_now", "stamp", "build_digest", "digest_json", "digest_markdown", "digest_html", "Digest"]

MAIN_ACTORS = 10
"""The quotes of this many most mentioned actors (over the whole store) are reported, besides those a query names."""
_RELATIVE = re.compile(r"^\s*(\d{1,6})\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}.*)?$")


def parse_since(text: str, now: datetime | None = None) -> str:
    """Return the start of a digest's window as stored times read (``2025-03-20T00:00:00+00:00``).

    Args:
        text: a day (``2025-03-20``: 00:00 UTC), an ISO date-time (no zone: UTC), or a time before ``now``
            (``24h``, ``7d``, ``2w``).
        now: the time relative values count back from (default: now).

    Raises:
        StorylineError: ``text`` is none of these.
    """
    text = text.strip()
    try:
        relative = _RELATIVE.match(text)
        if relative:
            return stamp((now or utc_now()) - timedelta(**{_UNITS[relative.group(2).lower()]: int(relative.group(1))}))
        if _DATE_TIME.match(text):
            when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            return stamp(when if when.tzinfo else when.replace(tzinfo=timezone.utc))
    except (ValueError, OverflowError):
        pass
    raise StorylineError(f"{text!r} is not a time: give a day (2025-03-20, from 00:00 UTC), an ISO date-time "
                         "(2025-03-20T08:00, UTC unless it names a zone) or a time ago (24h, 7d, 2w)")


def resolve_since(conn: Connection, since: str | None, match: str | None = None) -> str:
    """Return the start of a digest's window: ``since`` read by :func:`parse_since`, or, without it, the time the
    last recorded digest of the same scope (``match``) was made.

    Raises:
        StorylineError: ``since`` is not a time, or it is left out and no digest of this scope was recorded.
    """
    if since:
        return parse_since(since)
    last = last_digest(conn, match or "")
    if last is None:
        scope = f" matching {match!r}" if match else ""
        raise StorylineError(f"no digest{scope} was recorded yet, so there is no 'last time' to start from: give --since "
                             "(a day such as 2025-03-20, an ISO date-time, or 24h, 7d)")
    return last.at


def _new_article(a: IngestedArticle) -> NewArticle:
    return NewArticle(a.id, a.title, a.outlet, a.published, a.ingested_at, a.duplicate_of)


def _main_actors(conn: Connection, match: str | None) -> tuple[tuple[str, str], ...]:
    actors = dict(most_mentioned_actors(conn, limit=MAIN_ACTORS))
    actors.update(actors_named(conn, match) if match else [])
    return tuple(actors.items())


def _quotes(conn: Connection, articles: Iterable[IngestedArticle], actors: dict[str, str]) -> list[tuple[str, NewQuote]]:
    out: list[tuple[str, NewQuote]] = []
    for a in articles:
        for q in iter_quotes(conn, article_id=a.id):
            if q.article_id == a.id and q.speaker_actor_id in actors:
                speaker = actors[q.speaker_actor_id]
                out.append((a.id, NewQuote(q.id, a.id, q.speaker_actor_id, speaker, q.quote.text, q.quote.direct, a.outlet, a.published)))
    return out


@dataclass
class _Items:
    """The items of one story, collected in the order they come."""

    articles: list[NewArticle] = field(default_factory=list)
    first_seen: list[FirstSeenClaim] = field(default_factory=list)
    recurring: list[RecurringClaim] = field(default_factory=list)
    changed: list[ChangedClaim] = field(default_factory=list)
    origins_up: list[OriginsUp] = field(default_factory=list)
    labels: list[NewLabel] = field(default_factory=list)
    quotes: list[NewQuote] = field(default_factory=list)
    edits: list[ArticleEdit] = field(default_factory=list)


class _Sorter:
    """Collects items per story (articles in no story under ``None``), remembering the order stories first got news."""

    def __init__(self) -> None:
        self.items: dict[str | None, _Items] = {}
        self.threads: dict[str, list[str]] = {}

    def of(self, story: str | None, thread: str | None) -> _Items:
        """Return the items of a story (``None``: no story), adding it to its thread the first time."""
        if story not in self.items:
            self.items[story] = _Items()
            if story is not None and thread is not None:
                self.threads.setdefault(thread, []).append(story)
        return self.items[story]


def _story_news(conn: Connection, sorter: _Sorter, since: str) -> tuple[tuple[ThreadNews, ...], StoryNews | None]:
    story_ids = [s for s in sorter.items if s is not None]
    summaries = {s.id: s for s in browse.story_summaries(conn, story_ids)}
    story_first = first_ingested(conn, story_ids, of="story")
    thread_first = first_ingested(conn, list(sorter.threads), of="thread")
    titles = {t.id: t.title for t in browse.thread_summaries_of(conn, list(sorter.threads))}

    def news(story: str | None) -> StoryNews:
        s = summaries.get(story) if story else None
        i = sorter.items[story]
        return StoryNews(story, s.title if s else None, story is not None and story_first.get(story, "") >= since,
                         s.first_published if s else None, s.last_published if s else None, tuple(i.articles), tuple(i.first_seen),
                         tuple(i.recurring), tuple(i.changed), tuple(i.origins_up), tuple(i.labels), tuple(i.quotes), tuple(i.edits))

    threads = tuple(ThreadNews(t, titles.get(t), thread_first.get(t, "") >= since, tuple(news(s) for s in stories))
                    for t, stories in sorter.threads.items())
    return threads, news(None) if None in sorter.items else None


def build_digest(conn: Connection, since: str, *, match: str | None = None, at: str | None = None) -> Digest:
    """Return what the store learned at or after ``since``, per thread and story.

    Args:
        conn: the store (read only: building a digest records nothing; see :func:`storyline.store.digest.record_digest`).
        since: the window's start, as :func:`parse_since` returns it.
        match: a search query (``storyline search`` words): only stories holding a matching article, and
            unlinked articles that match.
        at: when the digest is made (default: now).
    """
    articles = articles_ingested_since(conn, since)
    versions = versions_seen_since(conn, since)
    if match:
        stories = stories_matching(conn, match, [a.story_id for a in articles if a.story_id] + [v.story_id for v in versions if v.story_id])
        loose = articles_matching(conn, match, [a.id for a in articles if not a.story_id] + [v.article_id for v in versions if not v.story_id])
        articles = [a for a in articles if (a.story_id in stories if a.story_id else a.id in loose)]
        versions = [v for v in versions if (v.story_id in stories if v.story_id else v.article_id in loose)]
    placed = {a.id: (a.story_id, a.thread_id) for a in articles}
    sorter = _Sorter()
    for a in articles:
        sorter.of(a.story_id, a.thread_id).articles.append(_new_article(a))
    claims = claim_news(conn, list(placed), since)
    for section in ("first_seen", "recurring", "changed", "origins_up"):
        for article_id, item in getattr(claims, section):
            getattr(sorter.of(*placed[article_id]), section).append(item)
    for use in new_label_uses(conn, list(placed), since):
        sorter.of(*placed[use.article_id]).labels.append(NewLabel(use.outlet, use.actor_id, use.actor_name, use.label, use.article_id))
    main = _main_actors(conn, match)
    for article_id, quote in _quotes(conn, articles, dict(main)):
        sorter.of(*placed[article_id]).quotes.append(quote)
    for v in versions:
        sorter.of(v.story_id, v.thread_id).edits.append(article_edit(conn, v))
    threads, unlinked = _story_news(conn, sorter, since)
    return Digest(since, at or stamp(utc_now()), match or None, main, threads, unlinked)

