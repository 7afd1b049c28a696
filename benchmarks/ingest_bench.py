"""Ingest speed: trafilatura alone versus Storyline's full ``ingest``, on a synthetic corpus.

Generates N pages (seeded; ~20 made-up outlets, full page boilerplate, ~3% planted
near-duplicates), then times, each in its own subprocess: (a) trafilatura's
``bare_extraction`` on every page, file reading included; (b) ``ingest([corpus],
Settings(db=...))`` end to end. See benchmarks/README.md.

Usage: ``.venv/bin/python benchmarks/ingest_bench.py --n 10000`` (``--profile``: cProfile of ingest)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
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


def _proc_tree(pid: int) -> Iterator[int]:
    """Yield a process and all its descendants (Linux /proc; nothing elsewhere)."""
    stack = [pid]
    while stack:
        p = stack.pop()
        yield p
        try:
            stack += [int(c) for task in Path(f"/proc/{p}/task").iterdir() for c in (task / "children").read_text().split()]
        except OSError:
            continue


def _rss_and_cpu(pid: int) -> tuple[float, float]:
    """Return (resident MB, CPU seconds so far) of one process, or zeros once it is gone."""
    try:
        rss = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return (int(rss[1]) / 1024 if rss else 0.0), ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def process_tree_usage() -> Iterator[dict[str, float]]:
    """Sample this process tree every 0.1 s; yield a dict filled with peak memory and CPU seconds.

    Pool workers are not reaped into ``RUSAGE_CHILDREN``, so they are read from /proc while they run.
    """
    usage, cpu_seen, stop = {"tree_mb": 0.0}, {}, threading.Event()

    def sample() -> None:
        while not stop.is_set():
            tree = [(p, *_rss_and_cpu(p)) for p in _proc_tree(os.getpid())]
            usage["tree_mb"] = max(usage["tree_mb"], sum(rss for _, rss, _ in tree))
            cpu_seen.update({p: cpu for p, _, cpu in tree if p != os.getpid() and cpu > 0})
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    start = os.times()
    sampler.start()
    try:
        yield usage
    finally:
        stop.set()
        sampler.join()
        end = os.times()
        usage["self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        own = (end.user + end.system) - (start.user + start.system)
        usage["cpu_seconds"] = own + sum(cpu_seen.values())


def measure_trafilatura(corpus: Path) -> dict[str, Any]:
    """Time trafilatura's bare_extraction over every page, reading the files included."""
    import trafilatura

    files = sorted(corpus.glob("*.html"))
    start, extracted = time.perf_counter(), 0
    for path in files:
        doc = trafilatura.bare_extraction(path.read_text(encoding="utf-8"), with_metadata=True,
                                          include_comments=False, date_extraction_params=DATE_PARAMS)
        extracted += bool(getattr(doc, "text", None))
    return {"seconds": time.perf_counter() - start, "pages": len(files), "extracted": extracted}


def measure_storyline(corpus: Path, db: Path, workers: int) -> dict[str, Any]:
    """Time Storyline's full ingest of the corpus folder into a fresh database."""
    try:
        from storyline import Settings, ingest
    except ImportError as exc:
        return {"error": f"storyline.ingest not importable: {exc}"}
    start = time.perf_counter()
    summary = ingest([str(corpus)], Settings(db=str(db), workers=workers, annotate=False))  # annotation: annotate_bench.py
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "pages": len(list(corpus.glob("*.html"))), "workers": workers,
            "ingested": len(summary.ingested), "duplicates": len(summary.duplicates), "skipped": len(summary.skipped),
            "failed": len(summary.failed), "failure_reasons": Counter(f.reason for f in summary.failed).most_common(5),
            "db_bytes": sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))}


