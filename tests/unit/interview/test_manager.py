"""The dialogue manager, turn by turn, through the service on the in-memory store.

Free text is read by ``ScriptedMapper`` (fixed readings), so these tests pin the manager's
decisions, not the deterministic mapper's cue tables; one test uses the real mapper.
"""

from __future__ import annotations

import pytest

from assistant.interview.manager import DialogueManager
from assistant.interview.profile import PROFILE_FIELDS
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, InstitutionType, RuleSet
from assistant.qa.extractive import extractive_answer
from assistant.rating.models import ReasonCode
from assistant.retrieval.search import Hit
from assistant.session.models import Profile, QuestionKind, UserTurn
from assistant.session.state import Actor
from tests.utils.interview import (
    CITATION,
    INSTITUTION,
    NOW,
    QUESTION,
    BrokenAnswerer,
    Driver,
    FixedAnswerer,
    ScriptedMapper,
    fixed_answer,
    make_service,
)
from tests.utils.retrieval import shipped_corpus

S = FindingStatus
K = QuestionKind
CONFIDENT = "我们每年都有书面计划，负责人签字"
VAGUE = "好像有吧"
SCRIPT = {
    CONFIDENT: (S.LARGELY_MET, 0.9),
    VAGUE: (S.MET, 0.5),
    "有一部分": (S.PARTLY_MET, 0.6),
    "说不上来": (S.NOT_RATED, 0.3),
}
SS1_CHECKLIST = ("SS-1-03", "SS-1-04", "SS-1-05")


@pytest.fixture()
def answerer() -> FixedAnswerer:
    return FixedAnswerer()


@pytest.fixture()
def service(
    real_catalog: Catalog, real_rules: RuleSet, answerer: FixedAnswerer
) -> InterviewService:
    return make_service(real_catalog, real_rules, mapper=ScriptedMapper(SCRIPT), answerer=answerer)


def interview(service: InterviewService, stars: str = "stars:1") -> Driver:
    driver = Driver.start(service)
    driver.fill_profile(target_stars=("quick", stars))
    return driver


def at_checklist(service: InterviewService) -> Driver:
    driver = interview(service)
    driver.send(quick="met")
    driver.send(quick="met")
    assert driver.ids == SS1_CHECKLIST
    return driver


def scope_size(catalog: Catalog, top: int) -> int:
    return sum(1 for i in catalog.indicators if i.level <= top)


# ------------------------------------------------------------------------------- opening


def test_greeting_profile_plan_first_indicator(
    service: InterviewService, real_catalog: Catalog
) -> None:
    driver = Driver.start(service)
    assert "自评助手" in driver.reply.text and "全称" in driver.reply.text
    assert (driver.kind, driver.question.field) == (K.PROFILE, "name")
    typed = {
        "name": {"text": INSTITUTION},
        "institution_type": {"quick": "type:market"},
        "service_fields": {"text": "融资对接"},
        "smes_served_per_year": {"text": "约300家"},
        "target_stars": {"text": "三星"},
    }
    asked = []
    while driver.kind is K.PROFILE:
        asked.append(driver.question.field)
        how = typed[driver.question.field or ""]
        driver.send(how.get("text"), quick=how.get("quick"))
    assert tuple(asked) == PROFILE_FIELDS
    total = scope_size(real_catalog, 3)
    assert f"从一星问到三星，共 {total} 项指标" in driver.reply.text
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-01",))
    assert driver.quick_values == ("met", "largely_met", "partly_met", "not_met", "unsure", "skip")
    assert "SS-1-01" in driver.reply.text and "核心指标" in driver.reply.text
    assert driver.reply.progress.total == total
    assert driver.state.profile == Profile(
        name=INSTITUTION,
        institution_type=InstitutionType.MARKET,
        service_fields="融资对接",
        smes_served_per_year=300,
        target_stars=3,
    )


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("institution_type", "不好说", "请从三类中选择"),
        ("smes_served_per_year", "很多", "没能读出数字"),
        ("target_stars", "六星", "一星到五星"),
    ],
)
def test_a_profile_answer_that_does_not_fit_keeps_the_question(
    service: InterviewService, field: str, bad: str, message: str
) -> None:
    driver = Driver.start(service)
    earlier = {
        "name": INSTITUTION,
        "institution_type": "市场化服务机构",
        "service_fields": "融资",
        "smes_served_per_year": "100",
    }
    while driver.question.field != field:
        driver.send(earlier[driver.question.field or ""])
    driver.send(bad)
    assert message in driver.reply.text
    assert (driver.kind, driver.question.field) == (K.PROFILE, field)
    assert getattr(driver.state.profile, field) is None


