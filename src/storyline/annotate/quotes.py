"""Direct and indirect quotes, with their speakers and cue verbs.

Direct quotes, from the quote marks (:mod:`.quotemarks`):
1. a reporting verb outside the marks in the sentence that holds the quote, nearest
   first ("“...,” Putin said", "said Putin", "He told state TV: “...”");
2. else the sentence before, when it ends with a colon or a reporting verb;
3. else the speaker of the quote just before in the same or previous paragraph
   ("“...,” Putin said. “By the way, ...”"): a continuation.
Short quoted phrases with no speaker are scare quotes or titles, not quotes, and a
fragment quoted inside reported speech belongs to that clause (a mixed quote).

Indirect quotes, from the parse: a reporting verb governing a clause
("Lonechild said she started ...", "..., the sources said") outside any direct
quote; and "according to X, ...".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from ..models import Quote
from ..models import Span as TextSpan
from .lexicon import load_lexicon
from .quotemarks import QuotedSpan, find_quoted_spans
from .speakers import plausible_speaker, resolve_speaker, speaker_phrase, subject_of
from .nlp import sentence_of, text_of

__all__ = ["find_quotes", "is_reporting_verb"]

_MIN_UNATTRIBUTED_WORDS = 6
_MIN_QUOTE_WORDS = 3
_MIXED_SHARE = 0.6  # a clause mostly in quote marks is a direct quote, not a mixed one


def is_reporting_verb(token: Token) -> bool:
    """Return True for a verb that introduces speech ("said", "told", "warned")."""
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in load_lexicon().reporting_verbs


def _verbs(doc: Doc) -> list[Token]:
    """The reporting verbs of a Doc (found once per Doc)."""
    cached = doc.user_data.get("storyline:verbs")
    if cached is None:
        cached = doc.user_data["storyline:verbs"] = [t for t in doc if is_reporting_verb(t)]
    return cached


def _inside(token: Token, spans: list[QuotedSpan]) -> bool:
    return any(s.start <= token.idx < s.end for s in spans)


def _paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


def _cue_near(doc: Doc, span: QuotedSpan, spans: list[QuotedSpan]) -> Token | None:
    """Steps 1 and 2: the nearest reporting verb outside quotes around the quoted span, same paragraph."""
    first = doc.char_span(span.inner_start, span.inner_end, alignment_mode="expand")
    if first is None or len(first) == 0:
        return None
    left, right = _paragraph_bounds(text_of(doc), span.start, span.end)
    sents = {sentence_of(first[0]).start, sentence_of(first[-1]).start}

    def usable(t: Token) -> bool:
        return left <= t.idx < right and is_reporting_verb(t) and not _inside(t, spans)

    if text_of(doc)[left:span.start].rstrip().endswith(":"):  # "He told state TV: “...”"
        before = [t for t in _verbs(doc) if usable(t) and t.idx < span.start]
        if before:
            return before[-1]
    candidates = [t for t in _verbs(doc) if sentence_of(t).start in sents and usable(t)]
    if not candidates:
        previous = _previous_sentence(doc, sentence_of(first[0]))
        if previous is not None and previous.text.rstrip().endswith((":", ",")):
            candidates = [t for t in previous if usable(t)]
    with_subject = [t for t in candidates if (h := subject_of(t)) is not None and not _inside(h, spans)]
    pool = with_subject or candidates
    return min(pool, key=lambda t: min(abs(t.idx - span.end), abs(t.idx - span.start))) if pool else None


def _previous_sentence(doc: Doc, sent: Span) -> Span | None:
    return sentence_of(doc[sent.start - 1]) if sent.start > 0 else None


def _quote_from_cue(doc: Doc, span: QuotedSpan, cue: Token | None) -> Quote:
    text = text_of(doc)[span.inner_start:span.inner_end]
    if cue is None:
        return Quote(text, span.inner_start, span.inner_end, True)
    cue_span = TextSpan(cue.text, cue.idx, cue.idx + len(cue.text))
    head = subject_of(cue)
    if head is None or not plausible_speaker(head):
        return Quote(text, span.inner_start, span.inner_end, True, cue=cue_span)
    words, name = resolve_speaker(head, speaker_phrase(head))
    return Quote(text, span.inner_start, span.inner_end, True, speaker=words, speaker_name=name, cue=cue_span)


def _direct_quotes(doc: Doc, spans: list[QuotedSpan], clauses: list[Quote]) -> Iterator[Quote]:
    previous: Quote | None = None
    for span in spans:
        if any(_contains(c, span) for c in clauses):
            continue  # a fragment quoted inside reported speech: the clause is the quote
        quote = _quote_from_cue(doc, span, _cue_near(doc, span, spans))
        if quote.speaker is None and previous is not None and previous.speaker_name and (
            _continues(doc, previous, span) or _whole_paragraph(text_of(doc), span)
        ):
            # "“A,” X said. “B.”": B is X's too, though no speaker words stand in its sentence;
            # so is a paragraph that is nothing but a quotation, after X's quote.
            quote = Quote(quote.text, quote.start, quote.end, True, speaker_name=previous.speaker_name)
        if quote.speaker_name is None and _whole_paragraph(text_of(doc), span) and len(quote.text.split()) >= 4:
            yield quote  # a quotation paragraph whose speaker the text leaves to the reader
            continue
        if quote.speaker_name is None and len(quote.text.split()) < _MIN_UNATTRIBUTED_WORDS:
            continue  # a scare quote or a title, not a quotation
        if len(quote.text.split()) < _MIN_QUOTE_WORDS and not _cue_right_before(quote, span):
            continue  # a quoted word or title ("yeet", “Face the Nation”), unless a cue introduces it
        if quote.speaker is None and quote.speaker_name is None and len(quote.text.split()) < 2 * _MIN_UNATTRIBUTED_WORDS:
            continue
        previous = quote
        yield quote


def _cue_right_before(quote: Quote, span: QuotedSpan) -> bool:
    """'called the plan “bold”', 'finally said “no mas.”': a cue a few words before a short quote."""
    return quote.cue is not None and quote.speaker is not None and 0 <= span.start - quote.cue.end <= 20


def _direct_not_mixed(span: QuotedSpan, start: int, end: int) -> bool:
    """A quoted span that overlaps the clause and either spills out of it or fills most of it."""
    if not (span.start < end and start < span.end):
        return False
    inside = start - 2 <= span.start and span.end <= end + 3
    return not inside or (span.inner_end - span.inner_start) >= _MIXED_SHARE * (end - start)


def _contains(clause: Quote, span: QuotedSpan) -> bool:
    """The quoted span lies inside the clause, give or take the marks and final punctuation."""
    return clause.start - 2 <= span.start and span.end <= clause.end + 3


def _whole_paragraph(text: str, span: QuotedSpan) -> bool:
    """The quote stands as its own sentence or paragraph: nothing but punctuation before or after it."""
    left = text.rfind("\n", 0, span.start) + 1
    right = text.find("\n", span.end)
    right = len(text) if right < 0 else right
    before = text[left:span.start].rstrip()
    after = text[span.end:right].lstrip(" .,")
    starts = not before or before.endswith((".", "!", "?", ")"))
    ends = not after or after[:1].isupper() and text[span.inner_end - 1 : span.inner_end] in ".!?"
    return starts and ends


def _continues(doc: Doc, previous: Quote, span: QuotedSpan) -> bool:
    """Step 3: only a short gap, within one paragraph or into the next, separates the two quotes."""
    gap = text_of(doc)[previous.end : span.start]
    return gap.count("\n") <= 2 and len(gap.split()) <= 12


def _clause_span(clause: Token) -> tuple[int, int]:
    """The reported clause, "that" included (as quotation annotators mark it)."""
    tokens = list(clause.subtree)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    if not tokens:
        return clause.idx, clause.idx
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


_MODALS = frozenset({"will", "would", "can", "could", "may", "might", "should", "shall", "must", "wo", "ca"})
_QUESTION_WORDS = frozenset({"what", "which", "how", "why", "whether", "if", "when", "where", "who", "whom"})


def _reports_a_statement(verb: Token, clause: Token) -> bool:
    """False for speech that is denied, hypothetical, passive or a question ("won't say what ...")."""
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children):
        return False  # "has not said", "won't say"
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
        return False  # "will argue", "can suggest": not (yet) said
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in children) and not any(c.dep_ == "agent" for c in children):
        return False  # "having been told he could ...": the speaker is not in the text
    first = clause.left_edge
    return first.lower_ not in _QUESTION_WORDS and not any(c.dep_ == "mark" and c.lower_ in _QUESTION_WORDS for c in clause.children)


def _is_clause(child: Token) -> bool:
    """A reported clause: a ccomp (whatever the tagger thought its head was), or a gerund clause
    ("said having Karlsson back was a boost"), but not a to-infinitive ("promised to run")."""
    if child.dep_ == "ccomp":
        return child.pos_ in {"VERB", "AUX"} or len(list(child.subtree)) >= 4
    return child.dep_ == "xcomp" and child.tag_ == "VBG" and any(c.dep_ in {"ccomp", "nsubj", "dobj"} for c in child.children)


def _around(verb: Token) -> tuple[int, int]:
    """The sentence a parenthetical cue ("..., she said, ...") sits in, without the cue's own words."""
    tokens = [t for t in verb.head.subtree if not (verb.left_edge.i <= t.i <= verb.right_edge.i)]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    return (tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)) if tokens else (verb.idx, verb.idx)


