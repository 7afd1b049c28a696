"""Attribution chains drawn as trees: from each original source, through the outlets that retold it, to the articles.

An attribution says "Herald, citing Reuters, citing four sources": the chain runs from the
source (four sources, anonymous), through ``via`` from the farthest outlet to the nearest
(Reuters), to the outlet that published the article (Herald). Chains of one story that
share a beginning share a branch, so a reader sees at a glance which reports rest on the
same original source and how many independent ones there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["ChainItem", "TreeNode", "attribution_tree"]


@dataclass(frozen=True, slots=True)
class ChainItem:
    """One attribution as the tree needs it."""

    article_id: str
    outlet: str | None
    published: str | None
    content: str
    source: str | None
    source_kind: str
    count: int | None
    via: tuple[str, ...]
    """Intermediaries, nearest first (as :class:`storyline.models.Attribution` keeps them)."""
    attribution_id: str = ""


@dataclass(slots=True)
class TreeNode:
    """A source or an outlet in the tree; ``items`` are the attributions whose chain ends here."""

    label: str
    kind: str
    """The source's kind (person, organisation, outlet, anonymous, document, unknown) or ``outlet``."""
    count: int | None = None
    children: list[TreeNode] = field(default_factory=list)
    items: list[ChainItem] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Attributions at or under this node."""
        return len(self.items) + sum(c.size for c in self.children)

    def child(self, label: str, kind: str, count: int | None = None) -> TreeNode:
        """Return the child with this label (same words, case and a leading "the" aside), adding it if new."""
        key = _key(label)
        for c in self.children:
            if _key(c.label) == key:
                return c
        node = TreeNode(label, kind, count)
        self.children.append(node)
        return node


def _key(label: str) -> str:
    words = label.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _sorted(node: TreeNode) -> TreeNode:
    node.children.sort(key=lambda c: (-c.size, _key(c.label)))
    node.items.sort(key=lambda i: (i.published is None, i.published or "", i.article_id))
    for c in node.children:
        _sorted(c)
    return node


def attribution_tree(items: Iterable[ChainItem]) -> list[TreeNode]:
    """Return one tree per original source, largest first; attributions without a source are left out.

    Each path is source -> farthest intermediary -> ... -> nearest -> the reporting outlet,
    and each attribution hangs under its reporting outlet.
    """
    root = TreeNode("", "root")
    for item in items:
        if not item.source:
            continue
        node = root.child(item.source, item.source_kind, item.count)
        for outlet in reversed(item.via):
            node = node.child(outlet, "outlet")
        node = node.child(item.outlet or "unknown outlet", "outlet")
        node.items.append(item)
    return _sorted(root).children
