"""Look-alike questions through the answerer: refusals name the topic, partial answers name
what they leave out — on fixed vectors, so the similarity tests are open or closed at will."""

from __future__ import annotations

import json
from dataclasses import replace

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
from assistant.retrieval.scope_head import ScopeHead
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


@pytest.mark.parametrize("check", [OPEN, CLOSED], ids=["open", "closed"])
@pytest.mark.parametrize("question", ["评估收费吗 多少钱", "Is there a fee for the assessment?"])
def test_the_assessments_fees_get_what_annex_r_says_whatever_the_similarity(
    index: RetrievalIndex, question: str, check: CoverageCheck
) -> None:
    answer = QuestionAnswerer(index, check).ask(question)
    says = TABLE.match(question).statements[0]
    language = detect_language(question)
    assert answer.covered == "partial" and answer.kind == "exact"
    assert answer.not_covered == _names(question)
    statement = says.zh if language == "zh" else says.en
    stop = statement[-1]  # the numbered markers go before the final full stop
    assert answer.lead == f"{statement[:-1]} [1][2]{stop}"
    assert [c.clause for c in answer.citations] == list(says.clauses)
    assert all(c.label for c in answer.citations)  # titled chips, not file names
    assert answer.text.startswith(answer.lead)
    assert answer.text.endswith(not_covered_note(answer.not_covered, language))


def test_a_refused_look_alike_keeps_a_rest_that_stands_on_its_own(index: RetrievalIndex) -> None:
    question = "合作伙伴协议要交几份？另外这类合作协议的印花税怎么交"
    assert TABLE.match(question).verdict == "refused"  # the rest has none of the asks words
    kept = QuestionAnswerer(index, OPEN).ask(question)
    assert kept.covered == "partial" and kept.not_covered == _names(question)
    assert kept.citations and kept.text.endswith(not_covered_note(_names(question), "zh"))
    # the similarity tests decide on the rest: closed, the refusal stands
    closed = QuestionAnswerer(index, CLOSED).ask(question)
    assert closed.covered is False and closed.not_covered == _names(question)


@pytest.mark.parametrize(
    "question",
    ["软件著作权登记大概多久能下证，要准备啥材料", "等保二级测评多少钱，多久能做完"],
)
def test_a_short_follow_up_to_a_look_alike_is_refused_with_it(
    index: RetrievalIndex, question: str
) -> None:
    answer = QuestionAnswerer(index, OPEN).ask(question)
    assert answer.covered is False and answer.not_covered == _names(question)


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


def _sure_head(index: RetrievalIndex, bias: float) -> None:
    """A head that gives every question P(out of scope) = sigmoid(bias)."""
    dimensions = len(index.embeddings.embed_query("x"))
    index.searcher.scope_head = ScopeHead("fixed", "sha256:fixed", 1.0, (0.0,) * dimensions, bias)


def test_a_head_sure_of_the_scope_rescues_what_the_similarity_tests_refused() -> None:
    index = in_memory_index()
    _sure_head(index, bias=-6.0)  # P(out) 0.0025
    rescuing = replace(CLOSED, head_threshold=0.9, head_rescue=0.02)
    question = "Who has to sign off on the annual work plan?"
    rules_alone = replace(rescuing, head_rescue=None)
    assert QuestionAnswerer(index, rules_alone).ask(question).covered is False
    answer = QuestionAnswerer(index, rescuing).ask(question)
    assert answer.covered is True and answer.citations
    # a word foreign to the standard is never rescued
    foreign = "米其林餐厅的年度计划谁来批？"
    assert TABLE.match(foreign).verdict == "none" and index.searcher.coverage(foreign).foreign
    assert QuestionAnswerer(index, rescuing).ask(foreign).covered is False
    _sure_head(index, bias=0.0)  # P(out) 0.5: not sure enough
    assert QuestionAnswerer(index, rescuing).ask(question).covered is False
