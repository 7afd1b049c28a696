"""On the real seeds: which articles are one story, that all five are one thread, and the claims they share."""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from pathlib import Path

import pytest

from storyline import Settings, ingest, iter_articles, open_store
from storyline.models import ClaimGroup, Story, Thread
from storyline.store.claims import iter_claim_groups
from storyline.store.links import iter_stories, iter_threads
from tests.conftest import SEEDS


@lru_cache(maxsize=1)
def _linked(tmp: str) -> tuple[dict[str, str], list[Story], list[Thread], list[ClaimGroup]]:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} not found")
    db = str(Path(tmp) / "seeds.db")
    assert ingest([str(SEEDS)], Settings(db=db)).ok
    conn = open_store(db)
    seed_of = {a.id: Path(a.source).name[:3] for a in iter_articles(conn)}
    return seed_of, list(iter_stories(conn)), list(iter_threads(conn)), list(iter_claim_groups(conn))


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], list[Story], list[Thread], list[ClaimGroup]]:
    return _linked(str(tmp_path_factory.mktemp("seeds")))


def test_only_003_and_004_share_a_story(linked) -> None:  # type: ignore[no-untyped-def]
    seed_of, stories, _, _ = linked
    together = {frozenset(seed_of[a] for a in pair) for s in stories for pair in combinations(s.article_ids, 2)}
    assert together == {frozenset({"003", "004"})}, [[seed_of[a] for a in s.article_ids] for s in stories]


def test_all_five_are_one_thread(linked) -> None:  # type: ignore[no-untyped-def]
    seed_of, stories, threads, _ = linked
    (thread,) = threads
    assert len(thread.story_ids) == 4 and {s.thread_id for s in stories} == {thread.id}
    assert len(seed_of) == 5


def test_a_claim_recurs_across_seeds_with_its_own_sourcing(linked) -> None:  # type: ignore[no-untyped-def]
    seed_of, _, _, groups = linked
    spread = max(groups, key=lambda g: len({seed_of[a.article_id] for a in g.appearances}))
    assert len({seed_of[a.article_id] for a in spread.appearances}) >= 4
    assert spread.independent_origins >= 2
    assert any(a.chain for a in spread.appearances) and any(a.hedges for a in spread.appearances)
