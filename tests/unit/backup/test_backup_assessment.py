"""A signed session comes back from a backup whole: its sign-offs (the reopened one and the
live one, snapshots byte for byte), evidence checks, notes, and the console logins, on SQLite
and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.assessment.models import ConsoleLogin, snapshot_json, snapshot_sha256
from assistant.backup import create_backup, restore_backup
from assistant.backup.tables import BACKED_UP
from tests.unit.storage.assessment_builders import ASSESSOR, assessed, check, note, signoff
from tests.utils.installation import Installation
from tests.utils.interview import NOW
from tests.utils.postgres import PostgresServer
from tests.utils.sessions import at

LOGIN = ConsoleLogin(
    id_hash="d" * 64,
    key_id="key-assessor",
    csrf_hash="e" * 64,
    created_at=at(0),
    expires_at=at(480),
)


@pytest.fixture
def signed(tmp_path: Path) -> Iterator[tuple[Installation, Path]]:
    """An installation with a signed, reopened and signed-again session, and its backup."""
    place = Installation(tmp_path / "source")
    store = place.store
    assessed(store, "s-signed")
    place.blobs.put(b"ev-1")  # the builders' evidence names sha256 of its id
    store.set_evidence_check(check("s-signed"))
    store.add_note(note("s-signed", "n-1", 21))
    store.add_note(note("s-signed", "n-2", 22, indicator_id=None, text="总体意见：同意三星。"))
    store.add_signoff(signoff(store, "s-signed"))
    store.reopen_signoff("s-signed", 1, by=ASSESSOR, reason="补充访谈记录", at=at(35))
    store.add_signoff(signoff(store, "s-signed", 2, confirmed=3))
    store.add_console_login(LOGIN)
    archive = create_backup(tmp_path / "backup.tar.gz", place.source(), now=NOW).path
    yield place, archive
    place.close()


def assert_same_work(restored: Installation, source: Installation) -> None:
    old, new = source.store, restored.store
    assert new.signoffs("s-signed") == old.signoffs("s-signed")
    for kept in new.signoffs("s-signed"):
        assert snapshot_sha256(kept.snapshot) == kept.snapshot_sha256
    assert [snapshot_json(s.snapshot) for s in new.signoffs("s-signed")] == [
        snapshot_json(s.snapshot) for s in old.signoffs("s-signed")
    ]
    assert new.live_signoff("s-signed") == old.live_signoff("s-signed")
    assert new.evidence_checks("s-signed") == old.evidence_checks("s-signed")
    assert new.notes("s-signed") == old.notes("s-signed")
    assert new.find_console_login(LOGIN.id_hash) == LOGIN
    assert new.list_sessions() == old.list_sessions()
    assert new.get("s-signed") == old.get("s-signed")


def test_the_new_tables_are_backed_up_after_their_parents() -> None:
    names = [table.name for table in BACKED_UP]

    for table in ("signoffs", "evidence_checks", "assessor_notes", "console_logins"):
        assert table in names
    assert names.index("sessions") < names.index("signoffs")
    assert names.index("evidence") < names.index("evidence_checks")


def test_a_signed_session_round_trips_on_sqlite(
    signed: tuple[Installation, Path], tmp_path: Path
) -> None:
    source, archive = signed
    fresh = Installation(tmp_path / "fresh")
    try:
        report = restore_backup(archive, fresh.target())
        assert report.counts["signoffs"] == 2 and report.counts["assessor_notes"] == 2
        assert report.counts["evidence_checks"] == 1 and report.counts["console_logins"] == 1
        assert_same_work(fresh, source)
    finally:
        fresh.close()


def test_a_signed_session_round_trips_through_postgresql(
    signed: tuple[Installation, Path], postgres: PostgresServer, tmp_path: Path
) -> None:
    source, archive = signed
    on_postgres = Installation(tmp_path / "pg", url=postgres.create_database())
    back = Installation(tmp_path / "back")
    try:
        restore_backup(archive, on_postgres.target())
        assert_same_work(on_postgres, source)
        second = create_backup(tmp_path / "from-pg.tar.gz", on_postgres.source(), now=NOW)
        restore_backup(second.path, back.target())
        assert_same_work(back, source)
    finally:
        on_postgres.close()
        back.close()
