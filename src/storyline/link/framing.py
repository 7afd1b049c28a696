"""Framing: how each outlet tells it, as spans in the text.

Per article (:func:`article_framing`): the labels each actor is given (from the
annotation stage's label mentions), loaded and evaluative terms from our own lexicon
(``data/framing.toml``: pejorative and honorific labels, intensifiers, scare quotes), the
reporting verbs of its quotes and attributions ("claimed" against "said"), its named and
anonymous sources, and its hedges. Per outlet (:func:`outlet_framing`): the same, counted.
Side by side (:func:`compare_actor`): for one actor, each outlet's labels and terms with
the sentences they come from.

Every judgment is a span of the article text; nothing here scores an outlet's bias. The
rules are described in docs/framing.md.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..models import ArticleFraming, Attribution, LoadedTerm, Mention, Quote, Span, TextAnnotations

__all__ = [
    "FramingCategory", "FramingLexicon", "load_framing_lexicon", "article_framing",
    "LabelUse", "OutletFraming", "outlet_framing", "ViewItem", "OutletView", "compare_actor", "actor_matches",
]

NAMED_KINDS = frozenset({"person", "organisation", "outlet", "document"})
"""Attribution source kinds that count as named sources (``anonymous`` is the other side; ``unknown`` neither)."""
OTHER_VERB = "other-attribution-verb"
"""Category of a reporting verb that is in neither attribution-verb list ("warned", "urged")."""
_VERB_CATEGORIES = ("loaded-attribution-verb", "neutral-attribution-verb")
"""Checked in this order: a cue holding a loaded verb is loaded ("has insisted and said")."""


@dataclass(frozen=True, slots=True)
class FramingCategory:
    """One category of the framing lexicon: its name, what it is, how it is matched, its entries."""

    name: str
    about: str
    use: str
    """``term`` (loaded terms), ``quoted`` (the scare-quote rule), ``cue`` (reporting verbs) or ``hedge``."""
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FramingLexicon:
    """The packaged framing lexicon (``storyline/link/data/framing.toml``)."""

    categories: Mapping[str, FramingCategory]
    """Category name -> category, in the file's order."""
    max_quoted_words: int
    """Longest quoted fragment, in words, that can be a scare quote."""
    distancing_verbs: tuple[str, ...]
    """Verbs that disown the quoted words after them ("what it calls ...")."""
    lower_case_only: frozenset[str]
    """Hedges that count only in lower case ("may", not the month "May")."""


@lru_cache(maxsize=1)
def load_framing_lexicon() -> FramingLexicon:
    """Load the packaged framing lexicon (cached per process)."""
    raw = tomllib.loads(resources.files("storyline.link").joinpath("data/framing.toml").read_text("utf-8"))
    scare, hedge = raw["category"]["scare-quote"], raw["category"]["hedge"]
    return FramingLexicon(
        categories={name: FramingCategory(name, t["about"], t["use"], tuple(t["terms"])) for name, t in raw["category"].items()},
        max_quoted_words=int(scare["max_words"]),
        distancing_verbs=tuple(scare["distancing_verbs"]),
        lower_case_only=frozenset(hedge["lower_case_only"]),
    )


def _alternation(terms: Iterable[str]) -> str:
    """A regex alternation of ``terms``, longest first, any whitespace between words."""
    return "|".join(r"\s+".join(map(re.escape, t.split())) for t in sorted(set(terms), key=len, reverse=True))


