"""A question of several parts, some of them out of scope: the others answered and those named.

The wiring runs on fixed vectors (``FakeEmbeddings``) with a fake scope head that knows the
probability of each text it is given; the real embedder and head are in
``tests/unit/retrieval/test_part_scope.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

import pytest

from assistant.qa.parts import (
    PART_FOREIGN_THRESHOLD,
    PART_THRESHOLD,
    asks,
    not_covered_name,
    outside,
    part_text,
    question_parts,
)
from assistant.qa.scope import not_covered_note
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.embeddings import FakeEmbeddings
from assistant.retrieval.index import RetrievalIndex, add_all
from assistant.retrieval.relevance import Coverage, CoverageCheck
from assistant.retrieval.runtime import coverage_check
from assistant.retrieval.scope_head import ScopeHead
from assistant.retrieval.store import InMemoryVectorIndex
from assistant.settings import Settings
from assistant.textnorm import normalize_user_text
from tests.utils.retrieval import shipped_corpus

# ------------------------------------------------------------------------- cutting and naming


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("一星要什么材料？另外社保基数怎么调", ["一星要什么材料", "另外社保基数怎么调"]),
        ("一星要什么材料；顺便问下社保基数怎么调", ["一星要什么材料", "顺便问下社保基数怎么调"]),
        ("我们是孵化器，另外想问场地面积", ["我们是孵化器", "另外想问场地面积"]),
        ("对星级有影响吗 我们能扣他工资不", ["对星级有影响吗", "我们能扣他工资不"]),
        # a comma alone, a space in a statement, a connective inside a clause: never a cut
        ("服务人员上岗前要培训，那培训费怎么算", ["服务人员上岗前要培训，那培训费怎么算"]),
        ("营业执照 怎么办", ["营业执照 怎么办"]),
        ("二星要同时满足哪些指标", ["二星要同时满足哪些指标"]),
        ("条款6.1.2说的是什么", ["条款6.1.2说的是什么"]),
        (
            "How is the star level set, and does it lower our tax?",
            ["How is the star level set", "does it lower our tax"],
        ),
        ("What must we keep? Also, who audits us?", ["What must we keep", "Also, who audits us"]),
        (
            "We keep the plan, the budget and the staff list.",
            ["We keep the plan, the budget and the staff list"],
        ),
        ("另外？", []),
    ],
)
def test_a_question_is_cut_only_at_strong_breaks(question: str, expected: list[str]) -> None:
    assert question_parts(question) == expected


@pytest.mark.parametrize(
    ("part", "name"),
    [
        ("另外想问国家级孵化器认定要多大场地面积？", "国家级孵化器认定要多大场地面积"),
        ("顺便问下社保基数能调吗", "社保基数能调"),
        ("还有请问换照去哪办", "换照去哪办"),
        ("Also, what licence does a law firm need?", "what licence does a law firm need"),
        ("so what is the VAT rate", "what is the VAT rate"),
        ("some firms ask", "some firms ask"),  # "so" is a word, not a word's start
        ("另外", "另外"),  # nothing left: the part as written
    ],
)
def test_an_out_of_scope_part_is_named_in_its_own_words(part: str, name: str) -> None:
    assert not_covered_name(part) == name


def test_the_part_judged_keeps_its_question_but_not_its_connective() -> None:
    assert part_text("另外社保基数能调吗") == "社保基数能调吗"


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("社保基数怎么调", True),
        ("培训费能不能抵扣", True),
        ("我们还在筹备", False),
        ("Is that ok for one star", True),
        ("under the law how fast must we refund", True),
        ("We are a county centre with two staff", False),
        ("哪个更高", False),  # too short to be judged without the sentence before it
    ],
)
def test_only_a_part_that_asks_something_can_be_out_of_scope(text: str, asking: bool) -> None:
    assert asks(text) is asking


# ------------------------------------------------------------------------- the part decision

FLOOR = coverage_check(Settings())


def _coverage(probability: float, foreign: tuple[str, ...] = ()) -> Coverage:
    # close to the standard and far from everything outside it: the rules alone keep it
    return Coverage(0.99, 0.0, foreign=foreign, outside_probability=probability)


def test_the_head_decides_a_part_at_its_own_threshold() -> None:
    text = "社保基数怎么调"
    assert outside(text, _coverage(PART_THRESHOLD), FLOOR)
    assert not outside(text, _coverage(PART_THRESHOLD - 0.01), FLOOR)


def test_a_part_in_the_standards_words_needs_a_foreign_word_too() -> None:
    text = "评上三星能享受哪些税收优惠"
    assert FLOOR.lookalikes.in_the_standards_words(text)
    assert not outside(text, _coverage(0.99), FLOOR)
    assert outside(text, _coverage(PART_FOREIGN_THRESHOLD, ("税收",)), FLOOR)
    assert not outside(text, _coverage(PART_FOREIGN_THRESHOLD - 0.01, ("税收",)), FLOOR)


def test_a_foreign_word_far_from_the_standard_is_out_whatever_the_head() -> None:
    far = Coverage(0.5, 0.9, foreign=("社保",), outside_probability=0.0)
    assert not FLOOR.near_enough("社保基数怎么调", far)
    assert outside("社保基数怎么调", far, FLOOR)


# ------------------------------------------------------------------------- the answerer

IN_PART = "服务台账要记录哪些内容"
OUT_PART = "办公室的绿植多久浇一次水"
TWO_PARTS = f"{IN_PART}？另外{OUT_PART}？"


class CountingEmbeddings(FakeEmbeddings):
    """Fixed vectors, counting the questions embedded one by one and in batches."""

    def __init__(self) -> None:
        super().__init__()
        self.single: list[str] = []
        self.batches: list[list[str]] = []

    def embed_query(self, text: str) -> list[float]:
        self.single.append(text)
        return super().embed_query(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return [self._vector(text) for text in texts]


class FakeHead:
    """P(out of scope) of the texts it was told, 0.0 for every other vector."""

    def __init__(self, embeddings: FakeEmbeddings, known: dict[str, float]) -> None:
        self._known = {
            tuple(embeddings.embed_documents([normalize_user_text(t)])[0]): p
            for t, p in known.items()
        }

    def probability(self, vector: Sequence[float]) -> float:
        return self._known.get(tuple(vector), 0.0)


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    corpus = shipped_corpus()
    vectors = InMemoryVectorIndex(CountingEmbeddings())
    add_all(vectors, corpus.chunks, None)
    return RetrievalIndex(corpus, vectors, RetrievalIndex.tokenizer_for(corpus))


@pytest.fixture()
def answerer(index: RetrievalIndex) -> Callable[..., QuestionAnswerer]:
    """An answerer whose head knows the given texts' probabilities, its counts at zero."""

    def make(known: dict[str, float], head_threshold: float | None = None) -> QuestionAnswerer:
        embeddings = cast(CountingEmbeddings, index.embeddings)
        index.searcher.clear_cache()
        embeddings.single.clear()
        embeddings.batches.clear()
        index.searcher.scope_head = cast(ScopeHead, FakeHead(embeddings, known))
        # Every similarity test passes: the head decides.
        floor = CoverageCheck(
            floor_zh=0.0,
            floor_en=0.0,
            margin=1.0,
            foreign_margin=-1.0,
            lookalikes=FLOOR.lookalikes,
            head_threshold=head_threshold,
        )
        return QuestionAnswerer(index, floor)

    return make


