"""What every benchmark writes: the machine in words and its figures as JSON."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

__all__ = ["machine", "write_result"]


def machine() -> str:
    """Return the machine in words: architecture, cores this process may use, Python."""
    return f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}"


def write_result(path: Path | None, result: dict[str, Any]) -> None:
    """Write the figures to ``path`` as indented JSON (its folder made as needed) and say so; nothing when None."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
