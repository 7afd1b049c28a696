"""How ``storyline show ID --versions`` prints an article's versions and what changed from each to the next.

On a terminal removed words are red and struck through, added words green; elsewhere (a pipe, a file)
they are marked ``[-removed-]`` and ``{+added+}``, as ``git diff --word-diff`` does, so the output can
be read and searched as plain text. Every word from an article is escaped: it is never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape

from ..follow.versions import DiffPart, VersionDiff, article_versions_diffs
from ..store.db import Connection
from ..store.versions import article_versions
from .common import out

__all__ = ["print_versions", "diff_markup"]


def diff_markup(parts: Sequence[DiffPart], *, styled: bool) -> str:
    """Return a word diff as console markup: styles when ``styled``, else ``[-…-]`` and ``{+…+}`` markers."""
    shown = []
    for p in parts:
        if p.kind == "removed":
            shown.append(f"[red strike]{escape(p.text)}[/]" if styled else escape(f"[-{p.text}-]"))
        elif p.kind == "added":
            shown.append(f"[green]{escape(p.text)}[/]" if styled else escape(f"{{+{p.text}+}}"))
        else:
            shown.append(escape(p.text))
    return "".join(shown)


def _texts(label: str, added: tuple[str, ...] | None, removed: tuple[str, ...] | None, styled: bool) -> None:
    if added is None or removed is None:
        out.print(f"  [dim]{label}: not compared (a version was not annotated)[/]")
        return
    if not added and not removed:
        out.print(f"  [dim]{label}: no change[/]")
        return
    for sign, texts, style in (("+", added, "green"), ("-", removed, "red")):
        for text in texts:
            mark = f"[{style}]{sign}[/]" if styled else sign
            out.print(f"  {label} {mark} {escape(chr(8220) + text + chr(8221))}")


def _print_diff(d: VersionDiff, styled: bool) -> None:
    out.print(f"\n[bold]version {d.from_version} -> {d.to_version}[/] [dim]seen {escape(d.seen_at)}[/]")
    if d.title_changed:
        title = diff_markup([DiffPart("removed", d.title_before or "(no title)"), DiffPart("equal", " "),
                             DiffPart("added", d.title_after or "(no title)")], styled=styled)
        out.print(f"  title: {title}")
    out.print(diff_markup(d.words, styled=styled))
    _texts("quote", d.quotes_added, d.quotes_removed, styled)
    _texts("claim", d.claims_added, d.claims_removed, styled)


def print_versions(conn: Connection, article_id: str) -> None:
    """Print the article's versions (number, when seen, source, title), then each one against the one before it."""
    stored = article_versions(conn, article_id)
    if not stored:
        out.print("\n[bold]versions (1)[/]: not edited since it was stored")
        return
    styled = out.is_terminal
    out.print(f"\n[bold]versions ({len(stored)})[/]")
    for v in stored:
        out.print(f"  {v.version}  {escape(v.seen_at)}  {escape(v.source)}  {escape(v.title or '(no title)')}")
    for d in article_versions_diffs(conn, article_id):
        _print_diff(d, styled)
