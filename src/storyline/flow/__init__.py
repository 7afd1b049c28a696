"""An article's way through Storyline, in one place, each module named after its step:

read (:mod:`storyline.ingest`) -> :mod:`~storyline.flow.clean` -> :mod:`~storyline.flow.save`
-> :mod:`~storyline.flow.annotate` -> :mod:`~storyline.flow.link`; :mod:`~storyline.flow.run` runs them
in that order (:func:`ingest`, :func:`annotate_pending`) and :mod:`~storyline.flow.pool` runs the batch
units (:func:`~storyline.flow.clean.clean_batch`, :func:`~storyline.flow.annotate.annotate_batch`) in
worker processes. The stages themselves live in :mod:`storyline.clean`, :mod:`storyline.annotate`
and :mod:`storyline.link`; only :mod:`~storyline.flow.save` and :mod:`~storyline.flow.link` write.
"""

from .clean import clean_document
from .run import Progress, annotate_pending, ingest

__all__ = ["Progress", "annotate_pending", "clean_document", "ingest"]
