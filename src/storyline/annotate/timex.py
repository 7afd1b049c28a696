"""Time expressions: find them and resolve each against the article's own date.

(Work in progress: the rules land in this module.)
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import TimeExpression

__all__ = ["find_time_expressions"]


def find_time_expressions(
    text: str, published: str | None = None, *, anchors: Mapping[str, str] | None = None
) -> tuple[TimeExpression, ...]:
    """Return every time expression in ``text``, in order, resolved against ``published``.

    Args:
        text: the article's cleaned text (or any passage).
        published: the article's publication date as ``YYYY-MM-DD``; ``None`` when unknown,
            in which case relative expressions stay unresolved (``value = None``).
        anchors: start dates the corpus knows for named periods ("war": "2022-02-24"), used
            for anchored durations ("22 months" into the war); the text's own statements
            ("the war began on February 24, 2022") are used first.
    """
    return ()
