"""The main clause of a claim: who does what to whom, and with which polarity.

A claim's proposition turns on its main clause: "Ostrel will pay Tarvosia" is not "Tarvosia
will pay Ostrel", and "Zelensky rejected talks" is not "Putin is ready for talks". This
module reads the parse of the claim's words:

1. the main clause is the claim's root and what hangs on it, except asides and concessions
   ("despite publicly stating that he won't back down"); its polarity is read without its
   subordinate and relative clauses either ("a war that has not ended");
2. the agent is the root's subject (or a passive verb's "by" phrase), the patients its
   objects and the objects of the "to"/"with"/"against" phrases of the root and its
   complement verbs ("ready to negotiate with Zelensky");
3. each role word is tied to an actor by the mention that covers it; a bare "he" or "she" by
   the nearest earlier person named in the text, an "I" in a quote by its speaker (the
   evidence says which);
4. the polarity cues are the negations and the words of refusal or doubt in the main clause,
   outside its subject (``data/claims.toml``); a negated refusal cancels out ("never refused"
   is positive); any cue left makes the claim negative.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..models import ClaimRole, Mention
from ..models import Span as TextSpan
from .claimwords import claim_words

__all__ = ["MainClause", "main_clause", "clause_root", "clause_tokens", "actor_of", "SUBORDINATE"]

_ASIDES = frozenset({"parataxis", "appos", "meta", "discourse"})
SUBORDINATE = _ASIDES | {"advcl", "relcl", "dep", "npadvmod"}
"""Dependents whose words set no polarity for the claim (a negation in "a conflict that has not ended" is not the claim's)."""
_CONCESSIVE = frozenset({"despite", "although", "though", "while", "unlike", "whereas", "notwithstanding"})
_SUBJECTS = frozenset({"nsubj", "csubj", "expl"})
_OBJECT_PREPS = frozenset({"to", "with", "against", "on", "from"})
_PRONOUNS = frozenset({"he", "she"})
_PRONOUN_REACH = 600
"""Characters before a bare "he"/"she" searched for the person it stands for."""


@dataclass(frozen=True, slots=True)
class MainClause:
    """The roles and polarity cues of a claim's main clause."""

    roles: tuple[ClaimRole, ...]
    polarity_cues: tuple[TextSpan, ...]
    predicate: str = ""
    """The claim's words without its subject phrase."""
    verb: str = ""
    """The lemma of the main clause's root."""

    @property
    def negated(self) -> bool:
        """True when a polarity cue is left in the main clause."""
        return bool(self.polarity_cues)


def clause_root(span: Span) -> Token | None:
    """The root of the claim's main clause: its first verb, auxiliary or adjective without a head inside it."""
    roots = [t for t in span if t.head == t or not (span.start <= t.head.i < span.end)]
    return next((t for t in roots if t.pos_ in {"VERB", "AUX", "ADJ"}), roots[0] if roots else None)


def _concessive(token: Token) -> bool:
    """"despite stating ...", "although he said ..." (a preposition, or a clause that opens with one)."""
    if token.dep_ == "prep":
        return token.lower_ in _CONCESSIVE
    return token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in token.children)


def clause_tokens(root: Token, span: Span, leave_out: frozenset[str]) -> Iterator[Token]:
    """Step 1: the root and its dependents, leaving out the ``leave_out`` dependents and concessive phrases."""
    stack = [root]
    while stack:
        token = stack.pop()
        if not span.start <= token.i < span.end:
            continue
        yield token
        stack.extend(child for child in token.children if child.dep_ not in leave_out and not _concessive(child))


def _complements(root: Token) -> Iterator[Token]:
    """The root and the verbs that complete it ("ready to start", "wants to end")."""
    yield root
    for child in root.children:
        if child.dep_ in {"xcomp", "acomp", "ccomp"}:
            yield from _complements(child)


def _role_words(root: Token) -> Iterator[tuple[str, Token]]:
    """Step 2."""
    for token in _complements(root):
        for child in token.children:
            if child.dep_ in _SUBJECTS and token.i == root.i:
                yield "agent", child
                yield from (("agent", c) for c in child.children if c.dep_ == "conj")
            elif child.dep_ == "nsubjpass" and token.i == root.i:
                yield "patient", child
            elif child.dep_ == "agent":
                yield from (("agent", g) for g in child.children if g.dep_ == "pobj")
            elif child.dep_ in {"dobj", "dative"}:
                yield "patient", child
                yield from (("patient", c) for c in child.children if c.dep_ == "conj")
            elif child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
                yield from (("patient", g) for g in child.children if g.dep_ == "pobj")


