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
quote; and "according to X, ...". The clause runs on over what the parser hung on
the cue after it, up to a second cue; a cue in mid-sentence ("A, she said, B") and
"according to X" there split the content in two. Advice to someone ("urged residents
to ...") and a name given ("called the plan a failure") are indirect quotes too.
What data or a document "suggests" is evidence, attributed but not quoted
(:func:`find_evidence`). Captions, link headlines and single-quoted subheads hold no quotes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..models import Quote
from ..models import Span as TextSpan
from .lexicon import load_lexicon
from .quotemarks import (
    QuotedSpan, find_quoted_spans, is_subhead, not_reporting, paragraph_bounds, whole_paragraph, word_list,
)
from .sources import is_evidence_report
from .speakers import plausible_speaker, resolve_speaker, speaker_phrase, subject_of
from .nlp import ents_of, sentence_of, text_of

__all__ = ["find_evidence", "find_quotes", "is_reporting_verb"]

_MIN_UNATTRIBUTED_WORDS = 6
_MIN_QUOTE_WORDS = 3
_SPEAKER_SENTENCE = 8  # tokens: "Trump said.", "Bozell points out to reporters."


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


def _cue_near(doc: Doc, span: QuotedSpan, spans: list[QuotedSpan]) -> Token | None:
    """Steps 1 and 2: the nearest reporting verb outside quotes around the quoted span, same paragraph."""
    first = doc.char_span(span.inner_start, span.inner_end, alignment_mode="expand")
    if first is None or len(first) == 0:
        return None
    left, right = paragraph_bounds(text_of(doc), span.start, span.end)
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
    after = text_of(doc)[span.end:span.end + 2]
    if not candidates and after[:1] == " ":
        # "“Run!” the guard shouted.", "“Why?” Kim said.", "“... missing.” Trump said.": the parser
        # ended the sentence at the closing mark, the cue goes on (a cue that has a clause of its
        # own starts a new sentence; a short sentence of a name and a cue only tells who spoke).
        following = doc.char_span(span.end, len(text_of(doc)), alignment_mode="expand")
        if following is not None and len(following):
            sentence = sentence_of(following[0])
            goes_on = after[1:].islower() or text_of(doc)[span.inner_end - 1:span.inner_end] in "!?"
            if goes_on or len(sentence) <= _SPEAKER_SENTENCE:
                candidates = [t for t in sentence if usable(t) and _cue_clause(t) is None]
    with_subject = [t for t in candidates if (h := subject_of(t)) is not None and not _inside(h, spans)]
    pool = with_subject or candidates
    return min(pool, key=lambda t: min(abs(t.idx - span.end), abs(t.idx - span.start))) if pool else None


def _previous_sentence(doc: Doc, sent: Span) -> Span | None:
    return sentence_of(doc[sent.start - 1]) if sent.start > 0 else None


def _quote_from_cue(doc: Doc, span: QuotedSpan, cue: Token | None) -> Quote:
    text = text_of(doc)[span.inner_start:span.inner_end]
    if cue is None:
        named = _named_before_colon(doc, span)
        if named is None:
            return Quote(text, span.inner_start, span.inner_end, True)
        words, name = resolve_speaker(named, speaker_phrase(named))
        return Quote(text, span.inner_start, span.inner_end, True, speaker=words, speaker_name=name)
    cue_span = TextSpan(cue.text, cue.idx, cue.idx + len(cue.text))
    head = subject_of(cue)
    if head is not None and span.start <= head.idx < span.end:
        head = _name_between(doc, span.end, cue.idx)  # the parser took a word of the quote for the subject
    if head is None or not plausible_speaker(head):
        return Quote(text, span.inner_start, span.inner_end, True, cue=cue_span)
    words, name = resolve_speaker(head, speaker_phrase(head))
    return Quote(text, span.inner_start, span.inner_end, True, speaker=words, speaker_name=name, cue=cue_span)


def _name_between(doc: Doc, start: int, end: int) -> Token | None:
    """The first person or organisation named between the closing mark and the cue ("”, Ramos, 58, told")."""
    names = [e for e in ents_of(doc) if start <= e.start_char and e.end_char <= end and e.label_ in {"PERSON", "ORG"}]
    return names[0].root if names else None


def _named_before_colon(doc: Doc, span: QuotedSpan) -> Token | None:
    """"... Republican pollster Daron Shaw: “...”": a name right before a colon introduces the quote."""
    before = text_of(doc)[: span.start].rstrip()
    if not before.endswith(":"):
        return None
    colon = len(before) - 1
    names = [e for e in ents_of(doc) if e.label_ == "PERSON" and 0 <= colon - e.end_char <= 1]
    return names[-1].root if names else None


def _direct_quotes(doc: Doc, spans: list[QuotedSpan], clauses: list[Quote]) -> Iterator[Quote]:
    text, previous = text_of(doc), None
    for span in spans:
        if any(_contains(c, span) for c in clauses) or is_subhead(text, span):
            continue  # a fragment quoted inside reported speech (the clause is the quote), or a subhead
        quote = _quote_from_cue(doc, span, _cue_near(doc, span, spans))
        embedded = _embedded(doc, span)
        if _is_title(text, span) and (embedded or quote.cue is None):
            continue  # a title or a slogan named in the writer's sentence (on “Meet the Press”)
        if embedded:
            mixed = _mixed_quote(doc, span, quote)
            if mixed is not None:
                yield mixed  # words quoted inside the writer's sentence: indirect speech
            continue
        before = max((q for q in (previous, *clauses) if q is not None and q.end <= span.start),
                     key=lambda q: q.end, default=None)
        if quote.speaker is None and before is not None and before.speaker_name and (
            _continues(doc, before, span) or whole_paragraph(text, span)
        ):
            # "“A,” X said. “B.”": B is X's too, though no speaker words stand in its sentence;
            # so is a paragraph that is nothing but a quotation, after X's quote.
            quote = Quote(quote.text, quote.start, quote.end, True, speaker_name=before.speaker_name)
        if quote.speaker_name is None and whole_paragraph(text, span) and len(quote.text.split()) >= 4:
            yield quote  # a quotation paragraph whose speaker the text leaves to the reader
            continue
        if quote.speaker_name is None and len(quote.text.split()) < _MIN_UNATTRIBUTED_WORDS and not _framed(quote, span):
            continue  # a scare quote or a title, not a quotation
        if len(quote.text.split()) < _MIN_QUOTE_WORDS and not _cue_right_before(quote, span):
            continue  # a quoted word or title ("yeet", “Face the Nation”), unless a cue introduces it
        if quote.speaker is None and quote.speaker_name is None and len(quote.text.split()) < 2 * _MIN_UNATTRIBUTED_WORDS:
            continue
        previous = quote
        yield quote


def _embedded(doc: Doc, span: QuotedSpan) -> bool:
    """The marks open after a word of the writer's own sentence ("described the field as “...”",
    "said that “...”"), not after punctuation, a reporting verb ("said “...”") or its addressee
    ("told reporters “...”")."""
    before = text_of(doc)[: span.start].rstrip(" \t")
    if not before or not before[-1].isalnum():
        return False
    token = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if token is None or not len(token):
        return False
    word = token[-1]
    return not (is_reporting_verb(word) or word.dep_ in {"dobj", "dative", "pobj"} and is_reporting_verb(word.head))


def _mixed_quote(doc: Doc, span: QuotedSpan, quote: Quote) -> Quote | None:
    """The writer's clause holding a quoted fragment, as an indirect quote of the fragment's speaker.

    It runs from the cue ("that" included, as annotators mark it) to the closing mark when the
    cue comes first, else from the start of the sentence; a fragment with no speaker is none.
    """
    if quote.cue is None or quote.speaker is None or not _speaks(doc, quote.cue):
        return None
    if len(quote.text.split()) < _MIN_QUOTE_WORDS and not _cue_right_before(quote, span):
        return None  # a scare quote ("accused of using “barrier troops”")
    left, _ = paragraph_bounds(text_of(doc), span.start, span.end)
    if quote.cue.end <= span.start:
        after = [t for t in doc if quote.cue.end <= t.idx < span.start and not t.is_space]
        that = next((t for t in after if t.lower_ == "that" and t.dep_ == "mark"), None)
        first = that or next((t for t in after if not t.is_punct), None)
        start = first.idx if first is not None else span.start
    else:
        inner = doc.char_span(span.inner_start, span.inner_end, alignment_mode="expand")
        start = sentence_of(inner[0]).start_char if inner is not None and len(inner) else span.start
    start = max(start, left)
    if span.end - start < 8:
        return None
    return Quote(text_of(doc)[start:span.end], start, span.end, False, quote.speaker, quote.speaker_name, quote.cue)


def _speaks(doc: Doc, cue: TextSpan) -> bool:
    """The cue's subject says something: not "was accused of", "has not said", "may claim"."""
    token = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    return token is not None and len(token) > 0 and _reports_a_statement(token.root, token.root)


def _is_title(text: str, span: QuotedSpan) -> bool:
    """A short run of capitalised words (“Good Morning America”, “Peace Through Strength”)."""
    words = text[span.inner_start:span.inner_end].strip(" .,;:!?").split()
    long = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    return 0 < len(words) <= 6 and bool(long) and all(w[:1].isupper() for w in long)


def _framed(quote: Quote, span: QuotedSpan) -> bool:
    """"“You'd have to be insane,” he said": its speaker words and cue follow the closing mark."""
    return quote.speaker is not None and quote.cue is not None and 0 <= quote.speaker.start - span.end <= 3


def _cue_right_before(quote: Quote, span: QuotedSpan) -> bool:
    """'called the plan “bold”', 'finally said “no mas.”': a cue a few words before a short quote."""
    return quote.cue is not None and quote.speaker is not None and 0 <= span.start - quote.cue.end <= 20


def _direct_not_mixed(text: str, span: QuotedSpan, start: int, end: int) -> bool:
    """The clause is (part of) a direct quote: the marks open it ("said “...”") or begin before it.

    A clause with words of its own before the marks ("said the plan was “dead on arrival”",
    "said that “...”") is indirect speech holding quoted words, however much of it is quoted.
    """
    if not (span.start < end and start < span.end):
        return False
    return span.start < start or not text[start : span.start].strip()


def _with_quoted_tail(text: str, spans: list[QuotedSpan], start: int, end: int) -> int:
    """Return the clause's end, stretched to the closing mark of a quote it opens after its first words.

    The parser may end the clause inside the quoted words ("said Trump had “the opportunity
    and the obligation to bring us together.”"); the quoted fragment is part of the clause.
    """
    for span in spans:
        if start + 1 < span.start < end < span.end and "\n" not in text[end : span.end]:
            end = span.end
    return end


def _before_next_quote(doc: Doc, spans: list[QuotedSpan], start: int, end: int) -> int:
    """Return the clause's end, cut before a quotation it runs into after punctuation and a cue:
    "said the policy “was maniacal,” adding, “He lost ...”" ends at "maniacal,”"."""
    text = text_of(doc)
    for span in spans:
        if not start < span.start < end or not _opens_after_punctuation(text, span):
            continue
        words = [t for t in doc if start <= t.idx < span.start and not t.is_space]
        while words and (words[-1].is_punct and words[-1].text not in "”’\"»" or words[-1].dep_ == "cc"
                         or is_reporting_verb(words[-1])):
            words.pop()
        return words[-1].idx + len(words[-1].text) if words else start
    return end


def _opens_after_punctuation(text: str, span: QuotedSpan) -> bool:
    before = text[: span.start].rstrip(" \t")
    return bool(before) and before[-1] in ",:;—–"


def _contains(clause: Quote, span: QuotedSpan) -> bool:
    """The quoted span lies inside the clause, give or take the marks and final punctuation."""
    return clause.start - 2 <= span.start and span.end <= clause.end + 3


def _continues(doc: Doc, previous: Quote, span: QuotedSpan) -> bool:
    """Step 3: a short gap separates the two quotes: up to 25 words in one paragraph ("“A,” Cuban said in
    an interview airing Sunday on NBC's “Meet the Press.” “B.”"), 12 into the next, naming no one else."""
    gap = text_of(doc)[previous.end : span.start]
    if gap.count("\n") > 2 or len(gap.split()) > (25 if "\n" not in gap else 12):
        return False
    return not any(previous.end <= e.start_char < span.start and e.label_ == "PERSON"
                   and e.text.split()[-1] not in (previous.speaker_name or "") for e in ents_of(doc))


def _clause_span(clause: Token, verb: Token | None = None) -> tuple[int, int]:
    """The reported clause, "that" included (as quotation annotators mark it).

    A clause after its verb runs on to the end of what the verb governs: the parser often
    hangs a clause's "because ...", "as ..." or second predicate on the reporting verb
    ("She said the plan works, because it is cheap"), but not a second cue ("..., adding ...").
    """
    tokens = list(clause.subtree)
    if verb is not None and clause.i > verb.i:
        tokens += [t for c in _tail(verb, clause) for t in c.subtree]
        stray = _stray_subject(verb, clause)
        tokens = sorted(tokens + (list(stray.subtree) if stray is not None else []), key=lambda t: t.i)
    for cue in [t for t in tokens if t.i > clause.i and _second_cue(t)]:
        tokens = [t for t in tokens if t.i < cue.left_edge.i or t.i > cue.right_edge.i]
    anchor = (verb or clause).idx
    left, right = paragraph_bounds(text_of(clause.doc), anchor, anchor)
    tokens = [t for t in tokens if left <= t.idx < right]  # the parser may run across paragraphs
    tokens = _trimmed(tokens)
    if not tokens:
        return clause.idx, clause.idx
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _tail(verb: Token, clause: Token) -> list[Token]:
    """The verb's dependents after the clause that continue it, up to a second cue or a new sentence."""
    tail = []
    for child in verb.rights:
        if child.i <= clause.right_edge.i:
            continue
        if is_reporting_verb(child) or child.is_sent_start or (child.dep_ == "cc" and _next_is_cue(child)):
            break
        tail.append(child)
    return tail


def _second_cue(token: Token) -> bool:
    """"..., adding that ...", "... and added: ...": a cue with no subject of its own inside the clause
    starts the speaker's next quote."""
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
    shape = token.dep_ == "conj" or token.dep_ == "advcl" and token.tag_ == "VBG"
    return shape and is_reporting_verb(token) and not own_subject


def _next_is_cue(cc: Token) -> bool:
    """"..., and added that ...": the conjunction leads to a second reporting verb."""
    return any(is_reporting_verb(s) for s in cc.head.rights if s.i > cc.i and s.dep_ == "conj")


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


def _trimmed(tokens: list[Token]) -> list[Token]:
    """The tokens without punctuation and space at either end, nor a dangling "and" at the end."""
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    return tokens


def _around(verb: Token) -> list[tuple[int, int]]:
    """The sentence a parenthetical cue ("..., she said, ...") sits in, in two parts: before and after
    the cue's own words. A part with no verb ("Too often, he says, ...") is framing, not content."""
    around = verb.head.subtree if verb.head.pos_ in {"VERB", "AUX"} else sentence_of(verb)
    left, right = paragraph_bounds(text_of(verb.doc), verb.idx, verb.idx)
    tokens = [t for t in around if left <= t.idx < right]
    before = _trimmed([t for t in tokens if t.i < verb.left_edge.i])
    after = _trimmed([t for t in tokens if t.i > verb.right_edge.i])
    # A part with a cue of its own ("..., though she warned that ...") is that cue's quote.
    parts = [p for p in (before, after) if p and not any(map(is_reporting_verb, p))]
    return [(p[0].idx, p[-1].idx + len(p[-1].text)) for p in parts]


def _cue_clause(verb: Token) -> Token | None:
    """The clause a reporting verb governs, or the word its parenthetical cue hangs on."""
    # A clause, not an infinitive: "promised to run" or "urged to act" report no statement.
    left, right = paragraph_bounds(text_of(verb.doc), verb.idx, verb.idx)  # not a clause run on from a headline
    clause = next((c for c in verb.children if _is_clause(c) and left <= c.idx < right), None)
    if clause is None and verb.dep_ == "parataxis":
        return verb.head  # "It was impossible, she said, for many": the sentence around the cue
    return clause or _clause_after_phrase(verb)


def _clause_after_phrase(verb: Token) -> Token | None:
    """"said in a statement that ...": a that-clause the parser hung on the noun of a phrase after the cue."""
    for prep in (c for c in verb.rights if c.dep_ == "prep"):
        for noun in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in (c for c in noun.rights if c.dep_ in {"acl", "relcl", "ccomp"} and c.pos_ in {"VERB", "AUX"}):
                marked = any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)
                if marked and any(m.dep_ in {"nsubj", "nsubjpass", "expl"} for m in clause.children):
                    return clause
    return None


