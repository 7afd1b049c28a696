"""Small helpers the evaluation scripts share: reading JSONL sets, formatting, writing results."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

__all__ = ["read_jsonl", "prf_text", "rounded", "write_results", "folded", "overlap", "best_span", "predicted_same", "ingest_fresh"]


def read_jsonl(path: Path, check: Callable[[Any], str | None]) -> Iterator[dict[str, Any]]:
    """Yield the well-formed records of a JSONL file; report bad lines (bad JSON, or ``check``'s complaint) and skip them."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{path.name}:{n}: bad JSON ({exc.msg}), skipped", file=sys.stderr)
            continue
        if (problem := check(rec)) is not None:
            print(f"{path.name}:{n}: {problem}, skipped", file=sys.stderr)
            continue
        yield rec


def prf_text(m: Mapping[str, float]) -> str:
    """Format precision/recall/F1 as ``0.000/0.000/0.000``."""
    return f"{m['precision']:.3f}/{m['recall']:.3f}/{m['f1']:.3f}"


def rounded(obj: object) -> object:
    """Round every float in a nested dict to 4 places."""
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, dict):
        return {k: rounded(v) for k, v in obj.items()}
    return obj


def write_results(path: Path, saved: Mapping[str, object]) -> None:
    """Write the results JSON (creating its folder) and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


# --- Mapping gold sentences onto stored claims (claim_groups_eval.py, ecb_claims_eval.py) ------


def folded(text: str) -> tuple[str, list[int]]:
    """Lower-cased letters and digits of ``text`` and, for each, its offset in ``text``."""
    chars, offsets = [], []
    for n, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            offsets.append(n)
    return "".join(chars), offsets


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """How many characters two (start, end) spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class _Spanned(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=_Spanned)


def best_span(span: tuple[int, int], candidates: Sequence[S], min_share: float) -> tuple[S | None, bool]:
    """The candidate (anything with ``start``/``end``) overlapping ``span`` most (first on ties), and whether it
    overlaps enough: at least ``min_share`` of the shorter of the two. (None, False) when none overlaps."""
    best, most = None, 0
    for c in candidates:
        n = overlap(span, (c.start, c.end))
        if n > most:
            best, most = c, n
    if best is None:
        return None, False
    shorter = min(span[1] - span[0], best.end - best.start)
    return best, shorter > 0 and most / shorter >= min_share


def predicted_same(ga: str | None, gb: str | None) -> bool:
    """Both items sit in claims of one claim group (an unmatched item or ungrouped claim: never)."""
    return ga is not None and ga == gb


def ingest_fresh(folder: Path, db: Path | str) -> tuple[Any, float]:
    """Ingest ``folder`` into a new database at ``db`` (a SQLite file, replaced if there; or the URL of an empty
    PostgreSQL database) through the public API; print the summary to stderr and return it with the seconds it
    took (cleaning, annotation and linking for real)."""
    import time

    from storyline import Settings, ingest
    from storyline.store.db import is_url
    from storyline.store.schema import connect

    if is_url(str(db)):
        conn = connect(str(db))
        try:
            if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
                raise SystemExit(f"{db}: the database holds articles; give an empty one")
        finally:
            conn.close()
    else:
        db = Path(db)
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    summary = ingest([str(folder)], Settings(db=str(db)))
    seconds = time.perf_counter() - t0
    print(f"ingested {len(summary.ingested)}, duplicates {len(summary.duplicates)}, skipped {len(summary.skipped)}, "
          f"failed {len(summary.failed)} in {seconds:.1f} s", file=sys.stderr)
    return summary, seconds