def _previous_person(mentions: Sequence[Mention], before: int) -> Mention | None:
    people = [m for m in mentions if m.entity_type == "PERSON" and m.kind == "name" and before - _PRONOUN_REACH <= m.end <= before]
    return people[-1] if people else None


def actor_of(token: Token, mentions: Sequence[Mention], speaker: str | None) -> ClaimRole | None:
    """Step 3: the role of ``token`` is filled by the actor a mention covering it names."""
    hit = next((m for m in mentions if m.start <= token.idx < m.end), None)
    if hit is not None:
        return ClaimRole("", hit.name, hit.text, hit.start, hit.end, f"{hit.kind} mention")
    if speaker and token.lower_ in {"i", "me"}:
        return ClaimRole("", speaker, token.text, token.idx, token.idx + len(token.text), "first person of the quoted speaker")
    if token.lower_ in _PRONOUNS:
        person = _previous_person(mentions, token.idx)
        if person is not None:
            return ClaimRole("", person.name, token.text, token.idx, token.idx + len(token.text),
                             f"pronoun resolved to the nearest earlier person ({person.text} at {person.start})")
    return None


def _polarity_cues(clause: list[Token], skip: Sequence[TextSpan], root: Token) -> tuple[TextSpan, ...]:
    """Step 4: negations and words of refusal or doubt in the main clause, outside its subject ("not paying
    taxes makes me smart" is no negative claim); a refusal negated ("never refused") cancels out."""
    words = claim_words()
    subject = {t.i for child in root.children if child.dep_ in _SUBJECTS | {"nsubjpass"} for t in child.subtree}
    cues: dict[int, Token] = {}
    for t in clause:
        if t.i in subject or any(s.start <= t.idx < s.end for s in skip):
            continue
        lemma = t.lemma_.lower()
        if t.dep_ == "neg" or t.lower_ in words.negation_words or (lemma in words.negative_predicates and t.pos_ in {"VERB", "ADJ", "NOUN"}):
            cues[t.i] = t
    for t in list(cues.values()):
        if t.lemma_.lower() in words.negative_predicates:
            negation = next((c for c in t.children if c.i in cues and c.lemma_.lower() not in words.negative_predicates), None)
            if negation is not None:
                del cues[t.i], cues[negation.i]
    return tuple(TextSpan(t.text, t.idx, t.idx + len(t.text)) for t in sorted(cues.values(), key=lambda t: t.i))


def main_clause(doc: Doc, start: int, end: int, mentions: Sequence[Mention], skip: Sequence[TextSpan] = (),
                speaker: str | None = None) -> MainClause:
    """Return the roles and polarity cues of the claim at ``[start, end)`` of the parsed text.

    Args:
        skip: spans whose words set no polarity (the claim's conditions).
        speaker: the resolved name of whoever the claim quotes ("I" in a quote is the speaker).
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    root = clause_root(span) if span is not None and len(span) else None
    if span is None or root is None:
        return MainClause((), ())
    roles: dict[tuple[str, str], ClaimRole] = {}
    for role, token in _role_words(root):
        found = actor_of(token, mentions, speaker)
        if found is not None:
            roles.setdefault((role, found.name), ClaimRole(role, found.name, found.text, found.start, found.end, found.evidence))
    polar = list(clause_tokens(root, span, SUBORDINATE))
    return MainClause(tuple(roles.values()), _polarity_cues(polar, skip, root), _predicate(list(clause_tokens(root, span, _ASIDES)), root),
                      root.lemma_.lower())


def _predicate(clause: list[Token], root: Token) -> str:
    """The claim's words without asides, concessions and the root's subject phrase: compared on their own, two claims about
    one actor are told apart by what they say of it, not by the name they share."""
    subject = {t.i for child in root.children if child.dep_ in _SUBJECTS | {"nsubjpass"} for t in child.subtree}
    return "".join(t.text_with_ws for t in sorted(clause, key=lambda t: t.i) if t.i not in subject).strip()
