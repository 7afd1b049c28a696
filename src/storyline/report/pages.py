"""What each page shows, read from the store: the overview, a thread, a story, an article, a claim, an actor.

These are plain records, the same for the static report and the web app; the templates
turn them into HTML and only they know about links. Each builder reads one page's worth
of rows through scoped queries (one story's articles, one article's annotations).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..export.records import load_timeline
from ..link.framing import OutletFraming, OutletView, compare_actor, outlet_framing
from ..link.timeline import TimelineGroup
from ..models import Actor, Article, ArticleFraming, ClaimGroup, Story, Thread, TimeExpression
from ..store import browse
from ..store.annotations import (
    StoredAttribution, StoredMention, StoredQuote, annotation_skip, iter_attributions, iter_mentions, iter_quotes,
)
from ..store.articles import count_articles, load_article
from ..annotate.time.words import time_in_words
from ..link.groups import iter_claim_groups, load_claim_group
from ..store.claims import ArticleClaim, article_claims
from ..store.db import Connection
from ..store.framing import iter_framing
from ..store.times import iter_time_expressions
from ..store.versions import ArticleVersion, article_versions
from ..follow.versions import VersionDiff, article_versions_diffs
from .charts import LabelCount, TimelinePoint
from .textview import Block, Mark, article_blocks
from .trees import ChainItem, TreeNode, attribution_tree

__all__ = [
    "OverviewPage", "ThreadPage", "StoryPage", "SpeakerQuotes", "ActorFraming", "ArticlePage", "ClaimPage", "ActorPage",
    "overview_page", "thread_page", "story_page", "article_page", "claim_page", "actor_page", "article_marks",
    "timeline_points", "label_counts",
]

FRAMED_ACTORS = 6
"""Actors compared side by side on a story page: the most labelled ones."""


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """Threads (most recently active first) with their stories, a page at a time."""

    threads: tuple[browse.ThreadSummary, ...]
    thread_total: int
    page: int
    pages: int
    articles: int
    activity: tuple[tuple[str | None, str | None, int], ...]
    outlets: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ThreadPage:
    """One thread: its stories and every article's outlet and date."""

    thread: Thread
    stories: tuple[browse.StorySummary, ...]
    activity: tuple[tuple[str | None, str | None, int], ...]


@dataclass(frozen=True, slots=True)
class SpeakerQuotes:
    """Everything one speaker is quoted as saying in a story."""

    speaker: str
    actor_id: str | None
    quotes: tuple[tuple[StoredQuote, browse.ArticleRow], ...]


@dataclass(frozen=True, slots=True)
class ActorFraming:
    """How each outlet labelled one actor, side by side."""

    actor: str
    actor_id: str | None
    views: tuple[OutletView, ...]


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One story: articles, timeline, claims, quotes by speaker, attribution trees, framing."""

    story: Story
    thread: browse.ThreadSummary | None
    articles: tuple[browse.ArticleRow, ...]
    timeline: tuple[TimelineGroup, ...]
    claims: tuple[ClaimGroup, ...]
    speakers: tuple[SpeakerQuotes, ...]
    trees: tuple[TreeNode, ...]
    outlets: tuple[OutletFraming, ...]
    framing: tuple[ActorFraming, ...]
    framings: tuple[ArticleFraming, ...]
    """Each article's own framing record, by outlet then date."""

    @property
    def shared_claims(self) -> list[ClaimGroup]:
        """Claim groups told by more than one article: most independent origins first, then most articles, then earliest."""
        told = [(len({a.article_id for a in g.appearances}), g) for g in self.claims]
        return [g for n, g in sorted(told, key=lambda t: (-t[1].independent_origins, -t[0], t[1].first_seen or "")) if n > 1]

    @property
    def single_claims(self) -> list[ClaimGroup]:
        """Claim groups told by one article only."""
        return [g for g in self.claims if len({a.article_id for a in g.appearances}) == 1]

    @property
    def titles(self) -> dict[str, str]:
        """Article id -> title (``Untitled article`` when none), for the story's articles."""
        return {r.id: r.title or "Untitled article" for r in self.articles}


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """One article with everything found in it, and its text laid out with marks."""

    article: Article
    row: browse.ArticleRow | None
    story: browse.StorySummary | None
    blocks: tuple[Block, ...]
    quotes: tuple[StoredQuote, ...]
    attributions: tuple[StoredAttribution, ...]
    claims: tuple[ArticleClaim, ...]
    times: tuple[TimeExpression, ...]
    labels: tuple[StoredMention, ...]
    actor_names: dict[str, str]
    not_annotated: str | None = None
    """Why it was not annotated (written in a language Storyline does not read), or None."""
    versions: tuple[ArticleVersion, ...] = ()
    """The versions of its text, oldest first; empty when it was never edited."""
    diffs: tuple[VersionDiff, ...] = ()
    """Each version after the first against the one before it."""


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """One claim group: every appearance, with its article and story."""

    group: ClaimGroup
    articles: dict[str, browse.ArticleRow]
    stories: tuple[browse.StorySummary, ...]


