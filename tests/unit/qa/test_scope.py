"""Look-alike questions through the answerer: refusals name the topic, partial answers name
what they leave out — on fixed vectors, so the similarity tests are open or closed at will."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from assistant.knowledge.loader import default_knowledge_dir
from assistant.llm.grounded import GroundedAnswerer
from assistant.qa.models import Answer
from assistant.qa.scope import not_covered_note
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.glossary import load_out_of_scope
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck, detect_language
from tests.utils.fake_chat import SAMPLE_ANSWER, SAMPLE_PROSE, CannedAnswerer, ScriptedChatModel
from tests.utils.retrieval import in_memory_index

TABLE = load_out_of_scope(default_knowledge_dir() / "retrieval" / "out_of_scope.yaml").lookalikes
OPEN = CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0, lookalikes=TABLE)
CLOSED = CoverageCheck(floor_zh=1.0, floor_en=1.0, lookalikes=TABLE)


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    return in_memory_index()


def _names(question: str) -> tuple[str, ...]:
    return TABLE.match(question).names(detect_language(question))


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("专精特新“小巨人”要怎么认定？", "这个问题关于"),
        ("我们机构想申报省级中小企业公共服务示范平台，流程是什么？", "这个问题关于"),
        ("违反个人信息保护法一般罚多少钱？", "这个问题关于"),
        ("How do I get a business licence for a consultancy?", "This question is about"),
        ("What are the VAT rates for small-scale taxpayers?", "This question is about"),
    ],
)
def test_a_look_alike_is_refused_naming_its_topic_even_above_the_floor(
    index: RetrievalIndex, question: str, opening: str
) -> None:
    answer = QuestionAnswerer(index, OPEN).ask(question)
    names = _names(question)
    assert names and answer.not_covered == names
    assert answer.covered is False and answer.kind == "refused" and answer.citations == ()
    assert answer.text.startswith(f"{opening}{' ' if opening.isascii() else ''}{names[0]}")
    assert answer.language == detect_language(question)


@pytest.mark.parametrize(
    "question",
    [
        "评三星要准备什么材料，评估费用多少",
        "数据安全方面一星要求什么，违反了怎么罚",
        "What does four stars require of data, and how much does the assessment cost?",
    ],
)
def test_a_partly_covered_question_is_answered_and_names_the_rest(
    index: RetrievalIndex, question: str
) -> None:
    answer = QuestionAnswerer(index, OPEN).ask(question)
    names = _names(question)
    assert answer.covered == "partial" and answer.not_covered == names
    assert answer.citations and answer.question == question
    assert answer.text.endswith(not_covered_note(names, answer.language))
    assert answer.language == detect_language(question)


def test_the_partial_answer_answers_only_the_in_scope_part(index: RetrievalIndex) -> None:
    question = "数据安全方面一星要求什么，违反了怎么罚"
    partial = QuestionAnswerer(index, OPEN).ask(question)
    alone = QuestionAnswerer(index, OPEN).ask(TABLE.match(question).rest)
    assert partial.citations == alone.citations and partial.kind == alone.kind


def test_a_partial_question_whose_in_scope_part_misses_the_floor_is_refused_by_topic(
    index: RetrievalIndex,
) -> None:
    question = "四星对数据有什么要求？另外，专精特新怎么申报？"
    answer = QuestionAnswerer(index, CLOSED, exact=False).ask(question)
    assert answer.covered is False and answer.not_covered == _names(question)


@pytest.mark.parametrize(
    "question",
    [
        "一星对个人信息保护有什么要求",
        "划型标准在SS-1-02里怎么用",
        "申请评估要交哪些材料",
        "Can an ISO 9001 certificate serve as evidence for the quality system?",
    ],
)
def test_in_scope_questions_with_look_alike_words_are_answered(
    index: RetrievalIndex, question: str
) -> None:
    answer = QuestionAnswerer(index, OPEN).ask(question)
    assert answer.covered is True and answer.not_covered == ()


def test_covered_takes_true_false_or_partial_and_survives_json() -> None:
    partial = SAMPLE_ANSWER.model_copy(update={"covered": "partial", "not_covered": ("收费",)})
    assert Answer.model_validate_json(partial.model_dump_json()) == partial
    assert json.loads(SAMPLE_ANSWER.model_dump_json())["covered"] is True
    assert json.loads(SAMPLE_ANSWER.model_dump_json())["not_covered"] == []
    with pytest.raises(ValidationError):
        Answer.model_validate({**SAMPLE_ANSWER.model_dump(), "covered": "maybe"})


def test_a_grounded_partial_answer_still_names_what_it_leaves_out() -> None:
    names = ("评估或认证机构的选择和收费",)
    partial = SAMPLE_ANSWER.model_copy(update={"covered": "partial", "not_covered": names})
    chat = ScriptedChatModel().enqueue(SAMPLE_PROSE)
    answer = GroundedAnswerer(chat, CannedAnswerer(partial)).ask(partial.question)
    assert answer.text.startswith(SAMPLE_PROSE)
    assert answer.text.endswith(not_covered_note(names, "zh"))
    assert answer.covered == "partial" and answer.not_covered == names
