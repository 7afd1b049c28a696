"""Shared fixtures: paths to ../shared (read, never copied) and a fresh database."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def seed_path(prefix: str) -> Path:
    """Return the seed file whose name starts with ``prefix`` (e.g. "001")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at an empty database in a temporary folder."""
    return Settings(db=str(tmp_path / "test.db"))