@dataclass(frozen=True, slots=True)
class ActorPage:
    """One actor: names, labels by outlet, quotes, articles."""

    actor: Actor
    mentions: int
    article_count: int
    quote_count: int
    labels: tuple[tuple[str | None, str, int], ...]
    labels_sampled: bool
    """True when the labels were counted over a sample of :data:`storyline.store.browse.LABEL_SAMPLE` uses."""
    quotes: tuple[tuple[StoredQuote, browse.ArticleRow], ...]
    articles: browse.ArticlePage


def overview_page(conn: Connection, *, page: int = 1, per_page: int = 30) -> OverviewPage:
    """Return page ``page`` (from 1) of the threads, with the corpus-wide outlet activity."""
    total = browse.count_threads(conn)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    threads = browse.thread_summaries(conn, limit=per_page, offset=(page - 1) * per_page)
    articles = count_articles(conn)
    return OverviewPage(tuple(threads), total, page, pages, articles, tuple(browse.activity(conn)), tuple(browse.outlet_counts(conn, limit=30)))


def thread_page(conn: Connection, thread_id: str) -> ThreadPage | None:
    """Return one thread's page, or None for an unknown thread."""
    thread = browse.load_thread(conn, thread_id)
    if thread is None:
        return None
    stories = browse.story_summaries(conn, thread.story_ids)
    return ThreadPage(thread, tuple(stories), tuple(browse.activity(conn, browse.thread_article_ids(conn, thread_id))))


def _speakers(conn: Connection, rows: Sequence[browse.ArticleRow]) -> tuple[SpeakerQuotes, ...]:
    """Group the story's quotes by speaker: the corpus actor when resolved, else the words naming them; unknown last."""
    quotes = [(q, row) for row in rows for q in iter_quotes(conn, article_id=row.id)]
    actor_names = browse.actor_names(conn, sorted({q.speaker_actor_id for q, _ in quotes if q.speaker_actor_id}))
    groups: dict[str, list[tuple[StoredQuote, browse.ArticleRow]]] = {}
    shown: dict[str, tuple[str, str | None]] = {}
    for q, row in quotes:
        speaker = (actor_names.get(q.speaker_actor_id or "") or q.quote.speaker_name
                   or (q.quote.speaker.text if q.quote.speaker else None) or "unknown speaker")
        key = q.speaker_actor_id or speaker.casefold()
        groups.setdefault(key, []).append((q, row))
        shown.setdefault(key, (speaker, q.speaker_actor_id))
    order = sorted(groups, key=lambda k: (shown[k] == ("unknown speaker", None), -len(groups[k]), shown[k][0]))
    return tuple(SpeakerQuotes(shown[k][0], shown[k][1], tuple(groups[k])) for k in order)


