"""The ``SessionStore`` contract for token lifetimes, resume codes, one-time site tokens,
site-token secrets and pruning, held by every backend (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from assistant.errors import SessionNotFound
from assistant.knowledge.schema import FindingStatus
from assistant.session.state import Actor, Stage
from assistant.storage import MEMORY_URL, KeyRole, SessionRecord, SessionStore
from tests.unit.storage.conftest import Store, open_test_store
from tests.utils.sessions import (
    api_key,
    at,
    change,
    evidence_record,
    new_session,
    next_turn,
    rating,
    recorded,
)

MET = FindingStatus.MET
DAY = 24 * 60  # minutes


def started(store: SessionStore, session_id: str = "s-1", minute: float = 0) -> SessionRecord:
    session, greeting = new_session(session_id, created=at(minute))
    store.create(session, greeting)
    return session


# -- the token's state ---------------------------------------------------------------------


def test_touch_moves_the_last_use_forward_only(store: Store) -> None:
    started(store)

    store.touch_token("s-1", at(10))
    store.touch_token("s-1", at(5))

    assert store.get("s-1").token_seen_at == at(10)
    with pytest.raises(SessionNotFound):
        store.touch_token("s-missing", at(11))


def test_a_revoked_token_stays_revoked_through_later_turns(store: Store) -> None:
    read = started(store)  # a turn that read the session before the sign-out
    store.revoke_token("s-1", at(3), drop_resume_code=False)

    stored = store.commit_turn(*next_turn(read, when=at(4)))

    assert store.get("s-1").token_revoked_at == at(3)
    assert stored.token_revoked_at == at(3)  # the returned record is the stored one
    with pytest.raises(SessionNotFound):
        store.revoke_token("s-missing", at(3), drop_resume_code=True)


# -- resume codes --------------------------------------------------------------------------


def test_a_resume_code_is_redeemed_once_for_a_new_token(store: Store) -> None:
    started(store)
    store.revoke_token("s-1", at(1), drop_resume_code=False)
    store.set_resume_code("s-1", "code-old", at(DAY))
    store.set_resume_code("s-1", "code-new", at(DAY))  # replaces the earlier one

    assert store.redeem_resume_code("code-old", "token-x", at(2)) is None
    assert store.redeem_resume_code("code-new", "token-2", at(2)) == "s-1"
    assert store.redeem_resume_code("code-new", "token-3", at(3)) is None

    session = store.get("s-1")
    assert (session.token_hash, session.token_revoked_at, session.token_seen_at) == (
        "token-2",
        None,
        at(2),
    )


def test_an_expired_or_dropped_code_redeems_nothing(store: Store) -> None:
    before = started(store)
    store.set_resume_code("s-1", "code-1", at(10))

    assert store.redeem_resume_code("code-1", "token-2", at(10)) is None
    assert store.get("s-1") == before  # nothing written
    store.set_resume_code("s-1", "code-2", at(DAY))
    store.revoke_token("s-1", at(11), drop_resume_code=True)
    assert store.redeem_resume_code("code-2", "token-2", at(12)) is None
    with pytest.raises(SessionNotFound):
        store.set_resume_code("s-missing", "code-3", at(DAY))


def test_racing_redeemers_of_one_code_one_wins(store_url: str) -> None:
    shared = open_test_store(store_url)
    others = [] if store_url == MEMORY_URL else [open_test_store(store_url) for _ in range(3)]
    stores = [shared, *others] if others else [shared] * 4
    started(shared)
    shared.set_resume_code("s-1", "code-1", at(DAY))
    barrier = threading.Barrier(len(stores))
    won: list[str | None] = []

    def redeem(store: Store, n: int) -> None:
        barrier.wait()
        won.append(store.redeem_resume_code("code-1", f"token-{n}", at(1)))

    threads = [threading.Thread(target=redeem, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in others:
        other.close()

    assert sorted(won, key=str) == [None, None, None, "s-1"]
    assert shared.get("s-1").token_hash.startswith("token-")
    shared.close()


# -- one-time site tokens ------------------------------------------------------------------


def test_a_jti_is_claimed_once_until_it_expires(store: Store) -> None:
    assert store.claim_jti("k-site", "j-1", at(10), at(0)) is True
    assert store.claim_jti("k-site", "j-1", at(10), at(9)) is False
    assert store.claim_jti("k-other", "j-1", at(10), at(9)) is True  # per site
    assert store.claim_jti("k-site", "j-1", at(30), at(10)) is True  # the old claim expired


def test_drop_expired_removes_codes_and_claims_past_their_expiry(store: Store) -> None:
    started(store)
    store.set_resume_code("s-1", "code-1", at(5))
    store.claim_jti("k-site", "j-1", at(5), at(0))
    store.claim_jti("k-site", "j-2", at(50), at(0))

    assert store.drop_expired(at(6)) == 2
    assert store.drop_expired(at(6)) == 0
    assert store.claim_jti("k-site", "j-2", at(50), at(7)) is False


# -- site-token secrets --------------------------------------------------------------------


def test_a_site_keys_secret_is_stored_and_replaced(store: Store) -> None:
    store.add_key(api_key("k-site", KeyRole.SITE).model_copy(update={"token_secret": "a" * 43}))

    store.set_key_secret("k-site", "b" * 43)

    [key] = store.list_keys()
    assert key.token_secret == "b" * 43
    assert "b" * 43 not in repr(key)
    with pytest.raises(ValueError, match="no API key"):
        store.set_key_secret("k-missing", "c" * 43)


# -- pruning -------------------------------------------------------------------------------


def populate(store: Store) -> None:
    """s-idle and s-idle-2 are prunable; the others each keep one reason to stay."""
    for sid in ("s-idle", "s-idle-2", "s-done", "s-assessed", "s-recent", "s-read"):
        started(store, sid)
    idle = store.get("s-idle")
    store.commit_turn(
        *next_turn(idle, findings={"SS-1-01": recorded("SS-1-01")}, upload="ev-1", when=at(1)),
        changes=[change("SS-1-01", None, MET, when=at(1))],
        evidence=[evidence_record("s-idle", "ev-1"), evidence_record("s-idle", "ev-2")],
        rating=rating(),
    )
    store.set_resume_code("s-idle", "code-idle", at(400 * DAY))
    store.commit_turn(
        *next_turn(store.get("s-idle-2"), when=at(2)), evidence=[evidence_record("s-idle-2")]
    )
    done = store.get("s-done")
    done_state = done.state.model_copy(update={"stage": Stage.DONE})
    store.commit_turn(*next_turn(done, state=done_state, when=at(1)))
    store.commit_turn(
        *next_turn(store.get("s-assessed"), when=at(1)),
        changes=[change("SS-1-01", None, MET, actor=Actor.ASSESSOR, actor_name="王评估员")],
    )
    store.commit_turn(*next_turn(store.get("s-recent"), when=at(200 * DAY)))
    store.touch_token("s-read", at(200 * DAY))


def test_prunable_names_only_inactive_unfinished_unassessed_sessions(store: Store) -> None:
    populate(store)

    found = store.prunable(at(100 * DAY), limit=None)

    assert [s.id for s in found] == ["s-idle", "s-idle-2"]  # least recently active first
    assert [s.id for s in store.prunable(at(100 * DAY), limit=1)] == ["s-idle"]
    assert store.prunable(at(1), limit=None) == []


def test_delete_inactive_removes_the_session_and_everything_of_it(store: Store) -> None:
    populate(store)
    kept = {sid: store.get(sid) for sid in ("s-done", "s-assessed", "s-recent", "s-read")}

    deleted = store.delete_inactive(["s-idle", "s-done", "s-missing"], at(100 * DAY))

    assert deleted.ids == ("s-idle",)
    assert deleted.evidence_records == 2
    assert deleted.sha256s == {evidence_record("s-idle", e).sha256 for e in ("ev-1", "ev-2")}
    for read in ("get", "turns", "history", "evidence", "latest_rating"):
        with pytest.raises(SessionNotFound):
            getattr(store, read)("s-idle")
    assert store.redeem_resume_code("code-idle", "token-x", at(3)) is None
    assert {sid: store.get(sid) for sid in kept} == kept
    assert store.delete_inactive(["s-idle"], at(100 * DAY)).ids == ()  # idempotent


def test_a_session_active_again_since_the_selection_is_not_deleted(store: Store) -> None:
    populate(store)
    [first, _] = store.prunable(at(100 * DAY), limit=None)
    store.touch_token(first.id, at(150 * DAY))

    assert store.delete_inactive([first.id], at(100 * DAY)).ids == ()
    assert store.get(first.id).id == first.id


def test_evidence_in_use_looks_at_other_sessions(store: Store) -> None:
    populate(store)
    shared = evidence_record("s-idle", "ev-1").sha256
    store.commit_turn(
        *next_turn(store.get("s-recent"), when=at(201 * DAY)),
        evidence=[evidence_record("s-recent", "ev-1")],  # the same bytes, another session
    )
    own = evidence_record("s-idle", "ev-2").sha256

    assert store.evidence_in_use({shared, own}) == {shared, own}
    assert store.evidence_in_use({shared, own}, besides={"s-idle"}) == {shared}
    assert store.evidence_in_use(set()) == set()
