"""The attribution network as GraphML, for Gephi, Cytoscape or networkx.

Nodes are outlets, actors (people, organisations, places and groups found in the articles), named
sources that match no actor, unnamed sources (one node per outlet that obtained them) and
documents. Directed edges, each with ``kind`` and ``weight`` (how many articles):

- ``cites``: an outlet attributes content to a source, through the chain the text gives
  ("Kyiv Post, citing The New York Times, citing two former officials": Kyiv Post -> The New York
  Times -> sources of The New York Times);
- ``quotes``: an outlet quotes a speaker (direct or indirect quotes with a known speaker);
- ``co_mention``: two actors named in the same article (from the actor with the smaller id;
  Gephi users may treat these as undirected).

Edges also carry ``first`` and ``last``: the earliest and latest publication dates among their
articles ("" when none is known). An article whose outlet is unknown adds no outlet edge: the
network never invents who cited whom.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, BinaryIO

from ..store.annotations import iter_attributions, iter_mentions, iter_quotes, load_actors
from ..store.db import Connection
from ..store.heads import ArticleHead, article_heads

__all__ = ["attribution_graph", "write_graphml"]

_ACTOR_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "group"}


@dataclass
class _Edge:
    articles: set[str] = field(default_factory=set)
    dates: list[str] = field(default_factory=list)


class _Network:
    """Nodes and weighted edges, built up article by article."""

    def __init__(self, conn: Connection) -> None:
        self.heads: dict[str, ArticleHead] = article_heads(conn)
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], _Edge] = defaultdict(_Edge)
        self.actor_of: dict[str, str] = {}
        for actor in load_actors(conn):
            self.node(actor.id, actor.name, _ACTOR_KINDS.get(actor.type, actor.type.lower()))
            for name in (actor.name, *actor.variants):
                self.actor_of.setdefault(name.casefold(), actor.id)

    def node(self, node_id: str, label: str, kind: str) -> str:
        self.nodes.setdefault(node_id, {"label": label, "kind": kind})
        return node_id

    def outlet(self, name: str) -> str:
        return self.node(f"outlet:{name.casefold()}", name, "outlet")

    def named(self, name: str, kind: str) -> str:
        actor = self.actor_of.get(name.casefold())
        return actor if actor else self.node(f"source:{name.casefold()}", name, kind)

    def edge(self, source: str, target: str, kind: str, article_id: str) -> None:
        if source == target:
            return
        e = self.edges[(source, target, kind)]
        if article_id not in e.articles:
            e.articles.add(article_id)
            head = self.heads.get(article_id)
            if head and head.published:
                e.dates.append(head.published)

    def article_outlet(self, article_id: str) -> str | None:
        head = self.heads.get(article_id)
        return self.outlet(head.outlet) if head and head.outlet else None


def _attributions(net: _Network, conn: Connection) -> None:
    for stored in iter_attributions(conn):
        a = stored.attribution
        chain = [net.article_outlet(stored.article_id)] + [net.outlet(v.text) for v in a.via]
        last_outlet = next((c for c in reversed(chain) if c), None)
        source: str | None = None
        if a.source_kind == "anonymous":
            owner = net.nodes[last_outlet]["label"] if last_outlet else "unknown outlet"
            source = net.node(f"anonymous:{(last_outlet or 'unknown').casefold()}", f"unnamed sources ({owner})", "anonymous")
        elif a.source_kind == "outlet" and a.source is not None:
            source = net.outlet(a.source.text)
        elif a.source_kind in ("person", "organisation", "document") and (a.source_name or a.source):
            name = a.source_name or (a.source.text if a.source else "")
            source = net.named(name, a.source_kind)
        hops = [c for c in chain if c] + ([source] if source else [])
        for left, right in zip(hops, hops[1:]):
            net.edge(left, right, "cites", stored.article_id)


def _quotes(net: _Network, conn: Connection) -> None:
    for stored in iter_quotes(conn):
        outlet = net.article_outlet(stored.article_id)
        q = stored.quote
        speaker = stored.speaker_actor_id or (net.named(q.speaker_name, "person") if q.speaker_name else None)
        if outlet and speaker:
            net.edge(outlet, speaker, "quotes", stored.article_id)


def _co_mentions(net: _Network, conn: Connection) -> None:
    by_article: dict[str, set[str]] = defaultdict(set)
    for m in iter_mentions(conn):
        if m.actor_id:
            by_article[m.article_id].add(m.actor_id)
    for article_id, actors in by_article.items():
        for a, b in combinations(sorted(actors), 2):
            net.edge(a, b, "co_mention", article_id)


def attribution_graph(conn: Connection) -> Any:
    """Return the attribution network as a ``networkx.MultiDiGraph`` (see the module docstring)."""
    import networkx as nx  # type: ignore[import-untyped,unused-ignore]

    net = _Network(conn)
    _attributions(net, conn)
    _quotes(net, conn)
    _co_mentions(net, conn)
    graph = nx.MultiDiGraph(name="Storyline attribution network")
    for node_id, attrs in net.nodes.items():
        graph.add_node(node_id, **attrs)
    for (source, target, kind), e in sorted(net.edges.items()):
        dates = sorted(e.dates)
        graph.add_edge(source, target, key=kind, kind=kind, weight=len(e.articles),
                       first=dates[0] if dates else "", last=dates[-1] if dates else "")
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0 and net.nodes[n]["kind"] != "outlet"])
    return graph


def write_graphml(conn: Connection, out: BinaryIO | Path) -> tuple[int, int]:
    """Write the attribution network as GraphML to ``out``; return (nodes, edges)."""
    import networkx as nx  # type: ignore[import-untyped,unused-ignore]

    graph = attribution_graph(conn)
    nx.write_graphml(graph, out, encoding="utf-8", prettyprint=True)
    return graph.number_of_nodes(), graph.number_of_edges()
