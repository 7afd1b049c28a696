"""Time expressions, publication-date inference and events: on the real seeds and on our own sentences."""

from __future__ import annotations

from functools import lru_cache

import pytest

from storyline.annotate.nlp import load_nlp
from storyline.annotate.document import ArticleText, annotate_doc
from storyline.annotate.time.expressions import corpus_anchors
from storyline.annotate.time.pubdate import infer_published_range
from storyline.annotate.time.expressions import find_time_expressions
from storyline.models import Article, RawDocument, TextAnnotations, TimeExpression
from storyline.flow.clean import clean_document
from tests.conftest import seed_path


@lru_cache(maxsize=8)
def _seed(seed: str) -> tuple[Article, TextAnnotations]:
    path = seed_path(seed)
    article = clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
    item = ArticleText(article.text, article.published, article.published_inferred)
    return article, annotate_doc(load_nlp()(article.text), item, anchors=corpus_anchors([article.text]))


def _on_line(article: Article, t: TimeExpression, line: str) -> bool:
    """True when the words around ``t`` in the cleaned text come from ``line`` of the seed file."""
    around = article.text[max(0, t.start - 20):t.end + 20].split("\n")
    context = max(around, key=lambda part: t.text in part)
    return " ".join(context.split()) in " ".join(line.split())


def _seed_line(seed: str, line: int) -> str:
    return seed_path(seed).read_text(encoding="utf-8").splitlines()[line - 1]


# (seed, 1-based line of the seed file, expression, value, granularity) -- the lines are read from ../shared/seeds.
@pytest.mark.parametrize(("seed", "line", "expression", "value", "granularity"), [
    ("000", 6, "February 24, 2022", "2022-02-24", "day"),
    ("001", 3, "May 23, 2024", "2024-05-23", "day"),
    ("001", 31, "September 2022", "2022-09", "month"),
    ("003", 9, "Oct. 2022", "2022-10", "month"),
    ("004", 15, "November 2022", "2022-11", "month"),
    ("004", 17, "March", "2024-03", "month"),          # "the 2024 ... election in March": the year comes from the phrase
    ("004", 6, "22 months", "2023-12", "month"),       # anchored: 22 months after the invasion the article dates
])
def test_seed_expressions(seed: str, line: int, expression: str, value: str, granularity: str) -> None:
    article, ann = _seed(seed)
    source_line = _seed_line(seed, line)
    found = [t for t in ann.times if t.text == expression and _on_line(article, t, source_line)]
    assert found, [(t.text, t.value) for t in ann.times]
    assert (found[0].value, found[0].granularity) == (value, granularity)


def test_seed_caption_dates_the_article_on_or_after_the_caption() -> None:
    article, ann = _seed("001")
    assert article.published_range is not None and article.published_range[0] == "2024-05-23"
    last_week = [t for t in ann.times if t.text == "last week"]
    assert last_week and last_week[0].value == "2024-W20" and not last_week[0].certain  # resolved against an inferred date


def test_seed_without_date_gets_a_month_range_from_the_anchored_duration() -> None:
    _, ann = _seed("004")
    assert ann.published_range == ("2023-12-01", "2023-12-31")
    methods = {e.method for e in ann.published_evidence}
    assert methods == {"latest-past-date", "anchored-duration"}
    assert all(e.start is not None for e in ann.published_evidence)


def test_seed_without_any_bound_leaves_relative_times_unresolved() -> None:
    _, ann = _seed("002")
    relative = [t for t in ann.times if t.text.lower() in {"yesterday", "recent weeks", "recent days"}]
    assert relative and all(t.value is None and t.kind == "unresolved" for t in relative)


@pytest.mark.parametrize(("sentence", "published", "expression", "value"), [
    ("The minister resigned on Wednesday.", "2023-11-23", "Wednesday", "2023-11-22"),   # past: on or before
    ("The minister will resign on Wednesday.", "2023-11-23", "Wednesday", "2023-11-29"),  # future: on or after
    ("Talks collapsed in September.", "2023-03-10", "September", "2022-09"),
    ("Talks will resume in September.", "2023-03-10", "September", "2023-09"),
    ("Prices rose in late March.", "2024-05-23", "late March", "2024-03"),
    ("The envoy visited last fall.", "2023-12-15", "last fall", "2023-FA"),
    ("Fighting flared in recent weeks.", "2024-05-23", "recent weeks", "PXW"),
    ("The ban, imposed last month, stays.", "2024-01-10", "last month", "2023-12"),
    ("The court will rule next year.", "2024-01-10", "next year", "2025"),
])
def test_relative_expressions(sentence: str, published: str, expression: str, value: str) -> None:
    found = {t.text: t.value for t in find_time_expressions(sentence, published)}
    assert found.get(expression) == value, found


def test_a_month_reference_resolves_month_words_but_not_weekdays() -> None:
    times = {t.text: t for t in find_time_expressions("He spoke on Wednesday about the vote held last month.", "2023-12")}
    assert times["last month"].value == "2023-11"
    assert times["Wednesday"].value is None and "needs the publication day" in times["Wednesday"].rule


def test_since_at_least_is_uncertain_and_never_crashes_on_junk() -> None:
    (t,) = find_time_expressions("He has been held since at least September.", "2024-05-23")
    assert (t.text, t.value, t.modifier, t.certain) == ("at least September", "2023-09", "since", False)
    assert find_time_expressions("“” 31 February 2023 ?? May may 9999 ,,,", "2023-01-01") is not None


def test_latest_past_date_bounds_an_undated_text() -> None:
    text = "The dam broke on March 3, 2021. A new one will open in May 2026."
    inferred = infer_published_range(text, find_time_expressions(text))
    assert inferred is not None and (inferred.earliest, inferred.latest) == ("2021-03-03", None)
    assert inferred.reference is None


def test_events_keep_when_it_happened_apart_from_when_it_was_said() -> None:
    text = "On Tuesday, Mayor Ilse Varga said that the bridge closed in March 2023."
    ann = annotate_doc(load_nlp()(text), ArticleText(text, "2024-06-13"))
    (event,) = ann.events
    assert event.time.value == "2023-03"
    assert event.said is not None and event.said.value == "2024-06-11"
    assert event.quote_index is not None and any("Ilse Varga" in name for name in event.actors)


def test_corpus_anchor_dates_a_duration_in_another_article() -> None:
    anchors = corpus_anchors(["The war began on February 24, 2022, at dawn."])
    (t,) = [t for t in find_time_expressions("Ten months into the war, the front barely moved.", anchors=anchors)]
    assert (t.value, t.kind) == ("2022-12", "anchored") and t.anchor and "2022-02-24" in t.anchor
