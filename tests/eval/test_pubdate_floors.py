"""Publication dates of real pages: ours never below trafilatura or htmldate, and not below the pinned floor."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED, load_eval_script

# Measured on the 181 Zyte pages (177 with a gold date): ours 172 right, trafilatura 161, htmldate 139 / 139.
PUBDATE_RIGHT_FLOOR = 169


def test_publication_dates_on_real_pages_at_least_as_good_as_the_libraries() -> None:
    pages_dir = SHARED / "eval-data" / "boilerplate" / "scrapinghub_aeb"
    if not pages_dir.exists():
        pytest.skip(f"{pages_dir} not found")
    ev = load_eval_script("pubdate_eval")
    pages = ev.load_pages(ev.DEFAULT_GOLD, pages_dir, None)
    assert len(pages) == 181
    table = {name: ev.summary(pages, ev.run(pages, name, system)) for name, system in ev.systems().items()}
    ours = table[ev.OURS]
    assert ours["failures"] == 0
    for name in ev.LIBRARIES:
        assert ours["right"] >= table[name]["right"], (name, ours, table[name])
        assert ours["correct"] >= table[name]["correct"], (name, ours, table[name])
    assert ours["right"] >= PUBDATE_RIGHT_FLOOR, ours
