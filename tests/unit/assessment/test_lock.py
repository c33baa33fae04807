"""The lock in the service layer (what the command line and the API share): a signed-off
session takes no write of anyone until an assessor reopens it, and a refused write leaves
the store as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from assistant.assessment.lock import LOCKED_EN, LOCKED_ZH
from assistant.assessment.problems import AssessmentError
from assistant.assessment.service import AssessmentService
from assistant.errors import SessionLocked
from assistant.evidence import MemoryBlobStore
from assistant.interview.migration import migrate_session
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.migration import CatalogMigration
from assistant.knowledge.schema import EvidenceKind, FindingStatus
from assistant.session.models import Profile, UserTurn
from assistant.storage import InMemorySessionStore, SessionStore
from assistant.storage.sql import SqlSessionStore
from tests.utils.builders import catalog, indicator, requirement, rules
from tests.utils.sessions import everything_kept

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
CATALOG = catalog(
    indicator("SS-1-01", evidence=[requirement("record")]),
    indicator("SS-1-02"),
    areas=("SS",),
)
RULES = rules().model_copy(update={"content_hash": "sha256:rules"})
PROFILE = Profile(
    name="甲中心",
    institution_type="market",
    service_fields="融资",
    smes_served_per_year=10,
    target_stars=1,
)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def assessment() -> tuple[AssessmentService, InMemorySessionStore, MemoryBlobStore, str]:
    store, blobs = InMemorySessionStore(), MemoryBlobStore()
    desk = UploadDesk(CATALOG, blobs, max_bytes=2**20)
    service = InterviewService(CATALOG, RULES, store, desk=desk, clock=Clock())
    session_id = service.start(profile=PROFILE).session_id
    service.send(session_id, UserTurn(answers={"SS-1-01": FindingStatus.MET}))
    return AssessmentService(service), store, blobs, session_id


def writes(a: AssessmentService, session_id: str) -> dict[str, Callable[[], object]]:
    interview = a.interview
    return {
        "answer": lambda: interview.send(session_id, UserTurn(text="满足")),
        "checklist": lambda: interview.send(
            session_id, UserTurn(answers={"SS-1-02": FindingStatus.MET})
        ),
        "upload": lambda: interview.upload(session_id, "台账.txt", "服务台账 2026年".encode()),
        "undo": lambda: interview.undo(session_id, 1, "SS-1-01"),
        "override": lambda: interview.override(
            session_id, "SS-1-02", FindingStatus.MET, reason="复核", assessor="乙"
        ),
        "check": lambda: a.check_evidence(
            session_id, "x", sampled=True, verified=True, note=None, assessor="乙"
        ),
        "note": lambda: a.add_note(session_id, "备注", indicator_id=None, assessor="乙"),
        "record": lambda: a.add_record(
            session_id, EvidenceKind.INTERVIEW, "访谈", ["SS-1-01"], date(2026, 2, 1), "乙"
        ),
        "second sign-off": lambda: a.sign_off(session_id, "乙"),
    }


WRITES = [
    "answer",
    "checklist",
    "upload",
    "undo",
    "override",
    "check",
    "note",
    "record",
    "second sign-off",
]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_to_a_signed_off_session_is_refused_and_writes_nothing(write: str) -> None:
    a, store, blobs, session_id = assessment()
    a.sign_off(session_id, "评估员甲")
    before, stored_blobs = everything_kept(store, session_id), len(blobs.blobs)

    with pytest.raises(SessionLocked) as refused:
        writes(a, session_id)[write]()

    assert set(writes(a, session_id)) == set(WRITES)
    assert refused.value.message("zh") == LOCKED_ZH and refused.value.message("en") == LOCKED_EN
    assert everything_kept(store, session_id) == before
    assert len(blobs.blobs) == stored_blobs


def test_a_signoff_is_a_turn_that_asks_nothing_and_freezes_what_it_read() -> None:
    a, store, _, session_id = assessment()
    version = store.get(session_id).version
    signed = a.sign_off(session_id, "评估员甲")
    assert store.get(session_id).version == version + 1
    assert store.last_turn(session_id).reply.question is None
    assert "已签署" in store.last_turn(session_id).reply.text
    assert signed.snapshot.findings["SS-1-01"].status is FindingStatus.MET
    assert (signed.declared_stars, signed.confirmed_stars) == (
        signed.snapshot.rating.declared.stars,
        signed.snapshot.confirmed.evidenced.stars,
    )
    assert store.live_signoff(session_id) == signed


def test_reopening_needs_the_live_version_and_a_reason_then_writes_work_again() -> None:
    a, store, _, session_id = assessment()
    a.sign_off(session_id, "评估员甲")
    with pytest.raises(AssessmentError) as blank:
        a.reopen(session_id, 1, "评估员甲", "  ")
    assert blank.value.problem == "invalid"
    with pytest.raises(AssessmentError) as missing:
        a.reopen(session_id, 2, "评估员甲", "补充材料")
    assert missing.value.problem == "signoff_not_found"

    with pytest.raises(AssessmentError) as not_theirs:
        a.reopen(session_id, 1, "评估员乙", "补充材料")  # another assessor's signed work
    assert not_theirs.value.problem == "not_signer"
    assert "评估员甲" in str(not_theirs.value) and store.live_signoff(session_id) is not None

    a.reopen(session_id, 1, "评估员甲", "补充材料")
    with pytest.raises(AssessmentError) as twice:
        a.reopen(session_id, 1, "评估员甲", "再次")
    assert twice.value.problem == "not_live"
    reply = a.interview.send(session_id, UserTurn(answers={"SS-1-02": FindingStatus.MET}))
    assert reply.turn is not None
    assert a.sign_off(session_id, "评估员甲").version == 2
    assert [s.version for s in store.signoffs(session_id)] == [1, 2]
    assert a.reopen(session_id, 2, "管理员", "协会复核", admin=True).reopened_by == "管理员"


def test_a_catalog_migration_leaves_a_signed_off_session_alone() -> None:
    a, store, _, session_id = assessment()
    migration = CatalogMigration(
        from_version="test",
        to_version="2",
        indicators={"SS-1-01": ("SS-1-01",), "SS-1-02": ("SS-1-02",)},
    )
    new = CATALOG.model_copy(update={"version": "2"})
    a.sign_off(session_id, "评估员甲")
    before = everything_kept(store, session_id)

    result = migrate_session(store, session_id, migration, new, RULES, now=T0 + timedelta(days=1))

    assert (result.outcome, result.note) == ("skipped", "signed off and locked")
    assert everything_kept(store, session_id) == before


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_the_stores_locked_read_follows_sign_off_and_reopening(kind: str, tmp_path: Path) -> None:
    store: SessionStore = (
        InMemorySessionStore()
        if kind == "memory"
        else SqlSessionStore(f"sqlite:///{tmp_path}/a.db")
    )
    service = InterviewService(CATALOG, RULES, store, clock=Clock())
    a = AssessmentService(service)
    session_id = service.start(profile=PROFILE).session_id
    assert store.locked(session_id) is False and store.locked("no-such-session") is False
    a.sign_off(session_id, "评估员甲")
    assert store.locked(session_id) is True
    a.reopen(session_id, 1, "评估员甲", "补充材料")
    assert store.locked(session_id) is False
    a.sign_off(session_id, "评估员甲")
    assert store.locked(session_id) is True
    if isinstance(store, SqlSessionStore):
        store.close()
