"""The ``SessionStore`` contract, held by every backend (see conftest: memory, SQLite, PG)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from assistant.errors import ConcurrentUpdate, SessionNotFound
from assistant.knowledge.schema import FindingStatus
from assistant.session.models import ProposedFinding, QuestionKind, UserTurn
from assistant.session.state import Actor, Pending
from assistant.storage import MEMORY_URL, KeyRole, SessionRecord, SessionStore, TurnRecord
from tests.unit.storage.conftest import Store, open_test_store
from tests.utils.sessions import (
    INSTITUTION,
    api_key,
    at,
    change,
    citation,
    evidence_record,
    new_session,
    next_turn,
    profiled,
    rating,
    recorded,
    reply,
)

MET, LARGELY, PARTLY, NOT_MET = (
    FindingStatus.MET,
    FindingStatus.LARGELY_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.NOT_MET,
)


def started(store: SessionStore, session_id: str = "s-0001", **extra: object) -> SessionRecord:
    session, greeting = new_session(session_id, **extra)  # type: ignore[arg-type]
    store.create(session, greeting)
    return session


def rich_session() -> tuple[SessionRecord, TurnRecord]:
    """A session and greeting with every field set, in Chinese where text is free."""
    session, greeting = new_session("s-rich", owner="统一社会信用代码 91440300MA5XXXXXXX")
    proposal = ProposedFinding(
        indicator_id="SO-3-01",
        status=LARGELY,
        confidence=0.8,
        rationale="您提到台账“基本完整”，但缺少 2024 年上半年的记录。",
        operating_months=18,
    )
    state = profiled(session).model_copy(
        update={
            "language": "zh",
            "full_gap_analysis": True,
            "pending": Pending(
                kind=QuestionKind.CONFIRM, indicator_ids=("SO-3-01",), proposals=(proposal,)
            ),
            "profile_skipped": ("smes_served_per_year",),
            "skipped": ("SD-2-03",),
            "left_open": ("SD-2-04",),
            "revisiting": True,
            "history": (Pending(kind=QuestionKind.PROFILE, field="name"),),
            "interrupted": Pending(kind=QuestionKind.INDICATOR, indicator_ids=("SO-3-02",)),
        }
    )
    findings = {
        "SS-1-01": recorded("SS-1-01", MET, when=at(1)),
        "SO-3-01": recorded(
            "SO-3-01",
            PARTLY,
            when=at(2),
            reason="评估员：台账缺 3 个月 ✓ “引号”、换行\n第二行",
            actor=Actor.ASSESSOR,
            assessor_confirmed=True,
            operating_months=30,
        ),
    }
    session = session.model_copy(update={"state": state, "findings": findings})
    greeting = greeting.model_copy(
        update={
            "reply": reply(
                session.id,
                "## 欢迎 🎉\n请确认：**SO-3-01** 是否“基本满足”？",
                answered=2,
                ask=("SO-3-01", "SO-3-02"),
                proposed=(proposal,),
                citations=(citation(),),
                rating=rating(2, 1),
            )
        }
    )
    return session, greeting


# -- create and get ------------------------------------------------------------------------


def test_create_then_get_round_trips_every_field(store: Store) -> None:
    session, greeting = rich_session()
    store.create(session, greeting)

    assert store.get(session.id) == session
    assert store.turns(session.id) == [greeting]
    assert store.history(session.id) == []
    assert store.evidence(session.id) == []
    assert store.latest_rating(session.id) is None


def test_datetimes_come_back_aware_and_equal(store: Store) -> None:
    beijing = timezone(timedelta(hours=8))
    session, greeting = new_session(created=datetime(2026, 3, 2, 17, 30, 0, 123456, tzinfo=beijing))
    store.create(session, greeting)

    stored = store.get(session.id)
    assert stored.created_at == session.created_at
    assert stored.created_at.utcoffset() is not None
    assert stored.created_at.microsecond == 123456


def test_chinese_text_round_trips_in_json_and_text_columns(store: Store) -> None:
    session = started(store)
    words = "我们的服务台账覆盖 2025 年全年；含“融资对接”与『政策咨询』——共 1,200 家企业。😀"
    updated, turn = next_turn(
        session,
        findings={"SO-3-01": recorded("SO-3-01", MET, reason=words)},
        user=UserTurn(text=words),
        text=f"已记录：{words}",
    )
    store.commit_turn(updated, turn, changes=[change("SO-3-01", None, MET, reason=words)])

    assert store.turns(session.id)[1].user == UserTurn(text=words)
    assert store.turns(session.id)[1].reply.text == f"已记录：{words}"
    assert store.get(session.id).findings["SO-3-01"].reason == words
    assert store.history(session.id)[0].reason == words


def test_creating_an_existing_session_is_refused(store: Store) -> None:
    started(store)
    session, greeting = new_session()
    with pytest.raises(ValueError, match="already exists"):
        store.create(session, greeting)


def test_naive_datetimes_are_refused(store: Store) -> None:
    session, greeting = new_session(created=datetime(2026, 3, 2, 9, 30))
    with pytest.raises(ValueError, match="naive"):
        store.create(session, greeting)
    with pytest.raises(SessionNotFound):
        store.get(session.id)


# -- committing turns ----------------------------------------------------------------------


def test_commit_turn_writes_everything_in_one_go(store: Store) -> None:
    session = started(store)
    findings = {
        "SS-1-01": recorded("SS-1-01", MET, when=at(1)),
        "SO-3-01": recorded("SO-3-01", PARTLY, when=at(1), operating_months=6),
    }
    changes = [
        change("SS-1-01", None, MET, when=at(1)),
        change("SO-3-01", None, PARTLY, when=at(1)),
    ]
    upload = evidence_record(session.id, "ev-1", when=at(1), indicator_ids=("SO-3-01",))
    result = rating(3, 2)
    updated, turn = next_turn(
        session,
        state=profiled(session),
        findings=findings,
        upload="ev-1",
        when=at(1),
        rating=result,
    )

    stored = store.commit_turn(updated, turn, changes=changes, evidence=[upload], rating=result)

    assert stored == updated.model_copy(update={"version": 1})
    assert store.get(session.id) == stored
    assert store.turns(session.id)[1] == turn
    assert store.history(session.id) == changes
    assert store.evidence(session.id) == [upload]
    assert store.latest_rating(session.id) == result
    [summary] = store.list_sessions()
    assert (summary.institution, summary.stage, summary.answered) == (INSTITUTION, "indicators", 2)
    assert (summary.declared_stars, summary.evidenced_stars) == (3, 2)


def test_each_commit_returns_the_record_to_commit_from_next(store: Store) -> None:
    session = started(store)
    for _ in range(3):
        updated, turn = next_turn(session)
        session = store.commit_turn(updated, turn)

    assert session.version == 3
    assert store.get(session.id).version == 3
    assert [t.index for t in store.turns(session.id)] == [0, 1, 2, 3]
    assert store.last_turn(session.id) == store.turns(session.id)[-1]


def test_a_stale_version_raises_and_writes_nothing(store: Store) -> None:
    session = started(store)
    first, turn = next_turn(session, findings={"SS-1-01": recorded("SS-1-01", MET)})
    store.commit_turn(first, turn, changes=[change("SS-1-01", None, MET)])
    before = (store.get(session.id), store.turns(session.id), store.history(session.id))

    stale, late = next_turn(session, findings={"SD-1-01": recorded("SD-1-01", NOT_MET)})
    with pytest.raises(ConcurrentUpdate) as raised:
        store.commit_turn(
            stale,
            late.model_copy(update={"index": 5}),
            changes=[change("SD-1-01", None, NOT_MET)],
            evidence=[evidence_record(session.id, "ev-late")],
            rating=rating(1, 1),
        )

    assert "已被另一个请求更新" in raised.value.message("zh")
    assert "changed by another request" in raised.value.message("en")
    assert (store.get(session.id), store.turns(session.id), store.history(session.id)) == before
    assert store.evidence(session.id) == []
    assert store.latest_rating(session.id) is None


def test_racing_writers_of_one_version_one_wins(store_url: str) -> None:
    shared = open_test_store(store_url)
    # Separate stores (engines, pools) play separate API workers; the fake can only be shared.
    others = [] if store_url == MEMORY_URL else [open_test_store(store_url) for _ in range(3)]
    writers = [shared, *others] if others else [shared] * 4
    session = started(shared)
    barrier = threading.Barrier(len(writers))
    outcomes: list[str] = []

    def write(store: Store, n: int) -> None:
        updated, turn = next_turn(session, findings={"SS-1-01": recorded("SS-1-01", _STATUS[n])})
        barrier.wait()
        try:
            store.commit_turn(updated, turn)
            outcomes.append("stored")
        except ConcurrentUpdate:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in others:
        other.close()

    assert sorted(outcomes) == ["conflict"] * 3 + ["stored"]
    assert shared.get(session.id).version == 1
    assert len(shared.turns(session.id)) == 2
    shared.close()


_STATUS = (MET, LARGELY, PARTLY, NOT_MET)


def test_commit_to_an_unknown_session_raises_not_found(store: Store) -> None:
    session, _ = new_session("s-nowhere")
    updated, turn = next_turn(session)
    with pytest.raises(SessionNotFound):
        store.commit_turn(updated, turn)


def test_a_taken_turn_index_is_refused_and_nothing_written(store: Store) -> None:
    session = started(store)
    updated, turn = next_turn(session, findings={"SS-1-01": recorded("SS-1-01", MET)})
    with pytest.raises(ValueError, match="index is taken"):
        store.commit_turn(updated, turn.model_copy(update={"index": 0}))
    assert store.get(session.id) == session
    assert len(store.turns(session.id)) == 1


def test_an_upload_turn_must_name_stored_evidence(store: Store) -> None:
    session = started(store)
    updated, turn = next_turn(session, upload="ev-missing")
    with pytest.raises(ValueError, match="not stored evidence"):
        store.commit_turn(updated, turn)

    upload = evidence_record(session.id, "ev-missing")
    stored = store.commit_turn(updated, turn, evidence=[upload])
    assert store.turns(session.id)[1].upload_evidence_id == "ev-missing"
    assert stored.version == 1


def test_a_turn_of_another_session_is_refused(store: Store) -> None:
    session = started(store)
    updated, turn = next_turn(session)
    with pytest.raises(ValueError, match="given for"):
        store.commit_turn(updated, turn.model_copy(update={"session_id": "s-other"}))
    with pytest.raises(ValueError, match="belongs to session"):
        store.commit_turn(updated, turn, evidence=[evidence_record("s-other")])


# -- findings, audit, evidence, ratings ----------------------------------------------------


def test_findings_absent_from_the_record_are_removed(store: Store) -> None:
    session = started(store)
    both = {"SS-1-01": recorded("SS-1-01", MET), "SS-1-02": recorded("SS-1-02", PARTLY)}
    session = store.commit_turn(*next_turn(session, findings=both))
    changed = {"SS-1-02": recorded("SS-1-02", LARGELY, when=at(9), reason="补充了材料")}
    session = store.commit_turn(*next_turn(session, findings=changed))

    assert store.get(session.id).findings == changed


def test_history_is_in_commit_order_and_filters_by_indicator(store: Store) -> None:
    session = started(store)
    script = [
        [change("SS-1-01", None, PARTLY, when=at(1)), change("SO-3-01", None, MET, when=at(1))],
        [change("SS-1-01", PARTLY, MET, when=at(2), actor=Actor.ASSESSOR, actor_name="王评估员",
                reason="现场核验了制度文件")],
        [change("SS-1-01", MET, LARGELY, when=at(3))],
    ]  # fmt: skip
    for changes in script:
        updated, turn = next_turn(session)
        session = store.commit_turn(updated, turn, changes=changes)

    assert store.history(session.id) == [c for changes in script for c in changes]
    trail = store.history(session.id, "SS-1-01")
    assert [(c.previous, c.status) for c in trail] == [
        (None, PARTLY),
        (PARTLY, MET),
        (MET, LARGELY),
    ]
    assert trail[1].actor_name == "王评估员"
    assert store.history(session.id, "CSI-1-01") == []


def test_evidence_is_upserted_by_id(store: Store) -> None:
    session = started(store)
    first = evidence_record(session.id, "ev-1", when=at(1), suggested_ids=("SO-3-01",))
    session = store.commit_turn(*next_turn(session, upload="ev-1"), evidence=[first])
    linked = first.model_copy(update={"indicator_ids": ("SO-3-01", "SO-2-02"), "title": "台账"})
    second = evidence_record(session.id, "ev-2", when=at(2))
    session = store.commit_turn(*next_turn(session), evidence=[linked, second])

    assert store.evidence(session.id) == [linked, second]


def test_latest_rating_is_the_last_stored_and_stars_persist_for_listing(store: Store) -> None:
    session = started(store)
    session = store.commit_turn(*next_turn(session), rating=rating(2, 1))
    session = store.commit_turn(*next_turn(session), rating=rating(3, 2, rules_version="2026.2"))
    session = store.commit_turn(*next_turn(session))  # no rating asked this turn

    latest = store.latest_rating(session.id)
    assert latest is not None and latest.versions.rules_version == "2026.2"
    [summary] = store.list_sessions()
    assert (summary.declared_stars, summary.evidenced_stars) == (3, 2)


# -- listing -------------------------------------------------------------------------------


def test_list_sessions_newest_first_with_paging(store: Store) -> None:
    for n in range(3):
        started(store, f"s-{n}", created=at(n))
    touched = store.get("s-0")
    store.commit_turn(
        *next_turn(touched, state=profiled(touched), when=at(10)), rating=rating(4, 3)
    )

    listed = store.list_sessions()
    assert [s.id for s in listed] == ["s-0", "s-2", "s-1"]
    assert (listed[0].institution, listed[0].declared_stars, listed[0].evidenced_stars) == (
        INSTITUTION,
        4,
        3,
    )
    assert (listed[1].institution, listed[1].stage, listed[1].declared_stars) == (
        None,
        "profile",
        None,
    )
    assert listed[0].updated_at == at(10) and listed[0].created_at == at(0)
    assert [s.id for s in store.list_sessions(limit=1, offset=1)] == ["s-2"]
    assert store.list_sessions(offset=3) == []


# -- API keys ------------------------------------------------------------------------------


def test_keys_add_find_list_revoke(store: Store) -> None:
    site = api_key("key-site", KeyRole.SITE, when=at(2), origins=("https://www.example.cn",))
    assessor = api_key("key-assessor", when=at(1))
    store.add_key(site)
    store.add_key(assessor)

    assert store.find_key(site.key_hash) == site
    assert store.find_key("sha256:unknown") is None
    assert store.list_keys() == [assessor, site]

    store.revoke_key("key-site")
    revoked = store.find_key(site.key_hash)
    assert revoked is not None and revoked.revoked
    assert store.find_key(assessor.key_hash) == assessor


def test_duplicate_or_unknown_keys_are_refused(store: Store) -> None:
    key = api_key()
    store.add_key(key)
    with pytest.raises(ValueError, match="already stored"):
        store.add_key(key.model_copy(update={"id": "key-other"}))
    with pytest.raises(ValueError, match="already stored"):
        store.add_key(key.model_copy(update={"key_hash": "sha256:other"}))
    with pytest.raises(ValueError, match="no API key"):
        store.revoke_key("key-nowhere")
    assert store.list_keys() == [key]


# -- unknown sessions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "read", ["get", "turns", "last_turn", "history", "evidence", "latest_rating"]
)
def test_reading_an_unknown_session_raises_not_found(store: Store, read: str) -> None:
    started(store)
    with pytest.raises(SessionNotFound) as raised:
        getattr(store, read)("s-missing")
    assert "找不到会话 's-missing'" in raised.value.message("zh")
    assert "No interview session 's-missing'" in raised.value.message("en")
    assert raised.value.code == "session_not_found"
