"""Where a claim ultimately comes from, and how many independent origins stand behind a claim group.

:func:`resolve_origin` decides, once, when a claim is linked, the ultimate origin of one
appearance by following its attribution chain down:

1. a person or organisation (the speaker resolution quotes use: labels and pronouns are
   their actor, "the dictator" is Vladimir Putin) is that actor's own statement;
2. an outlet, or a report or document an outlet published ("a recent report in the New York
   Times"), is that outlet's reporting; a retelling ("Times of India <- the New York Times")
   resolves to the farthest outlet;
3. unnamed sources are one origin per outlet that obtained them and description ("sources
   in Russia" of Reuters), with their count;
4. an unattributed sentence whose named agent says or does something in public ("Comey decided
   not to recommend charges", "Trump called the system rigged": ``[public_acts]`` in
   annotate/data/claims.toml) is that actor's own statement or act; any other unattributed
   assertion is the article's outlet's own; an article of unknown outlet that cites exactly one
   outlet is retelling that outlet's report; otherwise the origin is the "unknown outlet of
   article …", flagged;
5. a source the text does not let us name ("he" with no one before it) is flagged unknown.

:func:`count_origins` counts a group's distinct origins at read time. Unnamed sources of one
outlet whose descriptions agree ("four sources in Russia", "another senior Russian source")
are one pool; an outlet's own report folds into its unnamed sources; unnamed groups of the
same description reported by different outlets within :data:`SAME_SOURCES_DAYS` days may be
the same people, and flagged origins may retell any other: both widen the count to a range. An
article's own unattributed telling of a claim it also attributes to another origin is that
origin's (the article retells it there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from ..annotate.claimwords import claim_words
from ..models import Attribution, Claim, ClaimAppearance, ClaimOrigin, OriginCount, Span, TextAnnotations
from .storydoc import origin_key

__all__ = ["resolve_origin", "cited_outlets", "count_origins", "outlet_key", "SAME_SOURCES_DAYS"]

SAME_SOURCES_DAYS = 3
"""Unnamed sources of one description told by two outlets this many days apart or less may be the same people."""
_HEAD_ENDS = frozenset({"in", "inside", "within", "familiar", "with", "close", "who", "that", "from", "at", "to", "of",
                        "on", "aware", "out", "briefed", "involved", "knowledgeable", "according", "cited", ","})
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "i", "we", "you"})
_HEAD_ALIASES = {"people": "person", "persons": "person"}


def outlet_key(name: str) -> str:
    """Return the comparison form of an outlet's name ("The New York Times" -> "new york times"): story
    linking's :func:`storyline.link.storydoc.origin_key`, in words only (a key part holds no ":")."""
    return " ".join(re.findall(r"[\w&]+", origin_key(name)))


def _outlet_name(words: str) -> str:
    """An outlet's name as the text gives it, without a leading "the" ("the New York Times" -> "New York Times")."""
    return words.removeprefix("the ").removeprefix("The ").strip()


def _named(text: str) -> bool:
    return any(w[:1].isupper() for w in text.split() if w.lower() != "the")


def cited_outlets(ann: TextAnnotations, own: str | None) -> tuple[str, ...]:
    """Return the named outlets whose reports an article cites, its own outlet left out, first cited first.

    An outlet counts when it is the source ("Reuters writes") or passes on unnamed sources or
    documents ("sources cited by the New York Times"); the outlet a speaker spoke to ("he told
    state TV") is where a statement was made, not a report the article retells.
    """
    found: dict[str, str] = {}
    for att in ann.attributions:
        if att.source_kind == "outlet" and att.source is not None:
            spans: tuple[Span, ...] = (att.source, *att.via)
        elif att.source_kind in {"anonymous", "document"}:
            spans = att.via
        else:
            continue
        for span in spans:
            if _named(span.text) and (own is None or outlet_key(span.text) != outlet_key(own)):
                found.setdefault(outlet_key(span.text), _outlet_name(span.text))
    return tuple(found.values())


