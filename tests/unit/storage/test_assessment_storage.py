"""The assessor's records on every backend (memory, SQLite, PostgreSQL): sign-offs and their
lock, reopening once, evidence checks, notes, console logins, the new summary fields, and
pruning that never touches a signed session."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from assistant.assessment.models import ConsoleLogin, snapshot_json, snapshot_sha256
from assistant.errors import ConcurrentUpdate, SessionNotFound
from assistant.knowledge.schema import InstitutionType
from tests.unit.storage.assessment_builders import ASSESSOR, assessed, check, note, signoff
from tests.unit.storage.conftest import Store, open_test_store
from tests.utils.sessions import at, next_turn, profiled

DAY = 24 * 60


def test_a_signoff_is_kept_whole_and_its_snapshot_byte_for_byte(store: Store) -> None:
    assessed(store, "s-1")
    store.set_evidence_check(check("s-1"))
    store.add_note(note("s-1", "n-1", 21))
    signed = signoff(store, "s-1")

    store.add_signoff(signed)

    [read] = store.signoffs("s-1")
    assert read == signed
    assert snapshot_json(read.snapshot) == snapshot_json(signed.snapshot)
    assert snapshot_sha256(read.snapshot) == read.snapshot_sha256 == signed.snapshot_sha256
    assert read.snapshot.checks == (check("s-1"),)
    assert read.snapshot.findings["SO-2-02"].carried is True
    assert store.live_signoff("s-1") == signed


def test_a_second_signoff_of_the_same_version_is_refused_and_changes_nothing(
    store: Store,
) -> None:
    assessed(store, "s-1")
    first = signoff(store, "s-1")
    store.add_signoff(first)
    other = signoff(store, "s-1", confirmed=3)

    with pytest.raises(ConcurrentUpdate) as raised:
        store.add_signoff(other)

    assert "第 1 版签署已存在" in raised.value.message("zh")
    assert store.signoffs("s-1") == [first]


def test_a_signoff_of_an_unknown_session_or_with_a_wrong_hash_is_refused(store: Store) -> None:
    assessed(store, "s-1")
    good = signoff(store, "s-1")

    with pytest.raises(SessionNotFound):
        store.add_signoff(good.model_copy(update={"session_id": "s-nobody"}))
    with pytest.raises(ValueError, match="snapshot_sha256"):
        store.add_signoff(good.model_copy(update={"snapshot_sha256": "0" * 64}))

    assert store.signoffs("s-1") == [] and store.signoffs("s-nobody") == []


def test_reopening_sets_its_fields_once_and_lifts_the_lock(store: Store) -> None:
    assessed(store, "s-1")
    first = signoff(store, "s-1")
    store.add_signoff(first)

    reopened = store.reopen_signoff("s-1", 1, by=ASSESSOR, reason="申请人补交了证据", at=at(40))

    assert (reopened.reopened_at, reopened.reopened_by) == (at(40), ASSESSOR)
    assert reopened.reopen_reason == "申请人补交了证据"
    assert reopened.snapshot == first.snapshot  # the signed content never changes
    assert store.live_signoff("s-1") is None
    with pytest.raises(ConcurrentUpdate):
        store.reopen_signoff("s-1", 1, by="另一位评估员", reason="再次开启", at=at(41))
    assert store.signoffs("s-1") == [reopened]  # the refused reopen wrote nothing
    with pytest.raises(SessionNotFound):
        store.reopen_signoff("s-1", 2, by=ASSESSOR, reason="无此版本", at=at(41))
    with pytest.raises(ValueError):
        store.reopen_signoff("s-1", 1, by=ASSESSOR, reason="", at=at(41))


def test_the_next_signoff_is_live_and_the_old_one_stays_readable(store: Store) -> None:
    assessed(store, "s-1")
    store.add_signoff(signoff(store, "s-1"))
    old = store.reopen_signoff("s-1", 1, by=ASSESSOR, reason="重新评估证据", at=at(40))
    second = signoff(store, "s-1", 2, confirmed=2)

    store.add_signoff(second)

    assert store.signoffs("s-1") == [old, second]
    assert store.live_signoff("s-1") == second
    [summary] = store.list_sessions()
    assert (summary.locked, summary.signed_stars) == (True, 2)


def test_an_evidence_check_is_replaced_by_the_latest(store: Store) -> None:
    assessed(store, "s-1")
    store.set_evidence_check(check("s-1", sampled=True, verified=None, note=None))

    store.set_evidence_check(check("s-1", verified=False, note="日期与台账不符", at=at(25)))

    assert store.evidence_checks("s-1") == [
        check("s-1", verified=False, note="日期与台账不符", at=at(25))
    ]
    with pytest.raises(ValueError, match="ev-unknown"):
        store.set_evidence_check(check("s-1", "ev-unknown"))
    with pytest.raises(SessionNotFound):
        store.set_evidence_check(check("s-nobody"))
    assert len(store.evidence_checks("s-1")) == 1


def test_notes_come_back_oldest_first_and_an_id_is_used_once(store: Store) -> None:
    assessed(store, "s-1")
    later = note("s-1", "n-b", 30, indicator_id=None, text="总体：材料齐全。")
    earlier = note("s-1", "n-a", 20)
    store.add_note(later)
    store.add_note(earlier)

    with pytest.raises(ValueError, match="n-a"):
        store.add_note(note("s-1", "n-a", 40))
    with pytest.raises(SessionNotFound):
        store.add_note(note("s-nobody", "n-c", 40))

    assert store.notes("s-1") == [earlier, later]


def test_a_console_login_is_found_by_its_hash_and_revoked_once(store: Store) -> None:
    login = ConsoleLogin(
        id_hash="a" * 64,
        key_id="key-assessor",
        csrf_hash="b" * 64,
        created_at=at(0),
        expires_at=at(8 * 60),
    )
    store.add_console_login(login)
    with pytest.raises(ValueError):
        store.add_console_login(login)

    assert store.find_console_login("a" * 64) == login
    assert store.find_console_login("c" * 64) is None
    store.revoke_console_login("a" * 64, at(10))
    store.revoke_console_login("a" * 64, at(20))  # the first revocation stands
    store.revoke_console_login("c" * 64, at(20))  # unknown: nothing to do
    assert store.find_console_login("a" * 64) == login.model_copy(update={"revoked_at": at(10)})


def test_summaries_carry_the_type_the_lock_and_the_previous_session(store: Store) -> None:
    assessed(store, "s-old", kind=InstitutionType.MARKET)
    store.add_signoff(signoff(store, "s-old", confirmed=2))
    assessed(store, "s-new", kind=None, previous="s-old", stars=None)

    found = {s.id: s for s in store.list_sessions()}

    assert found["s-old"].institution_type is InstitutionType.MARKET
    assert (found["s-old"].locked, found["s-old"].signed_stars) == (True, 2)
    assert (found["s-new"].locked, found["s-new"].signed_stars) == (False, None)
    assert found["s-new"].previous_session_id == "s-old"
    assert store.get("s-new").previous_session_id == "s-old"
    assert found["s-new"].institution_type is None
    # A later turn keeps the type up to date from the profile, and the previous session.
    session = store.get("s-new")
    store.commit_turn(*next_turn(session, state=profiled(session), when=at(9)))
    [again] = [s for s in store.list_sessions() if s.id == "s-new"]
    assert again.institution_type is InstitutionType.PUBLIC_SERVICE
    assert store.get("s-new").previous_session_id == "s-old"


def test_a_carried_finding_is_stored_as_carried(store: Store) -> None:
    assessed(store, "s-1")

    findings = store.get("s-1").findings

    assert (findings["SO-2-02"].carried, findings["SS-1-01"].carried) == (True, False)


def test_all_summaries_streams_every_session_in_pages(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.storage import memory_assessment, sql_queue

    monkeypatch.setattr(sql_queue, "PAGE", 2)
    monkeypatch.setattr(memory_assessment, "_PAGE", 2)
    ids = [f"s-{n:02d}" for n in range(5)]
    for sid in reversed(ids):
        assessed(store, sid, stars=None)
    store.add_signoff(signoff(store, "s-03"))

    streamed = list(store.all_summaries())

    assert [s.id for s in streamed] == ids
    assert [s.locked for s in streamed] == [False, False, False, True, False]
    assert list(store.all_summaries()) == sorted(store.list_sessions(), key=lambda s: s.id)


def test_a_signed_session_is_never_pruned(store: Store) -> None:
    for sid in ("s-signed", "s-reopened", "s-idle"):
        assessed(store, sid, stars=None, when=at(5))
    store.add_signoff(signoff(store, "s-signed"))
    store.add_signoff(signoff(store, "s-reopened"))
    store.reopen_signoff("s-reopened", 1, by=ASSESSOR, reason="补充材料", at=at(6))
    store.set_evidence_check(check("s-idle"))
    store.add_note(note("s-idle", "n-idle", 7))
    later = at(100 * DAY)

    assert [s.id for s in store.prunable(later, limit=None)] == ["s-idle"]
    deleted = store.delete_inactive(["s-signed", "s-reopened", "s-idle"], later)

    assert deleted.ids == ("s-idle",)
    assert {s.id for s in store.list_sessions()} == {"s-signed", "s-reopened"}
    assert store.evidence_checks("s-idle") == [] and store.notes("s-idle") == []
    assert len(store.signoffs("s-signed")) == 1


def test_expired_console_logins_are_dropped_with_the_codes(store: Store) -> None:
    for n, hours in enumerate((1, 8)):
        store.add_console_login(
            ConsoleLogin(
                id_hash=f"{n}" * 64,
                key_id="key-assessor",
                csrf_hash="b" * 64,
                created_at=at(0),
                expires_at=at(hours * 60),
            )
        )

    assert store.drop_expired(at(2 * 60)) == 1

    assert store.find_console_login("0" * 64) is None
    assert store.find_console_login("1" * 64) is not None


def race(store_url: str, work: Callable[[Store, int], object], runners: int = 4) -> list[object]:
    """Run ``work`` on ``runners`` stores at once; each outcome is its result or its error."""
    stores = [open_test_store(store_url) for _ in range(runners)]
    barrier = threading.Barrier(runners, timeout=30)
    outcomes: list[object] = [None] * runners

    def run(n: int) -> None:
        barrier.wait()
        try:
            outcomes[n] = work(stores[n], n)
        except (ConcurrentUpdate, SessionNotFound) as error:
            outcomes[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for opened in stores:
        opened.close()
    return outcomes


def test_racing_signers_and_reopeners_of_one_version_one_wins(database: str) -> None:
    setup = open_test_store(database)
    assessed(setup, "s-1")
    signed = [signoff(setup, "s-1", confirmed=n % 4) for n in range(4)]

    signers = race(database, lambda store, n: store.add_signoff(signed[n]))
    reopeners = race(
        database,
        lambda store, n: store.reopen_signoff("s-1", 1, by=f"评估员 {n}", reason="复核", at=at(40)),
    )

    assert sum(isinstance(o, ConcurrentUpdate) for o in signers) == 3
    won = [o for o in reopeners if not isinstance(o, ConcurrentUpdate)]
    assert len(won) == 1
    [stored] = setup.signoffs("s-1")
    assert stored == won[0]
    assert stored.snapshot == signed[signers.index(None)].snapshot
    setup.close()
