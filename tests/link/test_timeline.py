"""The timeline: grouping events across articles, lags, order independence, what is left out."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from storyline.link.timeline import (
    NEAR_IDENTICAL_JACCARD, SUMMARY_CHARS, DatedEvent, build_timeline, content_words, lag_days, period_bounds,
)

KHARKIV = "gpe:kharkiv"


def _event(eid: str, sentence: str, *, published: str | None = "2024-05-24", date: str = "2024-05-23", granularity: str = "day",
           earliest: str | None = None, latest: str | None = None, actors: tuple[str, ...] = (KHARKIV,),
           outlet: str | None = None) -> DatedEvent:
    day = date if granularity == "day" else None
    return DatedEvent(eid, eid.split(":")[0], outlet if outlet is not None else f"Outlet {eid[0].upper()}", published, date,
                      granularity, earliest or day, latest or day, sentence, actors)


STRIKE_A = _event("a:e0", "Russian missiles struck Kharkiv on Thursday, killing seven people.", published="2024-05-24")
STRIKE_B = _event("b:e3", "A missile strike on Kharkiv on May 23 killed seven, officials said.", published="2024-05-23")
STRIKE_C = _event("c:e1", "Seven people were killed in Kharkiv when missiles hit a printing house.", published="2024-05-26")
VISIT = _event("d:e0", "The mayor of Kharkiv met donors in Vienna on Thursday.", published="2024-05-24")


def test_reports_of_one_event_merge_across_articles() -> None:
    (group, visit) = build_timeline([STRIKE_A, STRIKE_C, VISIT, STRIKE_B])
    assert (group.date, group.granularity, group.earliest, group.latest) == ("2024-05-23", "day", "2024-05-23", "2024-05-23")
    assert group.event_ids == ("b:e3", "a:e0", "c:e1")  # earliest published first
    assert group.article_ids == ("b", "a", "c")
    assert group.summary == STRIKE_B.sentence and group.first_reported == "2024-05-23"
    assert [(a.outlet, a.published, a.lag_days) for a in group.appearances] == [
        ("Outlet B", "2024-05-23", 0), ("Outlet A", "2024-05-24", 1), ("Outlet C", "2024-05-26", 3)]
    assert visit.event_ids == ("d:e0",)  # same day, same actor, nothing else in common


def test_near_identical_sentences_merge_without_shared_actors() -> None:
    wire = _event("a:e0", "Inspectors reopened the grain terminal at Saren harbour after a three-day closure.", actors=())
    copy = _event("b:e0", "Inspectors reopened the grain terminal at Saren harbour after a closure of three days.", actors=("org:x",))
    assert len(content_words(wire.sentence) & content_words(copy.sentence)) / len(
        content_words(wire.sentence) | content_words(copy.sentence)) >= NEAR_IDENTICAL_JACCARD
    (group,) = build_timeline([wire, copy])
    assert group.actor_ids == ("org:x",)


@pytest.mark.parametrize("other", [
    replace(STRIKE_B, date="2024-05-22", earliest="2024-05-22", latest="2024-05-22"),  # another day
    replace(STRIKE_B, date="2024-W21", granularity="week", earliest="2024-05-20", latest="2024-05-26"),  # the week around it
    replace(STRIKE_B, actor_ids=("gpe:odesa",), sentence="A missile strike on Odesa killed seven, officials said."),
], ids=["other-day", "other-granularity", "unrelated-sentence"])
def test_different_dates_or_unrelated_sentences_stay_apart(other: DatedEvent) -> None:
    assert len(build_timeline([STRIKE_A, other])) == 2


def test_a_shared_name_alone_does_not_merge() -> None:
    a = _event("a:e0", "Putin met Xi in Beijing.", actors=("person:vladimir-putin",))
    b = _event("b:e0", "Vladimir Putin said the offensive would go on.", actors=("person:vladimir-putin",))
    assert len(build_timeline([a, b])) == 2


@pytest.mark.parametrize(("date", "granularity"), [
    ("PAST_REF", "day"), ("PRESENT_REF", "day"), ("FUTURE_REF", "day"), ("P22M", "duration"), ("P3D", "day"), (None, None), ("2024", None),
])
def test_vague_values_durations_and_unresolved_times_are_left_out(date: str | None, granularity: str | None) -> None:
    vague = DatedEvent("v:e0", "v", "Outlet V", "2024-05-24", date, granularity, None, None, "Russian missiles struck Kharkiv.", (KHARKIV,))
    assert build_timeline([vague]) == []
    assert [g.event_ids for g in build_timeline([vague, STRIKE_A])] == [("a:e0",)]


@pytest.mark.parametrize(("published", "latest", "expected"), [
    ("2024-05-24", "2024-05-23", 1),
    ("2024-05-23", "2024-05-23", 0),
    ("2024-06-10", "2024-05-31", 10),  # a month: counted from its last day
    ("2024-05-20", "2024-06-01", -12),  # announced ahead: a future event keeps its negative lag
    ("2025-01-02", "2024-12-30", 3),
    (None, "2024-05-23", None),
    ("2024-05-24", None, None),
    ("not a date", "2024-05-23", None),
])
def test_lag_days(published: str | None, latest: str | None, expected: int | None) -> None:
    assert lag_days(published, latest) == expected


def test_month_events_lag_from_the_end_of_the_month_and_unknown_outlets_stay_none() -> None:
    month = _event("a:e0", "Shelling of Kharkiv intensified.", date="2024-05", granularity="month", earliest="2024-05-01",
                   latest="2024-05-31", published="2024-06-10")
    unknown = DatedEvent("b:e0", "b", None, None, "2024-05", "month", "2024-05-01", "2024-05-31", "Shelling of Kharkiv intensified in May.", (KHARKIV,))
    (group,) = build_timeline([unknown, month])
    assert [(a.outlet, a.published, a.lag_days) for a in group.appearances] == [("Outlet A", "2024-06-10", 10), (None, None, None)]
    assert group.first_reported == "2024-06-10"


def test_groups_are_sorted_by_earliest_day_then_finer_granularity() -> None:
    day = _event("a:e0", "Talks opened in Geneva.", date="2024-05-01", actors=())
    month = _event("b:e0", "Fighting spread along the river.", date="2024-05", granularity="month", earliest="2024-05-01", latest="2024-05-31", actors=())
    week = _event("c:e0", "Convoys crossed the border.", date="2024-W18", granularity="week", earliest="2024-04-29", latest="2024-05-05", actors=())
    season = _event("d:e0", "Harvest fell short.", date="2023-FA", granularity="season", earliest="2023-09-01", latest="2023-11-30", actors=())
    interval = _event("e:e0", "Prices rose steadily.", date="2024-04-25/2024-05-23", granularity="range", earliest="2024-04-25", latest="2024-05-23", actors=())
    assert [g.date for g in build_timeline([month, day, week, season, interval])] == [
        "2023-FA", "2024-04-25/2024-05-23", "2024-W18", "2024-05-01", "2024-05"]


def test_summary_is_the_first_report_trimmed_at_a_word_boundary() -> None:
    long = _event("a:e0", "Kharkiv " + " ".join(f"district{i} reported damage" for i in range(40)) + ".")
    (group,) = build_timeline([long])
    assert len(group.summary) <= SUMMARY_CHARS + 1 and group.summary.endswith("…")
    assert long.sentence.startswith(group.summary[:-1]) and long.sentence[len(group.summary) - 1] == " "


def test_an_event_id_given_twice_counts_once() -> None:
    (group,) = build_timeline([STRIKE_A, STRIKE_A, STRIKE_B])
    assert group.event_ids == ("b:e3", "a:e0")


_WORDS = ["missiles", "struck", "kharkiv", "convoy", "border", "talks", "geneva", "killed", "seven", "grain", "port"]
_events = st.builds(
    lambda n, words, day, actors, published: _event(
        f"{'abcd'[n % 4]}:e{n}", " ".join(words) + ".", date=f"2024-05-{day:02d}", actors=tuple(actors),
        published=None if published is None else f"2024-05-{published:02d}"),
    n=st.integers(0, 30), words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5),
    day=st.integers(20, 22), actors=st.lists(st.sampled_from([KHARKIV, "gpe:geneva", "org:un"]), max_size=2, unique=True),
    published=st.none() | st.integers(20, 28),
)


@settings(max_examples=60, deadline=None)
@given(events=st.lists(_events, max_size=12, unique_by=lambda e: e.id), seed=st.integers(0, 10_000))
def test_the_timeline_does_not_depend_on_input_order(events: list[DatedEvent], seed: int) -> None:
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    timeline = build_timeline(events)
    assert build_timeline(shuffled) == timeline
    assert sorted(i for g in timeline for i in g.event_ids) == sorted(e.id for e in events)  # every event in exactly one group


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-05-23", ("2024-05-23", "2024-05-23")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2023", ("2023-01-01", "2023-12-31")),
])
def test_period_bounds(value: str, expected: tuple[str, str]) -> None:
    assert period_bounds(value) == expected


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "May 2024", "24", "2024/05/23", ""])
def test_period_bounds_refuses_other_forms(value: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD, YYYY-MM or YYYY"):
        period_bounds(value)