def test_an_unknown_type_button_is_answered_with_the_choices(service: InterviewService) -> None:
    driver = Driver.start(service)
    driver.send(INSTITUTION)
    reply = driver.send(quick="type:government")
    assert "请从三类中选择" in reply.text
    assert driver.question.field == "institution_type"


def test_profile_fields_can_be_skipped(service: InterviewService) -> None:
    driver = Driver.start(service)
    driver.send("跳过")
    assert driver.question.field == "institution_type"
    assert driver.state.profile_skipped == ("name",)
    driver.fill_profile()
    assert driver.kind is K.INDICATOR
    assert driver.state.profile.name is None


def test_unsure_target_asks_all_five_stars(
    service: InterviewService, real_catalog: Catalog
) -> None:
    driver = interview(service, "stars:unsure")
    assert "从一星问到五星" in driver.reply.text
    assert driver.reply.progress.total == len(real_catalog.indicators)


def test_a_known_profile_goes_straight_to_the_plan(service: InterviewService) -> None:
    profile = Profile(
        name=INSTITUTION,
        institution_type=InstitutionType.NONPROFIT,
        service_fields="培训",
        smes_served_per_year=50,
        target_stars=2,
    )
    driver = Driver.start(service, profile=profile)
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-01",))
    assert "从一星问到二星" in driver.reply.text


# ------------------------------------------------------------------------------- free text


def test_a_confident_reading_is_recorded_and_shown(service: InterviewService) -> None:
    driver = interview(service)
    reply = driver.send(CONFIDENT)
    assert "已记录为：**基本满足**，可随时修改" in reply.text
    assert [(p.indicator_id, p.status, p.recorded) for p in reply.proposed_findings] == [
        ("SS-1-01", S.LARGELY_MET, True)
    ]
    finding = driver.findings["SS-1-01"]
    assert finding.status is S.LARGELY_MET and finding.actor is Actor.APPLICANT
    assert finding.reason is not None and CONFIDENT in finding.reason
    assert driver.ids == ("SS-1-02",)


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ({"quick": "confirm"}, S.MET),
        ({"text": "对"}, S.MET),
        ({"text": "yes"}, S.MET),
        ({"text": "部分满足"}, S.PARTLY_MET),
        ({"quick": "not_met"}, S.NOT_MET),
        ({"text": "largely met"}, S.LARGELY_MET),
    ],
)
def test_a_vague_reading_is_confirmed_or_corrected(
    service: InterviewService, how: dict[str, str], expected: FindingStatus
) -> None:
    driver = interview(service)
    reply = driver.send(VAGUE)
    assert (driver.kind, driver.ids) == (K.CONFIRM, ("SS-1-01",))
    assert driver.quick_values[0] == "confirm"
    assert "我理解为：**满足**" in reply.text
    assert [(p.status, p.recorded) for p in reply.proposed_findings] == [(S.MET, False)]
    assert "SS-1-01" not in driver.findings
    driver.send(how.get("text"), quick=how.get("quick"))
    assert driver.findings["SS-1-01"].status is expected
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-02",))


