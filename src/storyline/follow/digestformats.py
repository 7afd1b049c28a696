"""A digest as JSON, Markdown and HTML.

JSON mirrors the records of :mod:`storyline.follow.news` field for field (docs/watch.md, "Digest").
Markdown escapes every character Markdown gives a meaning to in anything that came from an article
(titles, outlets, quotes, claims, labels), so a headline cannot add a link, an image or HTML. HTML is
rendered from the report's templates (``digest.html``) with the report's autoescaping environment; as
a file it is a complete page with the report's stylesheet inlined, and links to the report's pages as
if it sat in the report's folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import asdict
from importlib import resources
from typing import Any

from markupsafe import Markup

from ..report.render import Links, render
from .news import SECTIONS, ChangedClaim, ClaimTelling, Digest, StoryNews, ThreadNews, WordChange

__all__ = ["DIGEST_FORMAT", "digest_json", "digest_markdown", "digest_html", "md_escape", "section_titles"]

DIGEST_FORMAT = 1
"""Version of the JSON shape (``storyline_digest``); it changes only when a field changes meaning or goes."""

SECTION_TITLES = {
    "articles": "New articles", "first_seen": "Claims seen for the first time", "recurring": "Claims told again",
    "changed": "Changed figures, hedges or conditions", "origins_up": "More independent origins",
    "labels": "New labels", "quotes": "New quotes by main actors", "edits": "Edited articles",
}


def section_titles() -> dict[str, str]:
    """Return section name -> its heading, in the order every format shows them."""
    return {name: SECTION_TITLES[name] for name in SECTIONS}


def _plain(value: Any) -> Any:
    """JSON's own types: tuples become lists (so the dict equals itself read back from JSON)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _story_json(s: StoryNews) -> dict[str, Any]:
    story: dict[str, Any] = _plain(asdict(s))
    return story


def _thread_json(t: ThreadNews) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "new": t.new, "stories": [_story_json(s) for s in t.stories]}


def digest_json(d: Digest) -> dict[str, Any]:
    """Return the digest as a JSON-ready dict (docs/watch.md gives its shape)."""
    return {"storyline_digest": DIGEST_FORMAT, "since": d.since, "at": d.at, "match": d.match,
            "main_actors": [{"id": i, "name": n} for i, n in d.main_actors], "counts": d.counts(),
            "threads": [_thread_json(t) for t in d.threads], "unlinked": _story_json(d.unlinked) if d.unlinked else None}


# -- Markdown ------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~&])")


def md_escape(text: str | None, missing: str = "unknown") -> str:
    """Return article text safe inside a Markdown line: one line, every Markdown-significant character backslash-escaped,
    no bare URL left for autolinking (``missing`` when there is no text)."""
    if text is None or not text.strip():
        return missing
    flat = " ".join(text.split())
    safe = _MD_SPECIAL.sub(r"\\\1", flat)
    return safe.replace("://", "\\://").replace("www.", "www\\.").replace("@", "\\@")


def _code(value: str | None) -> str:
    return f"`{(value or '').replace('`', '')}`"


def _day(value: str | None) -> str:
    return value[:10] if value else "date unknown"


def _telling_md(t: ClaimTelling) -> str:
    return f"{md_escape(t.outlet, 'outlet unknown')}, {_day(t.published)}"


def _words_md(words: tuple[WordChange, ...]) -> str:
    parts = {"same": "{}", "removed": "~~{}~~", "added": "**{}**"}
    return " ".join(parts[w.op].format(md_escape(w.text, "")) for w in words if w.text)


def _changed_md(c: ChangedClaim) -> str:
    what = []
    if "figures" in c.changes:
        what.append(f"figures {md_escape(', '.join(c.figures_before), 'none')} → {md_escape(', '.join(c.figures_after), 'none')}")
    for name, added, removed in (("hedges", c.hedges_added, c.hedges_removed), ("conditions", c.conditions_added, c.conditions_removed)):
        if added or removed:
            what.append(f"{name}" + "".join(f" +“{md_escape(x)}”" for x in added) + "".join(f" −“{md_escape(x)}”" for x in removed))
    return (f"{'; '.join(what)}: {_words_md(c.words)} ({_telling_md(c.telling)}; was {_telling_md(c.known)}) "
            f"{_code(c.telling.claim_id)} was {_code(c.known.claim_id)}")


def _items_md(s: StoryNews) -> list[str]:
    lines: list[str] = []
    for name, title in section_titles().items():
        items = getattr(s, name)
        if not items:
            continue
        lines += ["", f"**{title}**", ""]
        for item in items:
            lines.append("- " + _ITEM_MD[name](item))
    return lines


