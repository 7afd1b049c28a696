"""Reading the store for pages: filters, search, summaries, on the demo corpus in SQLite and in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.store import browse
from storyline.store.articles import iter_articles
from storyline.store.fulltext import HIGHLIGHT_START
from storyline.store.schema import connect


@pytest.fixture
def conn(demo_store: str) -> Iterator[object]:
    c = connect(demo_store, readonly=True)
    yield c
    c.close()


def test_filters_narrow_to_exactly_the_matching_articles(conn) -> None:  # type: ignore[no-untyped-def]
    every = list(iter_articles(conn))
    outlet = next(a.outlet for a in every if a.outlet)
    page = browse.find_articles(conn, browse.ArticleFilter(outlet=outlet), limit=1000)
    assert {r.id for r in page.rows} == {a.id for a in every if a.outlet == outlet}
    assert page.total == len(page.rows)
    dated = sorted(a.published[:10] for a in every if a.published)
    since, until = dated[len(dated) // 3], dated[2 * len(dated) // 3]
    window = browse.find_articles(conn, browse.ArticleFilter(since=since, until=until), limit=1000)
    assert {r.id for r in window.rows} == {a.id for a in every if a.published and since <= a.published[:10] <= until}


def test_search_ranks_matches_with_marked_snippets_and_pages(conn) -> None:  # type: ignore[no-untyped-def]
    first = browse.find_articles(conn, browse.ArticleFilter(query="blockade"), limit=2)
    assert first.total > 2 and len(first.rows) == 2
    assert all(HIGHLIGHT_START in (r.snippet or "") for r in first.rows)
    rest = browse.find_articles(conn, browse.ArticleFilter(query="blockade"), limit=100, offset=2)
    assert not {r.id for r in first.rows} & {r.id for r in rest.rows}
    assert browse.find_articles(conn, browse.ArticleFilter(query='"no such phrase anywhere"')).total == 0
    assert browse.find_articles(conn, browse.ArticleFilter(query="***")).total == 0  # nothing searchable: no FTS error


def test_actor_and_story_filters(conn) -> None:  # type: ignore[no-untyped-def]
    (thread,) = browse.thread_summaries(conn, limit=1)
    story = max(thread.stories, key=lambda s: s.articles)
    rows = browse.find_articles(conn, browse.ArticleFilter(story=story.id), limit=1000).rows
    assert len(rows) == story.articles and all(r.story_id == story.id for r in rows)
    actor = browse.find_actor(conn, "ilona maresh")
    assert actor is not None and actor.name.lower().endswith("maresh")
    mentioning = browse.find_articles(conn, browse.ArticleFilter(actor=actor.id), limit=1000)
    assert 0 < mentioning.total < browse.find_articles(conn, browse.ArticleFilter(), limit=1).total
    assert browse.find_actor(conn, "Nobody Atall") is None


def test_threads_come_most_recently_active_first_with_their_stories(conn) -> None:  # type: ignore[no-untyped-def]
    threads = browse.thread_summaries(conn, limit=100)
    assert len(threads) == browse.count_threads(conn)
    latest = [max(s.last_published or "" for s in t.stories) for t in threads]
    assert latest == sorted(latest, reverse=True)
    for t in threads:
        for s in t.stories:
            assert browse.story_of(conn, browse.load_story(conn, s.id).article_ids[0]) == (s.id, t.id)  # type: ignore[union-attr]