def _indirect_quotes(doc: Doc, spans: list[QuotedSpan]) -> Iterator[Quote]:
    for verb in _verbs(doc):
        if _inside(verb, spans):
            continue
        # A clause, not an infinitive: "promised to run" or "urged to act" report no statement.
        clause = next((c for c in verb.children if _is_clause(c)), None)
        head = subject_of(verb)
        if clause is None and verb.dep_ == "parataxis" and verb.head.pos_ in {"VERB", "AUX"}:
            clause = verb.head  # "It was impossible, she said, for many": the sentence around the cue
        if clause is None or head is None or head.lower_ == "you" or not _reports_a_statement(verb, clause):
            continue
        start, end = _clause_span(clause) if clause is not verb.head else _around(verb)
        if end - start < 8 or any(_direct_not_mixed(s, start, end) for s in spans):
            continue  # the clause is (part of) a direct quote, found with the marks
        if not plausible_speaker(head):
            continue
        words, name = resolve_speaker(head, speaker_phrase(head))
        cue = TextSpan(verb.text, verb.idx, verb.idx + len(verb.text))
        yield Quote(text_of(doc)[start:end], start, end, False, speaker=words, speaker_name=name, cue=cue)


def _according_to(doc: Doc, spans: list[QuotedSpan]) -> Iterator[Quote]:
    """"According to X, CONTENT": the rest of the sentence is X's, indirectly."""
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        obj = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
        if obj is None or not plausible_speaker(obj):
            continue
        rest = [t for t in sentence_of(token) if not (token.i <= t.i <= obj.right_edge.i) and not (t.is_punct or t.is_space)]
        if len(rest) < 3 or any(s.start <= rest[0].idx < s.end for s in spans):
            continue
        start, end = rest[0].idx, rest[-1].idx + len(rest[-1].text)
        words, name = resolve_speaker(obj, speaker_phrase(obj))
        cue_end = doc[token.i + 1].idx + 2
        yield Quote(text_of(doc)[start:end], start, end, False, words, name, TextSpan(text_of(doc)[token.idx:cue_end], token.idx, cue_end))


def find_quotes(doc: Doc) -> Iterator[Quote]:
    """Yield every direct and indirect quote in a parsed text, in order of position."""
    spans = find_quoted_spans(text_of(doc))
    clauses = list(_indirect_quotes(doc, spans)) + list(_according_to(doc, spans))
    quotes = list(_direct_quotes(doc, spans, clauses)) + clauses
    yield from sorted(quotes, key=lambda q: q.start)