def _chain_items(conn: Connection, rows: Sequence[browse.ArticleRow]) -> list[ChainItem]:
    return [ChainItem(row.id, row.outlet, row.published, a.attribution.content.text, a.attribution.source.text if a.attribution.source else None,
                      a.attribution.source_kind, a.attribution.count, tuple(v.text for v in a.attribution.via), a.id)
            for row in rows for a in iter_attributions(conn, row.id)]


def _actor_framing(conn: Connection, framings: Sequence[ArticleFraming], texts: dict[str, str]) -> tuple[ActorFraming, ...]:
    counts: dict[str, int] = {}
    for f in framings:
        for actor, _ in f.labels:
            counts[actor] = counts.get(actor, 0) + 1
    top = sorted(counts, key=lambda a: (-counts[a], a))[:FRAMED_ACTORS]
    ids = browse.actor_ids_named(conn, top)
    return tuple(ActorFraming(a, ids.get(a), tuple(compare_actor(a, framings, texts))) for a in top)


def story_page(conn: Connection, story_id: str) -> StoryPage | None:
    """Return one story's page, or None for an unknown story."""
    story = browse.load_story(conn, story_id)
    if story is None:
        return None
    rows = browse.article_rows(conn, story.article_ids)
    threads = browse.thread_summaries_of(conn, [story.thread_id])
    framings = list(iter_framing(conn, story.article_ids))
    texts = {r[0]: r[1] for r in browse.article_texts(conn, story.article_ids)}
    return StoryPage(
        story=story, thread=threads[0] if threads else None, articles=tuple(rows),
        timeline=tuple(load_timeline(conn, article_ids=story.article_ids)),
        claims=tuple(iter_claim_groups(conn, story_id=story_id)),
        speakers=_speakers(conn, rows), trees=tuple(attribution_tree(_chain_items(conn, rows))),
        outlets=tuple(outlet_framing(framings)), framing=_actor_framing(conn, framings, texts), framings=tuple(framings))


def _time_note(t: TimeExpression) -> str:
    value = time_in_words(t) if t.value else f"unresolved {t.type.lower()}"
    return f"time · {value}" + (f" · anchored on {t.anchor}" if t.anchor else "")


def article_marks(quotes: Sequence[StoredQuote], claims: Sequence[ArticleClaim], times: Sequence[TimeExpression],
                  labels: Sequence[StoredMention], claim_link: Callable[[str], str] | None = None) -> list[Mark]:
    """Return the marks of an article's text: quotes (with speaker and cue), claims, labels and time expressions.

    Args:
        claim_link: claim group id -> link to its page (drawn after each grouped claim); None for no links.
    """
    marks: list[Mark] = []
    for q in quotes:
        who = q.quote.speaker_name or (q.quote.speaker.text if q.quote.speaker else "speaker unknown")
        marks.append(Mark("quote" if q.quote.direct else "indirect", q.quote.start, q.quote.end,
                          f"{'direct' if q.quote.direct else 'indirect'} quote · {who}"))
        if q.quote.speaker:
            marks.append(Mark("speaker", q.quote.speaker.start, q.quote.speaker.end, f"speaker · {who}"))
    for c in claims:
        href = claim_link(c.group_id) if claim_link and c.group_id else None
        told = f"told by {c.group_articles} articles" if c.group_articles > 1 else "only here"
        marks.append(Mark("claim", c.start, c.end, f"claim · {told}" + (" · negated" if c.negated else ""),
                          href, f"{c.group_articles} articles" if c.group_articles > 1 else "claim"))
    marks += [Mark("label", m.mention.start, m.mention.end, f"label · {m.mention.name}") for m in labels]
    marks += [Mark("time", t.start, t.end, _time_note(t)) for t in times]
    return marks


