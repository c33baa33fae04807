"""What each answer recorded: kept with its turn, listed with where it stands, undone in one
step (audited, asked again), and a change that names the indicator it changed."""

from __future__ import annotations

import pytest

from assistant.interview.readings import ReadingError
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.session.models import AnswerReading, QuestionKind
from assistant.session.state import Actor
from assistant.vocabulary import status_label
from tests.utils.interview import Driver, make_service

S = FindingStatus
K = QuestionKind
PLAN_ANSWER = "有的，我们每年都制定书面工作计划，负责人签字"  # read by the real mapper


@pytest.fixture()
def service(real_catalog: Catalog, real_rules: RuleSet) -> InterviewService:
    return make_service(real_catalog, real_rules)


def at_first_indicator(service: InterviewService) -> Driver:
    driver = Driver.start(service)
    driver.fill_profile()
    assert driver.ids == ("SS-1-01",)
    return driver


def test_a_recorded_answer_carries_its_reading_and_turn(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    reply = driver.send(PLAN_ANSWER)
    assert reply.turn == driver.record.version  # the stored turn that recorded it
    assert reply.readings == (
        AnswerReading(turn=reply.turn, indicator_id="SS-1-01", status=S.MET, previous=None),
    )
    assert not any(p.recorded for p in reply.proposed_findings if p.indicator_id != "SS-1-01")
    (view,) = service.readings(driver.session_id)
    assert (view.turn, view.indicator_id, view.status, view.state) == (
        reply.turn,
        "SS-1-01",
        S.MET,
        "current",
    )


def test_a_checklist_records_one_reading_per_line(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="met")
    driver.send(quick="met")
    assert driver.kind is K.CHECKLIST
    lines = driver.ids
    reply = driver.answer()
    assert [r.indicator_id for r in reply.readings] == list(lines)
    assert {r.turn for r in reply.readings} == {reply.turn}


def test_undo_reverts_the_finding_audits_it_and_asks_again(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    recorded = driver.send(quick="met")
    assert recorded.turn is not None and "SS-1-01" in driver.findings
    asked_next = driver.ids
    reply = service.undo(driver.session_id, recorded.turn, "SS-1-01")
    assert "SS-1-01" not in driver.findings
    label = status_label(S.MET, "zh", inline=True)
    assert "已撤销：**SS-1-01**" in reply.text and f"不再记为“{label}”" in reply.text
    assert reply.question is not None and reply.question.kind is K.INDICATOR
    assert [ref.id for ref in reply.question.indicators] == ["SS-1-01"]
    last = service.store.history(driver.session_id, "SS-1-01")[-1]
    assert (last.previous, last.status, last.actor) == (S.MET, S.NOT_RATED, Actor.APPLICANT)
    assert "undo" in (last.reason or "")
    (view,) = service.readings(driver.session_id)
    assert view.state == "undone"
    assert reply.readings == (
        AnswerReading(
            turn=reply.turn, indicator_id="SS-1-01", status=S.NOT_RATED, undo_of=recorded.turn
        ),
    )
    driver.send(quick="met")  # answered again, the interview goes on where it was
    assert driver.ids == asked_next


def test_undo_restores_the_status_before_the_turn(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="partly_met")
    changed = driver.send("修改 SS-1-01 不满足")
    assert changed.readings[0].previous is S.PARTLY_MET
    assert changed.turn is not None
    service.undo(driver.session_id, changed.turn, "SS-1-01")
    finding = driver.findings["SS-1-01"]
    assert finding.status is S.PARTLY_MET and finding.actor is Actor.APPLICANT
    states = [(v.status, v.state) for v in service.readings(driver.session_id)]
    assert states == [(S.PARTLY_MET, "changed"), (S.NOT_MET, "undone")]


def test_a_reading_changed_since_cannot_be_undone(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    first = driver.send(quick="met")
    assert first.turn is not None
    driver.send("修改 SS-1-01 部分满足")
    with pytest.raises(ReadingError) as changed:
        service.undo(driver.session_id, first.turn, "SS-1-01")
    assert changed.value.reason == "changed" and "修改 SS-1-01" in str(changed.value)
    with pytest.raises(ReadingError) as missing:
        service.undo(driver.session_id, first.turn, "SO-1-01")
    assert missing.value.reason == "not_found"
    assert driver.findings["SS-1-01"].status is S.PARTLY_MET  # nothing undone


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("zh", "修改 SS-1-01 不满足", "已将 **SS-1-01**"),
        ("en", "change SS-1-01 not met", "Changed **SS-1-01**"),
    ],
)
def test_a_change_names_the_indicator_it_changed(
    service: InterviewService, language: str, text: str, expected: str
) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="met")
    if language == "en":
        driver.send(quick="lang:en")
    reply = driver.send(text)
    label = status_label(S.NOT_MET, "en" if language == "en" else "zh", inline=True)
    assert expected in reply.text and label in reply.text
    assert reply.readings[0].indicator_id == "SS-1-01"
    assert reply.readings[0].status is S.NOT_MET


def test_an_off_topic_answer_is_asked_about_by_name_and_records_nothing(
    service: InterviewService,
) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="met")
    driver.send(quick="met")
    driver.answer()  # the one-star strategy checklist
    while "SD-1-02" not in driver.ids:
        driver.answer()
    assert driver.kind is K.INDICATOR  # SD-1-02 is a core indicator, asked on its own
    reply = driver.send("我们中心有年度计划也有台账，每年都会做")
    assert reply.question is not None and reply.question.kind is K.CONFIRM
    assert not reply.readings
    assert "您说的是“" in reply.text and "SD-1-02" in reply.text
    assert "SD-1-02" not in driver.findings
