"""The shared index stamp on the three backends: none before the first reindex, one more
version per bump, and racing workers never share a version."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from assistant.storage.sql import SqlSessionStore
from tests.unit.storage.conftest import Store

AT = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)


def test_there_is_no_stamp_before_the_first_reindex(store: Store) -> None:
    assert store.index_stamp() is None


def test_each_bump_is_one_version_more_and_is_read_back(store: Store) -> None:
    first = store.bump_index_stamp("sha256:aaa", AT)
    second = store.bump_index_stamp("sha256:bbb", AT + timedelta(minutes=5))

    assert (first.version, first.content_hash, first.at) == (1, "sha256:aaa", AT)
    assert second.version == 2
    assert store.index_stamp() == second
    assert second.at == AT + timedelta(minutes=5) and second.at.tzinfo is not None


def test_the_stamp_outlives_the_process(database: str) -> None:
    first = SqlSessionStore(database)
    first.bump_index_stamp("sha256:aaa", AT)
    first.close()
    again = SqlSessionStore(database)
    stamp = again.index_stamp()
    again.close()
    assert stamp is not None and (stamp.version, stamp.content_hash) == (1, "sha256:aaa")


def test_workers_reindexing_at_once_get_different_versions(database: str) -> None:
    stores = [SqlSessionStore(database) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    versions: list[int] = []
    errors: list[BaseException] = []

    def bump(store: SqlSessionStore, n: int) -> None:
        barrier.wait(timeout=30)
        try:
            versions.append(store.bump_index_stamp(f"sha256:{n}", AT).version)
        except BaseException as error:  # reported below with the backend's message
            errors.append(error)

    threads = [threading.Thread(target=bump, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    final = stores[0].index_stamp()
    for store in stores:
        store.close()
    assert errors == []
    assert sorted(versions) == [1, 2, 3, 4]
    assert final is not None and final.version == 4
