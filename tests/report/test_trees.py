"""Attribution chains drawn as trees: shared origins share a branch."""

from __future__ import annotations

from storyline.report.trees import ChainItem, attribution_tree


def _item(article: str, outlet: str | None, source: str | None, kind: str = "anonymous", via: tuple[str, ...] = (),
          count: int | None = None) -> ChainItem:
    return ChainItem(article, outlet, "2025-03-04", f"content of {article}", source, kind, count, via)


def test_retellings_of_one_report_hang_under_one_source_through_the_outlet_they_cite() -> None:
    trees = attribution_tree([
        _item("a1", "Herald", "four sources", via=("Reuters",), count=4),
        _item("a2", "Ledger", "Four sources", via=("Reuters",), count=4),
        _item("a3", "Ledger", "the interior ministry", kind="organisation"),
        _item("a4", "Post", None),  # no source named: not drawn
    ])
    assert [t.label for t in trees] == ["four sources", "the interior ministry"]  # largest first
    four = trees[0]
    assert four.count == 4 and four.size == 2
    (reuters,) = four.children
    assert reuters.label == "Reuters" and reuters.kind == "outlet"
    assert sorted(c.label for c in reuters.children) == ["Herald", "Ledger"]
    assert all(len(c.items) == 1 for c in reuters.children)


def test_a_chain_through_two_outlets_runs_from_the_farthest() -> None:
    (tree,) = attribution_tree([_item("a1", "Herald", "two officials", via=("the Ledger", "the New Courier"))])
    path = []
    node = tree
    while node.children:
        node = node.children[0]
        path.append(node.label)
    assert path == ["the New Courier", "the Ledger", "Herald"]
    assert node.items[0].article_id == "a1"
