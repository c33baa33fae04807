"""Words foreign to the standard: the generic test for look-alikes no table lists."""

from __future__ import annotations

import pytest

from assistant.knowledge.loader import default_knowledge_dir
from assistant.retrieval.foreign import foreign_names, foreign_nouns
from assistant.retrieval.glossary import load_out_of_scope
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import Coverage, CoverageCheck
from tests.utils.retrieval import in_memory_index

TABLE = load_out_of_scope(default_knowledge_dir() / "retrieval" / "out_of_scope.yaml").lookalikes


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    return in_memory_index()


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        ("小微企业的创业担保贷款利率现在是多少", "贷款"),
        ("我们想申请科技企业孵化器，场地要多大", "孵化器"),
        ("员工的试用期最长能约定几个月", "试用期"),
        ("开咨询费发票要交多少印花税", "印花税"),
    ],
)
def test_a_noun_the_standard_never_uses_is_foreign(
    index: RetrievalIndex, question: str, foreign: str
) -> None:
    assert foreign in index.searcher.coverage(question).foreign


@pytest.mark.parametrize(
    "question",
    [
        "三星对服务台账有什么要求",
        "投诉处理程序要写哪些内容",
        "申请星级评估要提交哪些材料",
        "评估没通过，整改以后能复评吗",
        "一体化服务平台具体指什么",
        "核心指标判了不适用会影响评级吗",
        "内审是主任自己审自己 人太少没办法",  # 内审: a search key of 10.3.3
    ],
)
def test_questions_in_the_standards_own_words_have_no_foreign_noun(
    index: RetrievalIndex, question: str
) -> None:
    assert index.searcher.coverage(question).foreign == ()


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        ("How do Uber drivers keep a five-star rating?", ("Uber",)),
        ("What does the Zagat guide require for a top score?", ("Zagat",)),
    ],
)
def test_an_english_name_the_standard_never_uses_is_foreign(
    index: RetrievalIndex, question: str, foreign: tuple[str, ...]
) -> None:
    assert index.searcher.coverage(question).foreign == foreign


@pytest.mark.parametrize(
    "question",
    [
        "Does our ISO 9001 certificate count as evidence for SO-2-01?",
        "Is AI required at five stars?",
        "Which clauses of the Standard cover complaint handling?",
        "Assessors sample our service ledger. How many records do they read?",
    ],
)
def test_english_questions_about_the_standard_name_nothing_foreign(
    index: RetrievalIndex, question: str
) -> None:
    assert index.searcher.coverage(question).foreign == ()


def test_names_at_a_sentence_start_and_words_the_texts_know_are_not_foreign() -> None:
    known = {"assessment", "star", "stars"}.__contains__
    assert foreign_names("Assessment of Stars. Zagat? Star ratings", known) == ()
    assert foreign_names("a Zagat star and a Zagat star", known) == ("Zagat",)
    assert foreign_nouns("", known) == ()


def test_a_foreign_noun_must_lean_to_the_standard_without_relief() -> None:
    check = CoverageCheck(floor_zh=0.86, floor_en=0.78, margin=0.02, lookalikes=TABLE)
    # within the usual margin, but closer to an out-of-scope topic than a foreign word may be
    lean = check.foreign_margin - 0.005
    assert lean > -check.margin
    coverage = Coverage(best_clause=0.90, best_outside=0.90 - lean)
    assert check.near_enough("服务机构的贷款利率是多少", coverage)
    foreign = Coverage(0.90, 0.90 - lean, foreign=("贷款",))
    assert not check.near_enough("服务机构的贷款利率是多少", foreign)
    leaning_in = Coverage(0.90, 0.90 - check.foreign_margin - 0.01, foreign=("贷款",))
    assert check.near_enough("服务机构的贷款利率是多少", leaning_in)