def _description(words: str) -> tuple[str, tuple[str, ...]]:
    """The head noun of an unnamed-source phrase and its qualifiers ("two former Russian officials" -> official, former russia)."""
    tokens = re.findall(r"[\w'’-]+|,", words)
    head_part: list[str] = []
    for t in tokens:
        if t.lower() in _HEAD_ENDS and head_part:
            break
        head_part.append(t)
    head = head_part[-1].lower() if head_part else "source"
    head = _HEAD_ALIASES.get(head, head[:-1] if head.endswith("s") and not head.endswith("ss") and len(head) > 3 else head)
    qualifiers = {t.lower()[:6] for t in tokens[1:] if t[:1].isupper() and not t.endswith(("'s", "’s"))}
    qualifiers |= {"former"} if "former" in (t.lower() for t in tokens) else set()
    return head, tuple(sorted(qualifiers))


def _actor_origin(att: Attribution, actor_ids: dict[str, str], farthest: str | None) -> ClaimOrigin | None:
    name = att.source_name if att.source_name in actor_ids else None
    if name is None and att.source is not None and att.source_kind in {"person", "organisation"} and _named(att.source.text):
        name = att.source.text
    if name is None:
        return None
    actor = actor_ids.get(name)
    kind = "person" if (actor or "").startswith("person:") or att.source_kind == "person" else "organisation"
    said = f"“{att.source.text}”" if att.source is not None else "the speaker"
    via = f", retold by {farthest}" if farthest else ""
    evidence = f"{said} resolved to {name}{via}" if att.source is not None and att.source.text != name else f"{said}{via}"
    key = f"actor:{actor}" if actor else f"name:{outlet_key(name)}"
    return ClaimOrigin(key, kind, name, actor, farthest, None, False, evidence)


def _outlet_origin(name: str, evidence: str) -> ClaimOrigin:
    return ClaimOrigin(f"outlet:{outlet_key(name)}", "outlet", name, None, name, None, False, evidence)


def _unknown_outlet(article_id: str, evidence: str) -> ClaimOrigin:
    return ClaimOrigin(f"unknown:{article_id}", "unknown", f"unknown outlet of article {article_id[:8]}…", None, None, None, True, evidence)


def _unnamed(att: Attribution, obtainer: str | None, article_id: str) -> ClaimOrigin:
    """Step 3 (and documents with no publisher)."""
    words = att.source.text if att.source is not None else "sources"
    head, qualifiers = _description(words)
    where = outlet_key(obtainer) if obtainer else f"article {article_id}"
    key = f"{att.source_kind}:{where}:{head}:{'+'.join(qualifiers)}"
    what = "documents" if att.source_kind == "document" else f"unnamed {_plural(head)}"
    name = f"{what} of {obtainer}" if obtainer else f"{what} of an unknown outlet (article {article_id[:8]}…)"
    evidence = f"“{words}”, obtained by {obtainer}" if obtainer else f"“{words}”, in an article whose outlet is unknown"
    return ClaimOrigin(key, att.source_kind, name, None, obtainer, att.count, obtainer is None, evidence)


def _plural(head: str) -> str:
    return "people" if head == "person" else head if head.endswith("s") else head + "s"


def _public_act(claim: Claim | None, actor_ids: dict[str, str], outlet: str | None) -> ClaimOrigin | None:
    """Step 4: a named agent's own statement or act, told by the outlet."""
    if claim is None or claim.verb not in claim_words().public_acts:
        return None
    agent = next((r for r in claim.roles if r.role == "agent" and actor_ids.get(r.name, "").split(":")[0] in {"person", "org"}), None)
    if agent is None:
        return None
    actor = actor_ids[agent.name]
    kind = "person" if actor.startswith("person:") else "organisation"
    told = f", told by {outlet}" if outlet else ""
    return ClaimOrigin(f"actor:{actor}", kind, agent.name, actor, outlet, None, False,
                       f"“{agent.text}” ({agent.name}) {claim.verb}: a statement or act of its own{told}")


