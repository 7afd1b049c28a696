"""Place an article written in a language Storyline does not annotate in a story: by names, dates and words.

Such an article gets no parse, so no mentions, quotes or events (flow/run.py skips it). It can still join
the story it belongs to: the capitalised words of its text that are names of actors already known to the
corpus ("Hald", "Ines Hald"; a person also by surname), its publication date, and its words, figures and
days as any article has them (:func:`storyline.link.stories.linked_docs`). Nothing new is learnt from it:
no actor is created from its words, so a German noun can never become an actor.
"""

from __future__ import annotations

import re

from ..annotate.registry import ActorRegistry
from ..models import Article
from .stories import StoryDoc

__all__ = ["capitalised_runs", "unread_story_doc"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def capitalised_runs(text: str) -> list[str]:
    """Return the runs of one to four capitalised words in ``text`` ("Ines Hald", "Хальд"), in order."""
    runs: list[list[str]] = []
    end = -2
    for m in _WORD.finditer(text):
        if not m.group()[:1].isupper():
            end = -2
            continue
        if m.start() == end + 1 and text[end] in " \u00a0" and len(runs[-1]) < 4:
            runs[-1].append(m.group())
        else:
            runs.append([m.group()])
        end = m.end()
    return [" ".join(r) for r in runs]


def unread_story_doc(article: Article, registry: ActorRegistry) -> StoryDoc:
    """Return the :class:`StoryDoc` of an article we do not annotate: the known actors its names refer to."""
    ids: dict[str, None] = {}
    for run in capitalised_runs(f"{article.title or ''}\n{article.text}"):
        words = run.split()
        # "Bürgermeisterin Ines Hald": the longest ending of the run that names a known actor
        actor = next((a for i in range(len(words)) if (a := registry.known(" ".join(words[i:]))) is not None), None)
        if actor is not None:
            ids[actor.id] = None
    return StoryDoc(article.id, article.text, title=article.title, outlet=article.outlet,
                    published=article.published, actor_ids=tuple(ids))
