"""Small helpers the evaluation scripts share: reading JSONL sets, formatting, writing results."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["read_jsonl", "prf_text", "rounded", "write_results"]


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