def article_page(conn: Connection, article_id: str, claim_link: Callable[[str], str] | None = None) -> ArticlePage | None:
    """Return one article's page (a unique id prefix works), or None.

    Args:
        claim_link: claim group id -> link, for the links drawn after claims; None for no links.
    """
    article = load_article(conn, article_id)
    if article is None:
        return None
    rows = browse.article_rows(conn, [article.id])
    quotes = tuple(iter_quotes(conn, article_id=article.id))
    claims = tuple(article_claims(conn, article.id))
    times = tuple(t.time for t in iter_time_expressions(conn, article.id))
    mentions = tuple(iter_mentions(conn, article.id))
    labels = tuple(m for m in mentions if m.mention.kind == "label")
    row = rows[0] if rows else None
    story = browse.story_summaries(conn, [row.story_id]) if row and row.story_id else []
    marks = article_marks(quotes, claims, times, labels, claim_link)
    names = browse.actor_names(conn, sorted({m.actor_id for m in mentions if m.actor_id} | {q.speaker_actor_id for q in quotes if q.speaker_actor_id}))
    return ArticlePage(article, row, story[0] if story else None, tuple(article_blocks(article.text, article.raw_text, article.removed, marks)),
                       quotes, tuple(iter_attributions(conn, article.id)), claims, times, labels, names,
                       annotation_skip(conn, article.id), tuple(article_versions(conn, article.id)),
                       tuple(article_versions_diffs(conn, article.id)))


def claim_page(conn: Connection, group_id: str) -> ClaimPage | None:
    """Return one claim group's page, or None."""
    group = load_claim_group(conn, group_id)
    if group is None:
        return None
    rows = {r.id: r for r in browse.article_rows(conn, [a.article_id for a in group.appearances])}
    stories = browse.story_summaries(conn, sorted({r.story_id for r in rows.values() if r.story_id}))
    return ClaimPage(group, rows, tuple(stories))


def actor_page(conn: Connection, actor_id: str) -> ActorPage | None:
    """Return one actor's page, or None."""
    actor = browse.load_actor(conn, actor_id)
    if actor is None:
        return None
    mentions, articles, quotes = browse.actor_counts(conn, actor_id)
    quote_ids = browse.actor_quote_ids(conn, actor_id, limit=50, many=quotes > 1000)
    rows = {r.id: r for r in browse.article_rows(conn, sorted({a for a, _ in quote_ids}))}
    wanted = {q for _, q in quote_ids}
    said = [(q, rows[q.article_id]) for a in dict.fromkeys(a for a, _ in quote_ids) for q in iter_quotes(conn, article_id=a) if q.id in wanted]
    labels, sampled = browse.actor_labels(conn, actor_id)
    return ActorPage(actor, mentions, articles, quotes, tuple(labels), sampled, tuple(said),
                     browse.find_articles(conn, browse.ArticleFilter(actor=actor_id), limit=30))


def timeline_points(page: StoryPage, href: Callable[[str], str]) -> list[TimelinePoint]:
    """Return the story timeline's marks: each article at its publication date, each event it reports at the event's date.

    Args:
        href: article id -> link to its page.
    """
    titles = {r.id: r.title or "untitled" for r in page.articles}
    points = [TimelinePoint(r.outlet, r.published[:10] if r.published else None, "article", f"{r.title or 'untitled'}", href(r.id))
              for r in page.articles]
    for g in page.timeline:
        for a in g.appearances:
            points.append(TimelinePoint(a.outlet, g.earliest, "event", f"{g.summary} (in {titles.get(a.article_id, a.article_id)})",
                                        href(a.article_id), a.published[:10] if a.published else None))
    return points


_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def label_counts(framing: ActorFraming) -> list[LabelCount]:
    """Return how often each outlet gave the actor each label, as the side-by-side table shows them (for the label chart).

    Labels count together when they differ only in case or a leading "the"/"a".
    """
    counts: dict[tuple[str | None, str], int] = {}
    shown: dict[str, str] = {}
    for view in framing.views:
        for item in view.labels:
            words = _LEADING_ARTICLE.sub("", item.text.strip())
            key = words.casefold()
            shown.setdefault(key, words)
            counts[(view.outlet, key)] = counts.get((view.outlet, key), 0) + 1
    return [LabelCount(outlet, shown[key], n) for (outlet, key), n in counts.items()]
