"""Taking a stored article out of everything built from its text and metadata, so it is annotated and linked again.

Used where a stored article changes after ingest: a correction of its outlet, date or title
(:mod:`storyline.store.corrections`) and a new version of its text (:mod:`storyline.store.versions`).
The next annotate run (``annotate_pending``) finds it pending again and annotates and links it anew.
"""

from __future__ import annotations


from .annotations import clear_annotations
from .db import Connection
from .links import refresh_story_dates

__all__ = ["release_article"]


def release_article(conn: Connection, article_id: str) -> None:
    """Take the article out of its annotations, its story and its claim groups, so it is annotated and linked again; no commit.

    Its annotations, times, events, claims (with their groups) and framing go and it is no longer marked
    annotated; its story membership and linker record go (a story or thread left empty goes too: the
    triggers of migration 4) and the story it left gets its dates and title again; a failure recorded
    for it is forgotten.
    """
    story = conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
    clear_annotations(conn, article_id)
    conn.execute("DELETE FROM link_docs WHERE article_id = ?", (article_id,))  # its trigger takes back its frequencies
    conn.execute("DELETE FROM story_members WHERE article_id = ?", (article_id,))  # and this one drops an emptied story
    conn.execute("DELETE FROM article_failures WHERE article_id = ?", (article_id,))
    if story is not None:
        refresh_story_dates(conn, story[0])