def test_the_real_mapper_records_a_clear_yes_and_asks_about_a_hedge(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    driver = interview(make_service(real_catalog, real_rules))
    driver.send("我们有一个年度工作计划，每年都写。")
    assert driver.findings["SS-1-01"].status is S.MET
    driver.send("好像有吧")
    assert (driver.kind, driver.ids) == (K.CONFIRM, ("SS-1-02",))


@pytest.mark.parametrize(
    ("status", "confidence", "recorded"),
    [
        (S.MET, 0.75, True),  # CONFIDENT: recorded at once
        (S.MET, 0.74, False),
        (S.NOT_MET, 0.95, True),
        (S.NOT_APPLICABLE, 0.95, False),  # SS-1-01 allows no n/a: always put to the user
    ],
)
def test_the_confidence_threshold(
    real_catalog: Catalog,
    real_rules: RuleSet,
    status: FindingStatus,
    confidence: float,
    recorded: bool,
) -> None:
    mapper = ScriptedMapper({"我们的回答": (status, confidence)})
    driver = interview(make_service(real_catalog, real_rules, mapper=mapper))
    driver.send("我们的回答")
    assert ("SS-1-01" in driver.findings) is recorded
    assert driver.kind is (K.INDICATOR if recorded else K.CONFIRM)
    assert mapper.calls == [("我们的回答", "SS-1-01")]


def test_an_english_session_speaks_english(service: InterviewService) -> None:
    driver = Driver.start(service, language="en")
    assert "Hello!" in driver.reply.text and "full name" in driver.reply.text
    driver.send(INSTITUTION)
    assert [q.label for q in driver.question.quick_replies][0] == "Public service institution"
    driver.fill_profile()
    one_star = sum(1 for i in service.catalog.indicators if i.level == 1)
    assert f"asking the {one_star} one-star indicators" in driver.reply.text  # not "… up to one"
    assert "(core)" in driver.reply.text


@pytest.mark.parametrize(
    "how",
    [
        {"text": "说不上来"},  # the mapper reads it as not rated
        pytest.param({"quick": "unsure"}, id="quick-unsure"),
        pytest.param({"text": "不清楚"}, id="text-buqingchu"),
        pytest.param({"text": "not sure"}, id="text-not-sure"),
    ],
)
def test_unsure_gives_hints_and_the_same_question(
    service: InterviewService, how: dict[str, str]
) -> None:
    driver = interview(service)
    reply = driver.send(how.get("text"), quick=how.get("quick"))
    assert "没关系" in reply.text
    assert "> " in reply.text  # the hints, quoted
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-01",))
    assert "SS-1-01" not in driver.findings


# ------------------------------------------------------------------------------- skip and back


def test_skip_is_asked_again_at_the_end_then_left_open(service: InterviewService) -> None:
    driver = interview(service)
    reply = driver.send("跳过")
    assert "稍后会再问一次" in reply.text
    assert driver.ids == ("SS-1-02",)
    assert driver.state.skipped == ("SS-1-01",)
    driver.answer_until(lambda d: d.ids == ("SS-1-01",))
    assert "还有 1 项先前跳过的指标" in driver.reply.text
    assert driver.state.revisiting
    reply = driver.send(quick="skip")
    assert "此项记为未评估" in reply.text
    assert driver.kind is K.DONE
    assert driver.state.left_open == ("SS-1-01",)
    assert "SS-1-01" not in driver.findings
    assert reply.rating is not None
    assert reply.rating.declared.stars == 0
    blockers = {b.indicator_id: b.code for a in reply.rating.declared.areas for b in a.blockers}
    assert blockers["SS-1-01"] is ReasonCode.NOT_RATED
    assert reply.progress.answered == reply.progress.total - 1


def test_a_skipped_question_answered_on_the_second_pass(service: InterviewService) -> None:
    driver = interview(service)
    driver.send("skip")
    driver.answer_until(lambda d: d.ids == ("SS-1-01",))
    reply = driver.send(quick="met")
    assert driver.kind is K.DONE
    assert reply.rating is not None and reply.rating.declared.stars == 1
    assert driver.state.skipped == () and driver.state.left_open == ()


def test_back_shows_the_record_and_answering_returns_to_where_the_user_was(
    service: InterviewService,
) -> None:
    driver = at_checklist(service)
    reply = driver.send("上一题")
    assert "回到上一题" in reply.text
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-02",))
    assert "（当前记录：满足）" in reply.text
    driver.send(quick="partly_met")
    assert driver.findings["SS-1-02"].status is S.PARTLY_MET
    assert (driver.kind, driver.ids) == (K.CHECKLIST, SS1_CHECKLIST)
    audit = driver.service.store.history(driver.session_id, "SS-1-02")
    assert [(c.previous, c.status) for c in audit] == [(None, S.MET), (S.MET, S.PARTLY_MET)]


def test_back_twice_and_back_before_the_first_question(service: InterviewService) -> None:
    driver = at_checklist(service)
    driver.send("back")
    driver.send("back")
    assert driver.ids == ("SS-1-01",)
    driver.send(quick="met")
    assert list(driver.ids) == list(SS1_CHECKLIST)  # SS-1-02 is answered: where the user was
    first = Driver.start(service)
    first.send("上一题")
    assert "已经是第一题了" in first.reply.text
    assert first.question.field == "name"


# ------------------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("command", "expected", "rated"),
    [
        ("进度", "**进度**：已答 2 / 26 项", False),
        ("progress", "**进度**：已答 2 / 26 项", False),
        ("帮助", "**可用指令**", False),
        ("help", "**可用指令**", False),
        ("报告", "**临时星级**", True),
        ("report", "**临时星级**", True),
    ],
)
def test_progress_help_and_report_keep_the_question(
    service: InterviewService, command: str, expected: str, rated: bool
) -> None:
    driver = at_checklist(service)
    before = driver.record
    reply = driver.send(command)
    assert expected in reply.text
    assert (reply.rating is not None) is rated
    assert (driver.kind, driver.ids) == (K.CHECKLIST, SS1_CHECKLIST)
    assert "请逐项选择" in reply.text  # the question is shown again
    assert driver.findings == before.findings
    assert driver.state.history == before.state.history


