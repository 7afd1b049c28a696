"""Score publication dates of web pages against a hand-labelled gold set.

Rows: Storyline's ``clean_document`` (its ``published`` field, the cleaner's
public path for an HTML page), plain ``trafilatura.bare_extraction`` metadata,
and htmldate's ``find_date`` without and with its extensive search (the
library's default). A date is right when its day equals the gold day; a gold
null (the page shows no publication date) is right only when the row says
nothing. eval/README.md spells out the counts; eval/data/README.md the gold.

Usage: ``.venv/bin/python eval/pubdate_eval.py [--data GOLD.jsonl] [--pages FOLDER] [--limit N] [--show K]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from evalkit import read_jsonl, rounded, write_results  # noqa: E402

DEFAULT_GOLD = REPO_ROOT / "eval" / "data" / "zyte_dates.jsonl"
DEFAULT_PAGES = REPO_ROOT.parent / "shared" / "eval-data" / "boilerplate" / "scrapinghub_aeb"
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "pubdate.json"
OURS = "storyline clean_document"
TRAFILATURA = "trafilatura bare_extraction metadata"
HTMLDATE_FAST = "htmldate find_date(extensive_search=False)"
HTMLDATE_EXTENSIVE = "htmldate find_date (extensive search)"
LIBRARIES = (TRAFILATURA, HTMLDATE_FAST, HTMLDATE_EXTENSIVE)
OUTCOMES = ("right", "wrong", "missing", "abstained_right", "invented")


@dataclass(frozen=True, slots=True)
class Page:
    """One page with its gold publication day (None: the page shows none)."""

    id: str
    html: str
    url: str | None
    gold: str | None


@dataclass(slots=True)
class Row:
    """One system's day for every page, and the time it took."""

    days: dict[str, str | None] = field(default_factory=dict)
    failures: int = 0
    seconds: float = 0.0


def _gold_problem(rec: Any) -> str | None:
    if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
        return "no id"
    day = rec.get("published")
    if day is not None and not (isinstance(day, str) and len(day) == 10 and day[4] == day[7] == "-"):
        return "published is neither YYYY-MM-DD nor null"
    return None


def load_pages(gold: Path, pages: Path, limit: int | None) -> list[Page]:
    """Read the gold days and their pages (``pages/html/<id>.html[.gz]``; URLs from the gold line or ``ground-truth.json``)."""
    truth_file = pages / "ground-truth.json"
    truth: dict[str, dict[str, Any]] = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file.exists() else {}
    out = []
    for rec in sorted(read_jsonl(gold, _gold_problem), key=lambda r: str(r["id"]))[:limit]:
        path = pages / "html" / f"{rec['id']}.html.gz"
        raw = gzip.decompress(path.read_bytes()) if path.exists() else (pages / "html" / f"{rec['id']}.html").read_bytes()
        url = rec.get("url") or truth.get(rec["id"], {}).get("url")
        out.append(Page(rec["id"], raw.decode("utf-8", errors="replace"), url, rec["published"]))
    return out


def _day(value: object) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def systems() -> dict[str, Callable[[Page], str | None]]:
    """The rows, each a function from a page to a ``YYYY-MM-DD`` day or None."""
    import trafilatura
    from htmldate import find_date

    from storyline.flow.clean import clean_document
    from storyline.models import RawDocument

    def ours(p: Page) -> str | None:
        return clean_document(RawDocument(source=p.id, html=p.html, url=p.url)).published

    def plain_trafilatura(p: Page) -> str | None:
        doc = trafilatura.bare_extraction(p.html, url=p.url, with_metadata=True)
        return _day(getattr(doc, "date", None))

    return {
        OURS: ours,
        TRAFILATURA: plain_trafilatura,
        HTMLDATE_FAST: lambda p: _day(find_date(p.html, url=p.url, extensive_search=False)),
        HTMLDATE_EXTENSIVE: lambda p: _day(find_date(p.html, url=p.url, extensive_search=True)),
    }


def run(pages: Sequence[Page], name: str, system: Callable[[Page], str | None]) -> Row:
    """Run one system on every page; a page it fails on counts as no date."""
    row = Row()
    for page in pages:
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row.days[page.id] = system(page)
        except Exception as exc:  # noqa: BLE001 - a failure is scored as "no date" and counted
            print(f"{name}: {page.id}: {type(exc).__name__}", file=sys.stderr)
            row.days[page.id], row.failures = None, row.failures + 1
        row.seconds += time.perf_counter() - t0
    return row