@lru_cache(maxsize=8)
def _pattern(use: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """The word-boundary pattern for every entry of the categories with ``use``, and entry -> category."""
    lexicon = load_framing_lexicon()
    owner = {t: c.name for c in lexicon.categories.values() if c.use == use for t in c.terms}
    return re.compile(r"(?<!\w)(?:" + _alternation(owner) + r")(?!\w)", re.IGNORECASE), owner


def _key(words: str) -> str:
    return " ".join(words.lower().split())


# --- Sentences ---------------------------------------------------------------------------


def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """The lines of ``text`` (without surrounding space): the sentences to fall back on when no parse split it."""
    spans, start = [], 0
    for line in text.split("\n"):
        body = line.strip()
        if body:
            lead = start + len(line) - len(line.lstrip())
            spans.append((lead, lead + len(body)))
        start += len(line) + 1
    return tuple(spans) or ((0, len(text)),)


class _Article:
    """One text with its annotations, its sentences looked up by offset, and its speakers by cue."""

    def __init__(self, text: str, ann: TextAnnotations = TextAnnotations(), sentences: Sequence[tuple[int, int]] = ()) -> None:
        self.text, self.ann, self.speakers = text, ann, _speakers(ann)
        self.spans = tuple(sentences or ann.sentences) or _paragraphs(text)
        self._starts = tuple(s for s, _ in self.spans)

    def around(self, offset: int) -> tuple[int, int]:
        """Return the sentence holding ``offset`` (the one before it when it falls between two)."""
        return self.spans[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def sentence(self, offset: int) -> str:
        """Return the words of the sentence holding ``offset``."""
        start, end = self.around(offset)
        return self.text[start:end]


# --- Tying a term to an actor ------------------------------------------------------------


def _actor_at(start: int, end: int, art: _Article) -> str | None:
    """The actor a term is said of, by the rules in docs/framing.md."""
    mentions = art.ann.mentions
    # 1. A term inside a mention ("the strongman of Lisk") is said of that mention's actor.
    inside = [m for m in mentions if m.start <= start and end <= m.end]
    if inside:
        return min(inside, key=lambda m: m.end - m.start).name
    # 2. A term inside a speaker's words ("the embattled strongman said") is said of the speaker.
    for span, actor in art.speakers.values():
        if span.start <= start and end <= span.end:
            return actor
    # 3. A sentence naming exactly one actor ties the term to it.
    sentence = art.around(start)
    near = [m for m in mentions if sentence[0] <= m.start and m.end <= sentence[1]]
    if len({m.name for m in near}) == 1:
        return near[0].name
    # 4. Several actors: the nearest label, else the nearest mention, in the sentence.
    candidates = [m for m in near if m.kind == "label"] or near
    if not candidates:
        return None
    return min(candidates, key=lambda m: max(m.start - end, start - m.end, 0)).name


def _term(category: str, start: int, end: int, art: _Article) -> LoadedTerm:
    return LoadedTerm(art.text[start:end], category, start, end, art.sentence(start), _actor_at(start, end, art))


# --- Loaded terms and scare quotes ---------------------------------------------------------

# A quoted fragment on one line: curly or straight, double or single marks (a straight or
# curly single mark touching a letter outside is an apostrophe, not a quote mark).
_QUOTED = re.compile(r"“([^“”\n]{1,80})”|\"([^\"\n]{1,80})\"|‘([^‘’\n]{1,80})’(?!\w)|(?<!\w)'([^'\n]{1,80})'(?!\w)")


@lru_cache(maxsize=1)
def _distancing() -> re.Pattern[str]:
    """A distancing phrase right before an opening mark: "so-called", "what it calls", "as Moscow dubbed"."""
    verbs = _alternation(load_framing_lexicon().distancing_verbs)
    then = r"(?:\s+(?:it|them|a|an|the|this|its|their|his|her)){0,2}"  # what it calls (it) a "..."
    return re.compile(r"(?:\bso-called|\b(?:what|which|as)\s+(?:[\w'’-]+\s+){0,3}(?:" + verbs + ")" + then + r")\s*$", re.IGNORECASE)


def _attributed(start: int, end: int, quotes: Sequence[Quote]) -> bool:
    """True when a quote reported as someone's speech (it has a cue or a speaker) covers the span."""
    return any(q.start < end and start < q.end and (q.cue or q.speaker) for q in quotes)


def _is_scare_quote(text: str, m: re.Match[str], sentence: tuple[int, int], quotes: Sequence[Quote]) -> bool:
    """True for a short quoted fragment inside a sentence that the sentence holds at a distance."""
    inner = next(g for g in m.groups() if g is not None)
    lexicon = load_framing_lexicon()
    if not 1 <= len(inner.split()) <= lexicon.max_quoted_words or inner.rstrip()[-1] in ",.!?;:":
        return False
    before, after = text[sentence[0]:m.start()], text[m.end():sentence[1]]
    if not re.search(r"\w", before + after):  # the quote is the whole sentence: speech, not a fragment
        return False
    if _key(inner) in lexicon.categories["scare-quote"].terms or _distancing().search(before):
        return True
    return not _attributed(m.start(), m.end(), quotes)


def _loaded_terms(art: _Article) -> tuple[LoadedTerm, ...]:
    pattern, owner = _pattern("term")
    found = [_term(owner[_key(m.group())], m.start(), m.end(), art) for m in pattern.finditer(art.text)]
    found += [_term("scare-quote", m.start(), m.end(), art) for m in _QUOTED.finditer(art.text)
              if _is_scare_quote(art.text, m, art.around(m.start()), art.ann.quotes)]
    return tuple(sorted(found, key=lambda t: (t.start, t.end)))


def _hedges(text: str) -> tuple[Span, ...]:
    pattern, _ = _pattern("hedge")
    lower_only = load_framing_lexicon().lower_case_only
    return tuple(Span(m.group(), m.start(), m.end()) for m in pattern.finditer(text)
                 if not (_key(m.group()) in lower_only and m.group() != m.group().lower()))


# --- Reporting verbs and sources ---------------------------------------------------------


def _verb_category(cue: str) -> str:
    """Loaded when the cue holds a loaded verb, else neutral when it holds a neutral one, else other."""
    pattern, owner = _pattern("cue")
    found = {owner[_key(m.group())] for m in pattern.finditer(cue)}
    return next((c for c in _VERB_CATEGORIES if c in found), OTHER_VERB)


_PREPOSITION = re.compile(r"\b(?:of|for|from|in|at|to|with|near|close)\b", re.IGNORECASE)


def _speaker(source: Span | None, resolved: str | None, mentions: Sequence[Mention]) -> str | None:
    """The actor a speaker span names: the name it was resolved to ("he" -> "Anna Berg"), else a
    mention heading it ("Opposition leader Anna Berg", not the "Lisk" of "the strongman of Lisk"),
    else its own words."""
    if source is None or (resolved and resolved != source.text):
        return resolved
    for m in mentions:
        inside = source.start <= m.start and m.end <= source.end and m.kind != "pronoun"
        if inside and not _PREPOSITION.search(source.text[:m.start - source.start]):
            return m.name
    return source.text


def _speakers(ann: TextAnnotations) -> dict[tuple[int, int], tuple[Span, str | None]]:
    """(start, end) of each reporting cue -> the speaker span and its actor (None for anonymous sources)."""
    names = {(q.cue.start, q.cue.end): q.speaker_name for q in ann.quotes if q.cue}
    found: dict[tuple[int, int], tuple[Span, str | None]] = {}
    for a in ann.attributions:
        if a.cue and a.source and (a.cue.start, a.cue.end) not in found:
            actor = None if a.source_kind == "anonymous" else _speaker(a.source, names.get((a.cue.start, a.cue.end)), ann.mentions)
            found[(a.cue.start, a.cue.end)] = (a.source, actor)
    for q in ann.quotes:
        if q.cue and q.speaker and (q.cue.start, q.cue.end) not in found:
            found[(q.cue.start, q.cue.end)] = (q.speaker, _speaker(q.speaker, q.speaker_name, ann.mentions))
    return found


def _attribution_verbs(art: _Article) -> tuple[LoadedTerm, ...]:
    """Every reporting verb once, with the speaker it reports (none for anonymous sources)."""
    ann, text = art.ann, art.text
    cues = {(c.start, c.end) for c in (*(q.cue for q in ann.quotes), *(a.cue for a in ann.attributions)) if c}
    return tuple(
        LoadedTerm(text[s:e], _verb_category(text[s:e]), s, e, art.sentence(s), art.speakers.get((s, e), (None, None))[1])
        for s, e in sorted(cues)
    )


def _source_counts(attributions: Iterable[Attribution]) -> tuple[int, int]:
    """(named, anonymous): an anonymous attribution counts its sources ("four sources" -> 4)."""
    named = anonymous = 0
    for a in attributions:
        if a.source_kind == "anonymous":
            anonymous += a.count or 1
        elif a.source_kind in NAMED_KINDS:
            named += 1
    return named, anonymous


def article_framing(article_id: str, outlet: str | None, text: str, ann: TextAnnotations) -> ArticleFraming:
    """Return how one article frames its story: labels, loaded terms, reporting verbs, sources, hedges.

    Args:
        article_id: the article's id.
        outlet: the outlet that published it, if known.
        text: the cleaned article text the annotations' offsets point into.
        ann: the annotation stage's mentions, quotes and attributions for ``text``.

    Returns:
        The article's framing; every term and label carries its offsets in ``text``.
    """
    art = _Article(text, ann)
    named, anonymous = _source_counts(ann.attributions)
    return ArticleFraming(
        article_id=article_id,
        outlet=outlet,
        labels=tuple((m.name, Span(m.text, m.start, m.end)) for m in ann.mentions if m.kind == "label"),
        loaded_terms=_loaded_terms(art),
        attribution_verbs=_attribution_verbs(art),
        named_sources=named,
        anonymous_sources=anonymous,
        hedges=_hedges(text),
        sentences=art.spans,
    )


# --- Per outlet ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelUse:
    """How often an outlet gave an actor one label."""

    actor: str
    label: str
    """The label's words as first written, without a leading article ("strongman of Lisk")."""
    count: int


@dataclass(frozen=True, slots=True)
class OutletFraming:
    """One outlet's framing over its articles: counts only, each backed by the articles' spans."""

    outlet: str | None
    articles: int
    labels: tuple[LabelUse, ...] = ()
    term_counts: tuple[tuple[str, int], ...] = ()
    """(category, count) over loaded terms and reporting verbs, most frequent first."""
    named_sources: int = 0
    anonymous_sources: int = 0
    hedges: int = 0

    @property
    def anonymous_share(self) -> float | None:
        """Share of the outlet's sourced attributions that are anonymous (None when it has none)."""
        total = self.named_sources + self.anonymous_sources
        return self.anonymous_sources / total if total else None


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _label_uses(framings: Sequence[ArticleFraming]) -> tuple[LabelUse, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], str] = {}
    for f in framings:
        for actor, span in f.labels:
            words = _ARTICLE.sub("", span.text.strip())
            key = (actor, _key(words))
            counts[key] += 1
            shown.setdefault(key, words)
    return tuple(LabelUse(actor, shown[(actor, k)], n)
                 for (actor, k), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])))