def test_progress_lists_every_area(service: InterviewService) -> None:
    reply = at_checklist(service).send("进度")
    for line in ("服务战略：2 / 5", "服务设计：0 / 4", "服务持续改进：0 / 5"):
        assert line in reply.text


@pytest.mark.parametrize(
    ("command", "status"),
    [
        ("修改 SS-1-01 部分满足", S.PARTLY_MET),
        ("change SS-1-01 to not met", S.NOT_MET),
        ("修改SS-1-01为基本满足", S.LARGELY_MET),
    ],
)
def test_change_a_recorded_answer_in_place(
    service: InterviewService, command: str, status: FindingStatus
) -> None:
    driver = at_checklist(service)
    driver.send(command)
    assert driver.findings["SS-1-01"].status is status
    assert driver.ids == SS1_CHECKLIST


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("修改 SS-9-99 满足", "没有找到指标 SS-9-99"),
        ("修改 SS-1-01 很好", "没关系"),
        ("修改 SS-1-01 不适用", "不允许选择“不适用”"),
    ],
)
def test_a_change_that_cannot_be_made_changes_nothing(
    service: InterviewService, command: str, message: str
) -> None:
    driver = at_checklist(service)
    before = driver.findings
    driver.send(command)
    assert message in driver.reply.text
    assert driver.findings == before
    assert driver.ids == SS1_CHECKLIST


# ------------------------------------------------------------------------------- questions


@pytest.mark.parametrize("question", [QUESTION, "What does four stars require of data?"])
def test_a_question_is_answered_and_the_interview_resumes(
    service: InterviewService, answerer: FixedAnswerer, question: str
) -> None:
    driver = interview(service)
    driver.send(quick="met")
    reply = driver.send(question)
    assert answerer.asked == [question]
    assert reply.citations == (CITATION,)
    assert fixed_answer().text in reply.text
    assert "继续刚才的问题" in reply.text
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-1-02",))
    assert "SS-1-02" in reply.text.split("继续刚才的问题")[1]
    assert "SS-1-02" not in driver.findings
    reply = driver.send(quick="met")
    assert reply.citations == ()