Make = Callable[..., QuestionAnswerer]


def _embeddings(answerer: QuestionAnswerer) -> CountingEmbeddings:
    return cast(CountingEmbeddings, answerer._index.embeddings)


def test_an_out_of_scope_part_is_named_and_the_rest_answered(answerer: Make) -> None:
    alone = answerer({}).ask(IN_PART)
    answer = answerer({OUT_PART: 0.95}).ask(TWO_PARTS)
    assert answer.covered == "partial"
    assert answer.not_covered == (not_covered_name(f"另外{OUT_PART}"),) == (OUT_PART,)
    assert answer.question == TWO_PARTS
    # the in-scope part's own answer, with the note
    assert answer.citations == alone.citations and answer.citations
    assert answer.text == f"{alone.text.rstrip()}\n\n{not_covered_note((OUT_PART,), 'zh')}"


def test_the_parts_are_embedded_in_one_batch_and_never_again(answerer: Make) -> None:
    asking = answerer({OUT_PART: 0.95})
    assert asking.ask(TWO_PARTS).covered == "partial"
    embeddings = _embeddings(asking)
    assert embeddings.batches == [[IN_PART, OUT_PART]]
    assert embeddings.single == [TWO_PARTS]  # the whole question only


def test_a_question_of_one_part_is_answered_as_before(answerer: Make) -> None:
    question = f"{OUT_PART}？"
    expected = answerer({}).ask(question).model_dump()
    asking = answerer({OUT_PART: 0.95})
    answer = asking.ask(question)
    assert answer.model_dump() == expected and answer.covered is True
    assert _embeddings(asking).batches == []


def test_a_question_whose_parts_are_all_out_is_refused(answerer: Make) -> None:
    other = "员工生日会怎么策划比较热闹"
    question = f"{other}？另外{OUT_PART}？"
    known = {question: 0.95, other: 0.95, OUT_PART: 0.95}
    answer = answerer(known, head_threshold=0.66).ask(question)
    assert answer.covered is False and answer.kind == "refused"


def test_a_part_the_head_doubts_is_kept_below_the_part_threshold(answerer: Make) -> None:
    assert answerer({OUT_PART: PART_THRESHOLD - 0.01}).ask(TWO_PARTS).covered is True


@pytest.mark.parametrize(
    "second",
    [
        "SO-4-03要什么证据",  # an indicator id: strong in-scope evidence
        "三星的服务设计要做到什么",  # a level and an area
        "自评报告一般写多长",  # the standard's words, nothing foreign
    ],
)
def test_an_in_scope_second_part_is_never_flagged(answerer: Make, second: str) -> None:
    answer = answerer({second: 0.99}).ask(f"{IN_PART}？另外{second}？")
    assert answer.covered is True and not answer.not_covered and answer.kind != "exact"
