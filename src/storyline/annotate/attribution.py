"""Attribution chains: from what the article reports to where it came from, through whom.

Steps:
1. every quote is an attribution to its speaker; "according to X, ..." is one to X;
2. a deeper source in the same sentence ("Reuters writes ..., citing four sources in
   Russia"; "sources cited by the New York Times"; "drawing on insights from two former
   officials") becomes the source, and what cited it moves into ``via``;
3. inside an outlet's quoted report, a person who "said" or "told"/"gave an interview
   with" another outlet extends the chain (Newsweek <- The Sun <- Zelensky);
4. back-references ("the agency", "the report") and unnamed sources or documents with no
   outlet of their own go through the one outlet the article cites, when it cites exactly
   one (the article is retelling that outlet's report).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..models import Attribution, Quote
from ..models import Span as TextSpan
from .sources import classify_source, is_outlet_name
from .quotes import find_evidence, is_reporting_verb
from .speakers import speaker_phrase, subject_of
from .lexicon import load_lexicon
from .nlp import ents_in, sentence_of, sentences, text_of

__all__ = ["find_attributions"]

_CITING_LEMMAS = frozenset({"cite", "quote"})
_TOLD_LEMMAS = frozenset({"tell", "say", "speak", "talk", "write"})
_BASIS_NOUNS = frozenset({"insights", "information", "accounts", "interviews", "conversations", "messages", "reports"})
_CHAIN_WINDOW = 3  # paragraphs after an outlet's quoted report searched for who said it, to whom


def _text_span(span: Span | Token) -> TextSpan:
    if isinstance(span, Token):
        return TextSpan(span.text, span.idx, span.idx + len(span.text))
    return TextSpan(span.text, span.start_char, span.end_char)


def _phrase_at(doc: Doc, words: TextSpan) -> tuple[Span, Token] | None:
    span = doc.char_span(words.start, words.end, alignment_mode="expand")
    return (span, span.root) if span is not None and len(span) else None


def _from_quote(doc: Doc, quote: Quote) -> Attribution:
    content = TextSpan(quote.text, quote.start, quote.end)
    found = _phrase_at(doc, quote.speaker) if quote.speaker else None
    if found is None:
        return Attribution(content, quote.speaker, "unknown", cue=quote.cue)
    phrase, head = found
    info = classify_source(phrase, head)
    own: tuple[TextSpan, ...] = (_text_span(info.outlet),) if info.outlet is not None and info.kind != "outlet" else ()
    via = own + _told_outlet(doc, quote)
    att = Attribution(content, quote.speaker, info.kind, info.count, quote.cue, via)
    return _inner_chain(doc, att) if quote.direct else att


def _told_outlet(doc: Doc, quote: Quote) -> tuple[TextSpan, ...]:
    """"He told state radio: ..." / "said in an interview with the Ledger": the outlet the speaker spoke to."""
    if quote.cue is None:
        return ()
    verb = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
    if verb is None or len(verb) == 0 or verb.root.lemma_.lower() not in _TOLD_LEMMAS:
        return ()
    for child in verb.root.children:
        target = child
        if child.dep_ == "prep" and child.lower_ in {"to", "with", "in"}:
            target = next((c for c in child.children if c.dep_ == "pobj"), child)
            if target.lower_ == "interview":
                target = next((g for c in target.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), target)
        elif child.dep_ not in {"dobj", "dative"}:
            continue
        words = speaker_phrase(target)
        # The head noun itself must name the outlet ("state radio", "the Ledger"), not a report in it.
        if is_outlet_name(words.text) and (target.ent_type_ or target.lower_ in load_lexicon().outlet_words):
            return (_text_span(words),)
    return ()


def _outlet_reports(doc: Doc, quotes: list[Quote]) -> Iterator[Attribution]:
    """Step 1b: an outlet that "writes"/"reports" with no clause of its own ("Reuters writes about this, ...")."""
    used = {q.cue.start for q in quotes if q.cue is not None}
    for verb in doc:
        if verb.idx in used or not is_reporting_verb(verb):
            continue
        head = subject_of(verb)
        if head is None or not is_outlet_name(speaker_phrase(head).text):
            continue
        sent = sentence_of(verb)
        content = TextSpan(sent.text.strip(), sent.start_char + (len(sent.text) - len(sent.text.lstrip())), sent.start_char + len(sent.text.rstrip()))
        source = _text_span(speaker_phrase(head))
        yield Attribution(content, source, "outlet", None, _text_span(verb), ())


def _based_on(doc: Doc) -> Iterator[Attribution]:
    """Step 1c: "The account rests on insights from three former aides"."""
    for sent in sentences(doc):
        found = _deeper_source(sent, kinds=("from",))
        if found is None:
            continue
        phrase, head, _ = found
        info = classify_source(phrase, head)
        content = TextSpan(sent.text.strip(), sent.start_char + (len(sent.text) - len(sent.text.lstrip())), sent.start_char + len(sent.text.rstrip()))
        cue = next((_text_span(t) for t in sent if t.lower_ == "based"), None)
        yield Attribution(content, _text_span(phrase), info.kind, info.count, cue, ())


def _deeper_source(sent: Span, kinds: tuple[str, ...] = ("citing", "cited", "from")) -> tuple[Span, Token, str] | None:
    """Step 2: "citing X" (X is deeper), "cited by X" (X is nearer when an outlet), "based on ... from X"."""
    for token in sent:
        lemma = token.lemma_.lower()
        if "citing" in kinds and lemma in _CITING_LEMMAS and token.tag_ == "VBG":
            obj = next((c for c in token.children if c.dep_ in {"dobj", "pobj"}), None)
            if obj is not None:
                return speaker_phrase(obj), obj, "citing"
        if "cited" in kinds and lemma in _CITING_LEMMAS and token.tag_ == "VBN":
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if obj is not None:
                return speaker_phrase(obj), obj, "cited"
        if "from" in kinds and token.lower_ == "from" and token.head.lower_ in _BASIS_NOUNS:
            obj = next((c for c in token.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return speaker_phrase(obj), obj, "from"
    return None


def _deepen(doc: Doc, att: Attribution) -> Attribution:
    span = doc.char_span(att.content.start, att.content.end, alignment_mode="expand")
    if span is None or len(span) == 0 or att.source is None:
        return att
    found = _deeper_source(sentence_of(span[0]))
    if found is None:
        return att
    phrase, head, how = found
    if phrase.start_char <= att.source.start < phrase.end_char:
        return att
    info = classify_source(phrase, head)
    if how == "cited" and info.kind == "outlet":  # "sources cited by the New York Times"
        return att if att.via else replace(att, via=(_text_span(phrase),))
    if info.kind == "outlet" and att.source_kind == "outlet":
        return att
    via = att.via + ((att.source,) if att.source_kind == "outlet" else ())
    if info.outlet is not None and info.kind != "outlet":
        via += (_text_span(info.outlet),)
    return replace(att, source=_text_span(phrase), source_kind=info.kind, count=info.count, via=via)


def _window(doc: Doc, start: int, end: int) -> Span | None:
    stop = end
    for _ in range(_CHAIN_WINDOW):
        nxt = text_of(doc).find("\n", stop + 1)
        stop = len(text_of(doc)) if nxt < 0 else nxt
    return doc.char_span(start, stop, alignment_mode="expand")


def _inner_chain(doc: Doc, att: Attribution) -> Attribution:
    """Step 3: an outlet's quoted report that names who said it, and to which outlet."""
    if att.source_kind != "outlet" or att.source is None:
        return att
    inner = doc.char_span(att.content.start, att.content.end, alignment_mode="expand")
    person = next((e for e in ents_in(inner) if e.label_ == "PERSON" and e.root.dep_ in {"nsubj", "nsubjpass"}), None) if inner else None
    if person is None:
        return att
    via = att.via + (att.source,)
    surname = person.text.split()[-1]
    window = _window(doc, att.content.start, att.content.end)
    for ent in ents_in(window) if window is not None else ():
        said_by_person = any(e.text.endswith(surname) for e in ents_in(sentence_of(ent.root)) if e.label_ == "PERSON")
        if ent.label_ != "PERSON" and is_outlet_name(ent.text) and ent.root.head.lower_ in {"with", "to", "told"} and said_by_person:
            via += (_text_span(ent),)
            break
    return replace(att, source=_text_span(person), source_kind="person", count=None, via=via)


