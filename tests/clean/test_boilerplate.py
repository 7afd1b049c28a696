"""Line-level boilerplate rules, one table row per kind of junk and per thing that must stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from storyline.clean.boilerplate import clean_boilerplate

STORY = "The convoy reached the harbour at dawn, officials said, after a night of negotiations over the checkpoint."


@pytest.mark.parametrize(("junk", "reason"), [
    ("Trending", "navigation or section label"),
    ("BACK TO HOMEPAGE", "navigation or section label"),
    ("ADVERTISEMENT", "navigation or section label"),
    ("Share this article", "navigation or section label"),
    ("Leave a Reply", "comment box"),
    ("Be the first to comment", "comment box"),
    ("Your email address will not be published.", "comment box"),
    ("Read More: Harbour Choir Wins Spring Prize", "teaser or related link"),
    ("[Read More: Storm closes the pass]", "teaser or related link"),
    ("READ ALSO: Ferry strike ends", "teaser or related link"),
    ("BREAKING: Minister resigns over tender scandal", "teaser from another story"),
    ("© 2025 Meridian Daily. All rights reserved.", "page footer"),
    ("Ceasefire talks,President Maresh,Port Saren,Regional security", "tag list"),
    ("Tags: Ukraine, Russia, ceasefire talks", "tag list"),
    ("Topics: Port Saren | Blockade", "tag list"),
])
def test_junk_line_is_removed_with_reason(junk: str, reason: str) -> None:
    text, removed = clean_boilerplate(f"{STORY}\n{junk}\n{STORY.replace('dawn', 'noon')}")
    assert junk not in text
    assert [(r.text, r.reason) for r in removed] == [(junk, reason)]


@pytest.mark.parametrize("story", [
    "Trending upward, prices rose for the third week in a row, traders in the port said.",
    "Read more than 200 pages of the report and you find the same complaint, the auditor said.",
    "Breaking the deadlock will require a new offer from Lisk, the envoy said.",
    "The talks involved Kherson, Zaporizhzhia, Donetsk and Luhansk",
    "Officials from France, Germany, Italy, Spain and Poland attended.",
    "“We are ready,” she said.",
    "World leaders met in Brenholt on Tuesday to discuss the blockade and the corridor.",
    "Pos | Driver | Points | Wins",                       # a table row is content
    "June 24 Jiffy Lube Live, Bristow, VA",              # schedules are content
    "Eat every 2-3 hours",
])
def test_story_line_stays(story: str) -> None:
    text, removed = clean_boilerplate(f"{STORY}\n{story}")
    assert story in text and removed == ()


def test_related_block_runs_to_next_real_paragraph() -> None:
    raw = "\n".join([STORY, "Related", "Floods close the northern road", "Ferry strike ends after two days",
                     "The inspectors, who arrived on Monday, will stay until the end of the month to check every cargo that enters the harbour, the council said in a statement."])
    text, removed = clean_boilerplate(raw)
    assert [r.text for r in removed] == ["Related", "Floods close the northern road", "Ferry strike ends after two days"]
    assert text.endswith("the council said in a statement.")


def test_trailing_other_news_block_removed_entirely() -> None:
    raw = f"{STORY}\nOther News\nBurger recipe: how to cook at home\nCrisp on the outside, soft inside."
    text, removed = clean_boilerplate(raw)
    assert text == STORY and len(removed) == 3


def test_glued_teaser_cut_paragraph_kept() -> None:
    raw = "Carvenne plans to hold the port referendum in the northern districts in April.Watch Halmyra and Vellmar sign a ferry pact; share ports"
    text, removed = clean_boilerplate(raw)
    assert text == "Carvenne plans to hold the port referendum in the northern districts in April."
    assert removed[0].text == "Watch Halmyra and Vellmar sign a ferry pact; share ports"
    assert raw[removed[0].start:removed[0].end] == removed[0].text


def test_no_glue_split_inside_abbreviations_or_urls() -> None:
    for line in ["He moved to the U.S.Read the rest later.", "See example.com/Watch for details about the ferry schedule."]:
        text, _ = clean_boilerplate(line)
        assert text.startswith(line[:10])


def test_headline_and_repeats() -> None:
    title = "Ferry talks stall – Meridian Daily"
    raw = f"Ferry talks stall\n{STORY}\nFerry talks stall - Meridian Daily\n{STORY}"
    text, removed = clean_boilerplate(raw, title=title)
    assert text == f"{STORY}\n\n{STORY}"  # a repeated paragraph may be a pull quote: kept
    assert [r.reason for r in removed] == ["headline (kept as the title)", "repeated headline"]


def test_untitled_first_line_repeated_later_is_a_headline() -> None:
    raw = f"Ferry talks stall\n{STORY}\nFerry talks stall\n{STORY.replace('dawn', 'noon')}"
    _, removed = clean_boilerplate(raw)
    assert [(r.text, r.reason) for r in removed] == [("Ferry talks stall", "repeated headline")]


def test_corpus_repeated_lines() -> None:
    promo = "Support the Ledger for 3 marks a month."
    text, removed = clean_boilerplate(f"{STORY}\n{promo}", repeated={"support the ledger for 3 marks a month"}, repeated_reason="outlet line")
    assert text == STORY and removed[0].reason == "outlet line"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_cleaner_never_crashes_and_offsets_hold(raw: str) -> None:
    text, removed = clean_boilerplate(raw, title=raw[:20] or None)
    for r in removed:
        assert 0 <= r.start <= r.end <= len(raw)
        assert raw[r.start:r.end] == r.text
    for para in text.split("\n\n"):
        assert para in raw
