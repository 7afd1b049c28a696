"""Progress that tells the truth: each phase of a long run with its count, rate and time left, on stderr.

On a terminal a live bar per phase (reading and cleaning, then annotating and linking); elsewhere (a
log, a pipe, cron) one line every :data:`EVERY` seconds and one when a phase ends, never silence;
``--quiet`` turns both off.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .common import err

__all__ = ["EVERY", "PhaseProgress"]

EVERY = 5.0
"""Seconds between two lines when stderr is not a terminal."""


class PhaseProgress:
    """Report phases of a run: ``start(phase, total)``, then ``step(outcome, what)`` per item."""

    def __init__(self, *, quiet: bool = False, every: float = EVERY) -> None:
        self.quiet, self.every, self.live = quiet, every, err.is_terminal and not quiet
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=err, transient=True,
                            disable=not self.live)
        self.phase: str | None = None
        self.task: TaskID | None = None
        self.total, self.done, self.began, self.last = 0, 0, 0.0, 0.0

    def __enter__(self) -> PhaseProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.finish()
        self.bar.__exit__(kind, exc, tb)

    def start(self, phase: str, total: int) -> None:
        """Begin a phase of ``total`` items (the previous one, if any, ends)."""
        self.finish()
        self.phase, self.total, self.done = phase, total, 0
        self.began = self.last = time.monotonic()
        if self.live:
            self.task = self.bar.add_task(phase, total=total or None, rate="")

    def step(self, outcome: str, what: str) -> None:
        """One item of the phase is done (``outcome``: ingested, annotated, failed, ...)."""
        if self.phase is None:
            return
        self.done += 1
        if self.total and self.done > self.total:  # a feed or a JSONL counted as one input holds many
            self.total = 0
            if self.task is not None:
                self.bar.update(self.task, total=None)
        now = time.monotonic()
        if self.task is not None:
            self.bar.update(self.task, advance=1, rate=self._rate(now), description=f"{self.phase}: {outcome} {escape(what[-40:])}")
        elif not self.quiet and now - self.last >= self.every:
            self.last = now
            err.print(self._line(now), highlight=False)

    def finish(self) -> None:
        """End the current phase: its last line when not on a terminal."""
        if self.phase is None:
            return
        if self.task is not None:
            self.bar.remove_task(self.task)
        elif not self.quiet:
            err.print(self._line(time.monotonic()) + " done", highlight=False)
        self.phase, self.task = None, None

    def _rate(self, now: float) -> str:
        spent = now - self.began
        return f"{self.done / spent:.1f}/s" if spent > 0 and self.done else ""

    def _line(self, now: float) -> str:
        spent, rate = now - self.began, self._rate(now)
        left = ""
        if self.done and self.total > self.done and spent > 0:
            left = f", about {(self.total - self.done) * spent / self.done:.0f} s left"
        count = f"{self.done}/{self.total}" if self.total else f"{self.done}"
        return f"{self.phase}: {count}" + (f" ({rate}{left})" if rate else "")