def _is_named(text: str) -> bool:
    """A proper name ("Reuters", "the New York Times"), not a back-reference ("the agency")."""
    return any(w[:1].isupper() for w in text.split() if w.lower() != "the")


def _cited_outlets(doc: Doc, atts: Iterable[Attribution]) -> list[TextSpan]:
    outlets: dict[str, TextSpan] = {}
    for att in atts:
        for span in (att.source,) + att.via if att.source_kind == "outlet" else att.via:
            if span is not None and is_outlet_name(span.text) and _is_named(span.text):
                outlets.setdefault(span.text.lower().removeprefix("the "), span)
    return list(outlets.values())


def _through_primary(att: Attribution, primary: TextSpan) -> Attribution:
    """Step 4."""
    if att.via or att.source is None:
        return att
    words = att.source.text.lower()
    if att.source_kind == "outlet" and not _is_named(att.source.text):  # "the agency", "the article"
        return replace(att, source=primary, source_kind="outlet")
    if att.source_kind in {"anonymous", "document"}:
        if words.startswith(("the report", "the article")):
            return replace(att, source=primary, source_kind="outlet")
        return replace(att, via=(primary,))
    return att


def find_attributions(doc: Doc, quotes: Iterable[Quote]) -> Iterator[Attribution]:
    """Yield the attribution of every quote and "according to" phrase, with its chain."""
    quotes = list(quotes)
    # "According to X, ..." is already a quote (see quotes._according_to).
    # What a survey or a report "suggests" is attributed to it, though it is no quote.
    atts = [_from_quote(doc, q) for q in quotes + list(find_evidence(doc))]
    atts += list(_outlet_reports(doc, quotes)) + list(_based_on(doc))
    atts = [_deepen(doc, a) for a in atts]
    cited = _cited_outlets(doc, atts)
    if len(cited) == 1:
        atts = [_through_primary(a, cited[0]) for a in atts]
    yield from sorted(atts, key=lambda a: a.content.start)


