"""What the window's claims add to what was known: claim groups seen for the first time, claims told again, changed
figures and qualifiers, and new independent origins.

A telling is *known* when its article was ingested before ``since``. Groups and their origins are read as
every view reads them (:func:`storyline.link.groups.claim_group`): the count before the window is that
same function over the known tellings only, so there is one way of counting origins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..link.groups import claim_group
from ..models import ClaimAppearance
from ..store.claims import group_appearances
from ..store.db import Connection
from ..store.digest import ClaimWording, claim_wordings, claims_of_articles, ingested_times, variant_links
from .edits import word_changes
from .news import ChangedClaim, ClaimTelling, FirstSeenClaim, NewOrigin, OriginsUp, RecurringClaim

__all__ = ["ClaimNews", "claim_news"]


@dataclass
class ClaimNews:
    """The claim items of a digest, each keyed by the article it comes from (so it can be placed in that article's story)."""

    first_seen: list[tuple[str, FirstSeenClaim]] = field(default_factory=list)
    recurring: list[tuple[str, RecurringClaim]] = field(default_factory=list)
    changed: list[tuple[str, ChangedClaim]] = field(default_factory=list)
    origins_up: list[tuple[str, OriginsUp]] = field(default_factory=list)


def _telling(a: ClaimAppearance, group_id: str | None) -> ClaimTelling:
    return ClaimTelling(a.claim_id, a.article_id, group_id, a.text, a.outlet, a.published)


def _wording_telling(w: ClaimWording) -> ClaimTelling:
    return ClaimTelling(w.id, w.article_id, w.group_id, w.text, w.outlet, w.published)


def _by_published(apps: Sequence[ClaimAppearance]) -> ClaimAppearance:
    return min(apps, key=lambda a: (a.published is None, a.published or ""))


def _tellings(conn: Connection, group_id: str, apps: list[ClaimAppearance], times: dict[str, str], scope: set[str],
              out: ClaimNews) -> None:
    """First-seen and recurring items of one group's tellings in the scope (an article's second telling of a claim is no news)."""
    order = sorted(apps, key=lambda a: (times.get(a.article_id, ""), a.published or "", a.claim_id))
    for n, app in enumerate(order):
        earlier = order[:n]
        if app.article_id not in scope or app.article_id in {a.article_id for a in earlier}:
            continue
        if not earlier:
            group = claim_group(conn, group_id, apps)
            out.first_seen.append((app.article_id, FirstSeenClaim(_telling(app, group_id), group.origins, group.origin_range,
                                                                  len({a.article_id for a in apps}))))
            continue
        nth = len({a.article_id for a in earlier}) + 1
        out.recurring.append((app.article_id, RecurringClaim(_telling(app, group_id), nth, _telling(_by_published(earlier), group_id))))


def _qualifiers(apps: list[ClaimAppearance], times: dict[str, str], since: str, scope: set[str], group_id: str, out: ClaimNews) -> None:
    """Changed-qualifier items: a telling in the scope whose hedges and conditions no known telling had."""
    known = [a for a in apps if times.get(a.article_id, "") < since]
    if not known:
        return
    seen = {(frozenset(a.hedges), frozenset(a.conditions)) for a in known}
    latest = max(known, key=lambda a: (times.get(a.article_id, ""), a.published or ""))
    for app in apps:
        if app.article_id not in scope or (frozenset(app.hedges), frozenset(app.conditions)) in seen:
            continue
        changes = tuple(name for name, old, new in (("hedges", latest.hedges, app.hedges), ("conditions", latest.conditions, app.conditions))
                        if set(old) != set(new))
        if not changes:
            continue
        out.changed.append((app.article_id, ChangedClaim(
            _telling(app, group_id), _telling(latest, group_id), changes, (), (),
            tuple(h for h in app.hedges if h not in latest.hedges), tuple(h for h in latest.hedges if h not in app.hedges),
            tuple(c for c in app.conditions if c not in latest.conditions), tuple(c for c in latest.conditions if c not in app.conditions),
            word_changes(latest.text, app.text, shorten=False))))


def _origins(conn: Connection, group_id: str, apps: list[ClaimAppearance], times: dict[str, str], since: str,
             scope: set[str], out: ClaimNews) -> None:
    """An origins-up item when tellings from the window bring origins the known tellings did not have (placed with the
    first telling in the scope that brings one, else the first telling in the scope)."""
    known = [a for a in apps if times.get(a.article_id, "") < since]
    if not known or len(known) == len(apps):
        return
    before, after = claim_group(conn, group_id, known), claim_group(conn, group_id, apps)
    old_keys = {c.origin.key for c in before.origin_counts}
    fresh = [c for c in after.origin_counts if c.origin.key not in old_keys]
    if not fresh:
        return
    in_scope = {a.claim_id: a.article_id for a in apps if a.article_id in scope}
    if not in_scope:
        return
    article = next((in_scope[i] for c in fresh for i in c.claim_ids if i in in_scope), next(iter(in_scope.values())))
    out.origins_up.append((article, OriginsUp(group_id, after.text, before.origin_range, after.origin_range, tuple(
        NewOrigin(c.origin.key, c.origin.name, c.origin.kind, c.origin.flagged, c.claim_ids) for c in fresh))))


def _variants(conn: Connection, claim_ids: Sequence[str], since: str, scope: set[str], out: ClaimNews) -> None:
    """Changed-figure items: a claim in the scope kept apart from a known claim only by a figure."""
    links = variant_links(conn, claim_ids)
    wordings = claim_wordings(conn, [i for link in links for i in link[:2]])
    done: set[tuple[str, str | None]] = set()
    for a, b, reason in links:
        pair = [wordings[i] for i in (a, b) if i in wordings]
        fresh = [w for w in pair if w.ingested_at >= since and w.article_id in scope]
        known = [w for w in pair if w.ingested_at < since]
        if not fresh or len(known) != 1 or (fresh[0].id, known[0].group_id) in done:
            continue
        new, old = fresh[0], known[0]
        done.add((new.id, old.group_id))
        changes = tuple(name for name, x, y in (("figures", old.figures, new.figures), ("hedges", old.hedges, new.hedges),
                                                 ("conditions", old.conditions, new.conditions)) if set(x) != set(y))
        out.changed.append((new.article_id, ChangedClaim(
            _wording_telling(new), _wording_telling(old), changes or ("figures",), old.figures, new.figures,
            tuple(h for h in new.hedges if h not in old.hedges), tuple(h for h in old.hedges if h not in new.hedges),
            tuple(c for c in new.conditions if c not in old.conditions), tuple(c for c in old.conditions if c not in new.conditions),
            word_changes(old.text, new.text, shorten=False), reason)))


def claim_news(conn: Connection, article_ids: Sequence[str], since: str) -> ClaimNews:
    """Return the claim items for the claims of these articles (those of the window in the digest's scope).

    Args:
        article_ids: the window's articles whose claims are reported.
        since: the window's start (``ingested_at`` form): tellings of articles ingested before it are known.
    """
    out = ClaimNews()
    scope = set(article_ids)
    claims = claims_of_articles(conn, article_ids)
    groups = {g: group_appearances(conn, g) for g in dict.fromkeys(g for _, _, g in claims if g)}
    times = ingested_times(conn, [a.article_id for apps in groups.values() for a in apps])
    for group_id, apps in groups.items():
        if not apps:
            continue
        _tellings(conn, group_id, apps, times, scope, out)
        _qualifiers(apps, times, since, scope, group_id, out)
        _origins(conn, group_id, apps, times, since, scope, out)
    _variants(conn, [c for c, _, _ in claims], since, scope, out)
    return out
