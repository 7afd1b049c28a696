"""The bundled demo corpus cleans as documented in demo/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.flow import ingest
from storyline.settings import Settings
from storyline.store.articles import iter_articles
from storyline.store.schema import connect
from tests.conftest import REPO

CORPUS = REPO / "demo" / "corpus"

# (source file, outlet, published, inferred, title, must be gone, must stay)
EXPECTED = [
    ("halmyra-today-memo-reaction.txt", None, None, True, None,
     ['Read More: Fishermen of Port Saren', "Ceasefire talks,Ilona Maresh", "BACK TO HOMEPAGE"],
     ["The Lisk regime is reportedly ready to reopen Port Saren - but only on terms",
      "Economists at the University of Porvic estimate that the blockade is costing Halmyra"]),
    ("halmyra-today-bread-queues.txt", "Halmyra Today", "2025-03-12", True,
     "Bread queues lengthen in Port Saren as Brenholt talks grind on",
     ["Watch: Inside the Port Saren hospital", "Other News", "Porvic council approves new tram line",
      "Record crowds expected at Porvic book fair"],
     ['"We are choosing every day which machines stay on," she said.', '"Tomorrow I will be here again at five."']),
    ("herald-maresh-rejects-truce.txt", None, "2025-03-20", True,
     "President Maresh: a truce from bandits is not a truce",
     ["Trending", "Read More: Vasko", "Ceasefire talks,President Ilona Maresh", "BACK TO HOMEPAGE"],
     ['"There was never such a readiness and there is none now," she said.']),
    ("ledger-carvenne-pulls-out.txt", "The Tidewater Ledger", None, False,
     "Carvenne pulls out of next round of Brenholt talks after rebel truce offer",
     ["The Ledger is funded by its readers.", "Read More: Carvenne could ease", "Other News",
      "Ister Cup final moved to Saturday evening"],
     ["A person familiar with the matter said the first round had made more progress"]),
    ("vellmar-post-corridor-analysis.txt", "Vellmar Morning Post", None, False,
     "Analysis: A door in a wall - what the Port Saren corridor can and cannot do",
     ["Read More: Blockade talks open", "Port Saren,Council of Ister Nations"],
     ["What the corridor is not is an end to the blockade."]),
    ("ledger-leaked-memo.html", "The Tidewater Ledger", "2025-03-04", False, None,
     ["The Ledger is funded by its readers.", "Read more:"],
     ["Carvenne is prepared to reopen Port Saren to grain and fuel ships only if Halmyra accepts international inspection"]),
    ("herald-vasko-no-lifting.html", "Carvenne Herald", "2025-03-05", False, None,
     ["Read more:", "Lisk Spring Festival"],
     ["“We are ready to talk,” Mr Vasko said. “We are not ready to be fooled.”"]),
    ("herald-first-grain-ship.html", "Carvenne Herald", None, True, None,
     ["Read more:"],
     ["The blockade was imposed by presidential decree on January 15, 2025"]),
]


@pytest.fixture(scope="module")
def demo_articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = ingest([str(CORPUS)], Settings(db=str(db)))
    assert summary.ok
    return {Path(a.source).name: a for a in iter_articles(connect(db))}


@pytest.mark.parametrize(("name", "outlet", "published", "inferred", "title", "gone", "stay"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_demo_article(demo_articles, name, outlet, published, inferred, title, gone, stay) -> None:  # type: ignore[no-untyped-def]
    article = demo_articles[name]
    assert (article.outlet, article.published, article.published_inferred) == (outlet, published, inferred)
    if title is not None:
        assert article.title == title
    for piece in gone:
        assert piece not in article.text, piece
    for sentence in stay:
        assert sentence in article.text, sentence


def test_demo_syndicated_copy_is_linked(demo_articles) -> None:  # type: ignore[no-untyped-def]
    copy = demo_articles["vellmar-post-brenholt-talks-open.html"]
    original = demo_articles["crosscurrent-brenholt-talks-open.html"]
    assert copy.duplicate_of == original.id
    assert original.duplicate_of is None
    assert sum(a.duplicate_of is not None for a in demo_articles.values()) == 1


@pytest.mark.parametrize("name", ["halmyra-today-memo-reaction.txt", "herald-first-grain-ship.html"])
def test_undated_demo_articles_are_bounded_by_the_latest_past_date(demo_articles, name) -> None:  # type: ignore[no-untyped-def]
    article = demo_articles[name]
    assert article.published_range == ("2025-01-15", None)  # "The blockade began on January 15, 2025" (past tense)
    evidence = [e for e in article.evidence if e.field == "published_range"]
    assert evidence and evidence[0].method == "latest-past-date" and evidence[0].text == "January 15, 2025"
    assert article.text[evidence[0].start:evidence[0].end] == "January 15, 2025"
