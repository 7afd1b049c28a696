"""What a watch costs beside a plain ingest of the same feed, as a user runs them.

A local site on 127.0.0.1 (tests/follow/livesite.py) serves a feed of ``--articles`` article pages of
our own generated text (tests/follow/test_watch.py ``article``). In one run, each as a fresh process on a fresh
database with annotation off (both would spend the same time annotating):

1. ``storyline ingest FEED``: the peer;
2. ``storyline watch FEED --once``: the first round (robots.txt, pacing at ``watch_host_delay`` 0, the
   entries recorded, pages remembered for revisits);
3. ``storyline watch --once`` again, nothing changed: a 304 for the feed and one conditional GET per
   stored page (the revisits).

Prints seconds and requests for each and the ratio watch/ingest::

    .venv/bin/python benchmarks/watch_bench.py --articles 100
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.follow.livesite import LiveSite  # noqa: E402
from tests.follow.test_watch import article  # noqa: E402


def _run(args: list[str], db: Path) -> float:
    env = {**os.environ, "STORYLINE_ANNOTATE": "false", "STORYLINE_WATCH_HOST_DELAY": "0", "STORYLINE_WORKERS": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storyline", *args, "--db", str(db), "--allow-private", "-q"], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    site = LiveSite()
    for n in range(args.articles):
        site.page(f"/news/{n}", *article(n))
    feed = site.feed("/feed.xml", "Bench Courier", [(f"/news/{n}", f"Story {n}") for n in range(args.articles)])
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for label, argv, db in (("ingest FEED (peer)", ["ingest", feed], "a.db"), ("watch FEED --once, first round", ["watch", feed, "--once"], "b.db"),
                                ("watch --once, nothing changed", ["watch", "--once"], "b.db")):
            before = len(site.requests)
            seconds = _run(argv, Path(tmp) / db)
            rows.append((label, seconds, len(site.requests) - before))
    site.close()
    peer = rows[0][1]
    print(f"{args.articles} articles, annotation off, one run, this machine")
    for label, seconds, requests in rows:
        print(f"  {label:34} {seconds:6.2f} s  {requests:4d} requests  ratio to ingest {seconds / peer:.2f}")


if __name__ == "__main__":
    main()