def _stray_subject(verb: Token, clause: Token) -> Token | None:
    """"said smaller brewers who ... — are likely to suffer": the clause's subject, parsed as the
    verb's object, stands between the verb and a clause that has no subject of its own."""
    if clause.i < verb.i or clause.dep_ != "ccomp" or any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj", "mark"} for c in clause.children):
        return None
    return next((c for c in verb.rights if c.dep_ == "dobj" and c.i < clause.i and c.pos_ in {"NOUN", "PROPN"}), None)


def _indirect_quotes(doc: Doc, spans: list[QuotedSpan]) -> Iterator[Quote]:
    for verb in _verbs(doc):
        if _inside(verb, spans):
            continue
        clause, head = _cue_clause(verb), subject_of(verb)
        if clause is None or head is None or head.lower_ == "you" or not _reports_a_statement(verb, clause):
            continue
        if not plausible_speaker(head):
            continue
        parts = [_clause_span(clause, verb)] if clause.i != verb.head.i else _around(verb)
        for start, end in parts:
            end = _before_next_quote(doc, spans, start, _with_quoted_tail(text_of(doc), spans, start, end))
            if end - start < 8 or any(_direct_not_mixed(text_of(doc), s, start, end) for s in spans):
                continue  # the clause is (part of) a direct quote, found with the marks
            words, name = resolve_speaker(head, speaker_phrase(head))
            cue = TextSpan(verb.text, verb.idx, verb.idx + len(verb.text))
            yield Quote(text_of(doc)[start:end], start, end, False, speaker=words, speaker_name=name, cue=cue)


