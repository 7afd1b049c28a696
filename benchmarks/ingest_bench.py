"""Ingest speed: trafilatura alone versus Storyline's full ``ingest``, on a synthetic corpus.

Generates N news pages (deterministic for a seed: head metadata, navigation,
sidebar, an article of 5-12 paragraphs, related-link teasers, a comment box and
a footer, from ~20 made-up outlets, with ~3% planted near-duplicates), then
times, each in its own subprocess so peak memory is separate:

(a) ``trafilatura.bare_extraction`` on every page, reading the files included;
(b) ``storyline.runner.ingest([corpus], Settings(db=...))`` end to end.

Usage::

    .venv/bin/python benchmarks/ingest_bench.py --n 10000
    .venv/bin/python benchmarks/ingest_bench.py --profile   # cProfile of ingest on 500 pages
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = REPO_ROOT / "benchmarks" / "results" / "ingest.json"
DUPLICATE_SHARE = 0.03
DATE_PARAMS = {"original_date": True, "extensive_search": False}

# Our own small vocabulary; sentences are slot-filled templates, so two unrelated
# articles share almost no 5-word shingles while reading like news copy.
PEOPLE = "Mara Lindqvist|Tomas Okafor|Ines Varga|Dev Raman|Sofia Brandt|Ken Adeyemi|Lucia Moretti|Piet Jansen".split("|")
ROLES = "the mayor|the finance minister|a union leader|the police chief|a council spokesperson|the regional governor".split("|")
ORGS = "the port authority|the transport ministry|the city council|the water board|the teachers' union|the central bank".split("|")
PLACES = "Northbridge|Easthaven|Lower Marsh|Kelford|Ashdown|Rivermouth|Saltmere|Greyfield|Oakhill|Westmoor".split("|")
NOUNS = ("budget strike bridge tender report inquiry protest contract election reform tariff shortage "
         "flood hearing audit merger pipeline verdict ceasefire subsidy").split()
ADJS = "new delayed disputed emergency revised interim regional controversial long-awaited provisional".split()
VERBS = "announced rejected approved criticised delayed defended questioned welcomed postponed confirmed".split()
SAYS = "said|told reporters|wrote in a statement|argued|warned|insisted|added".split("|")
TEMPLATES = (
    "{Person}, {role}, {says} that the {adj} {noun} would be reviewed before {day}.",
    "On {day}, {org} {verb} the {adj} {noun} after a meeting in {place}.",
    "Residents of {place} {verb} the {noun}, which had been expected for {n} months.",
    "\u201cWe will not accept a {adj} {noun},\u201d {person} {says}.",
    "The {noun} affects about {n},000 people across {place} and {place2}.",
    "Critics said {org} had {verb} the {noun} without consulting {place}.",
    "According to {org}, the {adj} {noun} will cost {n} million euros.",
    "{Person} {says} the {noun} in {place} was {adj} but necessary.",
)
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
OUTLETS = ("Northbridge Courier|Daily Ledger|Harbour Times|The Evening Post|Valley Gazette|Metro Wire|"
           "Coastal Herald|The Morning Star|Capital Observer|Ashdown Echo|Kelford Record|The Chronicle|"
           "Westmoor Press|Rivermouth Mail|Oakhill Bulletin|Saltmere Sentinel|Greyfield Journal|"
           "The Civic Review|Eastern Dispatch|The Weekly Lantern").split("|")
SECTIONS = "Politics|Economy|Local|World|Opinion|Climate|Transport|Sport".split("|")


@dataclass(frozen=True, slots=True)
class Story:
    """The editorial content of one page: what should survive extraction."""

    headline: str
    paragraphs: tuple[tuple[str, ...], ...]
    published: date


@dataclass(frozen=True, slots=True)
class Corpus:
    """A generated corpus on disk and the near-duplicates planted in it."""

    folder: Path
    pages: int
    planted: tuple[tuple[str, str], ...]
    """(duplicate file name, original file name)."""


def sentence(rng: random.Random) -> str:
    """Return one news-like sentence."""
    person = rng.choice(PEOPLE)
    place, place2 = rng.sample(PLACES, 2)
    return rng.choice(TEMPLATES).format(
        Person=person, person=person, role=rng.choice(ROLES), says=rng.choice(SAYS), adj=rng.choice(ADJS),
        noun=rng.choice(NOUNS), day=rng.choice(DAYS), org=rng.choice(ORGS), verb=rng.choice(VERBS),
        place=place, place2=place2, n=rng.randint(2, 90))


def headline(rng: random.Random) -> str:
    """Return a headline."""
    return f"{rng.choice(PLACES)} {rng.choice(NOUNS)} {rng.choice(VERBS)} as {rng.choice(ORGS)} faces {rng.choice(ADJS)} {rng.choice(NOUNS)}"


def new_story(rng: random.Random) -> Story:
    """Return a story of 5-12 paragraphs of 2-5 sentences."""
    paragraphs = tuple(tuple(sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(5, 12)))
    return Story(headline(rng), paragraphs, date(2024, 1, 1) + timedelta(days=rng.randrange(366)))


def near_duplicate(rng: random.Random, story: Story) -> Story:
    """Return the same story re-headlined, with one sentence rewritten (syndicated copy)."""
    p = rng.randrange(len(story.paragraphs))
    s = rng.randrange(len(story.paragraphs[p]))
    para = story.paragraphs[p][:s] + (sentence(rng),) + story.paragraphs[p][s + 1 :]
    return replace(story, headline=headline(rng), paragraphs=story.paragraphs[:p] + (para,) + story.paragraphs[p + 1 :])


def _links(items: list[str], cls: str) -> str:
    lis = "".join(f'<li><a href="/{escape(i.lower().replace(" ", "-"))}">{escape(i)}</a></li>' for i in items)
    return f'<ul class="{cls}">{lis}</ul>'


def _comments(rng: random.Random) -> str:
    items = "".join(f'<li class="comment"><span class="author">{rng.choice(PEOPLE).split()[0]}{rng.randint(1, 99)}</span>'
                    f"<p>{escape(sentence(rng))}</p></li>" for _ in range(rng.randint(0, 4)))
    return (f'<section id="comments" class="comments"><h3>Comments</h3><ol>{items}</ol>'
            '<form><textarea name="comment"></textarea><button>Post comment</button></form></section>')


def render_page(rng: random.Random, story: Story, outlet: str, slug: str) -> str:
    """Return a whole HTML page carrying the story inside an outlet's boilerplate."""
    host = outlet.lower().replace("the ", "").replace(" ", "") + ".example"
    section, iso = rng.choice(SECTIONS), story.published.isoformat()
    body = "".join(f"<p>{escape(' '.join(p))}</p>" for p in story.paragraphs)
    teasers = _links([headline(rng) for _ in range(4)], "related")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(story.headline)} | {escape(outlet)}</title>