def test_the_answer_comes_before_the_question_asked_again(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    keys = ("indicator:SO-4-05", "clause:09-operation.md:9.4.2")
    chunks = [c for key in keys for c in shipped_corpus().chunks if c.key == key]
    hits = [Hit(chunk=c, score=1.0, dense=None, lexical=None) for c in chunks]
    answer = extractive_answer(QUESTION, hits, real_catalog, "zh")
    driver = interview(make_service(real_catalog, real_rules, answerer=FixedAnswerer(answer)))
    pending = driver.ids
    reply = driver.send(QUESTION)
    text = reply.text
    assert answer.lead and len(answer.citations) == len(keys) and driver.ids == pending
    assert text.index(answer.lead) < text.index("\n---\n") < text.index("继续刚才的问题")
    said, _, asked_again = text.partition("\n---\n")
    assert pending[0] in asked_again and pending[0] not in said
    # the quotes are in the citations (the chat's chips), not repeated in the text
    assert "\n> " not in said and "[1] **" not in said
    assert "参考文本" in said  # the note stays with the answer
    assert reply.citations == answer.citations
    assert all(c.label and ".md" not in c.label for c in reply.citations)


def test_a_question_at_a_checklist_keeps_the_checklist(
    service: InterviewService, answerer: FixedAnswerer
) -> None:
    driver = at_checklist(service)
    reply = driver.send(QUESTION)
    assert reply.citations == (CITATION,)
    assert (driver.kind, driver.ids) == (K.CHECKLIST, SS1_CHECKLIST)
    assert all(i not in driver.findings for i in SS1_CHECKLIST)


def test_without_an_answerer_questions_are_not_available(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    driver = interview(make_service(real_catalog, real_rules))
    reply = driver.send(QUESTION)
    assert "问答功能暂未启用" in reply.text
    assert reply.citations == ()
    assert driver.ids == ("SS-1-01",)


def test_an_answerer_error_is_shown_and_the_question_kept(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    driver = interview(make_service(real_catalog, real_rules, answerer=BrokenAnswerer()))
    reply = driver.send(QUESTION)
    assert "检索服务暂不可用" in reply.text
    assert driver.ids == ("SS-1-01",)


def test_a_question_during_the_profile_is_answered(
    service: InterviewService, answerer: FixedAnswerer
) -> None:
    driver = Driver.start(service)
    while driver.question.field != "target_stars":
        driver.send(quick="skip")
    reply = driver.send(QUESTION)
    assert reply.citations == (CITATION,)
    assert driver.question.field == "target_stars"
    assert driver.state.profile.target_stars is None


@pytest.mark.parametrize(
    "typed", ["服务转化三星的核心指标是哪几条", "一星要准备啥材料吗", "which indicators are core"]
)
def test_a_question_typed_without_a_question_mark_is_answered_where_it_answers_nothing(
    service: InterviewService, answerer: FixedAnswerer, typed: str
) -> None:
    driver = Driver.start(service)
    while driver.question.field != "institution_type":
        driver.send(quick="skip")
    reply = driver.send(typed)  # the institution's type was asked: this is none of the three
    assert answerer.asked == [typed] and reply.citations == (CITATION,)
    assert driver.question.field == "institution_type"
    driver = interview(service)
    pending = driver.ids
    reply = driver.send(typed)  # at an indicator: not read as a status of it
    assert answerer.asked[-1] == typed and driver.ids == pending
    assert driver.kind is not K.CONFIRM and not driver.findings  # nothing read into it


def test_a_question_at_a_one_line_confirm_restates_it(service: InterviewService) -> None:
    driver = interview(service)
    driver.send(VAGUE)
    assert driver.kind is K.CONFIRM
    reply = driver.send(QUESTION)
    assert driver.kind is K.CONFIRM
    assert "SS-1-01" in reply.text.split("继续刚才的问题")[1]


# ------------------------------------------------------------------------------- checklists


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ({"text": "全部满足"}, dict.fromkeys(SS1_CHECKLIST, S.MET)),
        ({"quick": "all:met"}, dict.fromkeys(SS1_CHECKLIST, S.MET)),
        ({"text": "all met"}, dict.fromkeys(SS1_CHECKLIST, S.MET)),
        ({"quick": "all:partly_met"}, dict.fromkeys(SS1_CHECKLIST, S.PARTLY_MET)),
        (
            {"text": "2不满足，其余满足"},
            {"SS-1-03": S.MET, "SS-1-04": S.NOT_MET, "SS-1-05": S.MET},
        ),
    ],
)
def test_a_whole_checklist_in_one_reply(
    service: InterviewService, how: dict[str, str], expected: dict[str, FindingStatus]
) -> None:
    driver = at_checklist(service)
    driver.send(how.get("text"), quick=how.get("quick"))
    assert {i: driver.findings[i].status for i in SS1_CHECKLIST} == expected
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SD-1-01",))


def test_structured_answers_record_the_checklist(service: InterviewService) -> None:
    driver = at_checklist(service)
    answers = dict(zip(SS1_CHECKLIST, (S.LARGELY_MET, S.PARTLY_MET, S.NOT_MET), strict=True))
    reply = driver.send(answers=answers)
    assert "已记录 3 项" in reply.text
    assert {i: driver.findings[i].status for i in SS1_CHECKLIST} == answers
    assert driver.ids == ("SD-1-01",)


@pytest.mark.parametrize(
    ("how", "recorded", "rest"),
    [
        ({"text": "1满足"}, {"SS-1-03": S.MET}, 2),
        ({"text": "1满足 2部分满足"}, {"SS-1-03": S.MET, "SS-1-04": S.PARTLY_MET}, 1),
        ({"answers": {"SS-1-05": S.MET}}, {"SS-1-05": S.MET}, 2),
        ({"answers": {"SS-1-03": S.MET, "SS-1-05": S.NOT_MET}}, None, 1),
    ],
)
def test_a_partly_answered_checklist_asks_the_rest(
    service: InterviewService,
    how: dict[str, object],
    recorded: dict[str, FindingStatus] | None,
    rest: int,
) -> None:
    driver = at_checklist(service)
    answers = how.get("answers")
    text = how.get("text")
    driver.send(
        text if isinstance(text, str) else None,
        answers=answers if isinstance(answers, dict) else None,
    )
    if recorded:
        assert {i: driver.findings[i].status for i in recorded} == recorded
    open_ids = tuple(i for i in SS1_CHECKLIST if i not in driver.findings)
    assert len(open_ids) == rest
    assert driver.ids == open_ids
    assert driver.kind is (K.CHECKLIST if rest > 1 else K.INDICATOR)
    if rest > 1:
        assert "还有以下几项未选择" in driver.reply.text


def test_free_text_at_a_checklist_is_confirmed_line_by_line(service: InterviewService) -> None:
    driver = at_checklist(service)
    reply = driver.send(VAGUE)
    assert (driver.kind, driver.ids) == (K.CONFIRM, SS1_CHECKLIST)
    assert "请确认或逐项修改" in reply.text
    assert all(f"- {i} " in reply.text for i in SS1_CHECKLIST)
    assert [p.indicator_id for p in reply.proposed_findings] == list(SS1_CHECKLIST)
    reply = driver.send(quick="confirm")
    assert "已记录 3 项" in reply.text
    assert {driver.findings[i].status for i in SS1_CHECKLIST} == {S.MET}
    assert driver.ids == ("SD-1-01",)


def test_correcting_one_line_of_a_confirm_keeps_the_other_proposals(
    service: InterviewService,
) -> None:
    driver = at_checklist(service)
    driver.send(VAGUE)
    driver.send("2部分满足")
    assert driver.findings["SS-1-04"].status is S.PARTLY_MET
    rest = ("SS-1-03", "SS-1-05")
    kept = driver.kind is K.CONFIRM and driver.ids == rest
    recorded = all(driver.findings.get(i) is not None for i in rest)
    assert kept or recorded


def test_not_applicable_is_refused_where_the_indicator_forbids_it(
    service: InterviewService,
) -> None:
    driver = interview(service)
    assert "not_applicable" not in driver.quick_values
    driver.send(quick="not_applicable")
    assert "指标 SS-1-01 不允许选择“不适用”" in driver.reply.text
    assert "SS-1-01" not in driver.findings and driver.ids == ("SS-1-01",)
    driver.send(quick="met")
    driver.send(quick="met")
    driver.send(answers={"SS-1-03": S.NOT_APPLICABLE, "SS-1-04": S.MET})
    assert "SS-1-03" not in driver.findings and driver.findings["SS-1-04"].status is S.MET
    assert list(driver.ids) == ["SS-1-03", "SS-1-05"]


def test_not_applicable_is_recorded_where_allowed(service: InterviewService) -> None:
    driver = interview(service)
    driver.answer_until(lambda d: "ST-1-04" in d.ids)
    assert driver.kind is K.CHECKLIST
    driver.send(answers={"ST-1-04": S.NOT_APPLICABLE, "ST-1-06": S.NOT_APPLICABLE})
    assert driver.findings["ST-1-04"].status is S.NOT_APPLICABLE
    assert driver.findings["ST-1-06"].status is S.NOT_APPLICABLE


def test_unknown_indicator_ids_in_answers(service: InterviewService) -> None:
    driver = at_checklist(service)
    driver.send(answers={"SS-9-99": S.MET, "SS-1-03": S.MET})
    assert "没有找到指标 SS-9-99" in driver.reply.text
    assert "SS-9-99" not in driver.findings
    assert driver.findings["SS-1-03"].status is S.MET
    assert driver.ids == ("SS-1-04", "SS-1-05")


def test_only_unknown_ids_leave_the_checklist_as_it_was(service: InterviewService) -> None:
    driver = at_checklist(service)
    before = driver.findings
    driver.send(answers={"XX-1-01": S.MET})
    assert "没有找到指标 XX-1-01" in driver.reply.text
    assert driver.findings == before and driver.ids == SS1_CHECKLIST


# ------------------------------------------------------------------------------- language


def test_switching_to_english_renders_the_question_in_english(
    service: InterviewService, real_catalog: Catalog
) -> None:
    driver = interview(service)
    ss101 = real_catalog.indicator("SS-1-01")
    assert ss101.question_en is not None
    reply = driver.send("English")
    assert reply.language == "en" and driver.state.language == "en"
    assert "Switched to English." in reply.text
    assert ss101.question_en in reply.text
    assert driver.question.indicators[0].title == ss101.title.en
    assert [q.label for q in driver.question.quick_replies][-2:] == ["Not sure", "Skip"]
    reply = driver.send(quick="met")
    assert "Recorded as **met**" in reply.text
    reply = driver.send("中文")
    assert reply.language == "zh" and "已切换为中文" in reply.text
    assert real_catalog.indicator("SS-1-02").question in reply.text


# ------------------------------------------------------------------------------- adaptive skipping


@pytest.mark.parametrize("failed", ["not_met", "partly_met"])
def test_a_failed_core_skips_the_area_above_that_level(
    service: InterviewService, real_catalog: Catalog, failed: str
) -> None:
    driver = interview(service, "stars:3")
    full = driver.reply.progress.total
    driver.send(quick=failed)
    ss_above = sum(1 for i in real_catalog.indicators if i.area == "SS" and 2 <= i.level <= 3)
    assert driver.reply.progress.total == full - ss_above
    driver.send(quick="met")
    driver.send("全部满足")
    assert driver.ids == ("SD-1-01",)


def test_full_gap_analysis_keeps_asking_after_a_failed_core(
    service: InterviewService, real_catalog: Catalog
) -> None:
    driver = interview(service, "stars:3")
    reply = driver.send("全面差距分析")
    assert "全面差距分析" in reply.text and driver.ids == ("SS-1-01",)
    driver.send(quick="not_met")
    assert driver.reply.progress.total == len(real_catalog.indicators)
    driver.send(quick="met")
    driver.send("全部满足")
    assert driver.ids == ("SS-2-01",)


# ------------------------------------------------------------------------------- the end


def test_done_shows_the_rating_and_offers_report_and_full_gap(
    service: InterviewService,
) -> None:
    driver = interview(service)
    reply = driver.answer_until(lambda d: False)
    assert driver.kind is K.DONE
    assert "全部问题已完成" in reply.text and "**临时星级**" in reply.text
    assert reply.rating is not None and reply.rating.declared.stars == 1
    assert driver.quick_values == ("report", "full_gap")
    assert (reply.progress.answered, reply.progress.total) == (26, 26)
    again = driver.send(quick="report")
    assert again.rating is not None and driver.kind is K.DONE


def test_full_gap_analysis_after_done_reopens_the_questions(
    service: InterviewService, real_catalog: Catalog
) -> None:
    driver = interview(service)
    driver.answer_until(lambda d: False)
    reply = driver.send(quick="full_gap")
    assert "已切换为**全面差距分析**" in reply.text
    assert (driver.kind, driver.ids) == (K.INDICATOR, ("SS-2-01",))
    assert driver.state.full_gap_analysis
    assert reply.progress.total == len(real_catalog.indicators)
    assert reply.progress.answered == 26


def test_a_question_reopened_by_full_gap_gets_its_second_chance(
    service: InterviewService,
) -> None:
    driver = interview(service)
    driver.send("skip")
    driver.answer_until(lambda d: d.ids == ("SS-1-01",))
    driver.send("skip")
    assert driver.kind is K.DONE
    driver.send(quick="full_gap")
    assert driver.ids == ("SS-2-01",)
    reply = driver.send("skip")
    assert "稍后会再问一次" in reply.text
    assert "SS-2-01" not in driver.state.left_open


# ------------------------------------------------------------------------------- purity


def test_handle_is_a_pure_function_of_its_inputs(
    service: InterviewService, real_catalog: Catalog
) -> None:
    driver = at_checklist(service)
    record = driver.record
    manager: DialogueManager = service.manager
    turn = UserTurn(text="1满足 2部分满足")
    state_before = record.state.model_copy(deep=True)
    first = manager.handle(record.state, record.findings, turn, NOW)
    second = manager.handle(record.state, record.findings, turn, NOW)
    assert first.state == second.state and first.findings == second.findings
    assert first.messages == second.messages and first.changes == second.changes
    assert record.state == state_before
    assert set(record.findings) == {"SS-1-01", "SS-1-02"}
