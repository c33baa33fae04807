"""A turn stores only what changed (the findings it set or removed; no evidence read when
nothing is rated or linked), yet a session on SQLite reads back exactly as the in-memory store,
which keeps every record whole: one script of answers, corrections, an undo, a way back and a
rating, run on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.session.models import QuestionKind, Reply
from assistant.storage import InMemorySessionStore, SessionStore
from assistant.storage.sql import SqlSessionStore
from tests.utils.interview import Driver, make_service

STATUSES = (FindingStatus.MET, FindingStatus.PARTLY_MET, FindingStatus.NOT_MET)


def answer(driver: Driver, n: int) -> Reply:
    """The n-th scripted answer to whatever is asked."""
    kind = driver.kind
    if kind is QuestionKind.CHECKLIST:
        return driver.send(answers={i: STATUSES[(n + k) % 3] for k, i in enumerate(driver.ids)})
    if kind is QuestionKind.CONFIRM:
        return driver.send("是")
    if n % 3 == 0:
        return driver.send("有的，我们一直这样做，也有书面文件。")
    return driver.send(quick=STATUSES[n % 3].value)


def interview(service: InterviewService) -> tuple[list[dict[str, Any]], SessionStore, str]:
    driver = Driver.start(service)
    driver.fill_profile(target_stars=("quick", "stars:3"))
    for n in range(14):
        if driver.kind is QuestionKind.DONE:
            break
        answer(driver, n)
        if n == 4:
            reading = driver.reply.readings[0]  # undo: a finding removed again
            driver.reply = service.undo(driver.session_id, reading.turn, reading.indicator_id)
            driver.replies.append(driver.reply)
        if n == 8:
            driver.send("上一题")
        if n == 10:
            driver.send("报告")  # rated: the evidence is read, the rating stored
    replies = [r.model_dump(mode="json", exclude={"session_id"}) for r in driver.replies]
    return replies, service.store, driver.session_id


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqlSessionStore]:
    store = SqlSessionStore(f"sqlite:///{tmp_path / 'turns.db'}")
    yield store
    store.close()


def test_sqlite_reads_back_what_memory_keeps(
    real_catalog: Catalog, real_rules: RuleSet, sqlite_store: SqlSessionStore
) -> None:
    in_memory = make_service(real_catalog, real_rules, InMemorySessionStore())
    kept, memory, kept_id = interview(in_memory)
    written, sqlite, written_id = interview(make_service(real_catalog, real_rules, sqlite_store))

    assert written == kept
    assert sqlite.get(written_id).findings == memory.get(kept_id).findings
    assert sqlite.history(written_id) == memory.history(kept_id)
    assert sqlite.latest_rating(written_id) == memory.latest_rating(kept_id) is not None
    undone = [r for reply in kept for r in reply["readings"] if r["undo_of"] is not None]
    assert undone, "the script removes a finding again"
    assert sum(reply["rating"] is not None for reply in kept) >= 1, "and asks for the rating"