def run_worker(kind: str, corpus: Path, db: Path, workers: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter, so its peak memory is its own."""
    cmd = [sys.executable, __file__, "--worker", kind, "--corpus", str(corpus), "--db", str(db), "--workers", str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} measurement failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def profile_ingest(n: int, seed: int) -> None:
    """Print cProfile's top 25 cumulative (and top 15 own-time) entries of a one-process ingest of n pages."""
    from storyline import Settings, ingest

    with tempfile.TemporaryDirectory(prefix="storyline-prof-") as tmp:
        corpus = generate(n, seed, Path(tmp) / "corpus")
        profiler = cProfile.Profile()
        # One process, so the cleaning done in worker processes shows up in the profile.
        profiler.runcall(ingest, [str(corpus.folder)], Settings(db=str(Path(tmp) / "prof.db"), workers=1, annotate=False))
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


def duplicate_check(db: Path, corpus: Corpus) -> dict[str, int]:
    """Compare the near-duplicate links stored in the database with the planted pairs."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT source, id, duplicate_of FROM articles").fetchall()
    article = {Path(source).name: aid for source, aid, _ in rows}
    link = {aid: dup for _, aid, dup in rows if dup}

    def root(aid: str | None) -> str | None:
        seen: set[str] = set()
        while aid is not None and aid in link and aid not in seen:
            seen.add(aid)
            aid = link[aid]
        return aid

    planted = dict(corpus.planted)
    found = sum(d in article and article[d] in link and root(article[d]) == root(article.get(o)) for d, o in planted.items())
    wrong = sum(name not in planted and aid in link for name, aid in article.items())
    return {"planted": len(planted), "found": found, "unplanted_links": wrong}


def report(corpus: Corpus, traf: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Print the comparison table and return the figures."""
    print(f"{corpus.pages} pages, {len(corpus.planted)} planted near-duplicates, {os.cpu_count()} CPUs")
    print(f"{'':<20}{'wall s':>8}{'articles/s':>12}{'CPU s':>8}{'peak RSS MB':>13}{'tree RSS MB':>13}")
    for name, m in (("trafilatura alone", traf), ("storyline ingest", ours)):
        if "error" in m:
            print(f"{name:<20}{m['error']}")
            continue
        m["articles_per_s"] = m["pages"] / m["seconds"]
        print(f"{name:<20}{m['seconds']:>8.1f}{m['articles_per_s']:>12.1f}{m['cpu_seconds']:>8.1f}"
              f"{m['self_mb']:>13.0f}{m['tree_mb']:>13.0f}")
    results = {"pages": corpus.pages, "planted_duplicates": len(corpus.planted), "cpus": os.cpu_count(),
               "trafilatura": traf, "storyline": ours}
    if "error" in ours:
        return results
    overhead = (ours["seconds"] - traf["seconds"]) / traf["seconds"]
    cpu_overhead = (ours["cpu_seconds"] - traf["cpu_seconds"]) / traf["cpu_seconds"]
    print(f"overhead of ours over trafilatura: {overhead:+.0%} wall, {cpu_overhead:+.0%} CPU; "
          f"DB {ours['db_bytes'] / 1e6:.1f} MB")
    print(f"ingested {ours['ingested']}, duplicates {ours['duplicates']}, skipped {ours['skipped']}, "
          f"failed {ours['failed']} {ours['failure_reasons'] or ''}")
    if "duplicate_check" in ours:
        print("planted near-duplicates {planted}, linked to their original {found}; "
              "links on unplanted pages {unplanted_links}".format(**ours["duplicate_check"]))
    return results | {"overhead": overhead, "cpu_overhead": cpu_overhead}


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run both measurements and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="pages to generate")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus generator")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (corpus/ and storyline.db)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    parser.add_argument("--workers", type=int, default=0, help="Settings.workers for ingest (0: package default)")
    parser.add_argument("--profile", action="store_true", help="profile ingest on --profile-n pages instead")
    parser.add_argument("--profile-n", type=int, default=500, help="pages for --profile")
    parser.add_argument("--worker", choices=["trafilatura", "storyline"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        with process_tree_usage() as usage:
            m = (measure_trafilatura(args.corpus) if args.worker == "trafilatura"
                 else measure_storyline(args.corpus, args.db, args.workers))
        print(json.dumps(m | usage))
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
        traf, ours = (run_worker(kind, corpus.folder, db, args.workers) for kind in ("trafilatura", "storyline"))
        if db.exists():
            ours["duplicate_check"] = duplicate_check(db, corpus)
        results = report(corpus, traf, ours)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results | {"seed": args.seed}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
