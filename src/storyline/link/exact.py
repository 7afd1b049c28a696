"""Exact nearest neighbours in memory: the index the in-memory linking backends share."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .embed import DIMENSIONS

__all__ = ["ExactIndex"]


@dataclass
class ExactIndex:
    """Vectors by id, searched exhaustively by dot product; adding is amortised O(1) (the buffer doubles)."""

    _ids: list[str] = field(default_factory=list)
    _buffer: np.ndarray = field(default_factory=lambda: np.zeros((16, DIMENSIONS), dtype=np.float32))

    def add(self, item_id: str, vector: np.ndarray) -> None:
        """Store one vector under ``item_id``."""
        if len(self._ids) == len(self._buffer):
            self._buffer = np.concatenate([self._buffer, np.zeros_like(self._buffer)])
        self._buffer[len(self._ids)] = vector
        self._ids.append(item_id)

    def nearest(self, vector: np.ndarray, limit: int) -> list[str]:
        """Return up to ``limit`` ids, highest dot product first."""
        if not self._ids:
            return []
        sims = self._buffer[:len(self._ids)] @ vector
        return [self._ids[i] for i in np.argsort(-sims)[:limit]]