def _one_outlet(outlet: str | None, framings: Sequence[ArticleFraming]) -> OutletFraming:
    terms = Counter(t.category for f in framings for t in (*f.loaded_terms, *f.attribution_verbs))
    return OutletFraming(
        outlet=outlet,
        articles=len(framings),
        labels=_label_uses(framings),
        term_counts=tuple(sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))),
        named_sources=sum(f.named_sources for f in framings),
        anonymous_sources=sum(f.anonymous_sources for f in framings),
        hedges=sum(len(f.hedges) for f in framings),
    )


def _by_outlet(framings: Iterable[ArticleFraming]) -> list[tuple[str | None, list[ArticleFraming]]]:
    """Group by outlet, outlets in alphabetical order, unknown outlet last."""
    groups: dict[str | None, list[ArticleFraming]] = {}
    for f in framings:
        groups.setdefault(f.outlet, []).append(f)
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, (kv[0] or "").casefold()))


def outlet_framing(framings: Iterable[ArticleFraming]) -> list[OutletFraming]:
    """Return each outlet's framing summed over its articles (outlets by name, unknown last)."""
    return [_one_outlet(outlet, group) for outlet, group in _by_outlet(framings)]


# --- Side by side --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ViewItem:
    """One label or term in the side-by-side table, with where to highlight it."""

    text: str
    category: str
    """``label`` for a label, else the term's category."""
    sentence: str
    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OutletView:
    """One outlet's row in the side-by-side comparison for one actor."""

    outlet: str | None
    articles: tuple[str, ...]
    labels: tuple[ViewItem, ...] = ()
    terms: tuple[ViewItem, ...] = ()
    """Loaded terms and reporting verbs tied to the actor."""


