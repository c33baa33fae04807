"""The interview service: one transaction per turn, restarts, racing writers, assessors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.errors import ConcurrentUpdate, FindingsError, SessionNotFound
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.security import hash_token
from assistant.session.models import QuestionKind, UserTurn
from assistant.session.state import Actor, Stage
from assistant.storage import InMemorySessionStore, SessionStore, open_store
from tests.utils.interview import (
    INSTITUTION,
    Clock,
    Driver,
    FlakyStore,
    ScriptedMapper,
    dated_text,
    make_service,
    upload_desk,
)

S = FindingStatus
K = QuestionKind
VAGUE = "好像有吧"


def close(store: SessionStore) -> None:
    closer = getattr(store, "close", None)
    if callable(closer):
        closer()


@pytest.fixture()
def open_sqlite(tmp_path: Path) -> Iterator[Callable[[], SessionStore]]:
    """Opens a new store on the same SQLite file at each call: each call is a process start."""
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    opened: list[SessionStore] = []

    def make() -> SessionStore:
        opened.append(open_store(url))
        return opened[-1]

    yield make
    for store in opened:
        close(store)


def sqlite_service(
    catalog: Catalog, rules: RuleSet, store: SessionStore, blobs_dir: Path
) -> InterviewService:
    return make_service(
        catalog,
        rules,
        store,
        desk=upload_desk(catalog, FileBlobStore(blobs_dir)),
        mapper=ScriptedMapper({VAGUE: (S.MET, 0.5)}),
    )


# ------------------------------------------------------------------------------- turns


def test_every_turn_is_one_committed_turn(real_catalog: Catalog, real_rules: RuleSet) -> None:
    service = make_service(real_catalog, real_rules)
    driver = Driver.start(service)
    store = service.store
    assert driver.record.version == 0 and len(store.turns(driver.session_id)) == 1
    sent = [UserTurn(text=INSTITUTION), UserTurn(quick_reply="type:market"), UserTurn(text="进度")]
    for n, turn in enumerate(sent, start=1):
        reply = service.send(driver.session_id, turn)
        assert driver.record.version == n
        turns = store.turns(driver.session_id)
        assert [t.index for t in turns] == list(range(n + 1))
        assert turns[-1].user == turn and turns[-1].reply == reply
        assert store.last_turn(driver.session_id).reply == reply
    assert store.turns(driver.session_id)[0].user is None  # the greeting


def test_findings_and_their_audit_lines_land_with_the_turn(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    service = make_service(real_catalog, real_rules)
    driver = Driver.start(service)
    driver.fill_profile()
    driver.send(quick="not_met")
    (line,) = service.store.history(driver.session_id)
    assert (line.indicator_id, line.previous, line.status, line.actor) == (
        "SS-1-01",
        None,
        S.NOT_MET,
        Actor.APPLICANT,
    )
    assert driver.findings["SS-1-01"].status is S.NOT_MET


def test_an_unknown_session_is_not_found(real_catalog: Catalog, real_rules: RuleSet) -> None:
    service = make_service(real_catalog, real_rules)
    with pytest.raises(SessionNotFound):
        service.send("no-such-session", UserTurn(text="你好"))


def test_the_token_opens_only_its_session(real_catalog: Catalog, real_rules: RuleSet) -> None:
    service = make_service(real_catalog, real_rules)
    first, second = service.start(), service.start()
    assert service.verify_token(first.session_id, first.token)
    assert not service.verify_token(first.session_id, second.token)
    assert service.store.get(first.session_id).token_hash == hash_token(first.token)
    assert first.token not in service.store.get(first.session_id).model_dump_json()


# ------------------------------------------------------------------------------- restart


def test_a_new_service_on_the_same_file_continues_where_the_first_stopped(
    real_catalog: Catalog,
    real_rules: RuleSet,
    open_sqlite: Callable[[], SessionStore],
    tmp_path: Path,
) -> None:
    first = sqlite_service(real_catalog, real_rules, open_sqlite(), tmp_path / "blobs")
    driver = Driver.start(first)
    driver.fill_profile()
    driver.send(quick="met")
    driver.upload("2026年度工作计划.txt", dated_text("2026年度工作计划", date(2026, 1, 5)))
    driver.send(quick="link:SS-1-02")
    driver.send(VAGUE)  # SS-1-02: a confirm question is pending when the process dies
    assert driver.kind is K.CONFIRM
    before = first.store.get(driver.session_id)

    second = sqlite_service(real_catalog, real_rules, open_sqlite(), tmp_path / "blobs")
    view = second.view(driver.session_id)
    assert view.reply == driver.reply
    assert view.stage is Stage.INDICATORS and view.profile.name == INSTITUTION
    after = second.store.get(driver.session_id)
    assert (after.state, after.findings, after.version) == (
        before.state,
        before.findings,
        before.version,
    )
    (evidence,) = view.evidence
    assert evidence.indicator_ids == ("SS-1-02",)
    assert FileBlobStore(tmp_path / "blobs").exists(evidence.sha256)

    resumed = Driver(second, driver.session_id, view.reply)
    resumed.send(quick="confirm")
    assert resumed.findings["SS-1-02"].status is S.MET
    assert resumed.kind is K.CHECKLIST
    ss102 = {r.indicator_id: r for r in second.rating(driver.session_id).indicators}["SS-1-02"]
    assert ss102.declared is S.MET


# ------------------------------------------------------------------------------- racing writers


def test_a_lost_race_is_retried_once(real_catalog: Catalog, real_rules: RuleSet) -> None:
    store = FlakyStore(InMemorySessionStore(), failures=0)
    service = make_service(real_catalog, real_rules, store)
    driver = Driver.start(service)
    store.failures, store.attempts = 1, 0
    reply = driver.send(INSTITUTION)
    assert store.attempts == 2
    assert driver.record.version == 1 and len(store.turns(driver.session_id)) == 2
    assert store.last_turn(driver.session_id).reply == reply
    assert driver.state.profile.name == INSTITUTION
    assert reply.question is not None and reply.question.field == "institution_type"


def test_three_lost_races_give_up_and_change_nothing(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    store = FlakyStore(InMemorySessionStore(), failures=0)
    service = make_service(real_catalog, real_rules, store)
    driver = Driver.start(service)
    store.failures = 3
    with pytest.raises(ConcurrentUpdate):
        driver.send(INSTITUTION)
    assert store.failures == 0
    assert driver.record.version == 0 and driver.state.profile.name is None


# ------------------------------------------------------------------------------- assessors


@pytest.fixture()
def answered(real_catalog: Catalog, real_rules: RuleSet) -> Driver:
    service = make_service(real_catalog, real_rules, clock=Clock())
    driver = Driver.start(service)
    driver.fill_profile()
    driver.send(quick="met")
    return driver


def test_an_assessor_override_is_audited_and_rated_as_confirmed(answered: Driver) -> None:
    service, sid = answered.service, answered.session_id
    before = {r.indicator_id: r for r in service.rating(sid).indicators}["SS-1-01"]
    assert (before.declared, before.evidenced) == (S.MET, S.PARTLY_MET)  # no evidence yet
    rating = service.override(
        sid, "SS-1-01", S.MET, reason="现场核验年度计划原件", assessor="王评估"
    )
    after = {r.indicator_id: r for r in rating.indicators}["SS-1-01"]
    assert (after.declared, after.evidenced) == (S.MET, S.MET)
    finding = answered.findings["SS-1-01"]
    assert finding.actor is Actor.ASSESSOR and finding.assessor_confirmed
    assert finding.reason == "现场核验年度计划原件"
    line = service.store.history(sid, "SS-1-01")[-1]
    assert (line.actor, line.actor_name, line.reason, line.previous, line.status) == (
        Actor.ASSESSOR,
        "王评估",
        "现场核验年度计划原件",
        S.MET,
        S.MET,
    )
    last = service.store.last_turn(sid)
    assert "评估人员 王评估 将 SS-1-01 确认为：**满足**" in last.reply.text
    assert last.reply.rating == rating
    assert service.store.latest_rating(sid) == rating
    assert answered.state.pending is not None
    assert answered.state.pending.indicator_ids == ("SS-1-02",)  # the applicant's question stays


def test_an_assessor_can_lower_a_finding(answered: Driver) -> None:
    service, sid = answered.service, answered.session_id
    rating = service.override(sid, "SS-1-01", S.NOT_MET, reason="计划未经审议", assessor="李评估")
    after = {r.indicator_id: r for r in rating.indicators}["SS-1-01"]
    assert (after.declared, after.evidenced) == (S.NOT_MET, S.NOT_MET)
    line = service.store.history(sid, "SS-1-01")[-1]
    assert (line.previous, line.status, line.actor_name) == (S.MET, S.NOT_MET, "李评估")


def test_an_override_of_an_unknown_indicator_changes_nothing(answered: Driver) -> None:
    version = answered.record.version
    with pytest.raises(FindingsError):
        answered.service.override(
            answered.session_id, "SS-9-99", S.MET, reason="x", assessor="王评估"
        )
    assert answered.record.version == version


def test_re_answering_after_an_override_keeps_the_confirmation_or_audits_it(
    answered: Driver,
) -> None:
    service, sid = answered.service, answered.session_id
    service.override(sid, "SS-1-01", S.MET, reason="现场核验", assessor="王评估")
    lines = len(service.store.history(sid, "SS-1-01"))
    answered.send("上一题")
    answered.send(quick="met")  # the same status again
    kept = answered.findings["SS-1-01"].assessor_confirmed
    audited = len(service.store.history(sid, "SS-1-01")) > lines
    assert kept or audited


# ------------------------------------------------------------------------------- reports


def test_a_markdown_report_names_the_institution(answered: Driver) -> None:
    rendered = answered.service.report(answered.session_id, "md")
    text = rendered.content.decode("utf-8")
    assert INSTITUTION in text
    assert rendered.filename.endswith(".md")