def resolve_origin(att: Attribution | None, *, article_id: str, outlet: str | None, actor_ids: dict[str, str],
                   cited: Sequence[str] = (), claim: Claim | None = None) -> ClaimOrigin:
    """Return the ultimate origin of one claim appearance (see the module docstring).

    Args:
        att: the attribution the claim is reported through (None: the article asserts it).
        article_id: the article's id; outlet: its outlet, if known.
        actor_ids: actor ids by mention name, as the annotation pass resolved them.
        cited: the outlets the article cites (:func:`cited_outlets`).
        claim: the claim itself (its main clause's verb and agent), for step 4.
    """
    retold = cited[0] if outlet is None and len(cited) == 1 else None
    if att is None or att.source is None:  # step 4
        act = _public_act(claim, actor_ids, outlet or retold)
        if act is not None:
            return act
        if outlet:
            return _outlet_origin(outlet, f"{outlet}'s own unattributed assertion")
        if retold:
            return _outlet_origin(retold, f"unattributed in an article of unknown outlet that retells only {retold}")
        return _unknown_outlet(article_id, "unattributed assertion of an article whose outlet is unknown")
    farthest = _outlet_name(att.via[-1].text) if att.via else None
    if att.source_kind in {"anonymous", "document"}:
        if att.source_kind == "document" and farthest:  # step 2: a report an outlet published
            return _outlet_origin(farthest, f"“{att.source.text}”, published by {farthest}")
        return _unnamed(att, farthest or outlet or retold, article_id)
    if att.source_kind == "outlet":
        name = att.source.text if _named(att.source.text) else (farthest or retold or att.source.text)
        return _outlet_origin(_outlet_name(name), f"reported by “{att.source.text}”")
    if att.source.text.lower() in _PRONOUNS and att.source_name is None:  # step 5
        return ClaimOrigin(f"unresolved:{article_id}:{att.source.start}", "unknown", f"unresolved speaker “{att.source.text}”",
                           None, farthest or outlet, None, True, "a pronoun with no person before it")
    found = _actor_origin(att, actor_ids, farthest)  # step 1
    if found is not None:
        return found
    return ClaimOrigin(f"unresolved:{article_id}:{att.source.start}", "unknown", f"unidentified source “{att.source.text}”",
                       None, farthest or outlet, None, True, "the source's words name no one we can resolve")


# --- Counting -------------------------------------------------------------------------------


def _pool_key(origin: ClaimOrigin) -> tuple[str, str, str, frozenset[str]] | None:
    if origin.kind not in {"anonymous", "document"}:
        return None
    kind, where, head, qualifiers = origin.key.split(":", 3)
    return kind, where, head, frozenset(q for q in qualifiers.split("+") if q)


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a


def _pooled(origins: list[ClaimOrigin]) -> dict[str, ClaimOrigin]:
    """Unnamed sources of one outlet whose descriptions agree are one pool; an outlet's report folds into its pool."""
    keys = {o.key: o for o in origins}
    into: dict[str, str] = {}
    pools = [o for o in keys.values() if _pool_key(o) is not None]
    for o in sorted(pools, key=lambda o: (-(o.count or 0), o.key)):
        ko = _pool_key(o)
        for p in pools:
            kp = _pool_key(p)
            if p.key != o.key and p.key not in into and o.key not in into and ko and kp and ko[:3] == kp[:3] and _compatible(ko[3], kp[3]):
                into[p.key] = o.key
    for o in keys.values():
        if o.kind == "outlet":
            pool = next((p.key for p in pools if p.key not in into and p.outlet and outlet_key(p.outlet) == outlet_key(o.name)), None)
            if pool is not None:
                into[o.key] = pool
    return {k: keys[into.get(k, k)] for k in keys}


def _own(appearance: ClaimAppearance, origin: ClaimOrigin) -> bool:
    """The article's own unattributed telling: its outlet's own assertion, or its unknown outlet's."""
    if origin.key == f"unknown:{appearance.article_id}":
        return True
    return origin.kind == "outlet" and appearance.outlet is not None and outlet_key(origin.name) == outlet_key(appearance.outlet)


def _retold_in_article(appearances: Sequence[ClaimAppearance], origins: list[ClaimOrigin]) -> tuple[list[ClaimOrigin], dict[str, list[str]]]:
    """An article that tells the claim in its own words and also attributes it to another origin retells that
    origin: its own telling is not independent of the origin it names ("Times of India: Putin's openness to a
    ceasefire ..." beside "... the report [of the New York Times] said"). Return the origins with such tellings
    moved, and what was moved, in words, by the origin's key."""
    cited: dict[str, ClaimOrigin] = {}
    for a, o in zip(appearances, origins):
        if not _own(a, o) and not o.flagged:
            cited.setdefault(a.article_id, o)
    out: list[ClaimOrigin] = []
    notes: dict[str, list[str]] = {}
    for a, o in zip(appearances, origins):
        other = cited.get(a.article_id)
        if other is not None and _own(a, o):
            notes.setdefault(other.key, []).append(f"{a.claim_id} ({o.name}'s own words) retells it: the same article attributes the claim to it")
            o = other
        out.append(o)
    return out, notes


