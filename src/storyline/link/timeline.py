"""Timeline: the dated events of many articles, merged when they report the same thing.

Only events with the same granularity and the same TIMEX3 value can merge, so "May 23, 2024"
never merges with "the week of May 20" (``2024-W21``). Within one (granularity, value) bucket
two events are the same event when

1. their sentences are near-identical: content-word Jaccard >= :data:`NEAR_IDENTICAL_JACCARD`
   (wire copy, light rewrites), or
2. they are dated to the same day, at most one of them names actors, and they share
   :data:`DAY_SHARED_WORDS` content words, or
3. they name a common actor and share at least :data:`MIN_SHARED_WORDS` content words besides
   the actors' own names ("Russian missiles hit Kharkiv" / "a missile strike on Kharkiv").

Merging is transitive (union-find over each bucket), so the groups depend only on the set of
events, never on their order. Vague values (``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``),
durations and unresolved times say nothing about *when*, so their events are left out.

This module is pure: it takes :class:`DatedEvent` records and knows nothing about the store.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date

__all__ = [
    "DatedEvent", "Appearance", "TimelineGroup", "build_timeline", "is_datable", "content_words",
    "lag_days", "period_bounds", "NEAR_IDENTICAL_JACCARD", "MIN_SHARED_WORDS", "SUMMARY_CHARS",
]

NEAR_IDENTICAL_JACCARD = 0.5
"""Content-word Jaccard similarity at or above which two sentences on the same date are one event."""
MIN_SHARED_WORDS = 1
DAY_SHARED_WORDS = 2
"""Events dated to the same day merge without a common actor when they share this many content words."""
"""Content words (actor names aside) two sentences naming a common actor must share to be one event."""
SUMMARY_CHARS = 200
"""A group's summary is its first report's sentence, cut at a word boundary before this many characters."""

VAGUE_VALUES = frozenset({"PAST_REF", "PRESENT_REF", "FUTURE_REF"})
GRANULARITY_ORDER = ("time", "day", "week", "range", "month", "season", "quarter", "year", "decade", "century")
"""Finer first: the order of groups that start on the same day."""
_SUFFIXES = ("ing", "ed", "s")
_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just last least let like many may me might more most much must my
myself near new next no nor not now of off on once one only or other our ours out over own per said same say saying says
she should since so some such than that the their theirs them themselves then there these they this those through
thus to told too under until up upon us very was we were what when where which while who whom whose why will with
within without would year years yet you your yours week weeks month months day days today yesterday tomorrow
according added adding announced reported reporting reports statement tell telling tells stated stating
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""".split())


@dataclass(frozen=True, slots=True)
class DatedEvent:
    """One event as the timeline needs it: its date, its sentence, its article and actors."""

    id: str
    article_id: str
    outlet: str | None
    published: str | None
    """The article's publication date ``YYYY-MM-DD``, None when unknown."""
    date: str | None
    """The TIMEX3 value of when it happened (``2024-05-23``, ``2024-W21``, ``2023-FA``)."""
    granularity: str | None
    earliest: str | None
    """First and last day the date covers (``YYYY-MM-DD``)."""
    latest: str | None
    sentence: str
    actor_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Appearance:
    """One article's report of a timeline event."""

    event_id: str
    article_id: str
    outlet: str | None
    """None when the outlet is unknown (shown as "unknown")."""
    published: str | None
    lag_days: int | None
    """Days from the event's last possible day to publication; negative for a future event."""


@dataclass(frozen=True, slots=True)
class TimelineGroup:
    """Events from one or more articles that report the same thing on the same date."""

    date: str
    granularity: str
    earliest: str | None
    latest: str | None
    summary: str
    """The sentence of the earliest-published report, trimmed to about :data:`SUMMARY_CHARS`."""
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    actor_ids: tuple[str, ...]
    appearances: tuple[Appearance, ...]
    """Earliest publication first; unknown dates last."""
    first_reported: str | None
    """The earliest publication date among the appearances, None when none is known."""


def is_datable(event: DatedEvent) -> bool:
    """Return True when the event's time places it on the calendar (not vague, not a duration, resolved)."""
    if event.date is None or event.granularity in (None, "duration"):
        return False
    return event.date not in VAGUE_VALUES and not event.date.startswith("P")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    """Return the lower-cased, lightly stemmed words of ``text`` that carry content.

    Function words, reporting verbs, month and weekday names, numbers and words under three
    letters are dropped: two sentences about the same date always share those.
    """
    words = set()
    for token in re.findall(r"[^\W\d_]+", text.lower()):
        stem = _stem(token)
        if len(stem) >= 3 and token not in _STOPWORDS and stem not in _STOPWORDS:
            words.add(stem)
    return frozenset(words)


def _name_words(actor_ids: Iterable[str]) -> frozenset[str]:
    """Words of actor ids (``person:vladimir-putin`` -> vladimir, putin): a shared name is not shared content."""
    return frozenset(w for a in actor_ids for w in content_words(a.split(":", 1)[-1].replace("-", " ")))


