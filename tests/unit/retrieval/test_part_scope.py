"""Questions of several parts on the real embedder, head and rules: an out-of-scope part is named
and the rest answered, an in-scope follow-up never flagged, and all parts out is a refusal."""

from __future__ import annotations

import pytest

from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.runtime import coverage_check
from assistant.settings import Settings


@pytest.fixture(scope="module")
def answerer(real_index: RetrievalIndex) -> QuestionAnswerer:
    assert real_index.searcher.scope_head is not None
    return QuestionAnswerer(real_index, coverage_check(Settings()))


# Written for this test, in no question set; none of them names a look-alike topic.
PARTLY = [
    ("一星对服务台账有什么要求？另外办公室的绿植多久浇一次水？", "办公室的绿植多久浇一次水"),
    (
        "服务人员培训记录要保存哪些内容？顺便问下公司年会抽奖奖品怎么采购比较划算",
        "公司年会抽奖奖品怎么采购比较划算",
    ),
    (
        "What must a two-star institution's complaint procedure include? Also, how do I renew "
        "my driving licence?",
        "how do I renew my driving licence",
    ),
]
WHOLE = [
    "二星对服务流程有什么要求？没有书面流程会扣分吗",
    "Which records prove staff training at one star? Do attendance sheets count?",
    "满意度调查一年做一次够不够？另外调查问卷要包含哪些内容？",
]
ALL_OUT = "员工生日会怎么策划比较热闹？另外办公室的绿植多久浇一次水？"


@pytest.mark.parametrize(("question", "named"), PARTLY)
def test_the_out_of_scope_part_is_named_and_the_rest_answered(
    answerer: QuestionAnswerer, question: str, named: str
) -> None:
    assert coverage_check(Settings()).lookalike(question).verdict == "none"
    answer = answerer.ask(question)
    assert answer.covered == "partial" and answer.citations
    assert answer.not_covered == (named,)


@pytest.mark.parametrize("question", WHOLE)
def test_an_in_scope_follow_up_is_answered_with_the_rest(
    answerer: QuestionAnswerer, question: str
) -> None:
    answer = answerer.ask(question)
    assert answer.covered is True and not answer.not_covered


def test_a_question_whose_parts_are_all_out_is_refused(answerer: QuestionAnswerer) -> None:
    assert answerer.ask(ALL_OUT).covered is False