def _addressee(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.pos_ in {"NOUN", "PROPN", "PRON"}), None)


def _directive_content(verb: Token) -> Token | None:
    """"urged police to investigate": the to-infinitive after the addressee."""
    if verb.lemma_.lower() not in word_list("directive_verbs") or _addressee(verb) is None:
        return None
    return next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VB" and c.i > verb.i
                 and any(a.lower_ == "to" for a in c.children)), None)


def _naming_content(verb: Token) -> Token | None:
    """"called the plan a failure", "described her as a friend": the name given."""
    if verb.lemma_.lower() not in word_list("naming_verbs") or _addressee(verb) is None:
        return None
    for child in verb.rights:
        if child.dep_ == "oprd" or child.dep_ == "ccomp" and child.pos_ in {"NOUN", "PROPN", "NUM"}:
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _told_to(doc: Doc, spans: list[QuotedSpan]) -> Iterator[Quote]:
    """Directives and names given, reported indirectly: the speaker is the verb's subject."""
    for verb in doc:
        if verb.pos_ != "VERB" or _inside(verb, spans):
            continue
        content = _directive_content(verb) or _naming_content(verb)
        head = subject_of(verb) if content is not None else None
        if content is None or head is None or not plausible_speaker(head) or not _reports_a_statement(verb, content):
            continue
        start, end = _clause_span(content, verb)
        if any(_direct_not_mixed(text_of(doc), s, start, end) for s in spans):
            continue
        words, name = resolve_speaker(head, speaker_phrase(head))
        cue = TextSpan(verb.text, verb.idx, verb.idx + len(verb.text))
        yield Quote(text_of(doc)[start:end], start, end, False, speaker=words, speaker_name=name, cue=cue)


