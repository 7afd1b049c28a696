"""Dask (issue [12], item 3): a real LocalCluster runs cleaning and annotation and the store gets exactly what one
process stores; a worker killed mid-run loses nothing (its batch runs again on another worker)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from storyline.export.records import export_document
from storyline.flow import ingest
from storyline.settings import Settings
from storyline.store.schema import connect
from tests.test_workers import REPO, _without_ingest_times

distributed = pytest.importorskip("distributed")


def test_a_local_dask_cluster_stores_exactly_what_one_process_stores(tmp_path: Path) -> None:
    exports = []
    for workers, scheduler in ((1, ""), (2, "local")):
        db = tmp_path / f"{scheduler or 'one'}.db"
        summary = ingest([str(REPO / "demo" / "corpus")], Settings(db=str(db), workers=workers, batch_chars=4000, scheduler=scheduler))
        assert not summary.failed
        exports.append(_without_ingest_times(export_document(connect(db, readonly=True))))
    single, dask = exports
    assert dask["claims"] and dask["quotes"] and dask["stories"]
    for section in single:
        assert dask[section] == single[section], section


def die_once(batch: tuple[int, str]) -> int:
    """A batch unit that kills its worker process the first time it meets batch 3 (a marker file remembers)."""
    number, marker = batch
    if number == 3 and not os.path.exists(marker):
        Path(marker).write_text("died", encoding="utf-8")
        os._exit(1)
    return number * number


def test_a_worker_killed_mid_run_loses_no_batch(tmp_path: Path) -> None:
    import cloudpickle

    from storyline.flow import cluster
    from tests import test_dask

    cloudpickle.register_pickle_by_value(test_dask)  # the workers need not import the tests package
    client: Any = cluster.client_for("local", 2)
    try:
        marker = str(tmp_path / "died")
        results = list(cluster.cluster_map(die_once, ((n, marker) for n in range(8)), client))
        assert results == [n * n for n in range(8)]
        assert Path(marker).exists()  # a worker did die
    finally:
        cloudpickle.unregister_pickle_by_value(test_dask)
        cluster.close_clusters()
