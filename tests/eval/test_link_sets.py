"""Format checks for the story/thread set, the framing set and the claim-pair set in eval/data/."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

DATA = REPO / "eval" / "data"
STORIES = DATA / "stories_set.jsonl"
CLAIMS = DATA / "claim_pairs.jsonl"
FRAMING = DATA / "framing_set.jsonl"

ARTICLE_FIELDS = {"id": str, "title": str, "outlet": str, "text": str, "story": str, "thread": str, "note": str}
LEAD_FIELDS = {"id": str, "title": str, "outlet": str, "leaning": str, "published": str, "text": str, "story": str, "note": str}
LEANINGS = {"l": "left", "c": "centre", "r": "right"}
PAIR_FIELDS = {"id": str, "a": str, "b": str, "same": bool, "kind": str, "note": str}
TRUE_KINDS = {"paraphrase", "label-variation", "sourcing-variation", "hedged", "summary-vs-detail", "condition"}
"""A condition is an attribute of the appearance, not another claim (issue [6])."""
FALSE_KINDS = {"negation", "other-actor", "other-number", "other-time", "related-but-different", "unrelated"}


def _load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{n}: blank line"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{n}: not an object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return _load(STORIES)


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, Any]]:
    return _load(CLAIMS)


def test_articles_well_formed(articles: list[dict[str, Any]]) -> None:
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), "duplicate article ids"
    for a in articles:
        assert set(a) == set(ARTICLE_FIELDS) | {"published"}, a["id"]
        for field, kind in ARTICLE_FIELDS.items():
            assert isinstance(a[field], kind) and a[field].strip(), (a["id"], field)
        if a["published"] is not None:
            dt.date.fromisoformat(a["published"])
            assert "2024-01-01" <= a["published"] <= "2026-12-31", a["id"]
        assert a["id"].startswith(a["story"] + "-"), a["id"]
        words = len(a["text"].split())
        assert 120 <= words <= 300, (a["id"], words)
    assert sum(a["published"] is None for a in articles) >= 2


def test_stories_and_threads(articles: list[dict[str, Any]]) -> None:
    assert len(articles) >= 64
    story_threads: dict[str, set[str]] = defaultdict(set)
    story_outlets: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        story_threads[a["story"]].add(a["thread"])
        story_outlets[a["story"]].append(a["outlet"])
    assert len(story_threads) >= 13
    for story, threads in story_threads.items():
        assert len(threads) == 1, (story, threads)  # every story in exactly one thread
    for story, outlets in story_outlets.items():
        assert len(outlets) == len(set(outlets)), (story, "two articles from one outlet")
    stories_per_thread = Counter(next(iter(t)) for t in story_threads.values())
    narrative = [t for t, n in stories_per_thread.items() if n >= 3]
    assert len(narrative) >= 4, stories_per_thread
    assert sum(n == 1 for n in Counter(a["story"] for a in articles).values()) >= 2, "singleton distractors"
    assert len({a["outlet"] for a in articles}) >= 10


def test_pairs_well_formed(pairs: list[dict[str, Any]]) -> None:
    ids = [p["id"] for p in pairs]
    assert len(ids) == len(set(ids)), "duplicate pair ids"
    assert len(pairs) >= 60
    for p in pairs:
        assert set(p) == set(PAIR_FIELDS), p["id"]
        for field, kind in PAIR_FIELDS.items():
            assert isinstance(p[field], kind), (p["id"], field)
        assert p["a"].strip() and p["b"].strip() and p["a"] != p["b"], p["id"]
        assert p["kind"] in (TRUE_KINDS if p["same"] else FALSE_KINDS), (p["id"], p["kind"], p["same"])
    labels = Counter(p["same"] for p in pairs)
    assert labels[True] and labels[False]
    assert 0.4 <= labels[True] / len(pairs) <= 0.6, labels  # 49 of 87 since the condition pairs count as same
    kinds = Counter(p["kind"] for p in pairs)
    assert set(kinds) >= FALSE_KINDS, FALSE_KINDS - set(kinds)
    for kind in FALSE_KINDS - {"unrelated"}:
        assert kinds[kind] >= 6, (kind, kinds[kind])
    assert kinds["unrelated"] >= 3


@pytest.fixture(scope="module")
def leads() -> list[dict[str, Any]]:
    return _load(FRAMING)


def test_framing_leads_well_formed(leads: list[dict[str, Any]]) -> None:
    ids = [a["id"] for a in leads]
    assert len(ids) == len(set(ids)), "duplicate lead ids"
    outlet_leaning: dict[str, str] = {}
    for a in leads:
        assert set(a) == set(LEAD_FIELDS), a["id"]
        for field, kind in LEAD_FIELDS.items():
            assert isinstance(a[field], kind) and a[field].strip(), (a["id"], field)
        dt.date.fromisoformat(a["published"])
        assert a["id"].startswith(a["story"] + "-") and a["leaning"] == LEANINGS[a["id"][-1]], a["id"]
        assert outlet_leaning.setdefault(a["outlet"], a["leaning"]) == a["leaning"], a["id"]  # one leaning per outlet
        sentences = [s for s in re.split(r"(?<=[.!?])[\"”]?\s+(?=[A-Z\"“])", a["text"]) if s]
        assert 1 <= len(sentences) <= 3 and len(a["text"].split()) <= 80, (a["id"], len(sentences))


def test_framing_events_told_by_three_leanings_next_to_distractors(leads: list[dict[str, Any]]) -> None:
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in leads:
        by_story[a["story"]].append(a)
    events = {s: arts for s, arts in by_story.items() if s[-1].isdigit()}
    distractors = {s: arts for s, arts in by_story.items() if not s[-1].isdigit()}
    assert len(events) >= 10 and len(distractors) >= 10
    for story, arts in by_story.items():
        assert len({a["outlet"] for a in arts}) == len(arts), (story, "two leads from one outlet")
    for story, arts in events.items():
        assert sorted(a["leaning"] for a in arts) == ["centre", "left", "right"], story
    for story, arts in distractors.items():
        event = events[story[:3]]  # the same people on another day
        assert min(a["published"] for a in arts) > max(e["published"] for e in event), story
