"""Stable identity and near-duplicate detection.

Identity: a hash of the normalised text, so the same input always gets the same
id and re-ingesting it changes nothing.

Near-duplicates (syndicated copies, small edits, different boilerplate): MinHash
signatures of word shingles of the cleaned text, indexed with datasketch's
MinHashLSH. The index holds only canonical articles (those that are not
themselves duplicates), so every copy points at the first one stored.
Adding one article costs one LSH query and one insert: nothing is recomputed.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["article_id", "shingles", "signature", "DuplicateIndex"]

_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 1
_SCHEME: Final = "affine32"  # datasketch 2.x default; stored signatures depend on it
_ROLL = 1_000_003  # multiplier rolling word hashes into shingle hashes


def article_id(text: str) -> str:
    """Return the stable id of an article: 16 hex digits of SHA-256 over its lower-cased words."""
    canonical = " ".join(_WORD.findall(text.lower()))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def shingles(text: str, size: int) -> set[bytes]:
    """Return the set of ``size``-word shingles of ``text`` (lower-cased), as bytes."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Return the distinct 32-bit hashes of the ``size``-word shingles of ``text``.

    Each word is hashed once (CRC-32) and shingle hashes are rolled from them with
    numpy, which is several times faster than hashing every shingle's bytes.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    width = max(1, len(words) - size + 1)
    acc = np.zeros(width, dtype=np.uint64)
    for k in range(min(size, len(words))):
        acc = (acc * np.uint64(_ROLL) + word_hashes[k : k + width]) & np.uint64(0xFFFFFFFF)
    return np.unique(acc)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    perms: tuple[np.ndarray, np.ndarray] = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations
    return perms


def _identity(value: int) -> int:
    return value


def signature(text: str, *, num_perm: int, shingle_size: int) -> np.ndarray:
    """Return the MinHash signature (``num_perm`` uint64 values) of ``text``."""
    mh = MinHash(num_perm=num_perm, seed=_SEED, hashfunc=_identity, permutations=_permutations(num_perm), scheme=_SCHEME)
    mh.update_batch(shingle_hashes(text, shingle_size).tolist())
    return np.asarray(mh.hashvalues, dtype=np.uint64)


class DuplicateIndex:
    """An in-memory LSH index over canonical articles' signatures."""

    def __init__(self, *, threshold: float, num_perm: int) -> None:
        """Create an empty index for signatures of ``num_perm`` values."""
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, key: str, sig: np.ndarray) -> None:
        """Index a canonical article's signature (ignored if already there)."""
        if key in self._signatures:
            return
        self._signatures[key] = sig
        self._lsh.insert(key, self._minhash(sig))

    def remove(self, key: str) -> None:
        """Take an article out of the index (it turned out to be a near-duplicate itself); unknown keys are ignored."""
        if self._signatures.pop(key, None) is not None:
            self._lsh.remove(key)

    def similarity(self, key: str, sig: np.ndarray) -> float | None:
        """The estimated Jaccard similarity of ``sig`` to the indexed article ``key`` (None when not indexed)."""
        found = self._signatures.get(key)
        return None if found is None else float(np.mean(found == sig))

    def add_all(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Index many (id, signature) pairs."""
        for key, sig in items:
            self.add(key, sig)

    def find(self, sig: np.ndarray) -> tuple[str, float] | None:
        """Return the most similar indexed article at or above the threshold, with its similarity."""
        best: tuple[str, float] | None = None
        for key in map(str, self._lsh.query(self._minhash(sig))):
            sim = self.similarity(key, sig) or 0.0
            if sim >= self.threshold and (best is None or (sim, best[0]) > (best[1], key)):
                best = (key, sim)
        return best

    def _minhash(self, sig: np.ndarray) -> MinHash:
        return MinHash(num_perm=self.num_perm, seed=_SEED, hashvalues=sig, permutations=_permutations(self.num_perm), scheme=_SCHEME)
