"""What each page reads: the story page's groupings over the demo database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.report.pages import article_page, label_counts, story_page, timeline_points
from storyline.store.annotations import iter_quotes
from storyline.store.schema import connect


@pytest.fixture(scope="module")
def page(demo_db: Path) -> Iterator[object]:
    conn = connect(demo_db, readonly=True)
    story_id = conn.execute("SELECT story_id FROM story_members GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    yield story_page(conn, story_id), conn
    conn.close()


def test_every_quote_of_the_story_is_under_exactly_one_speaker(page) -> None:  # type: ignore[no-untyped-def]
    story, conn = page
    grouped = [q.id for s in story.speakers for q, _ in s.quotes]
    stored = [q.id for a in story.story.article_ids for q in iter_quotes(conn, article_id=a)]
    assert sorted(grouped) == sorted(stored) and len(set(grouped)) == len(grouped)
    named = [s for s in story.speakers if s.speaker != "unknown speaker"]
    assert [len(s.quotes) for s in named] == sorted((len(s.quotes) for s in named), reverse=True)
    assert all(s.speaker == "unknown speaker" for s in story.speakers[len(named):])


def test_shared_claims_are_told_by_several_articles_most_confirmed_first(page) -> None:  # type: ignore[no-untyped-def]
    story, _ = page
    shared = story.shared_claims
    assert shared and all(len({a.article_id for a in g.appearances}) > 1 for g in shared)
    assert [g.independent_origins for g in shared] == sorted((g.independent_origins for g in shared), reverse=True)
    assert len(shared) + len(story.single_claims) == len(story.claims)


def test_the_timeline_has_each_article_and_each_reported_event(page) -> None:  # type: ignore[no-untyped-def]
    story, _ = page
    points = timeline_points(story, lambda a: f"a/{a}")
    assert sum(p.kind == "article" for p in points) == len(story.articles)
    assert sum(p.kind == "event" for p in points) == sum(len(g.appearances) for g in story.timeline)
    assert all(p.href and p.href.startswith("a/") for p in points)
    for actor in story.framing:
        assert sum(c.count for c in label_counts(actor)) == sum(len(v.labels) for v in actor.views)


def test_an_article_page_marks_every_quote_and_claim(page) -> None:  # type: ignore[no-untyped-def]
    story, conn = page
    art = article_page(conn, story.story.article_ids[0], claim_link=lambda g: f"c/{g}")
    assert art is not None and art.story is not None and art.story.id == story.story.id
    kinds = {k for b in art.blocks for s in b.segments for k in s.kinds}
    assert {"claim", "time"} <= kinds and kinds & {"quote", "indirect"}
    links = [link.href for b in art.blocks for s in b.segments for link in s.links]
    assert links and all(h and h.startswith("c/") for h in links)
    assert article_page(conn, art.article.id[:6]) is not None  # a unique prefix finds it too