def _days_apart(a: Iterable[str], b: Iterable[str]) -> int | None:
    da = [date.fromisoformat(x[:10]) for x in a if x]
    db = [date.fromisoformat(x[:10]) for x in b if x]
    return min((abs((x - y).days) for x in da for y in db), default=None)


_WHY = {
    "person": "its own statement", "organisation": "its own statement", "outlet": "its own reporting",
    "anonymous": "its own unnamed sources", "document": "a document of its own",
    "unknown": "outlet or speaker unknown: it may retell one of the others, so it is not counted as certain",
}


def count_origins(appearances: Sequence[ClaimAppearance]) -> tuple[tuple[OriginCount, ...], tuple[int, int]]:
    """Return a group's distinct ultimate origins, each with its appearances and why it counts apart (the
    certain ones first, then the flagged ones), and the (fewest, most) number of independent origins."""
    origins, retold = _retold_in_article(appearances, [a.resolved or ClaimOrigin(
        f"legacy:{a.origin.lower()}", "unknown", a.origin, flagged=True, evidence="linked before origins were resolved") for a in appearances])
    final = _pooled(origins)
    members: dict[str, list[ClaimAppearance]] = {}
    for a, o in zip(appearances, origins):
        members.setdefault(final[o.key].key, []).append(a)
    chosen = {final[o.key].key: final[o.key] for o in origins}
    counts = {k: max((x.count or 0 for x in origins if final[x.key].key == k), default=0) or None for k in chosen}
    maybe = _maybe_same(chosen, members)
    rows = []
    for key, origin in chosen.items():
        apps = members[key]
        dates = tuple(sorted({a.published[:10] for a in apps if a.published}))
        evidence = "; ".join([origin.evidence, *(n for k, o in final.items() if o.key == key for n in retold.get(k, ()))])
        rows.append(OriginCount(replace(origin, count=counts[key], evidence=evidence), tuple(a.claim_id for a in apps), dates,
                                _WHY["unknown"] if origin.flagged else _WHY.get(origin.kind, "its own source"),
                                tuple(sorted(maybe.get(key, ())))))
    certain = [r for r in rows if not r.origin.flagged]
    low = len(certain) - _merges(certain, maybe)
    return (*certain, *(r for r in rows if r.origin.flagged)), (max(low, 1 if rows else 0), len(rows))


def _maybe_same(chosen: dict[str, ClaimOrigin], members: dict[str, list[ClaimAppearance]]) -> dict[str, set[str]]:
    """Unnamed sources of one description, told by different outlets within a few days: perhaps the same people."""
    out: dict[str, set[str]] = {}
    pools = [(k, _pool_key(o)) for k, o in chosen.items() if _pool_key(o) is not None and not o.flagged]
    for i, (ka, pa) in enumerate(pools):
        for kb, pb in pools[i + 1:]:
            if pa and pb and pa[0] == pb[0] and pa[2] == pb[2] and pa[1] != pb[1] and _compatible(pa[3], pb[3]):
                gap = _days_apart((a.published or "" for a in members[ka]), (a.published or "" for a in members[kb]))
                if gap is not None and gap <= SAME_SOURCES_DAYS:
                    out.setdefault(ka, set()).add(kb)
                    out.setdefault(kb, set()).add(ka)
    return out


def _merges(rows: list[OriginCount], maybe: dict[str, set[str]]) -> int:
    """How many certain origins fewer there are if every "maybe the same" pair is the same (connected components)."""
    keys = [r.origin.key for r in rows]
    seen: set[str] = set()
    merges = 0
    for k in keys:
        if k in seen:
            continue
        stack, size = [k], 0
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            size += 1
            stack.extend(y for y in maybe.get(x, ()) if y in keys)
        merges += size - 1
    return merges