def _according_to(doc: Doc, spans: list[QuotedSpan]) -> Iterator[Quote]:
    """"According to X, CONTENT": the rest of the sentence is X's, indirectly; "A, according to X, B"
    gives A and B as two quotes, as a parenthetical cue does."""
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to" or _inside(token, spans):
            continue  # (an "according to" inside a quotation is the speaker's, not the writer's)
        obj = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
        if obj is None or not plausible_speaker(obj):
            continue
        left, right = paragraph_bounds(text_of(doc), token.idx, token.idx)
        words = [t for t in sentence_of(token) if left <= t.idx < right]
        before = _trimmed([t for t in words if t.i < token.i])
        after = _trimmed([t for t in words if t.i > obj.right_edge.i])
        parts = [p for p in (before, after) if p]
        speaker, name = resolve_speaker(obj, speaker_phrase(obj))
        cue_end = doc[token.i + 1].idx + 2
        cue = TextSpan(text_of(doc)[token.idx:cue_end], token.idx, cue_end)
        for part in parts:
            if len(part) < 2 or _inside(part[0], spans):
                continue
            start, end = part[0].idx, part[-1].idx + len(part[-1].text)
            yield Quote(text_of(doc)[start:end], start, end, False, speaker, name, cue)


def _is_evidence(doc: Doc, quote: Quote) -> bool:
    """"The survey suggests ...", "records indicated ...": a document or data pointing to a conclusion."""
    if quote.direct or quote.cue is None or quote.speaker is None:
        return False
    cue = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
    if cue is None or not len(cue):
        return False
    head = subject_of(cue.root)
    return head is not None and is_evidence_report(cue.root, head)


