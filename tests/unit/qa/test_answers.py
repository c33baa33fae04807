"""Extractive answers: quote, cite clause numbers, refuse below the floor — on fixed vectors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge.schema import Catalog
from assistant.qa.extractive import (
    annex_notes,
    clause_label,
    extractive_answer,
    is_project_rule,
    quote,
)
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.chunks import Chunk
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import Coverage, CoverageCheck, detect_language
from assistant.retrieval.search import Hit
from tests.utils.retrieval import in_memory_index

OPEN = CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0)
CLOSED = CoverageCheck(floor_zh=1.0, floor_en=1.0)


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    return in_memory_index()


def test_answer_quotes_and_cites_clause_numbers(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, OPEN).ask("一体化服务平台要做到什么程度？")
    assert answer.covered and answer.language == "zh" and answer.citations
    for citation in answer.citations:
        assert citation.clause in answer.text
        assert citation.indicator_id is None or citation.indicator_id in answer.text
        assert "clause:" not in answer.text and "indicator:" not in answer.text
    assert "参考文本" in answer.text


def test_indicator_citation_carries_level_area_and_what_it_means(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, OPEN, k=10).ask("一体化服务平台")
    cited = [c for c in answer.citations if c.indicator_id]
    assert cited
    assert all(c.level is not None and c.area is not None for c in cited)
    assert "对您意味着" in answer.text


def test_clause_cited_through_its_indicator_is_not_quoted_twice(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, OPEN, k=10).ask("基于数据预测服务需求")
    via_indicator = {c.clause for c in answer.citations if c.indicator_id}
    plain = [c.clause for c in answer.citations if not c.indicator_id and c.clause in via_indicator]
    assert plain == []


def test_english_question_gets_an_english_answer(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, OPEN).ask("What does the integrated service platform need?")
    assert answer.language == "en" and answer.text.startswith(answer.lead)
    assert (
        answer.lead.startswith("The closest") and "\n\nWhat the standard says:\n\n" in answer.text
    )


@pytest.mark.parametrize("question", ["今天天气怎么样？", "How do I bake bread?", "   "])
def test_below_the_floor_the_answer_is_a_refusal(index: RetrievalIndex, question: str) -> None:
    answer = QuestionAnswerer(index, CLOSED).ask(question)
    assert not answer.covered and answer.citations == ()
    assert ("抱歉" in answer.text) == (detect_language(question) == "zh")


# --- exact answers come first, before the relevance floor ----------------------------------


@pytest.mark.parametrize(
    "question", ["一星要准备哪些材料？", "  Which indicators are core at level 4 in operations? "]
)
def test_an_exact_question_is_answered_from_the_data_even_below_the_floor(
    index: RetrievalIndex, question: str
) -> None:
    answer = QuestionAnswerer(index, CLOSED).ask(question)
    assert answer.kind == "exact" and answer.covered and answer.citations
    assert answer.question == question.strip()


def test_exact_answers_can_be_switched_off(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, CLOSED, exact=False).ask("一星要准备哪些材料？")
    assert answer.kind == "refused" and not answer.covered
    retrieved = QuestionAnswerer(index, OPEN, exact=False).ask("一星要准备哪些材料？")
    assert retrieved.kind == "retrieved"


def test_other_questions_still_go_to_retrieval(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, OPEN).ask("四星对数据有什么要求？")
    assert answer.kind == "retrieved" and answer.covered
    assert QuestionAnswerer(index, CLOSED).ask("四星对数据有什么要求？").kind == "refused"


@given(
    st.lists(
        st.sampled_from(["机构应制定计划。", "并记录结果；", "定期评审！", "abc"]), max_size=12
    )
)
def test_quote_keeps_whole_sentences(parts: list[str]) -> None:
    text = "".join(parts)
    shown = quote(text, limit=20)
    body = shown.removesuffix("……")
    assert text.startswith(body)
    assert body == text or body.endswith(("。", "；", "！"))


@pytest.mark.parametrize(
    ("question", "inside", "outside", "covered"),
    [
        ("核心指标是什么？", 0.90, 0.85, True),  # well above the floor, closer to the standard
        ("核心指标是什么？", 0.85, 0.80, False),  # below the Chinese floor
        ("增值税税率是多少？", 0.88, 0.92, False),  # closer to a topic outside the standard
        ("增值税税率是多少？", 0.88, 0.895, True),  # within the margin
        ("What is a core indicator?", 0.80, 0.70, True),  # English has its own, lower floor
        ("What is a core indicator?", 0.77, 0.70, False),
    ],
)
def test_coverage_check(question: str, inside: float, outside: float, covered: bool) -> None:
    check = CoverageCheck(floor_zh=0.86, floor_en=0.78, margin=0.02)
    assert check.covers(question, Coverage(inside, outside)) is covered


# --- annex R: the project's own rules are never cited as the standard -------------------------


def _clause_hit(number: str, title: str, text: str, rendition: str = "reference") -> Hit:
    chunk = Chunk(
        key=f"clause:test.md:{number}",
        kind="clause",
        clause=number,
        title=title,
        text=text,
        source="test.md",
        heading_chain=f"{number} {title}",
        rendition="reference" if rendition == "reference" else "operator",
        search_text=text,
        embed_text=text,
    )
    return Hit(chunk=chunk, score=1.0, dense=None, lexical=None)


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        ("6.3.2", "第 6.3.2 条", "Clause 6.3.2"),
        ("R.1.2", "附录 R.1.2", "Annex R.1.2"),
        ("R", "附录 R", "Annex R"),
        ("A.1", "附录 A.1", "Annex A.1"),
        ("附录A", "附录A", "附录A"),
        ("第十二条", "第十二条", "第十二条"),
    ],
)
def test_clause_label(number: str, zh: str, en: str) -> None:
    assert (clause_label(number, "zh"), clause_label(number, "en")) == (zh, en)


def test_an_annex_r_citation_says_it_is_the_projects_rule(real_catalog: Catalog) -> None:
    hits = [
        _clause_hit("R.1.2", "能力域等级的判定", "能力域的等级逐级判定。"),
        _clause_hit("3.9", "核心指标", "体现某一等级基本特征的评估指标。"),
    ]
    answer = extractive_answer("核心指标没达到会怎样？", hits, real_catalog, "zh")
    assert "**附录 R.1.2 能力域等级的判定**（本项目规则，非标准条文）" in answer.text
    assert "本项目规则（附录 R，非标准条文）中的相关内容" in answer.text
    assert "标准中的相关规定" not in answer.text
    assert answer.text.rstrip().endswith("不是标准条文。")
    assert "**第 3.9 条 核心指标**" in answer.text
    english = extractive_answer("What if a core indicator fails?", hits, real_catalog, "en")
    assert "**Annex R.1.2 能力域等级的判定** (project rules, not the standard)" in english.text


def test_a_standard_clause_first_keeps_the_standard_lead(real_catalog: Catalog) -> None:
    hits = [
        _clause_hit("3.9", "核心指标", "体现某一等级基本特征的评估指标。"),
        _clause_hit("R.1.2", "能力域等级的判定", "能力域的等级逐级判定。"),
    ]
    answer = extractive_answer("核心指标", hits, real_catalog, "zh")
    assert "标准中的相关规定如下" in answer.text and "不是标准条文。" in answer.text
    assert not any(is_project_rule(c) for c in answer.citations[:1])


def test_an_operators_annex_r_is_their_document_not_the_project(real_catalog: Catalog) -> None:
    hits = [_clause_hit("R.1", "评估记录", "评估记录应完整。", rendition="operator")]
    answer = extractive_answer("评估记录", hits, real_catalog, "zh")
    assert "《test》附录 R.1 评估记录" in answer.text  # the document, not its file name
    assert answer.citations[0].label == "《test》 附录 R.1"
    assert "本项目规则" not in answer.text and annex_notes(answer.citations, "zh") == []
