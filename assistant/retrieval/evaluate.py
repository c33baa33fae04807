"""Retrieval quality on a labelled question set: hit@1, hit@5, MRR@10 and refusals per method.

python -m assistant.retrieval.evaluate [--questions tests/data/retrieval_questions.yaml]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.knowledge.schema import StrictModel
from assistant.knowledge.yamlio import load_model
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck
from assistant.retrieval.search import Method

__all__ = [
    "LabelledQuestion",
    "MethodScore",
    "QuestionSet",
    "main",
    "refusal_rates",
    "score",
    "summarise",
]

DEFAULT_QUESTIONS = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "retrieval_questions.yaml"
)


class LabelledQuestion(StrictModel):
    id: str
    lang: Literal["zh", "en"]
    q: str
    targets: tuple[str, ...]


class QuestionSet(StrictModel):
    version: int
    questions: tuple[LabelledQuestion, ...]

    @property
    def in_scope(self) -> list[LabelledQuestion]:
        return [q for q in self.questions if q.targets]

    @property
    def out_of_scope(self) -> list[LabelledQuestion]:
        return [q for q in self.questions if not q.targets]


@dataclass(frozen=True)
class MethodScore:
    method: Method
    questions: int
    hit1: float
    hit5: float
    mrr10: float
    misses: tuple[str, ...]  # ids of questions with no target in the top 5


def first_rank(labels: Sequence[str], targets: Sequence[str]) -> int | None:
    for rank, label in enumerate(labels, start=1):
        if label in targets:
            return rank
    return None


def score(
    index: RetrievalIndex, questions: Sequence[LabelledQuestion], method: Method
) -> MethodScore:
    ranks = []
    for question in questions:
        labels = [hit.label for hit in index.searcher.search(question.q, 10, method)]
        ranks.append(first_rank(labels, question.targets))
    return summarise(method, questions, ranks)


def summarise(
    method: Method, questions: Sequence[LabelledQuestion], ranks: Sequence[int | None]
) -> MethodScore:
    """hit@1, hit@5 and MRR over the ranks of each question's first target (None: missed)."""
    n = len(questions)
    return MethodScore(
        method=method,
        questions=n,
        hit1=sum(r == 1 for r in ranks) / n,
        hit5=sum(r is not None and r <= 5 for r in ranks) / n,
        mrr10=sum(1 / r for r in ranks if r is not None) / n,
        misses=tuple(q.id for q, r in zip(questions, ranks, strict=True) if r is None or r > 5),
    )


def refusal_rates(
    index: RetrievalIndex, questions: QuestionSet, check: CoverageCheck
) -> tuple[float, float, list[str]]:
    """(share of out-of-scope refused, share of in-scope wrongly refused, ids of mistakes)."""

    def refused(question: LabelledQuestion) -> bool:
        return not check.covers(question.q, index.searcher.coverage(question.q))

    kept_out = [q.id for q in questions.out_of_scope if not refused(q)]
    refused_in = [q.id for q in questions.in_scope if refused(q)]
    return (
        1 - len(kept_out) / max(len(questions.out_of_scope), 1),
        len(refused_in) / max(len(questions.in_scope), 1),
        kept_out + refused_in,
    )


def load_questions(path: Path = DEFAULT_QUESTIONS) -> QuestionSet:
    return load_model(path, QuestionSet)


def _print_table(scores: Sequence[MethodScore], title: str) -> None:
    print(f"\n{title}")  # noqa: T201
    print(f"{'method':8s} {'n':>4s} {'hit@1':>7s} {'hit@5':>7s} {'MRR@10':>7s}")  # noqa: T201
    for s in scores:
        print(f"{s.method.value:8s} {s.questions:4d} {s.hit1:7.3f} {s.hit5:7.3f} {s.mrr10:7.3f}")  # noqa: T201


def main(argv: list[str] | None = None) -> int:
    from assistant.retrieval.runtime import coverage_check, open_index
    from assistant.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    args = parser.parse_args(argv)
    settings = get_settings()
    questions = load_questions(args.questions)
    index, _ = open_index(settings)
    for name, subset in (
        ("all in-scope", questions.in_scope),
        ("zh", [q for q in questions.in_scope if q.lang == "zh"]),
        ("en", [q for q in questions.in_scope if q.lang == "en"]),
    ):
        _print_table([score(index, subset, m) for m in Method], f"{name} ({len(subset)} questions)")
    refused, wrongly, mistakes = refusal_rates(index, questions, coverage_check(settings))
    print(f"\nout-of-scope refused: {refused:.1%}; in-scope wrongly refused: {wrongly:.1%}")  # noqa: T201
    print(f"refusal mistakes: {', '.join(mistakes) or 'none'}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
