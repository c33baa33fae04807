"""End-to-end question answering quality on a labelled question set, through the real answerer.

    python -m assistant.qa.evaluate [--questions FILE] [--json]
    python path/to/assistant/qa/evaluate.py ...   (as a plain file, against whatever
                                                   ``assistant`` is on PYTHONPATH, e.g. an
                                                   older release's checkout)

Every question goes through ``QuestionAnswerer.ask`` built as the API and CLI build it
(``open_index`` + ``open_answerer``: the index, the coverage check, the rules). Reported overall,
per kind and per language, for the in-scope questions: hit@3 and MRR@10 over the answer's
citations, and false refusals (``covered`` is False); for the out-of-scope ones the share
refused, look-alikes apart; the partial questions flagged partial; and the latency of the
answerer call (server side, index opened and one warm-up question excluded).

A citation hits when its clause number is exactly one of the gold clauses, or its indicator id
is one of the gold indicators. An ancestor or descendant clause does not count: the set names
every clause that answers the question, and a chapter-level citation is not an answer.

Only aggregates are printed, never a question or its id: the held-out set must stay unseen.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

__all__ = [
    "DEFAULT_QUESTIONS",
    "KINDS",
    "WARM_UP",
    "AnswerLike",
    "CitationLike",
    "Count",
    "Outcome",
    "Question",
    "Report",
    "Scores",
    "evaluate",
    "first_hit",
    "format_report",
    "judge",
    "load_questions",
    "main",
    "percentile",
    "report",
]

KINDS = ("requirement", "evidence", "rating_rule", "programme", "definition", "situation")
OUT_OF_SCOPE = "out_of_scope"
LANGUAGES = ("zh", "en")
DEFAULT_QUESTIONS = Path(__file__).resolve().parents[2] / "tests" / "data" / "qa_heldout8.yaml"
WARM_UP = "一星级服务机构的基本要求有哪些？"


class CitationLike(Protocol):
    @property
    def clause(self) -> str: ...

    @property
    def indicator_id(self) -> str | None: ...


class AnswerLike(Protocol):
    """``Answer`` of any release: ``covered`` is a bool, or "partial" where that exists."""

    @property
    def covered(self) -> object: ...

    @property
    def citations(self) -> Sequence[CitationLike]: ...


Ask = Callable[[str], AnswerLike]


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    kind: str
    lookalike: bool
    question: str
    gold_clauses: tuple[str, ...]
    gold_indicators: tuple[str, ...]
    partial: bool
    not_covered: str

    @property
    def in_scope(self) -> bool:
        return self.kind != OUT_OF_SCOPE


@dataclass(frozen=True)
class Outcome:
    question: Question
    rank: int | None  # of the first hitting citation, 1-based; None: no hit in the top 10
    refused: bool
    flagged_partial: bool
    exact: bool
    ms: float


@dataclass(frozen=True)
class Count:
    hits: int
    of: int

    @property
    def share(self) -> float:
        return self.hits / self.of if self.of else 0.0

    def __str__(self) -> str:
        return f"{self.hits:3d}/{self.of:<3d} {self.share:6.1%}"


@dataclass(frozen=True)
class Scores:
    n: int
    hit3: float
    mrr10: float
    false_refusals: Count


@dataclass(frozen=True)
class Report:
    questions: int
    overall: Scores
    by_kind: dict[str, Scores]
    by_lang: dict[str, Scores]
    out_of_scope_refused: dict[str, Count]  # "all", "zh", "en", "look-alike", "other"
    partial_flagged: Count
    exact_answers: Count  # in-scope questions answered by the exact path, where it exists
    p50_ms: float
    p95_ms: float


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[Question]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Question(
            id=str(item["id"]),
            lang=item["lang"],
            kind=item["kind"],
            lookalike=bool(item["lookalike"]),
            question=item["question"],
            gold_clauses=tuple(str(c) for c in item["gold_clauses"]),
            gold_indicators=tuple(item["gold_indicators"]),
            partial=bool(item["partial"]),
            not_covered=item["not_covered"] or "",
        )
        for item in document["questions"]
    ]


def first_hit(question: Question, citations: Sequence[CitationLike], depth: int = 10) -> int | None:
    for rank, citation in enumerate(citations[:depth], start=1):
        if citation.clause in question.gold_clauses or (
            citation.indicator_id is not None and citation.indicator_id in question.gold_indicators
        ):
            return rank
    return None


def judge(question: Question, answer: AnswerLike, ms: float) -> Outcome:
    refused = answer.covered is False
    # Partial coverage is covered == "partial"; a release may instead keep covered True and
    # name what is missing in ``not_covered``.
    partial = answer.covered == "partial" or bool(
        not refused and getattr(answer, "not_covered", None)
    )
    return Outcome(
        question=question,
        rank=None if refused else first_hit(question, answer.citations),
        refused=refused,
        flagged_partial=partial,
        exact=getattr(answer, "kind", None) == "exact",
        ms=ms,
    )


def evaluate(
    questions: Iterable[Question], ask: Ask, clock: Callable[[], float] = time.perf_counter
) -> list[Outcome]:
    outcomes = []
    for question in questions:
        started = clock()
        answer = ask(question.question)
        outcomes.append(judge(question, answer, (clock() - started) * 1000))
    return outcomes


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _scores(outcomes: Sequence[Outcome]) -> Scores:
    n = len(outcomes)
    ranks = [o.rank for o in outcomes]
    return Scores(
        n=n,
        hit3=sum(r is not None and r <= 3 for r in ranks) / n if n else 0.0,
        mrr10=sum(1 / r for r in ranks if r is not None) / n if n else 0.0,
        false_refusals=Count(sum(o.refused for o in outcomes), n),
    )


def _refused(outcomes: Iterable[Outcome]) -> Count:
    chosen = list(outcomes)
    return Count(sum(o.refused for o in chosen), len(chosen))


def report(outcomes: Sequence[Outcome]) -> Report:
    inside = [o for o in outcomes if o.question.in_scope]
    outside = [o for o in outcomes if not o.question.in_scope]
    partial = [o for o in inside if o.question.partial]
    return Report(
        questions=len(outcomes),
        overall=_scores(inside),
        by_kind={k: _scores([o for o in inside if o.question.kind == k]) for k in KINDS},
        by_lang={g: _scores([o for o in inside if o.question.lang == g]) for g in LANGUAGES},
        out_of_scope_refused={
            "all": _refused(outside),
            **{g: _refused(o for o in outside if o.question.lang == g) for g in LANGUAGES},
            "look-alike": _refused(o for o in outside if o.question.lookalike),
            "other": _refused(o for o in outside if not o.question.lookalike),
        },
        partial_flagged=Count(sum(o.flagged_partial for o in partial), len(partial)),
        exact_answers=Count(sum(o.exact for o in inside), len(inside)),
        p50_ms=statistics.median([o.ms for o in outcomes]) if outcomes else 0.0,
        p95_ms=percentile([o.ms for o in outcomes], 0.95),
    )


def format_report(result: Report) -> str:
    lines = [
        f"{result.questions} questions, {result.overall.n} in scope",
        f"{'in scope':14s} {'n':>4s} {'hit@3':>7s} {'MRR@10':>7s}  false refusals",
    ]
    rows = [("all", result.overall), *result.by_kind.items(), *result.by_lang.items()]
    for name, s in rows:
        lines.append(f"{name:14s} {s.n:4d} {s.hit3:7.3f} {s.mrr10:7.3f}  {s.false_refusals}")
    lines.append("out of scope refused:")
    lines += [f"  {name:12s} {count}" for name, count in result.out_of_scope_refused.items()]
    lines.append(f"partial flagged partial: {result.partial_flagged}")
    lines.append(f"in scope answered exactly: {result.exact_answers}")
    lines.append(f"answerer latency: p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms")
    return "\n".join(lines)


def _open_answerer() -> Ask:
    import assistant
    from assistant.retrieval.runtime import open_answerer, open_index
    from assistant.settings import get_settings

    settings = get_settings()
    print(f"code {Path(assistant.__file__).parent}, index {settings.index_dir}", file=sys.stderr)  # noqa: T201
    answerer = open_answerer(settings, open_index(settings)[0])
    return answerer.ask


def main(argv: list[str] | None = None, ask: Ask | None = None) -> int:
    """``ask`` stands in for the real answerer (tests); by default the index is opened (built
    when missing: minutes)."""
    parser = argparse.ArgumentParser(description="End-to-end Q&A quality on a question set")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    questions = load_questions(args.questions)
    ask = ask or _open_answerer()
    ask(WARM_UP)
    result = report(evaluate(questions, ask))
    if args.json:
        figures: dict[str, Any] = asdict(result)
        print(json.dumps(figures, ensure_ascii=False, indent=2))  # noqa: T201
    else:
        print(format_report(result))  # noqa: T201
    return 0


if __name__ == "__main__":
    # Run as a file, this folder comes first on the path: its modules must not shadow others.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.exit(main())
