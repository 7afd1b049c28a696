"""How many examples each property runs: a small default, or ``STORYLINE_FUZZ_EXAMPLES`` for a campaign."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

ENV = "STORYLINE_FUZZ_EXAMPLES"
"""The environment variable that sets every property's example count (a long campaign: 2000)."""


def examples(default: int) -> int:
    """Return the example count: ``STORYLINE_FUZZ_EXAMPLES`` when set to a positive number, else ``default``."""
    raw = os.environ.get(ENV, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def fuzz(default: int) -> settings:
    """Return Hypothesis settings for a property: ``default`` examples (or the campaign's), no per-example deadline.

    Slow inputs are a property of their own (the time bound of the time grammar), not a deadline:
    spaCy's first parse and trafilatura's first page take seconds.
    """
    return settings(
        max_examples=examples(default),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        print_blob=True,
    )