def _all_quotes(doc: Doc) -> list[Quote]:
    """Every quote, evidence reports included, outside captions and link headlines (found once per Doc)."""
    cached: list[Quote] | None = doc.user_data.get("storyline:quotes")
    if cached is None:
        spans = find_quoted_spans(text_of(doc))
        clauses = list(_indirect_quotes(doc, spans)) + list(_according_to(doc, spans)) + list(_told_to(doc, spans))
        quotes = list(_direct_quotes(doc, spans, clauses)) + clauses
        regions = not_reporting(doc)
        outside = [q for q in quotes if not any(a <= q.start < b or q.cue and a <= q.cue.start < b for a, b in regions)]
        cached = doc.user_data["storyline:quotes"] = _pronouns_of_the_last_speaker(doc, sorted(outside, key=lambda q: q.start), spans)
    return cached


_PERSONAL = frozenset({"he", "she"})


def _a_person(quote: Quote, people: list[Span]) -> bool:
    """The quote's speaker is a named person (not an outlet or an office)."""
    if quote.speaker is not None and any(e.start_char < quote.speaker.end and quote.speaker.start < e.end_char for e in people):
        return True
    return any(e.text in (quote.speaker_name or "") for e in people)


def _in_quote_marks(entity: Span, spans: list[QuotedSpan]) -> bool:
    return any(s.start <= entity.start_char < s.end for s in spans)