<meta property="og:site_name" content="{escape(outlet)}"><meta property="og:title" content="{escape(story.headline)}">
<meta property="article:published_time" content="{iso}T{rng.randint(5, 22):02d}:{rng.randint(0, 59):02d}:00Z">
<link rel="canonical" href="https://{host}/{section.lower()}/{slug}"></head><body>
<header><a class="logo" href="/">{escape(outlet)}</a><nav>{_links(SECTIONS, "menu")}</nav>
<a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></header>
<aside class="sidebar"><h3>Most read</h3>{_links([headline(rng) for _ in range(5)], "trending")}</aside>
<main><article><h1>{escape(story.headline)}</h1>
<p class="byline">By {rng.choice(PEOPLE)} &middot; <time datetime="{iso}">{story.published:%d %B %Y}</time></p>
{body}<p>Sign up for the {escape(outlet)} morning briefing, delivered every weekday.</p>
<div class="share">Share this article: Facebook Twitter Email</div></article>
<section class="related"><h2>Related stories</h2>{teasers}</section>{_comments(rng)}</main>
<footer><p>&copy; 2024 {escape(outlet)}. All rights reserved.</p>{_links(["About us", "Contact", "Privacy policy", "Terms of use"], "legal")}</footer>
</body></html>"""


def generate(n: int, seed: int, folder: Path) -> Corpus:
    """Write n pages to folder; ~3% of them are near-duplicates of an earlier page."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.html"):
        stale.unlink()
    dup_at = set(rng.sample(range(max(1, n // 10), n), round(n * DUPLICATE_SHARE))) if n >= 10 else set()
    stories: list[Story] = []
    planted = []
    for i in range(n):
        name = f"{i:06d}.html"
        if i in dup_at:
            j = rng.randrange(len(stories))
            story = near_duplicate(rng, stories[j])
            planted.append((name, f"{j:06d}.html"))
        else:
            story = new_story(rng)
        stories.append(story)
        page = render_page(rng, story, rng.choice(OUTLETS), f"{i:06d}-{story.headline.lower().replace(' ', '-')[:40]}")
        (folder / name).write_text(page, encoding="utf-8")
    return Corpus(folder, n, tuple(planted))


# --- Measurements, each run in its own process --------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_trafilatura(corpus: Path) -> dict[str, Any]:
    """Time trafilatura's bare_extraction over every page, reading the files included."""
    import trafilatura

    files = sorted(corpus.glob("*.html"))
    start = time.perf_counter()
    extracted = 0
    for path in files:
        doc = trafilatura.bare_extraction(path.read_text(encoding="utf-8"), with_metadata=True,
                                          include_comments=False, date_extraction_params=DATE_PARAMS)
        extracted += bool(getattr(doc, "text", None))
    return {"seconds": time.perf_counter() - start, "pages": len(files), "extracted": extracted}


def measure_storyline(corpus: Path, db: Path) -> dict[str, Any]:
    """Time Storyline's full ingest of the corpus folder into a fresh database."""
    try:
        from storyline.runner import ingest
        from storyline.settings import Settings
    except ImportError as exc:
        return {"error": f"storyline.runner not importable: {exc}"}

    start = time.perf_counter()
    summary = ingest([str(corpus)], Settings(db=str(db)))
    seconds = time.perf_counter() - start
    reasons = Counter(f.reason for f in summary.failed).most_common(5)
    return {"seconds": seconds, "pages": len(list(corpus.glob("*.html"))), "ingested": len(summary.ingested),
            "duplicates": len(summary.duplicates), "skipped": len(summary.skipped), "failed": len(summary.failed),
            "failure_reasons": reasons, "db_bytes": sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))}


def run_worker(kind: str, corpus: Path, db: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON report."""
    cmd = [sys.executable, __file__, "--worker", kind, "--corpus", str(corpus), "--db", str(db)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile_ingest(n: int, seed: int) -> None:
    """Print cProfile's top 25 cumulative (and top 15 own-time) entries of ingest on n pages."""
    from storyline.runner import ingest
    from storyline.settings import Settings

    with tempfile.TemporaryDirectory(prefix="storyline-prof-") as tmp:
        corpus = generate(n, seed, Path(tmp) / "corpus")
        profiler = cProfile.Profile()
        profiler.runcall(ingest, [str(corpus.folder)], Settings(db=str(Path(tmp) / "prof.db")))
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


def report(corpus: Corpus, traf: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Print the comparison table and return the figures."""
    print(f"{corpus.pages} pages, {len(corpus.planted)} planted near-duplicates")
    print(f"{'':<22}{'seconds':>9}{'articles/s':>12}{'peak RSS MB':>13}")
    for name, m in (("trafilatura alone", traf), ("storyline ingest", ours)):
        if "error" in m:
            print(f"{name:<22}{m['error']}")
            continue
        m["articles_per_s"] = m["pages"] / m["seconds"]
        print(f"{name:<22}{m['seconds']:>9.1f}{m['articles_per_s']:>12.1f}{m['peak_rss_mb']:>13.0f}")
    results = {"pages": corpus.pages, "planted_duplicates": len(corpus.planted), "trafilatura": traf, "storyline": ours}
    if "error" in ours:
        return results
    overhead = (ours["seconds"] - traf["seconds"]) / traf["seconds"]
    print(f"overhead of ours over trafilatura: {overhead:+.0%}; DB {ours['db_bytes'] / 1e6:.1f} MB")
    print(f"ingested {ours['ingested']}, duplicates {ours['duplicates']} (planted {len(corpus.planted)}), "
          f"skipped {ours['skipped']}, failed {ours['failed']} {ours['failure_reasons'] or ''}")
    return results | {"overhead": overhead}


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run both measurements and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="pages to generate")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus generator")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (corpus/ and storyline.db)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    parser.add_argument("--profile", action="store_true", help="profile ingest on --profile-n pages instead")
    parser.add_argument("--profile-n", type=int, default=500, help="pages for --profile")
    parser.add_argument("--worker", choices=["trafilatura", "storyline"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        m = measure_trafilatura(args.corpus) if args.worker == "trafilatura" else measure_storyline(args.corpus, args.db)
        print(json.dumps(m | {"peak_rss_mb": _peak_mb()}))
        return 0
    if args.profile:
        profile_ingest(args.profile_n, args.seed)
        return 0
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        root = args.keep or Path(tmp)
        start = time.perf_counter()
        corpus = generate(args.n, args.seed, root / "corpus")
        print(f"generated {args.n} pages in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        db = root / "storyline.db"
        for stale in root.glob("storyline.db*"):
            stale.unlink()
        results = report(corpus, run_worker("trafilatura", corpus.folder, db), run_worker("storyline", corpus.folder, db))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results | {"seed": args.seed}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
