"""The stance a claim says an actor holds: "Putin is ready for a ceasefire".

Outlets word one stance in many ways: "ready for a ceasefire", "open to a cease-fire", "his
willingness to hold talks", "signaled openness to a ceasefire", "Putin's openness to a
ceasefire becomes critical". Their embeddings are far apart, their proposition is one. This
module reads, from the parse of a claim's main clause (outside its subordinate clauses):

1. the stance word: an adjective or noun of a stance kind (``[stances]`` in
   ``data/claims.toml``: ready, willing, open, prepared);
2. its holder: the possessor of a stance noun ("Putin's openness"), else the subject of the
   nearest clause above the word ("he is open", "Putin announced his willingness"), tied to an
   actor as the claim's roles are (a mention, a resolved "he", a quote's "I");
3. its object: the phrase it governs ("for a ceasefire", "to hold talks"), or the phrase right
   after a stance noun that is a verb's object ("signaled openness to a ceasefire"); its head
   words are the verb and its object, or the preposition's object, with hyphenated compounds
   whole ("cease-fire");
4. its topic: the ``[stance_topics]`` topic one of the head words belongs to ("truce",
   "talks" -> peace), none when the object's verb turns it around ("ready to walk away from
   talks", ``[stance_endings]``).

A stance without a holder or a topic is kept as evidence but joins nothing on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from ..models import ClaimRole, ClaimStance, Mention, Span
from .claimroles import SUBORDINATE, actor_of, clause_root, clause_tokens
from .claimwords import claim_words

__all__ = ["find_stance"]

_COMPLEMENTS = frozenset({"prep", "xcomp", "acl", "ccomp"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their", "my", "our"})


def _stance_word(tokens: Sequence[Token]) -> Token | None:
    stances = claim_words().stances
    return next((t for t in sorted(tokens, key=lambda t: t.i)
                 if t.pos_ in {"ADJ", "NOUN"} and (t.lower_ in stances or t.lemma_.lower() in stances)), None)


def _holder_token(word: Token) -> Token | None:
    """Step 2: the possessor of a stance noun, else the subject of the nearest clause above it."""
    poss = next((c for c in word.children if c.dep_ == "poss" and c.lower_ not in _POSSESSIVE_PRONOUNS), None)
    if poss is not None:
        return poss
    node = word
    while True:
        subject = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i != word.i), None)
        if subject is not None:
            return subject
        if node.head.i == node.i:
            return None
        node = node.head


def _complement(word: Token) -> Token | None:
    """Step 3: the phrase the stance word governs, or the one right after a stance noun that a verb governs."""
    own = next((c for c in word.children if c.dep_ in _COMPLEMENTS and c.i > word.i), None)
    if own is not None or word.pos_ != "NOUN" or word.dep_ != "dobj":
        return own
    return next((c for c in word.head.children if c.dep_ == "prep" and c.i == word.right_edge.i + 1), None)


def _heads(complement: Token) -> list[Token]:
    """The head words of the complement: a preposition's objects, or a verb and its objects."""
    if complement.dep_ == "prep":
        return [g for g in complement.children if g.dep_ == "pobj"]
    objects = [c for c in complement.children if c.dep_ in {"dobj", "attr"}]
    particles = [complement, *(c for c in complement.children if c.dep_ in {"prt", "advmod"})]  # "walk away from"
    objects += [g for p in particles for c in p.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return [complement, *objects]


def _hyphenated(token: Token) -> str:
    """A hyphenated compound whole ("cease-fire"), lower case; the word itself otherwise."""
    doc, first = token.doc, token.i
    while first >= 2 and doc[first - 1].text == "-" and not doc[first - 2].whitespace_ and not doc[first - 1].whitespace_:
        first -= 2
    return "".join(t.text for t in doc[first:token.i + 1]).lower()


def _topic(heads: Sequence[Token]) -> str:
    """Step 4."""
    words = claim_words()
    if any(h.pos_ in {"VERB", "AUX"} and h.lemma_.lower() in words.stance_endings for h in heads):
        return ""
    for h in heads:
        for form in (h.lemma_.lower(), h.lower_, _hyphenated(h), _hyphenated(h).replace("-", "")):
            if form in words.stance_topics:
                return words.stance_topics[form]
    return ""


def find_stance(doc: Doc, start: int, end: int, mentions: Sequence[Mention],
                speaker: str | None = None) -> tuple[ClaimStance | None, ClaimRole | None]:
    """Return the stance the claim at ``[start, end)`` states, and its holder as a ``holder`` role (see the module docstring)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    root = clause_root(span) if span is not None and len(span) else None
    if span is None or root is None:
        return None, None
    word = _stance_word(list(clause_tokens(root, span, SUBORDINATE)))
    if word is None:
        return None, None
    complement = _complement(word)
    heads = [t for t in _heads(complement) if span.start <= t.i < span.end] if complement is not None else []
    if complement is not None and heads:
        first = complement.i if complement.dep_ == "prep" else complement.left_edge.i
        last = max(h.i for h in heads)
        obj = Span(doc[first:last + 1].text, doc[first].idx, doc[last].idx + len(doc[last].text))
    else:
        obj = Span("", word.idx + len(word.text), word.idx + len(word.text))
    stance = ClaimStance(claim_words().stances.get(word.lower_) or claim_words().stances[word.lemma_.lower()], _topic(heads),
                         Span(word.text, word.idx, word.idx + len(word.text)), obj)
    holder = _holder_token(word)
    found = actor_of(holder, mentions, speaker) if holder is not None and span.start <= holder.i < span.end else None
    role = ClaimRole("holder", found.name, found.text, found.start, found.end, found.evidence) if found is not None else None
    return stance, role
