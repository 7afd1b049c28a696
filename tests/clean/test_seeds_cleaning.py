"""On the five real seed articles, every junk line goes and no story sentence is lost."""

from __future__ import annotations

import re

import pytest

from storyline.models import RawDocument
from storyline.pipeline import clean_document
from tests.conftest import seed_path

# (seed, junk that must be gone from the cleaned text, story sentences that must stay)
CASES = [
    ("000",
     ["[Read More: Oscar Winner Loses Job Over Racism]", "Oscar Winner"],
     ["Vladimir Putin may finally have had enough.",
      "Putin sent his troops into Ukraine on February 24, 2022",
      "The president had previously tried to use elections as a bargaining chip with the United States, saying that he would only hold the vote if Americans paid for it.",
      "Presidential elections in Ukraine were scheduled to take place every five years"]),
    ("001",
     ["Other News", "Delicious and healthy burger", "It turns out very juicy and crispy"],
     ["Putin at a meeting with Lukashenko in Minsk on May 23, 2024.",
      "Russian dictator Vladimir Putin is ready to start negotiations to end the war in Ukraine.",
      "Reuters writes about this, citing four sources in Russia.",
      "told reporters that he did not believe Putin was interested in serious negotiations."]),
    ("002",
     [],
     ["Vladimir Putin has said he is ready to negotiate directly with Volodymyr Zelensky",
      "He told Russian state TV:",
      "Latest figures from Ukraine’s army suggest the Russians have suffered more than one million casualties (1,008,240)"]),
    ("003",
     ["Trending", "BACK TO HOMEPAGE"],
     ["Russian President Vladimir Putin has privately signaled that he is open to a cease-fire in Ukraine",
      "Since Oct. 2022, the battle lines have remained largely the same",
      "the international community is looking for solutions that can provide lasting peace and security in Ukraine."]),
    ("004",
     ["BREAKING:", "Finland over NATO membership", "Watch Russia and Iran unite", "Share drones, missiles",
      "Ukraine ceasefire,Russian President Vladimir Putin", "Envoy to Moscow", "Be the first to comment",
      "Leave a Reply", "Your email address will not be published."],
     ["New Delhi: Russian President Vladimir Putin According to a recent report in the New York Times",
      "However, Russia plans to include the occupied territories in the 2024 presidential election in March.",
      "Ukrainian President Volodymyr Zelensky has vowed not to negotiate with Russia as long as Putin is in power."]),
]


@pytest.mark.parametrize(("seed", "junk", "story"), CASES, ids=[c[0] for c in CASES])
def test_seed_junk_removed_and_story_kept(seed: str, junk: list[str], story: list[str]) -> None:
    path = seed_path(seed)
    article = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
    for piece in junk:
        assert piece not in article.text, f"junk left in {seed}: {piece!r}"
    for sentence in story:
        assert sentence in article.text, f"story sentence lost from {seed}: {sentence!r}"
    removed = " ".join(r.text for r in article.removed)
    for piece in junk:
        assert piece in removed, f"{piece!r} not recorded among the removals of {seed}"


def test_every_story_paragraph_survives() -> None:
    """No paragraph of a seed is dropped unless it is recorded as removed with a reason."""
    for seed in ("000", "001", "002", "003", "004"):
        path = seed_path(seed)
        article = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
        for removal in article.removed:
            assert article.raw_text[removal.start:removal.end] == removal.text
            assert removal.reason
        words = re.compile(r"\w+")
        kept = len(words.findall(article.text))
        cut = sum(len(words.findall(r.text)) for r in article.removed)
        assert kept + cut == len(words.findall(article.raw_text))


@pytest.mark.parametrize(("seed", "title"), [
    ("000", None),
    ("002", None),
    ("001", "Putin is ready to end the war against Ukraine through negotiations, but has his own conditions – Reuters"),
    ("003", "Putin Privately Signals Interest In Ukraine Ceasefire"),
    ("004", "Russian president Putin expresses willingness for Ukraine ceasefire talks: Report"),  # outlet suffix stripped
])
def test_seed_titles(seed: str, title: str | None) -> None:
    path = seed_path(seed)
    article = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
    assert article.title == title
    if title is None:
        # The opening story paragraph stays in the text.
        assert article.text.split("\n\n")[0] == article.raw_text.split("\n")[0]


@pytest.mark.parametrize(("seed", "outlet", "published", "inferred"), [
    ("000", None, None, False),
    ("001", None, "2024-05-23", True),     # "– Reuters" is the cited source, not the publisher
    ("002", None, None, False),
    ("003", None, None, False),
    ("004", "Times of India", None, False),
])
def test_seed_metadata(seed: str, outlet: str | None, published: str | None, inferred: bool) -> None:
    path = seed_path(seed)
    article = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
    assert (article.outlet, article.published, article.published_inferred) == (outlet, published, inferred)
    if published:
        ev = next(e for e in article.evidence if e.field == "published")
        assert ev.method == "caption"
        assert article.text[ev.start:ev.end] == ev.text
        assert "May 23, 2024" in ev.text
