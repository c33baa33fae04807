"""Nothing a client sends is unbounded: profile answers typed in the chat, the size of a
checklist's ``answers``, ids echoed back, and the evidence one session may hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from assistant.errors import EvidenceRejected
from assistant.evidence import EvidenceRecord
from assistant.interview.service import InterviewService
from assistant.interview.uploads import QUOTA_EXCEEDED, EvidenceQuota
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.session.models import MAX_ANSWERS, Language, QuestionKind, UserTurn
from tests.utils.interview import (
    INSTITUTION,
    Driver,
    dated_text,
    make_service,
    upload_desk,
)

S = FindingStatus
K = QuestionKind
SS1_CHECKLIST = ("SS-1-03", "SS-1-04", "SS-1-05")


@pytest.fixture()
def service(real_catalog: Catalog, real_rules: RuleSet) -> InterviewService:
    return make_service(real_catalog, real_rules, desk=upload_desk(real_catalog))


def at_checklist(service: InterviewService, language: Language = "zh") -> Driver:
    driver = Driver.start(service, language=language)
    driver.fill_profile(target_stars=("quick", "stars:1"))
    driver.send(quick="met")
    driver.send(quick="met")
    assert driver.ids == SS1_CHECKLIST
    return driver


# ------------------------------------------------------------------------------- profile


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("zh", "机构名称过长：最多 200 个字符，收到 3,000 个，未保存。"),
        ("en", "The name is too long: at most 200 characters, got 3,000; nothing was saved."),
    ],
    ids=["zh", "en"],
)
def test_a_name_typed_past_the_limit_is_refused_and_asked_again(
    service: InterviewService, language: Language, told: str
) -> None:
    driver = Driver.start(service, language=language)
    question = driver.reply.text.split("\n\n")[-1]

    reply = driver.send("深圳" * 1500)

    assert told in reply.text
    assert reply.text.endswith(question)
    assert (driver.kind, driver.question.field) == (K.PROFILE, "name")
    assert driver.state.profile.name is None
    driver.send(INSTITUTION)
    assert driver.state.profile.name == INSTITUTION


@pytest.mark.parametrize(
    ("field", "sent", "told"),
    [
        ("service_fields", "融资对接、" * 120, "服务领域的描述过长：最多 500 个字符，收到 600 个"),
        ("smes_served_per_year", "9" * 400, "这个数字太大了（最多 100,000,000）"),
    ],
    ids=["service_fields", "smes_served_per_year"],
)
def test_other_profile_answers_past_their_limits_keep_the_question(
    service: InterviewService, field: str, sent: str, told: str
) -> None:
    driver = Driver.start(service)
    earlier = {"name": INSTITUTION, "institution_type": "type:market", "service_fields": "融资"}
    while driver.question.field != field:
        driver.send(earlier[driver.question.field or ""])

    reply = driver.send(sent)

    assert told in reply.text
    assert (driver.kind, driver.question.field) == (K.PROFILE, field)
    assert getattr(driver.state.profile, field) is None


# ------------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    "answers",
    [
        {f"XX-{n:05d}": "met" for n in range(MAX_ANSWERS + 1)},
        {f"XX-{n:05d}": "met" for n in range(40_000)},
    ],
    ids=["65", "40000"],
)
def test_more_answers_than_the_schema_allows_are_refused_before_reading_them(
    answers: dict[str, str],
) -> None:
    with pytest.raises(ValidationError) as refused:
        UserTurn.model_validate({"answers": answers})
    (error,) = refused.value.errors()
    assert error["type"] == "too_long"
    assert error["ctx"]["actual_length"] == len(answers)


def test_an_answer_key_longer_than_any_indicator_id_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        UserTurn.model_validate({"answers": {"SS-1-03" + "x" * 10: "met"}})
    assert refused.value.errors()[0]["type"] == "string_too_long"


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("zh", "有 60 个编号不属于本题，已忽略。"),
        ("en", "60 ids not in this question were ignored."),
    ],
    ids=["zh", "en"],
)
def test_ids_outside_the_question_are_ignored_in_one_sentence(
    service: InterviewService, language: Language, told: str
) -> None:
    driver = at_checklist(service, language)
    junk: dict[str, FindingStatus] = {f"JUNK-{n:05d}": S.MET for n in range(58)}
    junk.update({"SD-1-01": S.MET, "SO-5-01": S.MET, "SS-1-03": S.MET, "SS-1-04": S.NOT_MET})

    reply = driver.send(answers=junk)

    assert reply.text.count(told) == 1
    assert "JUNK" not in reply.text and "SD-1-01" not in reply.text
    ignored, _, next_question = reply.text.partition("\n\n")
    assert ignored == told and len(next_question) < 2000  # the next question, its guidance
    assert {i: f.status for i, f in driver.findings.items() if i.startswith("SS-1-0")} == {
        "SS-1-01": S.MET,
        "SS-1-02": S.MET,
        "SS-1-03": S.MET,
        "SS-1-04": S.NOT_MET,
    }
    assert "SD-1-01" not in driver.findings and "SO-5-01" not in driver.findings
    assert driver.ids == ("SS-1-05",)


def test_one_indicator_of_another_question_is_named_and_not_recorded(
    service: InterviewService,
) -> None:
    driver = at_checklist(service)

    reply = driver.send(answers={"SD-1-01": S.MET})

    assert "指标 SD-1-01 不属于本题，已忽略" in reply.text
    assert "SD-1-01" not in driver.findings and driver.ids == SS1_CHECKLIST


# ------------------------------------------------------------------------------- evidence links


def uploaded(service: InterviewService) -> Driver:
    driver = at_checklist(service)
    driver.upload("章程.txt", dated_text("机构章程", date(2025, 3, 1)))
    assert driver.kind is K.EVIDENCE
    return driver


def test_many_unknown_ids_to_link_are_reported_once(service: InterviewService) -> None:
    driver = uploaded(service)
    chosen: dict[str, FindingStatus] = {f"NOPE-{n:04d}": S.MET for n in range(40)}
    chosen["SS-1-03"] = S.MET

    reply = driver.send(answers=chosen)

    assert reply.text.count("有 40 个编号不是本标准的指标，已忽略。") == 1
    assert "NOPE" not in reply.text
    (record,) = service.store.evidence(driver.session_id)
    assert record.indicator_ids == ("SS-1-03",)


def test_a_long_typed_link_is_echoed_cut_short(service: InterviewService) -> None:
    driver = uploaded(service)

    reply = driver.send("link:" + "Z" * 3000)

    assert "没有找到指标 ZZZZZZZZZZZZZZZZ…" in reply.text
    assert "Z" * 17 not in reply.text


# ------------------------------------------------------------------------------- evidence quota


def record(size: int, n: int = 0) -> EvidenceRecord:
    return EvidenceRecord(
        id=f"e{n}",
        session_id="s",
        sha256="0" * 64,
        filename=f"f{n}.txt",
        media_type="text/plain",
        size=size,
        uploaded_at=datetime(2026, 6, 1, tzinfo=UTC),
    )


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("existing", "incoming", "zh", "en"),
    [
        (
            [record(10, n) for n in range(3)],
            1,
            "最多 3 个文件，已上传 3 个",
            "at most 3 files, 3 uploaded",
        ),
        (
            [record(4 * MB), record(MB // 2, 1)],
            MB,
            "最多 5 MB，已用 4.5 MB，本文件 1 MB",
            "at most 5 MB, 4.5 MB used, this file 1 MB",
        ),
    ],
    ids=["files", "bytes"],
)
def test_the_evidence_quota_refuses_naming_the_limit_and_the_use(
    existing: list[EvidenceRecord], incoming: int, zh: str, en: str
) -> None:
    quota = EvidenceQuota(max_files=3, max_bytes=5 * MB)

    with pytest.raises(EvidenceRejected) as refused:
        quota.check(existing, incoming)

    assert refused.value.reason == QUOTA_EXCEEDED
    assert zh in refused.value.message("zh")
    assert en in refused.value.message("en")


def test_the_evidence_quota_takes_a_file_that_fits_exactly() -> None:
    quota = EvidenceQuota(max_files=3, max_bytes=5 * MB)
    quota.check([record(4 * MB), record(MB // 2, 1)], MB // 2)
    quota.check_count([record(1, n) for n in range(2)])
