"""Time expressions: found, typed and resolved against each article's own date.

The finder (:mod:`.expressions`) runs the grammar's patterns (:mod:`.grammar`, words in :mod:`.lexicon`)
and hands each match to a resolver: calendar dates and parts (:mod:`.resolve`), relative expressions
(:mod:`.relative`), clock times (:mod:`.clock`), holidays (:mod:`.holidays`), sets (:mod:`.sets`),
anaphora that count from another date in the text (:mod:`.anaphora`), periods dated by the text or the
corpus (:mod:`.anchors`); :mod:`.calc` is the calendar arithmetic, :mod:`.tense` the clause's tense.
:mod:`.pubdate` infers an undated article's publication range from its expressions. docs/time.md.
"""

from .anchors import Anchor
from .expressions import corpus_anchors, find_time_expressions, reference, text_anchors
from .pubdate import infer_published_range

__all__ = ["Anchor", "corpus_anchors", "find_time_expressions", "infer_published_range", "reference", "text_anchors"]
