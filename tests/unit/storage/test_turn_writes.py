"""What a turn reads and writes cheaply (every backend): the session head, and a commit that
names the findings it changed instead of having the store compare all of them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.errors import ConcurrentUpdate, SessionNotFound
from assistant.knowledge.schema import FindingStatus
from assistant.storage import SessionHead, SessionRecord, SessionStore
from tests.unit.storage.conftest import Store
from tests.utils.sessions import at, new_session, next_turn, recorded

MET, PARTLY, NOT_MET = FindingStatus.MET, FindingStatus.PARTLY_MET, FindingStatus.NOT_MET


def started(store: SessionStore, session_id: str = "s-0001") -> SessionRecord:
    session, greeting = new_session(session_id)
    store.create(session, greeting)
    return session


def test_the_head_is_the_record_without_state_and_findings(store: Store) -> None:
    session = started(store)
    findings = {"SS-1-01": recorded("SS-1-01", MET)}
    store.commit_turn(*next_turn(session, findings=findings, when=at(5)))
    store.touch_token(session.id, at(6))
    store.revoke_token(session.id, at(7), drop_resume_code=False)

    record = store.get(session.id)
    head = store.head(session.id)

    assert head == SessionHead(
        id=session.id,
        token_hash=session.token_hash,
        updated_at=at(5),
        version=1,
        token_seen_at=at(6),
        token_revoked_at=at(7),
    )
    assert head.model_dump() == record.model_dump(include=set(SessionHead.model_fields))


def test_the_head_of_an_unknown_session_is_not_found(store: Store) -> None:
    started(store)
    with pytest.raises(SessionNotFound):
        store.head("s-missing")


def test_a_commit_naming_its_changes_writes_them(store: Store) -> None:
    session = started(store)
    first = {
        "SS-1-01": recorded("SS-1-01", MET),
        "SS-1-02": recorded("SS-1-02", PARTLY),
        "SS-1-03": recorded("SS-1-03", NOT_MET),
    }
    session = store.commit_turn(*next_turn(session, findings=first), changed_findings=first)
    later = at(9)
    second = {
        "SS-1-01": first["SS-1-01"],  # kept as read
        "SS-1-02": recorded("SS-1-02", MET, when=later, reason="补充了台账"),  # changed
        "SO-3-01": recorded("SO-3-01", PARTLY, when=later),  # new
    }  # SS-1-03 removed (an undo)
    changed = ("SS-1-02", "SO-3-01", "SS-1-03")
    session = store.commit_turn(*next_turn(session, findings=second), changed_findings=changed)

    assert store.get(session.id).findings == second


def test_naming_changes_matches_comparing_everything(store: Store) -> None:
    """The same turns, once with ``changed_findings`` and once without, store the same."""
    named, compared = started(store, "s-named"), started(store, "s-compared")
    steps = [
        {"SS-1-01": recorded("SS-1-01", MET)},
        {"SS-1-01": recorded("SS-1-01", PARTLY, when=at(2)), "SD-2-01": recorded("SD-2-01")},
        {"SD-2-01": recorded("SD-2-01")},
    ]
    for findings in steps:
        before = named.findings
        diff = [k for k in before.keys() | findings.keys() if before.get(k) != findings.get(k)]
        named = store.commit_turn(*next_turn(named, findings=findings), changed_findings=diff)
        compared = store.commit_turn(*next_turn(compared, findings=findings))

    assert store.get("s-named").findings == store.get("s-compared").findings == steps[-1]


def test_a_stale_commit_naming_changes_writes_nothing(store: Store) -> None:
    session = started(store)
    findings = {"SS-1-01": recorded("SS-1-01", MET)}
    store.commit_turn(*next_turn(session, findings=findings))  # another worker's turn
    stale = {"SS-1-01": recorded("SS-1-01", NOT_MET, when=at(1) + timedelta(seconds=1))}

    with pytest.raises(ConcurrentUpdate):
        store.commit_turn(*next_turn(session, findings=stale), changed_findings=["SS-1-01"])
    assert store.get(session.id).findings == findings