def outcome(gold: str | None, day: str | None) -> str:
    """right / wrong / missing (gold dated, no day) / abstained_right (both null) / invented (gold null, a day)."""
    if gold is None:
        return "abstained_right" if day is None else "invented"
    if day is None:
        return "missing"
    return "right" if day == gold else "wrong"


def summary(pages: Sequence[Page], row: Row) -> dict[str, Any]:
    """Counts, precision (right / dated answers), recall (right / dated gold) and ms per page of one row."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for p in pages:
        counts[outcome(p.gold, row.days[p.id])] += 1
    predicted = counts["right"] + counts["wrong"] + counts["invented"]
    dated = sum(p.gold is not None for p in pages)
    return {**counts, "correct": counts["right"] + counts["abstained_right"],
            "precision": counts["right"] / predicted if predicted else 0.0,
            "recall": counts["right"] / dated if dated else 0.0,
            "failures": row.failures, "ms_per_page": 1000 * row.seconds / max(1, len(pages))}


def paired(pages: Sequence[Page], ours: Row, other: Row) -> dict[str, Any]:
    """Pages only one of the two gets correct, and the exact two-sided sign-test p-value on them."""
    def ok(row: Row, p: Page) -> bool:
        return outcome(p.gold, row.days[p.id]) in ("right", "abstained_right")

    wins = sorted(p.id for p in pages if ok(ours, p) and not ok(other, p))
    losses = sorted(p.id for p in pages if ok(other, p) and not ok(ours, p))
    n, k = len(wins) + len(losses), min(len(wins), len(losses))
    p_value = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2**n) if n else 1.0
    return {"ours_only": wins, "other_only": losses, "sign_test_p": p_value}


def main(argv: Sequence[str] | None = None) -> int:
    """Score every row, print the table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_GOLD, help="gold days (JSONL: id, published, basis[, url])")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder with html/<id>.html[.gz] (and ground-truth.json for URLs)")
    parser.add_argument("--limit", type=int, help="score only the first N pages (by id)")
    parser.add_argument("--show", type=int, default=0, metavar="K", help="print up to K pages ours gets wrong, with every row's day")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    pages = load_pages(args.data, args.pages, args.limit)
    rows = {name: run(pages, name, system) for name, system in systems().items()}
    table = {name: summary(pages, row) for name, row in rows.items()}
    dated = sum(p.gold is not None for p in pages)
    print(f"{len(pages)} pages, {dated} with a gold date")
    print(f"{'row':45} {'right':>5} {'wrong':>5} {'miss':>5} {'null ok':>7} {'invent':>6} {'P':>6} {'R':>6} {'ms/page':>8}")
    for name, s in table.items():
        print(f"{name:45} {s['right']:5d} {s['wrong']:5d} {s['missing']:5d} {s['abstained_right']:7d} {s['invented']:6d} "
              f"{s['precision']:6.3f} {s['recall']:6.3f} {s['ms_per_page']:8.1f}")
    comparison = {name: paired(pages, rows[OURS], rows[name]) for name in LIBRARIES}
    for name, c in comparison.items():
        print(f"ours vs {name}: ours only {len(c['ours_only'])}, it only {len(c['other_only'])}, p = {c['sign_test_p']:.3f}")
    shown = [p for p in pages if outcome(p.gold, rows[OURS].days[p.id]) not in ("right", "abstained_right")][: args.show]
    for p in shown:
        print(f"  {p.id[:10]} gold {p.gold} | " + " | ".join(f"{n.split()[0]} {rows[n].days[p.id]}" for n in rows))
    import htmldate
    import trafilatura

    write_results(args.json, {
        "data": args.data.name, "pages": len(pages), "dated": dated, "limit": args.limit,
        "trafilatura": trafilatura.__version__, "htmldate": htmldate.__version__, "rows": rounded(table), "comparison": comparison,
        "not_right": {name: sorted(p.id for p in pages if outcome(p.gold, row.days[p.id]) not in ("right", "abstained_right"))
                      for name, row in rows.items()},
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
