"""A question whose foreign words keep it from the standard: refused, or its other parts
answered and the foreign words named."""

from __future__ import annotations

import pytest

from assistant.qa.scope import not_covered_note
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.foreign import rest_without
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck
from tests.utils.retrieval import in_memory_index

# Every similarity test passes, except that a foreign word can never lean far enough.
STRICT = CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0, foreign_margin=2.0)


@pytest.fixture(scope="module")
def answerer() -> QuestionAnswerer:
    index: RetrievalIndex = in_memory_index()
    return QuestionAnswerer(index, STRICT)


def test_the_parts_without_a_foreign_word_remain() -> None:
    question = "一星对服务台账有什么要求？另外创业担保贷款利率是多少"
    assert rest_without(question, ("贷款",)) == "一星对服务台账有什么要求"
    assert rest_without("创业担保贷款利率是多少", ("贷款",)) == ""  # nothing else asked
    assert rest_without("How is the star worked out?", ("Zagat",)) == ""  # nothing foreign


def test_a_question_only_about_a_foreign_thing_is_refused(answerer: QuestionAnswerer) -> None:
    answer = answerer.ask("小微企业的创业担保贷款利率是多少")
    assert answer.covered is False


def test_the_in_scope_part_is_answered_and_the_foreign_words_named(
    answerer: QuestionAnswerer,
) -> None:
    answer = answerer.ask("一星对服务台账有什么要求？另外创业担保贷款利率是多少")
    assert answer.covered == "partial"
    assert "贷款" in answer.not_covered
    assert answer.citations
    assert answer.text.endswith(not_covered_note(answer.not_covered, "zh"))


@pytest.mark.parametrize(
    "question",
    ["一星对服务台账有什么要求？", "申请星级评估要提交哪些材料，评估没通过能复评吗"],
)
def test_a_question_in_the_standards_words_is_answered_whole(
    answerer: QuestionAnswerer, question: str
) -> None:
    assert answerer.ask(question).covered is True
