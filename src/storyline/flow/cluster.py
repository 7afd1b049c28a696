"""The flow's batch units on a Dask cluster: a local one started here, or an existing one.

Setting ``scheduler``: ``local`` starts a :class:`distributed.LocalCluster` of ``workers`` processes
(one thread each) the first time a run needs it, kept for the life of this process; ``tcp://HOST:8786``
connects to a running scheduler. Cleaning and annotation go out as the same plain batches the local
worker processes take (:mod:`storyline.flow.pool`), through the same functions, and come back as plain
records in input order; linking and writing stay in this process, so the store sees one writer per run.

Each worker loads its models once: the run's initializer (spaCy, the sentence encoder) is a
:class:`distributed.WorkerPlugin`, set up on every worker as it joins. A batch whose worker dies is run
again on another (the scheduler reschedules lost tasks; ``retries`` covers a batch that raised in a
worker that then went away), so a dead worker loses nothing.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["cluster_map", "client_for", "close_clusters", "ModelsPlugin", "prepare"]

In = TypeVar("In")
Out = TypeVar("Out")

RETRIES = 2
"""Times a batch that failed in a worker is tried again elsewhere before its error is the run's."""

_CLIENTS: dict[tuple[str, int], Any] = {}
_STARTING = threading.Lock()


def client_for(scheduler: str, workers: int) -> Any:
    """The Dask client for ``scheduler`` (``local``: a local cluster of ``workers`` processes), made once per process."""
    from distributed import Client, LocalCluster

    key = (scheduler, workers if scheduler == "local" else 0)
    with _STARTING:  # one cluster per key, whichever thread asks first (a run prepares it in the background)
        client = _CLIENTS.get(key)
        if client is not None and client.status == "running":
            return client
        if scheduler == "local":
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        _CLIENTS[key] = client
        return client


def _plugin_class() -> type:
    from distributed import WorkerPlugin

    class _Models(WorkerPlugin):
        """Runs the run's initializer once on each worker (its models loaded before its first batch)."""

        def __init__(self, initializer: Callable[..., None], initargs: tuple[object, ...]) -> None:
            self.initializer, self.initargs = initializer, initargs
            self.name = f"storyline-{initializer.__module__}.{initializer.__qualname__}-{initargs!r}"

        def setup(self, worker: Any) -> None:
            self.initializer(*self.initargs)

    return _Models


def ModelsPlugin(initializer: Callable[..., None], initargs: tuple[object, ...]) -> Any:  # noqa: N802 - a class, made lazily
    """A worker plugin running ``initializer(*initargs)`` once per worker (distributed is imported only when used)."""
    return _plugin_class()(initializer, initargs)


def cluster_map(unit: Callable[[In], Out], batches: Iterable[In], client: Any, *,
                initializer: Callable[..., None] | None = None, initargs: tuple[object, ...] = ()) -> Iterator[Out]:
    """Yield ``unit(batch)`` for every batch, in order, computed on the cluster behind ``client``.

    At most two batches per worker are in flight, so memory stays bounded however many batches come.
    """
    if initializer is not None:
        _install(client, initializer, initargs)
    ahead = max(2, 2 * len(client.scheduler_info().get("workers", {})))
    pending: deque[Any] = deque()
    stream = iter(batches)
    try:
        while True:
            while len(pending) < ahead and (batch := next(stream, None)) is not None:
                pending.append(client.submit(unit, batch, pure=False, retries=RETRIES))
            if not pending:
                return
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


_PLUGINS: dict[int, set[str]] = {}
_LOCK = threading.Lock()


def _install(client: Any, initializer: Callable[..., None], initargs: tuple[object, ...]) -> None:
    """Register the models plugin with ``client`` once (its workers load the models; this waits until they have)."""
    plugin = ModelsPlugin(initializer, initargs)
    with _LOCK:
        registered = _PLUGINS.setdefault(id(client), set())
        if plugin.name not in registered:
            client.register_plugin(plugin)
            registered.add(plugin.name)


def prepare(scheduler: str, workers: int, initializer: Callable[..., None], initargs: tuple[object, ...]) -> threading.Thread:
    """Start the cluster and have its workers load their models in the background, while this process reads
    and cleans (the run's annotation then finds them ready). Returns the thread doing it."""
    def work() -> None:
        try:
            _install(client_for(scheduler, workers), initializer, initargs)
        except Exception:  # noqa: BLE001 - the run itself meets the same error when it needs the cluster, and reports it
            logging.getLogger(__name__).debug("preparing the cluster failed", exc_info=True)
    thread = threading.Thread(target=work, name="storyline-cluster-prepare", daemon=True)
    thread.start()
    return thread


@atexit.register
def close_clusters() -> None:
    """Close the clients (and local clusters) this process started."""
    for client in list(_CLIENTS.values()):
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
    _CLIENTS.clear()
