"""Worker processes for the flow's batch units: plain records in, plain records out, in input order.

Cleaning (:func:`storyline.flow.clean.clean_batch`) and annotation (:func:`storyline.flow.annotate.annotate_batch`)
are plain functions over a batch; :func:`ordered_map` runs one over a stream of batches in ``workers``
processes (a few batches ahead, results yielded in input order) or, with one worker, in this process, so
both ways run the very same code. Workers start from a forkserver (nothing of the parent's threads or
open database is inherited), load their models once, and exit as soon as the parent is gone, even after
a SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["ordered_map"]

In = TypeVar("In")
Out = TypeVar("Out")


def ordered_map(unit: Callable[[In], Out], batches: Iterable[In], workers: int, *,
                preload: Sequence[str] = (), initializer: Callable[..., None] | None = None,
                initargs: tuple[object, ...] = ()) -> Iterator[Out]:
    """Yield ``unit(batch)`` for every batch, in order.

    Args:
        unit: a module-level function (it is pickled by name), plain records in and out.
        workers: processes to use; 1 runs every batch here, in this process.
        preload: modules the forkserver imports once, so workers start with them imported.
        initializer: run once in each worker (with ``initargs``) before its first batch. Every worker is
            started (and runs it) before the first batch is read, so model loading there overlaps whatever
            the parent does to produce that batch.
    """
    if workers <= 1:
        yield from map(unit, batches)
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                             initargs=(os.getpid(), initializer, initargs)) as pool:
        for started in [pool.submit(_ready) for _ in range(workers)]:
            started.add_done_callback(lambda _: None)  # workers start now; their results are not needed
        pending: deque[Future[Out]] = deque()
        stream = iter(batches)
        while True:
            while len(pending) < workers * 2 and (batch := next(stream, None)) is not None:
                pending.append(pool.submit(unit, batch))
            if not pending:
                return
            yield pending.popleft().result()


def _ready() -> None:
    """A task that only makes the pool start a worker."""


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[object, ...]) -> None:
    _watch_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def _watch_parent(pid: int) -> None:
    """In a worker: exit as soon as the parent process is gone (even after SIGKILL)."""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except OSError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
