"""One event told in opposite frames is one story; the same people on another day are another (issue [9], item 4).

The articles are our own invented leads (names and places fictional)."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.link.anchors import anchor_terms, day_relation, days_agree, event_days, figures, lead_day
from storyline.link.stories import StoryDoc, cluster_stories

LEFT = StoryDoc(
    "left", "Hundreds of striking dock workers were dragged from the gates of Port Velda by riot police on Monday, "
    "their union said, after Harbour Minister Ilan Corvo ordered the picket cleared. Sixty-two strikers were detained.",
    title="Police crush peaceful dockers' picket on Corvo's orders", outlet="Red Kite Review", published="2025-02-03",
    actor_ids=("Port Velda", "Ilan Corvo"), event_dates=("2025-02-03",))
RIGHT = StoryDoc(
    "right", "Order was restored at Port Velda yesterday as officers ended a week-long blockade by militant union "
    "activists that had cost exporters 14 million marks. Minister Ilan Corvo said 62 lawbreakers were held.",
    title="Blockade broken: ports open again", outlet="The Standard", published="2025-02-04",
    actor_ids=("Port Velda", "Ilan Corvo"), event_dates=("2025-02-03",))
LATER = StoryDoc(
    "later", "Harbour Minister Ilan Corvo met dock union leaders at Port Velda on Thursday to discuss the pay claim "
    "behind this month's strike, the ministry said; no agreement was reached after four hours of talks.",
    title="Corvo holds first talks with dockers' union", outlet="Meridian Daily", published="2025-02-13",
    actor_ids=("Port Velda", "Ilan Corvo"), event_dates=("2025-02-13",))


def test_figures_in_digits_and_words_share_keys() -> None:
    assert figures("Forty-one were arrested") == figures("41 were arrested") == ["41"]
    assert figures("a 12.4 billion mark package") == figures("12,400,000,000 marks") == ["1.24e+10"]
    assert figures("In 2016, on Oct 21, at 11:25, three people and a 5-4 vote") == []


def test_anchor_terms_keep_event_days_and_figures() -> None:
    terms = anchor_terms("212 people were rescued", ("2022-02-24", "2025-05-11", "2025-05", "2025-05-10TNI"), date(2025, 5, 12))
    assert terms == {"d0:2025-05-11": 1, "d:2022-02-24": 1, "d:2025-05-11": 1, "d:2025-05-10": 1, "f:212": 1}
    assert event_days(terms) == frozenset({date(2022, 2, 24), date(2025, 5, 11), date(2025, 5, 10)})
    assert lead_day(terms) == date(2025, 5, 11)  # the first day near its publication, not the background
    assert lead_day(anchor_terms("", ("2025-05-11",))) is None  # undated: no lead day


def test_days_agree_within_a_day() -> None:
    assert days_agree(frozenset({date(2025, 8, 14)}), frozenset({date(2025, 8, 15)})) is True
    assert days_agree(frozenset({date(2025, 8, 14)}), frozenset({date(2025, 8, 18)})) is False
    assert days_agree(frozenset(), frozenset({date(2025, 8, 18)})) is None


def test_day_relation_leads_with_the_same_day_or_other_days() -> None:
    published = date(2025, 8, 15)
    vote, reshuffle = anchor_terms("", ("2025-08-14",), published), anchor_terms("", ("2025-08-18", "2025-08-14"), date(2025, 8, 18))
    protest = anchor_terms("", ("2025-11-22", "2025-11-16"), date(2025, 11, 22))
    election = anchor_terms("", ("2025-11-16",), date(2025, 11, 17))
    assert day_relation(vote, published, anchor_terms("", ("2025-08-15",), published), published) is True
    assert day_relation(vote, published, reshuffle, date(2025, 8, 18)) is None  # shares a background day
    assert day_relation(protest, date(2025, 11, 22), election, date(2025, 11, 17)) is None  # leads with the protest
    assert day_relation(vote, published, anchor_terms("", ("2025-08-20",), date(2025, 8, 20)), date(2025, 8, 20)) is False
    assert day_relation({}, date(2025, 8, 19), vote, published) is False  # undated: its publication day or the day before
    assert day_relation({}, date(2025, 8, 15), vote, published) is None


@pytest.mark.slow
def test_two_framings_of_one_event_join_and_the_same_actors_on_another_day_stay_apart() -> None:
    placed = {a.article_id: a for a in cluster_stories([LEFT, RIGHT, LATER])}
    assert placed["left"].story_id == placed["right"].story_id, placed["right"].evidence
    assert placed["later"].story_id != placed["left"].story_id, placed["later"].evidence
    assert placed["later"].thread_id == placed["left"].thread_id  # one narrative all the same
