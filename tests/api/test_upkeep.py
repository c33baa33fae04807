"""The serving process's upkeep: pruning on a schedule (safe to run from several workers at
once), and the start-up notice about the retired global site-token secret."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.upkeep import PruneSchedule, retired_settings, upkeep
from assistant.errors import SessionNotFound
from assistant.storage import SessionStore, SessionSummary
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import make_settings
from tests.utils.sessions import new_session

LONG_AGO = datetime.now(UTC) - timedelta(days=120)


def abandoned(store: SessionStore, *ids: str) -> None:
    for sid in ids:
        store.create(*new_session(sid, created=LONG_AGO))


async def until(predicate: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "the upkeep task did not run"
        await asyncio.sleep(0.01)


def test_the_schedule_prunes_soon_after_start_and_stops_with_the_app(
    store: SqlSessionStore, tmp_path: Path
) -> None:
    abandoned(store, "s-old")
    store.create(*new_session("s-fresh", created=datetime.now(UTC)))

    async def serve() -> PruneSchedule | None:
        async with upkeep(make_settings(tmp_path), lambda: store, first_delay_s=0.0) as schedule:
            assert schedule is not None
            await until(lambda: schedule.runs == 1)
        return schedule

    schedule = asyncio.run(serve())

    assert schedule is not None and schedule.runs == 1  # the next run is an hour away
    with pytest.raises(SessionNotFound):
        store.get("s-old")
    assert store.get("s-fresh").id == "s-fresh"


def test_a_zero_setting_starts_no_task(store: SqlSessionStore, tmp_path: Path) -> None:
    abandoned(store, "s-old")
    settings = make_settings(tmp_path, session_prune_after_days=0)

    async def serve() -> PruneSchedule | None:
        async with upkeep(settings, lambda: store, first_delay_s=0.0) as schedule:
            await asyncio.sleep(0.05)
        return schedule

    assert asyncio.run(serve()) is None
    assert store.get("s-old").id == "s-old"


def test_workers_pruning_at_once_remove_each_session_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = SqlSessionStore(url)
    abandoned(first, *(f"s-{n}" for n in range(30)))
    workers = [first, *(SqlSessionStore(url) for _ in range(2))]
    settings = make_settings(tmp_path)
    barrier = threading.Barrier(len(workers))
    removed: list[int] = []

    def run(store: SqlSessionStore) -> None:
        barrier.wait()
        removed.append(len(PruneSchedule(settings, lambda: store).once().sessions))

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers[1:]:
        worker.close()

    assert sum(removed) == 30  # each session deleted by exactly one worker
    assert first.list_sessions() == []
    first.close()


class BrokenStore(SqlSessionStore):
    def prunable(self, inactive_before: datetime, *, limit: int | None) -> list[SessionSummary]:
        raise RuntimeError("database went away")


def test_a_failed_run_is_logged_and_the_task_lives_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = BrokenStore(f"sqlite:///{tmp_path / 'b.db'}")

    async def serve() -> None:
        async with upkeep(make_settings(tmp_path), lambda: broken, first_delay_s=0.0):
            await until(lambda: any("pruning sessions failed" in r.message for r in caplog.records))

    with caplog.at_level(logging.ERROR, logger="api.upkeep"):
        asyncio.run(serve())
    broken.close()


def test_the_retired_secret_is_named_only_when_set(tmp_path: Path) -> None:
    assert retired_settings(make_settings(tmp_path)) == []
    [(zh, en)] = retired_settings(make_settings(tmp_path, site_token_secret="x" * 40))
    assert "SMECMM_SITE_TOKEN_SECRET" in zh and "rotate-secret" in en
