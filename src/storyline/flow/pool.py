"""Worker processes for the flow's batch units: plain records in, plain records out, in input order.

Cleaning (:func:`storyline.flow.clean.clean_batch`) and annotation (:func:`storyline.flow.annotate.annotate_batch`)
are plain functions over a batch; :func:`ordered_map` runs one over a stream of batches in ``workers``
processes (a few batches ahead, results yielded in input order) or, with one worker, in this process, so
both ways run the very same code. Workers start from a forkserver (nothing of the parent's threads or
open database is inherited), load their models once, and exit as soon as the parent is gone, even after
a SIGKILL.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["ordered_map", "close_pools"]

In = TypeVar("In")
Out = TypeVar("Out")


def ordered_map(unit: Callable[[In], Out], batches: Iterable[In], workers: int, *,
                preload: Sequence[str] = (), initializer: Callable[..., None] | None = None,
                initargs: tuple[object, ...] = (), scheduler: str = "") -> Iterator[Out]:
    """Yield ``unit(batch)`` for every batch, in order.

    Args:
        unit: a module-level function (it is pickled by name), plain records in and out.
        workers: processes to use; 1 runs every batch here, in this process.
        preload: modules the forkserver imports once, so workers start with them imported.
        initializer: run once in each worker (with ``initargs``) before its first batch. Every worker is
            started (and runs it) before the first batch is read, so model loading there overlaps whatever
            the parent does to produce that batch.
        scheduler: a Dask scheduler to run the batches on instead (``local`` or ``tcp://HOST:8786``:
            :mod:`storyline.flow.cluster`); with one worker the batches still run here.

    The pool stays up for the next call with the same workers and initializer (a long-lived process, such
    as the web app or a test run, loads the workers' models once), and goes when this process exits.
    """
    if workers <= 1:
        yield from map(unit, batches)
        return
    if scheduler:
        from .cluster import client_for, cluster_map

        yield from cluster_map(unit, batches, client_for(scheduler, workers), initializer=initializer, initargs=initargs)
        return
    pool = _pool(workers, tuple(preload), initializer, initargs)
    pending: deque[Future[Out]] = deque()
    stream = iter(batches)
    try:
        while True:
            while len(pending) < workers * 2 and (batch := next(stream, None)) is not None:
                pending.append(pool.submit(unit, batch))
            if not pending:
                return
            yield pending.popleft().result()
    finally:  # the caller stopped early or a batch failed: drop what is queued; a broken pool is not kept
        for future in pending:
            future.cancel()
        if pool._broken:  # noqa: SLF001
            _close(pool)


_POOLS: dict[tuple[object, ...], ProcessPoolExecutor] = {}


def _pool(workers: int, preload: tuple[str, ...], initializer: Callable[..., None] | None,
          initargs: tuple[object, ...]) -> ProcessPoolExecutor:
    """The running pool for these settings, or a new one with every worker started."""
    key = (workers, preload, initializer, initargs)
    pool = _POOLS.get(key)
    if pool is not None and not pool._broken:  # noqa: SLF001 - a dead worker breaks the pool: start another
        return pool
    if pool is not None:
        _close(pool)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))
    for started in [pool.submit(_ready) for _ in range(workers)]:
        started.add_done_callback(lambda _: None)  # workers start now; their results are not needed
    _POOLS[key] = pool
    return pool


def _close(pool: ProcessPoolExecutor) -> None:
    for key, running in list(_POOLS.items()):
        if running is pool:
            del _POOLS[key]
    pool.shutdown(wait=False, cancel_futures=True)


@atexit.register
def close_pools() -> None:
    """Stop every worker pool of this process (at exit; tests may call it)."""
    for pool in list(_POOLS.values()):
        _close(pool)


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