_ITEM_MD: dict[str, Any] = {
    "articles": lambda a: (f"{md_escape(a.title, 'untitled')} — {md_escape(a.outlet, 'outlet unknown')}, published {_day(a.published)}"
                           f" (stored {a.ingested_at}) {_code(a.id)}" + (f", near-duplicate of {_code(a.duplicate_of)}" if a.duplicate_of else "")),
    "first_seen": lambda c: (f"“{md_escape(c.telling.text)}” — {_telling_md(c.telling)}; independent origins "
                             f"{_range(c.independent_origins)} ({md_escape(', '.join(c.origins), 'none')}) {_code(c.telling.group_id)}"),
    "recurring": lambda c: (f"“{md_escape(c.telling.text)}” — {_telling_md(c.telling)}: {_ordinal(c.nth)} appearance, first seen "
                            f"{_day(c.first.published)} by {md_escape(c.first.outlet, 'an unknown outlet')} {_code(c.telling.group_id)}"),
    "changed": _changed_md,
    "origins_up": lambda o: (f"“{md_escape(o.text)}”: {_range(o.before)} → {_range(o.after)} independent origins; new: "
                             + ", ".join(md_escape(n.name) + (" (unknown, not counted as certain)" if n.flagged else "") for n in o.new_origins)
                             + f" {_code(o.group_id)}"),
    "labels": lambda lb: (f"{md_escape(lb.outlet, 'An outlet of unknown name')} calls {md_escape(lb.actor)} “{md_escape(lb.label)}” "
                          f"{_code(lb.article_id)}"),
    "quotes": lambda q: (f"{md_escape(q.speaker)}: “{md_escape(q.text)}”{'' if q.direct else ' (reported speech)'} — "
                         f"{md_escape(q.outlet, 'outlet unknown')}, {_day(q.published)} {_code(q.quote_id)}"),
    "edits": lambda e: (f"{md_escape(e.title, 'untitled')} — version {e.version} seen {e.seen_at}"
                        + (f" (title was: {md_escape(e.previous_title, 'none')})" if e.previous_title != e.title else "")
                        + f": {_words_md(e.words) or 'no change in the words'}"
                        + "".join(f"; {label}: " + "; ".join(f"“{md_escape(x)}”" for x in xs)
                                  for label, xs in (("quotes added", e.quotes_added), ("quotes removed", e.quotes_removed),
                                                    ("claims added", e.claims_added), ("claims removed", e.claims_removed)) if xs)
                        + ("; quotes and claims not compared (a version was not annotated)" if e.quotes_added is None else "")
                        + f" {_code(e.article_id)}"),
}


def _range(r: tuple[int, int]) -> str:
    return str(r[0]) if r[0] == r[1] else f"{r[0]}–{r[1]}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _story_md(s: StoryNews, level: str) -> list[str]:
    if s.id is None:
        head = f"{level} Articles in no story"
    else:
        head = f"{level} Story: {md_escape(s.title, 'untitled')}{' (new)' if s.new else ''} {_code(s.id)}"
    return ["", head, *_items_md(s)]


def digest_markdown(d: Digest) -> str:
    """Return the digest as Markdown: a summary line, then each thread, its stories and their news."""
    scope = f" matching {_code(d.match)}" if d.match else ""
    lines = [f"# What's new since {d.since}", "",
             f"New to the store{scope}: what Storyline ingested or saw at or after {d.since}, whatever the publication dates"
             f" (shown beside). Made {d.at}."]
    if d.empty:
        return "\n".join([*lines, "", f"Nothing new since {d.since}."]) + "\n"
    counts = d.counts()
    lines += ["", " · ".join([f"{title}: {counts[name]}" for name, title in section_titles().items() if counts[name]]
                             + ([f"New stories: {counts['new_stories']}"] if counts["new_stories"] else []))]
    for t in d.threads:
        lines += ["", f"## Thread: {md_escape(t.title, 'untitled')}{' (new)' if t.new else ''} {_code(t.id)}"]
        for s in t.stories:
            lines += _story_md(s, "###")
    if d.unlinked:
        lines += ["", "## Not linked to a story yet", *_story_md(d.unlinked, "###")]
    return "\n".join(lines) + "\n"


# -- HTML ----------------------------------------------------------------------


def _stylesheet() -> str:
    return resources.files("storyline.report").joinpath("assets", "storyline.css").read_text(encoding="utf-8")


def digest_html(d: Digest, links: Links | None = None, *, extra: tuple[str, ...] = (), **context: Any) -> str:
    """Return the digest as an HTML page, rendered with the report's templates and autoescaping.

    Args:
        links: how items link to their pages (default: the static report's files, as if the page sat in the
            report's folder); without it the page is standalone, with the stylesheet inlined.
        extra: packages with more templates (the web app's).
        context: more template values (the web app's form values).
    """
    inline = None
    if links is None:
        links = Links(static=True)
        css = _stylesheet()
        inline = {"css": Markup(css), "hash": "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")}
    return render("digest.html", links, extra=extra, digest=d, counts=d.counts(), sections=section_titles(), inline_style=inline,
                  **context)