def actor_matches(query: str, name: str | None) -> bool:
    """Return True when ``name`` is the actor ``query`` asks for: the query's words inside the
    name ("Putin" in "Vladimir Putin"), or the same surname ("President Putin", "V. Putin")."""
    if not name or not query.strip():
        return False
    q, n = _key(query), _key(name)
    if re.search(r"(?<!\w)" + re.escape(q) + r"(?!\w)", n):
        return True
    return q.split()[-1] == n.split()[-1] and len(q.split()[-1]) > 2


def _label_item(f: ArticleFraming, span: Span, texts: Mapping[str, str]) -> ViewItem:
    text = texts.get(f.article_id)
    sentence = _Article(text, sentences=f.sentences).sentence(span.start) if text else span.text
    return ViewItem(span.text, "label", sentence, f.article_id, span.start, span.end)


def _position(item: ViewItem) -> tuple[str, int, int]:
    return item.article_id, item.start, item.end


def compare_actor(actor: str, framings: Iterable[ArticleFraming],
                  texts: Mapping[str, str] | None = None) -> list[OutletView]:
    """Return, per outlet, the labels it gave ``actor`` and the terms it tied to them.

    Args:
        actor: the actor's name, or part of it ("Putin" matches "Vladimir Putin").
        framings: the framings of the articles to compare (usually one story's).
        texts: article id -> text, to give each label its sentence (without it a label's
            sentence is the label's own words; terms always carry theirs).

    Returns:
        One row per outlet (by name, unknown last), rows in article order; an outlet that
        gave the actor no label and no term has an empty row, which is itself a finding.
    """
    rows = []
    for outlet, group in _by_outlet(framings):
        labels = [_label_item(f, s, texts or {}) for f in group for name, s in f.labels if actor_matches(actor, name)]
        terms = [ViewItem(t.text, t.category, t.sentence, f.article_id, t.start, t.end)
                 for f in group for t in (*f.loaded_terms, *f.attribution_verbs) if actor_matches(actor, t.actor)]
        order = sorted(labels, key=_position), sorted(terms, key=_position)
        rows.append(OutletView(outlet, tuple(f.article_id for f in group), tuple(order[0]), tuple(order[1])))
    return rows
