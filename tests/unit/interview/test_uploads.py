"""Evidence uploads in the interview: the EVIDENCE question, links, edits, the evidenced
reading, and hostile files that must change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import EvidenceRejected, FindingsError
from assistant.evidence import MemoryBlobStore
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, RuleSet
from assistant.rating.models import EvidenceOutcome
from assistant.session.models import QuestionKind
from tests.utils.evidence_files import image_bytes
from tests.utils.interview import (
    CITATION,
    QUESTION,
    Driver,
    FixedAnswerer,
    ScriptedMapper,
    dated_text,
    exe_bytes,
    make_service,
    upload_desk,
    zip_bomb_bytes,
)

S = FindingStatus
K = QuestionKind
SUGGESTED = ("SO-1-01", "SS-1-02", "SS-1-01", "CSI-1-01", "SD-1-01", "ST-1-01", "SO-1-05")
ALL = ("<every offered id>",)
PLAN = ("2026年度工作计划.txt", dated_text("2026年度工作计划", date(2026, 1, 5), "服务中小企业。"))
LEDGER = "企业名称、服务内容、服务时间、服务人员、服务结果，逐条登记。"


def suggest(query: str) -> list[str]:
    return list(SUGGESTED)


@pytest.fixture()
def blobs() -> MemoryBlobStore:
    return MemoryBlobStore()


@pytest.fixture()
def service(real_catalog: Catalog, real_rules: RuleSet, blobs: MemoryBlobStore) -> InterviewService:
    return make_service(
        real_catalog,
        real_rules,
        desk=upload_desk(real_catalog, blobs, search=suggest),
        answerer=FixedAnswerer(),
        mapper=ScriptedMapper({"好像有吧": (S.MET, 0.5)}),
    )


def at_first_indicator(service: InterviewService) -> Driver:
    driver = Driver.start(service)
    driver.fill_profile()
    assert driver.ids == ("SS-1-01",)
    return driver


# ------------------------------------------------------------------------------- the question


def test_an_upload_asks_which_indicators_it_backs_best_match_first(
    service: InterviewService, blobs: MemoryBlobStore
) -> None:
    driver = at_first_indicator(service)
    reply = driver.upload(*PLAN)
    assert "已收到文件 **2026年度工作计划.txt**（识别为：规划/计划，2026-01-05）" in reply.text
    assert driver.kind is K.EVIDENCE
    assert driver.ids[0] == "SS-1-01"  # the plan indicator, by what the file says
    assert len(driver.ids) == len(set(driver.ids)) == 5  # the five best, deduplicated
    values = driver.quick_values
    assert values[0] == "link:all" and values[-1] == "link:none"
    assert values[1:-1] == tuple(f"link:{i}" for i in driver.ids)
    (record,) = driver.service.store.evidence(driver.session_id)
    assert record.kind is EvidenceKind.PLAN and record.dated == date(2026, 1, 5)
    assert record.indicator_ids == () and record.suggested_ids == driver.ids
    assert list(blobs.blobs) == [record.sha256]
    assert driver.state.interrupted is not None
    assert driver.state.interrupted.indicator_ids == ("SS-1-01",)


def test_the_question_on_screen_is_offered_last_when_the_file_is_about_something_else(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    desk = upload_desk(real_catalog, search=lambda query: [])
    driver = at_first_indicator(make_service(real_catalog, real_rules, desk=desk))
    driver.upload("服务企业台账.txt", dated_text("服务企业台账", date(2026, 1, 5), LEDGER))
    assert driver.ids[0] != "SS-1-01" and driver.ids[-1] == "SS-1-01"
    assert len(driver.ids) == 6


@pytest.mark.parametrize(
    ("how", "linked"),
    [
        ({"quick": "link:all"}, ALL),
        ({"text": "全部关联"}, ALL),
        ({"quick": "link:SS-1-01"}, ("SS-1-01",)),
        ({"text": "SO-1-02"}, ("SO-1-02",)),  # not suggested, still linkable
        ({"text": "SS-1-01 和 so-1-02"}, ("SS-1-01", "SO-1-02")),
        ({"quick": "link:none"}, ()),
        ({"text": "暂不关联"}, ()),
        ({"text": "跳过"}, ()),
    ],
)
def test_links_are_stored_and_the_interrupted_question_resumes(
    service: InterviewService, how: dict[str, str], linked: tuple[str, ...]
) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    offered = driver.ids
    reply = driver.send(how.get("text"), quick=how.get("quick"))
    if linked == ALL:  # five indicators for one file: listed, and linked once confirmed
        assert driver.kind is K.EVIDENCE and driver.quick_values[0] == "link:confirm"
        assert all(ident in reply.text for ident in offered)
        (record,) = driver.service.store.evidence(driver.session_id)
        assert record.indicator_ids == ()
        reply = driver.send(quick="link:confirm")
    (record,) = driver.service.store.evidence(driver.session_id)
    assert record.indicator_ids == (offered if linked == ALL else linked)
    assert ("已将该文件关联到" if linked else "该文件已保存，暂未关联指标") in reply.text
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-01",))
    assert "SS-1-01" in reply.text  # the question is shown again
    assert driver.state.interrupted is None


def test_an_id_written_straight_after_chinese_text_is_linked(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    driver.send("关联SO-1-02")
    (record,) = driver.service.store.evidence(driver.session_id)
    assert record.indicator_ids == ("SO-1-02",)


def test_an_unknown_id_links_nothing_and_says_so(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    reply = driver.send(quick="link:SS-9-99")
    assert "没有找到指标 SS-9-99" in reply.text
    (record,) = driver.service.store.evidence(driver.session_id)
    assert record.indicator_ids == ()


def test_a_reply_without_ids_keeps_the_evidence_question(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    reply = driver.send("这个文件挺重要的")
    assert "可以回复指标编号来关联" in reply.text
    assert driver.kind is K.EVIDENCE


def test_a_question_at_the_evidence_question_is_answered(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    reply = driver.send(QUESTION)
    assert reply.citations == (CITATION,)
    assert driver.kind is K.EVIDENCE


@pytest.mark.parametrize(
    ("edit", "field", "value", "shown"),
    [
        ("类型 报告", "kind", EvidenceKind.REPORT, "已更正：类型 报告"),
        ("日期 2026-03-01", "dated", date(2026, 3, 1), "日期 2026-03-01"),
    ],
)
def test_kind_and_date_can_be_corrected_before_linking(
    service: InterviewService, edit: str, field: str, value: object, shown: str
) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    reply = driver.send(edit)
    assert shown in reply.text
    assert driver.kind is K.EVIDENCE
    (record,) = driver.service.store.evidence(driver.session_id)
    assert getattr(record, field) == value
    driver.send(quick="link:SS-1-01")
    (record,) = driver.service.store.evidence(driver.session_id)
    assert getattr(record, field) == value and record.indicator_ids == ("SS-1-01",)


def test_an_upload_at_a_checklist_offers_its_lines(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="met")
    driver.send(quick="met")
    checklist = driver.ids
    driver.upload(*PLAN)
    assert driver.ids[0] == "SS-1-01"  # the plan indicator, though the checklist is on screen
    assert set(checklist) <= set(driver.ids)
    driver.send(quick="link:none")
    assert (driver.kind, driver.ids) == (K.CHECKLIST, checklist)


def test_an_upload_at_a_confirm_resumes_the_confirm(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.send("好像有吧")
    assert driver.kind is K.CONFIRM
    driver.upload(*PLAN)
    driver.send(quick="link:SS-1-01")
    assert (driver.kind, driver.ids) == (K.CONFIRM, ("SS-1-01",))
    driver.send(quick="confirm")
    assert driver.findings["SS-1-01"].status is S.MET


def test_a_second_upload_before_linking_still_resumes_the_first_question(
    service: InterviewService,
) -> None:
    driver = at_first_indicator(service)
    driver.upload(*PLAN)
    driver.upload("服务记录.txt", dated_text("服务记录", date(2026, 2, 1)))
    assert driver.kind is K.EVIDENCE
    driver.send(quick="link:none")
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-01",))
    assert len(driver.service.store.evidence(driver.session_id)) == 2


def test_an_upload_after_the_end_returns_to_the_summary(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    service = make_service(real_catalog, real_rules, desk=upload_desk(real_catalog))
    driver = Driver.start(service)
    driver.fill_profile()
    driver.answer_until(lambda d: False)
    reply = driver.upload("IMG_0412.png", image_bytes())  # nothing to read, no question on screen
    assert driver.ids == () and "可以回复指标编号来关联" in reply.text
    driver.send("SO-1-02")
    assert driver.kind is K.DONE
    (record,) = service.store.evidence(driver.session_id)
    assert record.indicator_ids == ("SO-1-02",)


# ---------------------------------------------------------------------------- the evidenced reading


@pytest.mark.parametrize(
    ("filename", "issued", "evidenced", "outcome"),
    [
        ("2026年度工作计划.txt", date(2026, 1, 5), S.MET, EvidenceOutcome.SUFFICIENT),
        ("2024年度工作计划.txt", date(2024, 3, 1), S.PARTLY_MET, EvidenceOutcome.STALE),
        ("会议记录.txt", date(2026, 1, 5), S.PARTLY_MET, EvidenceOutcome.MISSING),  # wrong kind
    ],
)
def test_linked_evidence_lifts_the_evidenced_reading(
    service: InterviewService,
    filename: str,
    issued: date,
    evidenced: FindingStatus,
    outcome: EvidenceOutcome,
) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="met")
    before = {r.indicator_id: r for r in service.rating(driver.session_id).indicators}
    assert (before["SS-1-01"].declared, before["SS-1-01"].evidenced) == (S.MET, S.PARTLY_MET)
    assert before["SS-1-01"].evidence is EvidenceOutcome.MISSING
    driver.upload(filename, dated_text(filename.removesuffix(".txt"), issued))
    driver.send(quick="link:SS-1-01")
    after = {r.indicator_id: r for r in service.rating(driver.session_id).indicators}
    assert (after["SS-1-01"].evidenced, after["SS-1-01"].evidence) == (evidenced, outcome)


def test_a_requirement_for_three_records_is_met_by_the_third(service: InterviewService) -> None:
    driver = at_first_indicator(service)
    driver.send(quick="met")
    driver.send(quick="met")  # SS-1-02
    driver.send(text="修改 SO-1-02 满足")
    readings = []
    for month in (1, 2, 3):
        name = f"服务记录2026-0{month}.txt"
        driver.upload(name, dated_text(f"{month}月服务记录", date(2026, month, 10)))
        driver.send("SO-1-02")
        result = {r.indicator_id: r for r in service.rating(driver.session_id).indicators}
        readings.append(result["SO-1-02"].evidenced)
    assert readings == [S.PARTLY_MET, S.PARTLY_MET, S.MET]
    records = service.store.evidence(driver.session_id)
    assert all(r.kind is EvidenceKind.RECORD and r.indicator_ids == ("SO-1-02",) for r in records)


# ------------------------------------------------------------------------------- hostile uploads


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("setup.exe", exe_bytes(), "unsupported_type"),
        ("年度计划.pdf", exe_bytes(), "unsupported_type"),  # a program named like a PDF
        ("制度汇编.docx", zip_bomb_bytes(), "zip_bomb"),
        ("空文件.txt", b"", "empty"),
        ("大文件.txt", b"x" * (1024 * 1024 + 1), "too_large"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "unsupported_type"),
    ],
)
def test_a_refused_upload_changes_nothing(
    service: InterviewService, blobs: MemoryBlobStore, filename: str, data: bytes, reason: str
) -> None:
    driver = at_first_indicator(service)
    store = service.store
    before = (store.get(driver.session_id), store.turns(driver.session_id))
    with pytest.raises(EvidenceRejected) as raised:
        driver.upload(filename, data)
    assert raised.value.reason == reason
    assert raised.value.message("zh") and raised.value.message("en") != raised.value.message("zh")
    assert (store.get(driver.session_id), store.turns(driver.session_id)) == before
    assert store.evidence(driver.session_id) == []
    assert blobs.blobs == {}


def test_without_an_evidence_desk_an_upload_is_refused(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    service = make_service(real_catalog, real_rules)
    driver = Driver.start(service)
    version = driver.record.version
    with pytest.raises(FindingsError):
        driver.upload(*PLAN)
    assert driver.record.version == version