def _same_event(a: DatedEvent, b: DatedEvent, words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    union = words_a | words_b
    if union and len(words_a & words_b) / len(union) >= NEAR_IDENTICAL_JACCARD:
        return True
    shared = (words_a & words_b) - _name_words(a.actor_ids + b.actor_ids)
    if a.granularity in {"day", "time"} and len(shared) >= DAY_SHARED_WORDS and not (a.actor_ids and b.actor_ids):
        return True
    if not set(a.actor_ids) & set(b.actor_ids):
        return False
    return len(shared) >= MIN_SHARED_WORDS


def _clusters(bucket: Sequence[DatedEvent]) -> list[list[DatedEvent]]:
    """Split one date's events into the transitive closure of :func:`_same_event`."""
    words = [content_words(e.sentence) for e in bucket]
    parent = list(range(len(bucket)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(bucket)):
        for j in range(i + 1, len(bucket)):
            if root(i) != root(j) and _same_event(bucket[i], bucket[j], words[i], words[j]):
                parent[root(j)] = root(i)
    clusters: dict[int, list[DatedEvent]] = {}
    for i, event in enumerate(bucket):
        clusters.setdefault(root(i), []).append(event)
    return list(clusters.values())


def _parse_day(value: str | None) -> Date | None:
    try:
        return Date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def lag_days(published: str | None, latest: str | None, earliest: str | None = None) -> int | None:
    """Return the days from an event's last possible day (``latest``) to its report's ``published`` date.

    0 when the article was published within the event's period (``earliest``..``latest``: "earlier
    this month"); negative when it was published before the period began: a scheduled or expected
    (future) event. None when either date is unknown.
    """
    day, last, first = _parse_day(published), _parse_day(latest), _parse_day(earliest)
    if not day or not last:
        return None
    if first and first <= day <= last:
        return 0
    if first and day < first:
        return (day - first).days
    return (day - last).days


def _trim(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:—-") + "…"


def _event_key(e: DatedEvent) -> tuple[bool, str, str, str]:
    """Earliest publication first, unknown dates last, then article and event id."""
    return (e.published is None, e.published or "", e.article_id, e.id)


def _group(members: Sequence[DatedEvent]) -> TimelineGroup:
    members = sorted(members, key=_event_key)
    first = members[0]
    earliest = [e.earliest for e in members if e.earliest]
    latest = [e.latest for e in members if e.latest]
    published = [e.published for e in members if e.published]
    return TimelineGroup(
        date=str(first.date), granularity=str(first.granularity),
        earliest=min(earliest) if earliest else None, latest=max(latest) if latest else None,
        summary=_trim(first.sentence), event_ids=tuple(e.id for e in members),
        article_ids=tuple(dict.fromkeys(e.article_id for e in members)),
        actor_ids=tuple(sorted({a for e in members for a in e.actor_ids})),
        appearances=tuple(Appearance(e.id, e.article_id, e.outlet, e.published, lag_days(e.published, e.latest, e.earliest)) for e in members),
        first_reported=min(published) if published else None,
    )


def _rank(granularity: str) -> int:
    return GRANULARITY_ORDER.index(granularity) if granularity in GRANULARITY_ORDER else len(GRANULARITY_ORDER)


def _group_key(g: TimelineGroup) -> tuple[str, int, str, str]:
    return (g.earliest or g.date, _rank(g.granularity), g.date, g.event_ids[0])


def build_timeline(events: Iterable[DatedEvent]) -> list[TimelineGroup]:
    """Merge events across articles that report the same thing on the same date; return the groups in date order.

    Events are sorted before anything else, so the result is the same for any input order. An
    event id given twice counts once. Events whose time is vague, a duration or unresolved are
    left out (see :func:`is_datable`).

    Returns:
        Groups by earliest day, then granularity (finer first), then value.
    """
    unique: dict[str, DatedEvent] = {}
    for event in sorted((e for e in events if is_datable(e)), key=lambda e: (e.id, _event_key(e), repr(e))):
        unique.setdefault(event.id, event)
    buckets: dict[tuple[str, str], list[DatedEvent]] = {}
    for event in sorted(unique.values(), key=_event_key):
        buckets.setdefault((str(event.granularity), str(event.date)), []).append(event)
    groups = [_group(cluster) for bucket in buckets.values() for cluster in _clusters(bucket)]
    return sorted(groups, key=_group_key)


def period_bounds(value: str) -> tuple[str, str]:
    """Return the first and last day of ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    Raises:
        ValueError: ``value`` is none of those forms (the message says which are accepted).
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        if day:
            start = end = Date(year, month, day)
        elif month:
            start, end = Date(year, month, 1), Date(year, month, calendar.monthrange(year, month)[1])
        else:
            start, end = Date(year, 1, 1), Date(year, 12, 31)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-05-23)") from None
    return start.isoformat(), end.isoformat()
