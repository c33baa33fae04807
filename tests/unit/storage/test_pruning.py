"""``prune_sessions`` on every backend: what goes, what stays, evidence files shared between
sessions, a dry run that writes nothing, and runs that may overlap."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.errors import SessionNotFound
from assistant.evidence.blobs import FileBlobStore
from assistant.session.state import Actor, Stage
from assistant.storage.pruning import prune_sessions
from tests.unit.storage.conftest import Store
from tests.utils.sessions import at, change, evidence_record, new_session, next_turn, recorded

DAY = 24 * 60
NOW = at(200 * DAY)
PRUNE_AFTER = timedelta(days=90)


def blob_of(evidence_id: str) -> bytes:
    """The builders' evidence records name sha256(evidence id): these are those bytes."""
    return evidence_id.encode()


def seed(store: Store, blobs: FileBlobStore) -> None:
    """Two abandoned sessions; one finished, one an assessor changed, one in use lately.
    ``ev-shared`` is in an abandoned session and in the recent one."""
    for sid in ("s-gone", "s-gone-2", "s-done", "s-assessed", "s-recent"):
        store.create(*new_session(sid, created=at(0)))
    gone = store.get("s-gone")
    records = [evidence_record("s-gone", e, when=at(1)) for e in ("ev-own", "ev-shared")]
    store.commit_turn(
        *next_turn(gone, findings={"SS-1-01": recorded("SS-1-01")}, upload="ev-own", when=at(1)),
        changes=[change("SS-1-01", None, recorded("SS-1-01").status, when=at(1))],
        evidence=records,
    )
    done = store.get("s-done")
    store.commit_turn(
        *next_turn(done, state=done.state.model_copy(update={"stage": Stage.DONE}), when=at(2)),
        evidence=[evidence_record("s-done", "ev-done")],
    )
    store.commit_turn(
        *next_turn(store.get("s-assessed"), when=at(2)),
        changes=[change("SS-1-02", None, recorded("SS-1-02").status, actor=Actor.ASSESSOR)],
    )
    store.commit_turn(
        *next_turn(store.get("s-recent"), when=at(190 * DAY)),
        evidence=[evidence_record("s-recent", "ev-shared")],
    )
    for evidence_id in ("ev-own", "ev-shared", "ev-done"):
        path = blobs.path(blobs.put(blob_of(evidence_id)))
        os.utime(path, (time.time() - 7200, time.time() - 7200))  # put two hours ago


@pytest.fixture
def blobs(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "evidence")


def exists(blobs: FileBlobStore, evidence_id: str) -> bool:
    return blobs.path(evidence_record("s", evidence_id).sha256).is_file()


def test_abandoned_sessions_go_with_their_unshared_files(
    store: Store, blobs: FileBlobStore
) -> None:
    seed(store, blobs)
    kept = {sid: store.get(sid) for sid in ("s-done", "s-assessed", "s-recent")}

    report = prune_sessions(store, blobs, now=NOW, older_than=PRUNE_AFTER)

    assert sorted(s.id for s in report.sessions) == ["s-gone", "s-gone-2"]
    assert report.evidence_records == 2
    assert report.blobs == (evidence_record("s", "ev-own").sha256,)
    assert not exists(blobs, "ev-own")
    assert exists(blobs, "ev-shared") and exists(blobs, "ev-done")
    for sid in ("s-gone", "s-gone-2"):
        with pytest.raises(SessionNotFound):
            store.get(sid)
    assert {sid: store.get(sid) for sid in kept} == kept
    again = prune_sessions(store, blobs, now=NOW, older_than=PRUNE_AFTER)
    assert (again.sessions, again.blobs) == ((), ())  # idempotent: a second worker finds nothing


def test_a_dry_run_lists_the_same_and_writes_nothing(store: Store, blobs: FileBlobStore) -> None:
    seed(store, blobs)
    before = store.list_sessions(limit=100)

    preview = prune_sessions(store, blobs, now=NOW, older_than=PRUNE_AFTER, dry_run=True)

    assert preview.dry_run is True
    assert sorted(s.id for s in preview.sessions) == ["s-gone", "s-gone-2"]
    own = evidence_record("s", "ev-own").sha256
    assert (preview.evidence_records, preview.blobs) == (2, (own,))
    assert store.list_sessions(limit=100) == before
    assert exists(blobs, "ev-own")
    real = prune_sessions(store, blobs, now=NOW, older_than=PRUNE_AFTER)
    assert sorted(s.id for s in real.sessions) == sorted(s.id for s in preview.sessions)
    assert real.blobs == preview.blobs


def test_a_file_put_again_lately_waits_for_the_next_run(store: Store, blobs: FileBlobStore) -> None:
    seed(store, blobs)
    blobs.put(blob_of("ev-own"))  # the same bytes are being uploaded right now

    report = prune_sessions(store, blobs, now=NOW, older_than=PRUNE_AFTER)

    assert report.blobs == () and exists(blobs, "ev-own")
    assert len(report.sessions) == 2  # the records went all the same


def test_expired_codes_and_claims_are_dropped(store: Store, blobs: FileBlobStore) -> None:
    seed(store, blobs)
    store.set_resume_code("s-recent", "code-old", NOW - timedelta(days=1))
    store.claim_jti("k-site", "j-old", NOW - timedelta(minutes=1), NOW - timedelta(minutes=5))

    report = prune_sessions(store, blobs, now=NOW, older_than=PRUNE_AFTER)

    assert report.expired == 2