def _pronouns_of_the_last_speaker(doc: Doc, quotes: list[Quote], spans: list[QuotedSpan]) -> list[Quote]:
    """"X said ... “...,” he said.": a he or she who speaks right after X's quote is X.

    The quote just before, in the same or the previous paragraph, names its speaker, and no
    other person is named between the two outside quote marks.
    """
    people = [e for e in ents_of(doc) if e.label_ == "PERSON"]
    out: list[Quote] = []
    for quote in quotes:
        last = out[-1] if out else None
        if (quote.speaker is not None and quote.speaker.text.lower() in _PERSONAL and last is not None
                and last.speaker_name and last.speaker_name != quote.speaker_name and _a_person(last, people)
                and text_of(doc).count("\n", last.end, quote.start) <= 2
                and not any(last.end <= e.start_char < quote.speaker.start and not _in_quote_marks(e, spans)
                            for e in people)):
            quote = replace(quote, speaker_name=last.speaker_name)
        out.append(quote)
    return out


def find_quotes(doc: Doc) -> Iterator[Quote]:
    """Yield every direct and indirect quote in a parsed text, in order of position."""
    yield from (q for q in _all_quotes(doc) if not _is_evidence(doc, q))


def find_evidence(doc: Doc) -> Iterator[Quote]:
    """Yield what data or documents are reported to show ("The poll suggests ..."), quote-shaped:
    attributions to the document, not quotes (see :func:`find_quotes`)."""
    yield from (q for q in _all_quotes(doc) if _is_evidence(doc, q))
