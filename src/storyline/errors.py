"""Storyline's exceptions.

::

    StorylineError
     ├── InputError          bad or unreadable input (empty, binary, too large, unsupported type)
     │    └── FetchError     a URL could not be fetched (network, status, size, refused address)
     ├── ExtractError        a page yielded no article text
     ├── StoreError          the database could not be opened or migrated
     └── ConfigError         a setting has a bad value

Every message names what went wrong and, where possible, what to do next.
"""

from __future__ import annotations

__all__ = ["StorylineError", "InputError", "FetchError", "ExtractError", "StoreError", "ConfigError", "one_line"]


class StorylineError(Exception):
    """Base of every error Storyline raises on purpose."""


class InputError(StorylineError):
    """An input is empty, binary, too large or of an unsupported kind."""


class FetchError(InputError):
    """A URL could not be fetched.

    ``status`` is the HTTP status when a server answered (None for network errors and refusals);
    ``retry_after`` the seconds a 429 or 503 response asked to wait (its ``Retry-After``), if it said.
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ExtractError(StorylineError):
    """A document yielded no article text."""


class StoreError(StorylineError):
    """The database could not be opened, migrated or written."""


class ConfigError(StorylineError):
    """A setting has a value Storyline cannot use."""


def one_line(exc: BaseException, limit: int = 500) -> str:
    """An exception as the one line a failure record keeps: its type and message, at most ``limit`` characters."""
    return f"{type(exc).__name__}: {exc}"[:limit]
