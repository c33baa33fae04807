"""A process killed with SIGKILL loses no committed turn and leaves no half-written one.

A subprocess commits scripted turns (tests/utils/sessions.py ``scripted_turn``) and prints
each index once its commit returned; it is then killed, by itself between two turns or from
outside at whatever point it has reached. The test replays the script in memory and compares
what a fresh store reads back.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.session.state import FindingChange
from assistant.storage import SessionRecord, TurnRecord
from tests.unit.storage.conftest import open_test_store
from tests.utils.postgres import PostgresServer, postgres_fixture
from tests.utils.sessions import new_session, scripted_turn

ROOT = Path(__file__).resolve().parents[3]
SESSION_ID = "s-crash"
CHILD = """
import os, signal, sys
from assistant.storage import open_store
from tests.utils.sessions import scripted_turn

url, session_id, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(url)
session = store.get(session_id)
for index in range(1, 100_000):
    updated, turn, changes = scripted_turn(session, index)
    session = store.commit_turn(updated, turn, changes=changes)
    print(index, flush=True)
    if index == kill_after:
        os.kill(os.getpid(), signal.SIGKILL)
"""


def child(url: str, kill_after: int) -> list[str]:
    return [sys.executable, "-c", CHILD, url, SESSION_ID, str(kill_after)]


def replay(turns: int) -> tuple[SessionRecord, list[TurnRecord], list[FindingChange]]:
    """What the store must hold after ``turns`` committed scripted turns."""
    session, greeting = new_session(SESSION_ID)
    stored, all_changes = [greeting], []
    for index in range(1, turns + 1):
        updated, turn, changes = scripted_turn(session, index)
        session = updated.model_copy(update={"version": index})
        stored.append(turn)
        all_changes += changes
    return session, stored, all_changes


def start_session(url: str) -> None:
    store = open_test_store(url)
    store.create(*new_session(SESSION_ID))
    store.close()


def assert_holds_exactly(url: str, turns: int) -> None:
    session, stored_turns, changes = replay(turns)
    store = open_test_store(url)
    try:
        assert store.get(SESSION_ID) == session
        assert store.turns(SESSION_ID) == stored_turns
        assert store.history(SESSION_ID) == changes
    finally:
        store.close()


def test_killed_between_turns_every_committed_turn_is_there(database: str) -> None:
    start_session(database)
    done = subprocess.run(
        child(database, kill_after=25), cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout.split() == [str(n) for n in range(1, 26)]

    assert_holds_exactly(database, 25)


def test_killed_at_any_moment_the_store_holds_a_whole_turn(database: str) -> None:
    start_session(database)
    reported = 0
    with subprocess.Popen(
        child(database, kill_after=0), cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            reported = int(line)
            if reported == 40:
                process.kill()  # most likely in the middle of turn 41's transaction
                break
        process.wait(timeout=60)
    assert reported == 40, "the writer died before 40 turns"

    stored = open_test_store(database)
    version = stored.get(SESSION_ID).version
    stored.close()
    assert version in (40, 41)  # 41 if the kill came after its COMMIT, before the print
    assert_holds_exactly(database, version)


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A server of this test's own, since the test crashes it."""
    yield from postgres_fixture()


def test_postgres_crash_after_commits_loses_nothing(own_postgres: PostgresServer) -> None:
    url = own_postgres.create_database()
    start_session(url)
    done = subprocess.run(child(url, 15), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr

    own_postgres.stop(mode="immediate")  # no shutdown checkpoint: recovery replays the WAL
    own_postgres.start()

    assert_holds_exactly(url, 15)
