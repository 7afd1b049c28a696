"""On the real seeds: the quotes, speakers and attribution chains a careful reader finds."""

from __future__ import annotations

from functools import lru_cache

import pytest

from storyline.annotate.nlp import load_nlp
from storyline.annotate.pipeline import annotate_doc
from storyline.models import RawDocument, TextAnnotations
from storyline.pipeline import clean_document
from tests.conftest import seed_path


@lru_cache(maxsize=8)
def _annotated(seed: str) -> TextAnnotations:
    path = seed_path(seed)
    article = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
    return annotate_doc(load_nlp()(article.text))


def _chains(seed: str) -> list[tuple[tuple[str, ...], str, str, int | None]]:
    return [
        (tuple(v.text for v in a.via), a.source.text if a.source else "", a.source_kind, a.count)
        for a in _annotated(seed).attributions
    ]


def test_reuters_citing_four_sources() -> None:
    assert (("Reuters",), "four sources in Russia", "anonymous", 4) in _chains("001")


def test_new_york_times_two_former_officials() -> None:
    assert (("the New York Times",), "two former senior Russian officials", "anonymous", 2) in _chains("004")


def test_newsweek_the_sun_zelensky() -> None:
    chains = [c for c in _chains("000") if c[0][:1] == ("Newsweek",)]
    assert any(len(via) == 2 and via[1].startswith("The Sun") and source == "Volodymyr Zelensky" and kind == "person"
               for via, source, kind, _ in chains), chains


def test_back_references_resolve_to_the_cited_outlet() -> None:
    # "According to the agency, ..." in an article retelling one Reuters report
    assert any(via == () and source == "Reuters" for via, source, _, _ in _chains("001")) or \
        any(source == "the agency" and kind == "outlet" for _, source, kind, _ in _chains("001"))
    assert all(via in ((), ("Reuters",)) for via, _, _, _ in _chains("001"))


@pytest.mark.parametrize(("seed", "speaker", "name", "fragment", "direct"), [
    ("000", "Putin", "Vladimir Putin", "military actions are always a tragedy", True),
    ("000", None, "Vladimir Putin", "Russia has never refused peace talks with Ukraine", True),  # continuation: no speaker words of its own
    ("000", "he", "John Kirby", "It’s reprehensible to think about", True),                        # single marks, pronoun
    ("001", "another senior Russian source", None, "Putin is also ready for a ceasefire", True),
    ("001", "Putin's spokesman", "Dmitry Peskov", "open to dialogue", False),                      # mixed quote: the clause
    ("001", "U.S. Secretary of State Anthony Blinken", "Anthony Blinken", "he did not believe Putin was interested", False),
    ("002", "He", "Vladimir Putin", "I am ready to meet with everyone, including Zelensky", True),  # cue before a colon
    ("002", "he", "Vladimir Putin", "We need to find a solution", True),
    ("002", "Vladimir Putin", "Vladimir Putin", "he is ready to negotiate directly with Volodymyr Zelensky", False),
])
def test_seed_quotes(seed: str, speaker: str | None, name: str | None, fragment: str, direct: bool) -> None:
    quotes = [q for q in _annotated(seed).quotes if fragment in q.text]
    assert quotes, f"no quote containing {fragment!r}"
    q = quotes[0]
    assert q.direct is direct
    if speaker is None:
        assert q.speaker is None
    else:
        assert q.speaker is not None and q.speaker.text.startswith(speaker)
    if name:
        assert q.speaker_name == name


def test_multi_paragraph_quote_is_one_quote() -> None:
    quotes = [q for q in _annotated("002").quotes if "I am ready to meet with everyone" in q.text]
    assert len(quotes) == 1 and "We don’t care who negotiates" in quotes[0].text


def test_offsets_point_at_the_words() -> None:
    for seed in ("000", "001", "002", "003", "004"):
        path = seed_path(seed)
        text = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8"))).text
        ann = _annotated(seed)
        for q in ann.quotes:
            assert text[q.start:q.end] == q.text
            for span in (q.speaker, q.cue):
                assert span is None or text[span.start:span.end] == span.text
        for a in ann.attributions:
            for span in (a.content, a.source, a.cue, *a.via):
                assert span is None or text[span.start:span.end] == span.text
