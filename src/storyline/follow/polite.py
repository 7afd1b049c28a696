"""A fetcher that behaves well on other people's servers, for watches that run for weeks.

Before each request: robots.txt (read once a day per host with :mod:`urllib.robotparser`; a 4xx means
no rules, a 5xx or network error means stay away for now, as RFC 9309 says); one request per host every
``watch_host_delay`` seconds, or the host's ``Crawl-delay`` if longer; a host that answered 429 or 503
with ``Retry-After`` is not asked again before that time. Each request carries the validators of the
last answer for that URL (conditional GET: ``If-None-Match``, ``If-Modified-Since``) when the watch set
them, and the clear User-Agent of the ``user_agent`` setting. Under all that it is
:func:`storyline.ingest.fetch.fetch`, with its address checks and size cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import FetchError
from ..ingest.fetch import Fetched, Validators, fetch
from ..settings import Settings

__all__ = ["PoliteFetcher", "ROBOTS_TTL", "agent_token"]

ROBOTS_TTL = 24 * 3600.0
"""Seconds a host's robots.txt is kept before it is read again."""
_ROBOTS_RETRY = 600.0
"""Seconds a host whose robots.txt could not be read (5xx, network) is left alone."""

Fetch = Callable[..., Fetched]


def agent_token(user_agent: str) -> str:
    """The product token robots.txt rules name: ``Storyline`` for ``Storyline/0.1 (...)``."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


@dataclass
class _Host:
    robots: RobotFileParser | None = None
    """Parsed rules; None: no rules (every path allowed)."""
    robots_until: float = 0.0
    refused: str = ""
    """Why the host is left alone for now (robots.txt unreadable), "" when it is not."""
    last_request: float = float("-inf")
    blocked_until: float = 0.0
    delay: float = 0.0


@dataclass
class PoliteFetcher:
    """A :data:`storyline.ingest.fetch.Fetcher` with robots.txt, per-host pacing, Retry-After and conditional GET.

    ``validators`` (URL -> the last answer's ETag and Last-Modified) are sent with the next request for that
    URL; ``answered`` collects those of every 200 answer, for the watch to store; ``errors`` the last
    :class:`~storyline.errors.FetchError` per URL (its status says whether to try again).
    """

    settings: Settings
    fetch: Fetch = fetch
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    validators: dict[str, Validators] = field(default_factory=dict)
    answered: dict[str, Validators] = field(default_factory=dict)
    errors: dict[str, FetchError] = field(default_factory=dict)
    requests: int = 0
    _hosts: dict[str, _Host] = field(default_factory=dict)

    def __call__(self, url: str, settings: Settings) -> Fetched:
        """Fetch ``url`` politely (see the module); raises :class:`FetchError` as :func:`fetch` does, and when
        robots.txt disallows the URL or the host asked to wait."""
        try:
            fetched = self._polite(url, settings)
        except FetchError as exc:
            self.errors[url] = exc
            raise
        self.errors.pop(url, None)
        if fetched.status == 200:
            self.answered[url] = fetched.validators
        return fetched

    def _polite(self, url: str, settings: Settings) -> Fetched:
        parts = urlsplit(url)
        host = self._hosts.setdefault(parts.netloc.lower(), _Host(delay=self.settings.watch_host_delay))
        if self.clock() < host.blocked_until:
            wait = host.blocked_until - self.clock()
            raise FetchError(f"{parts.netloc} asked to wait: retrying after {wait:.0f} s", status=429, retry_after=wait)
        self._read_robots(host, f"{parts.scheme}://{parts.netloc}/robots.txt", settings)
        if host.refused:
            raise FetchError(host.refused, retry_after=max(0.0, host.robots_until - self.clock()))
        if host.robots is not None and not host.robots.can_fetch(agent_token(settings.user_agent), url):
            raise FetchError(f"disallowed by {parts.scheme}://{parts.netloc}/robots.txt for {agent_token(settings.user_agent)}", status=403)
        try:
            return self._paced(host, lambda: self.fetch(url, settings, validators=self.validators.get(url)))
        except FetchError as exc:
            if exc.status in (429, 503):
                host.blocked_until = self.clock() + (exc.retry_after if exc.retry_after is not None else 60.0)
            raise

    def _paced(self, host: _Host, send: Callable[[], Fetched]) -> Fetched:
        wait = host.last_request + host.delay - self.clock()
        if wait > 0:
            self.sleep(wait)
        try:
            self.requests += 1
            return send()
        finally:
            host.last_request = self.clock()

    def _read_robots(self, host: _Host, robots_url: str, settings: Settings) -> None:
        if self.clock() < host.robots_until:
            return
        host.robots, host.refused = None, ""
        host.robots_until = self.clock() + ROBOTS_TTL
        try:
            fetched = self._paced(host, lambda: self.fetch(robots_url, settings))
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return  # no robots.txt: no rules
            host.refused = f"robots.txt unreadable ({exc}); leaving the host alone for now"
            host.robots_until = self.clock() + _ROBOTS_RETRY
            return
        rules = RobotFileParser()
        rules.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        host.robots = rules
        delay = rules.crawl_delay(agent_token(settings.user_agent))
        host.delay = max(self.settings.watch_host_delay, float(delay or 0))
