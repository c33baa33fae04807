"""Extractive answers: quote, cite clause numbers, refuse below the floor — on fixed vectors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.qa.extractive import quote
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import Coverage, CoverageCheck, detect_language
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
    assert answer.language == "en" and answer.text.startswith("What the standard says")


@pytest.mark.parametrize("question", ["今天天气怎么样？", "How do I bake bread?", "   "])
def test_below_the_floor_the_answer_is_a_refusal(index: RetrievalIndex, question: str) -> None:
    answer = QuestionAnswerer(index, CLOSED).ask(question)
    assert not answer.covered and answer.citations == ()
    assert ("抱歉" in answer.text) == (detect_language(question) == "zh")


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
