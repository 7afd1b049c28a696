"""On the real seeds: the quotes, speakers and attribution chains a careful reader finds."""

from __future__ import annotations

from functools import lru_cache

import pytest

from storyline.annotate.nlp import load_nlp
from storyline.clean.normalize import normalize_text
from storyline.annotate.document import annotate_doc
from storyline.models import RawDocument, TextAnnotations
from storyline.flow.clean import clean_document
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


# (seed, 1-based line of the seed file holding the quote, nth quote starting in that line,
#  speaker words (start), resolved name, direct) -- lines are read from ../shared/seeds.
@pytest.mark.parametrize(("seed", "line", "nth", "speaker", "name", "direct"), [
    ("000", 4, 0, "Putin", "Vladimir Putin", True),
    ("000", 5, 1, None, "Vladimir Putin", True),             # continuation: no speaker words of its own
    ("000", 10, 0, "he", "John Kirby", True),                 # single marks, pronoun
    ("001", 15, 0, "another senior", None, True),            # a source phrase as the speaker
    ("001", 19, 0, "Dmitry Peskov", "Dmitry Peskov", False),  # mixed quote: the clause; the apposition names the speaker
    ("001", 41, 0, "U.S. Secretary", "Anthony Blinken", False),
    ("002", 6, 0, "He", "Vladimir Putin", True),             # cue before a colon, multi-paragraph
    ("002", 9, 0, "he", "Vladimir Putin", True),
    ("002", 1, 0, "Vladimir Putin", "Vladimir Putin", False),
])
def test_seed_quotes(seed: str, line: int, nth: int, speaker: str | None, name: str | None, direct: bool) -> None:
    text = normalize_text(seed_path(seed).read_text(encoding="utf-8").split("\n")[line - 1])
    path = seed_path(seed)
    article_text = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8"))).text
    start = article_text.index(text)
    quotes = [q for q in _annotated(seed).quotes if start <= q.start < start + len(text)]
    assert len(quotes) > nth, f"no quote {nth} in line {line} of {seed}"
    q = quotes[nth]
    assert q.direct is direct
    if speaker is None:
        assert q.speaker is None
    else:
        assert q.speaker is not None and q.speaker.text.startswith(speaker)
    if name:
        assert q.speaker_name == name


def test_multi_paragraph_quote_is_one_quote() -> None:
    lines = [normalize_text(x) for x in seed_path("002").read_text(encoding="utf-8").split("\n")]
    first, second = lines[5], lines[6]  # a quote opened in line 6 and closed in line 7
    quotes = [q for q in _annotated("002").quotes if q.text[:20] in first]
    assert len(quotes) == 1 and second.strip("“”")[:20] in quotes[0].text


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
