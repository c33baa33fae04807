"""Situation questions: a described practice is answered with the scoring guidance of the
indicator it concerns and the evidence that would show it — never with a verdict."""

from __future__ import annotations

import re

import pytest

from assistant.knowledge.guidance import scoring_in
from assistant.knowledge.schema import Catalog, Indicator
from assistant.qa.models import Answer, Language
from assistant.qa.service import QuestionAnswerer
from assistant.qa.situation import SEE_ALSO_FROM, best_hint, read_situation
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck, detect_language

OPEN = CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0)
CJK = re.compile(r"[\u4e00-\u9fff]")
EXAMPLE = "我们站就三个人，计划是站长口头布置的，评一星会卡在这吗"
VERDICTS = ("会卡", "不会卡", "能通过", "不能通过", "可以通过", "you will pass", "you will fail")


@pytest.mark.parametrize(
    ("question", "levels"),
    [
        (EXAMPLE, (1,)),
        ("我们的服务记录都是事后补写的，这样算不算有记录？", ()),
        ("我单位没有书面的投诉处理程序，评二星够不够？", (2,)),
        (
            "Our centre keeps its service records in one Excel sheet. Enough for one star?",
            (1,),
        ),
        ("We only discuss the annual plan at a meeting; does that count for level 2?", (2,)),
    ],
)
def test_a_situation_is_recognised(question: str, levels: tuple[int, ...]) -> None:
    language: Language = "zh" if CJK.search(question) else "en"
    situation = read_situation(question, language)
    assert situation is not None and situation.levels == levels
    assert situation.segments


@pytest.mark.parametrize(
    "question",
    [
        "一星要准备哪些材料？",  # no first person, no described practice
        "计划是口头布置的，算不算？",  # no first person
        "我们能评几星？",  # no question about passing
        "我们够吗",  # no practice described
        "What does level 3 require for service design?",
        "Does our plan count?",  # too short to describe a practice
        "我们机构要达标需要做哪些工作？",  # asks what is required
        "What do we need to pass one star with our small team?",
        "Can our centre get a discount on office rent from the industrial park?",  # not "count"
    ],
)
def test_other_questions_are_not_situations(question: str) -> None:
    language: Language = "zh" if CJK.search(question) else "en"
    assert read_situation(question, language) is None


# --- answers, on the real index ------------------------------------------------------------------


@pytest.fixture(scope="module")
def answerer(real_index: RetrievalIndex) -> QuestionAnswerer:
    return QuestionAnswerer(real_index, OPEN)


def _guidance_shown(answer: Answer, indicator: Indicator) -> None:
    language = answer.language
    scoring = scoring_in(indicator, language)
    assert scoring is not None
    for part in (scoring.met, scoring.largely, scoring.partly, scoring.sample):
        assert part in answer.text
    direct_or_not = [e.description for e in indicator.evidence] if language == "zh" else []
    assert all(description in answer.text for description in direct_or_not)


def test_the_example_gets_the_annual_plans_scoring_guidance(
    answerer: QuestionAnswerer, real_catalog: Catalog
) -> None:
    answer = answerer.ask(EXAMPLE)
    indicator = real_catalog.indicator(answer.citations[0].indicator_id or "")
    plan = next(i for i in real_catalog.indicators if i.level == 1 and "年度工作计划" in i.title.zh)
    assert indicator == plan
    _guidance_shown(answer, plan)
    oral = next(h for h in plan.hints if "口头" in h)  # an oral arrangement does not count
    assert best_hint(plan, EXAMPLE, "zh") == oral
    assert answer.lead.startswith("您描述的做法") and oral in answer.lead
    assert answer.text.split("\n\n")[0] == answer.lead


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("我们的服务记录都是事后补写的，这样算不算有记录？", "SO-1-02"),
        ("我们没有岗位分工文件，都是主任口头安排谁负责，一星能过吗", "SO-1-01"),
        ("我们新员工上岗都是老员工带一带，没有培训记录，会影响一星吗", "ST-1-02"),
        (
            "Our centre has no written complaint procedure, we just handle complaints by phone. "
            "Would that fail one star?",
            "SO-1-06",
        ),
    ],
)
def test_a_situation_is_matched_to_the_indicator_it_concerns(
    answerer: QuestionAnswerer, real_catalog: Catalog, question: str, expected: str
) -> None:
    answer = answerer.ask(question)
    assert answer.citations[0].indicator_id == expected
    indicator = real_catalog.indicator(expected)
    _guidance_shown(answer, indicator)
    assert best_hint(indicator, question, answer.language) in answer.lead


@pytest.mark.parametrize(
    "question",
    [
        EXAMPLE,
        "Our centre has no written complaint procedure, we just handle complaints by phone. "
        "Would that fail one star?",
    ],
)
def test_a_situation_answer_gives_no_verdict(answerer: QuestionAnswerer, question: str) -> None:
    answer = answerer.ask(question)
    lowered = answer.text.lower()
    assert not any(verdict in lowered for verdict in VERDICTS)
    assert ("不是对贵机构的评估结论" in answer.text) == (detect_language(question) == "zh")
    if answer.language == "en":
        assert "not a verdict on your institution" in answer.text
        assert not CJK.search(answer.lead)
        assert all(not CJK.search(c.label) for c in answer.citations)


def test_a_core_indicator_cites_the_rule_that_it_must_pass(
    answerer: QuestionAnswerer, real_catalog: Catalog
) -> None:
    answer = answerer.ask(EXAMPLE)
    first = real_catalog.indicator(answer.citations[0].indicator_id or "")
    assert first.core
    rule = next(c for c in answer.citations if c.clause.startswith("R."))
    number = answer.citations.index(rule) + 1
    assert f"[{number}]" in answer.lead and rule.label.startswith("附录 R")


def test_the_nearest_clauses_not_cited_follow_as_see_also(
    answerer: QuestionAnswerer, real_index: RetrievalIndex
) -> None:
    question = "三星定制方案我们只能拿出两份 够不够"
    answer = answerer.ask(question)
    nearest = real_index.searcher.search(question, SEE_ALSO_FROM)
    cited = [(c.clause, c.indicator_id) for c in answer.citations]
    for hit in nearest:  # each nearest chunk is cited, as itself or through its indicator
        assert any(clause == hit.chunk.clause for clause, _ in cited)
    assert len(cited) == len(set(cited))
    see_also = next(p for p in answer.text.split("\n\n") if p.startswith("另见："))
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", see_also)]
    assert numbers and numbers == list(range(numbers[0], len(cited) + 1))
