"""Compare the deterministic path with a chat model on the suite's labelled sets.

    python -m assistant.llm.evaluate --model openai:qwen-plus \\
        --base-url https://dashscope.aliyuncs.com/compatible-mode/v1 --api-key sk-…

Mapping set (``tests/data/answer_phrasings.yaml``): accuracy of the proposed status, for the
deterministic mapper and for the model (its fallbacks counted as what they served), with the
confident errors — wrong proposals that would have been recorded without asking.
Interpretation set (``tests/data/retrieval_questions.yaml``): how often the model's answer
passed the citation check, how often an answer cites a labelled clause, and the latency to the
first streamed token and to the final answer. Without ``--model`` the settings decide.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import SecretStr

from assistant.interview.ports import Answerer, AnswerMapper
from assistant.knowledge.schema import Catalog, FindingStatus, StrictModel
from assistant.knowledge.yamlio import load_model
from assistant.llm.config import ModelConfig
from assistant.llm.grounded import AnswerDelta, AnswerFinal, GroundedAnswerer, cited_numbers
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, ModelMapper
from assistant.retrieval.evaluate import DEFAULT_QUESTIONS, LabelledQuestion, load_questions
from assistant.retrieval.relevance import detect_language
from assistant.session.models import Language, Profile

__all__ = [
    "DEFAULT_PHRASINGS",
    "AnswerSet",
    "InterpretationScore",
    "LabelledAnswer",
    "MappingScore",
    "main",
    "percentile",
    "report",
    "score_interpretation",
    "score_mapping",
]

DEFAULT_PHRASINGS = Path(__file__).resolve().parents[2] / "tests" / "data" / "answer_phrasings.yaml"
Write = Callable[[str], object]


class LabelledAnswer(StrictModel):
    indicator: str
    expected: FindingStatus
    text: str
    operating_months: int | None = None


class AnswerSet(StrictModel):
    version: int
    today: date
    phrasings: tuple[LabelledAnswer, ...]


def percentile(values: Sequence[float], share: float) -> float | None:
    """The ``share`` quantile (0.5 = median), None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


@dataclass(frozen=True)
class MappingScore:
    cases: int
    deterministic_correct: int
    deterministic_confident_errors: int
    model_correct: int | None = None
    model_confident_errors: int | None = None
    fallbacks: int = 0
    fallback_reasons: Counter[str] = field(default_factory=Counter)
    latencies: tuple[float, ...] = ()


@dataclass(frozen=True)
class InterpretationScore:
    questions: int
    refused: int
    deterministic_hits: int  # covered answers citing a labelled clause
    grounded: int = 0  # model answers that passed the citation check
    grounded_hits: int = 0  # … of which the prose cites a labelled clause
    fallback_reasons: Counter[str] = field(default_factory=Counter)
    first_token: tuple[float, ...] = ()
    latencies: tuple[float, ...] = ()

    @property
    def covered(self) -> int:
        return self.questions - self.refused

    @property
    def citation_validity(self) -> float:
        return self.grounded / self.covered if self.covered else 0.0


def _confident_error(status: FindingStatus, expected: FindingStatus, confidence: float) -> bool:
    return status != expected and confidence >= AUTO_RECORD_THRESHOLD


def score_mapping(
    cases: Sequence[LabelledAnswer],
    catalog: Catalog,
    deterministic: AnswerMapper,
    model: ModelMapper | None = None,
) -> MappingScore:
    det_ok = det_bad = model_ok = model_bad = fallbacks = 0
    reasons: Counter[str] = Counter()
    latencies: list[float] = []
    for case in cases:
        indicator = catalog.indicator(case.indicator)
        language: Language = "zh" if detect_language(case.text) == "zh" else "en"
        plain = deterministic.propose(case.text, indicator, language=language, profile=Profile())
        det_ok += plain.status == case.expected
        det_bad += _confident_error(plain.status, case.expected, plain.confidence)
        if model is None:
            continue
        started = time.perf_counter()
        reading = model.read(case.text, indicator, language=language, profile=Profile())
        latencies.append(time.perf_counter() - started)
        proposal = reading.proposal
        model_ok += proposal.status == case.expected
        model_bad += _confident_error(proposal.status, case.expected, proposal.confidence)
        if reading.fallback_reason:
            fallbacks += 1
            reasons[reading.fallback_reason.split(":")[0]] += 1
    return MappingScore(
        cases=len(cases),
        deterministic_correct=det_ok,
        deterministic_confident_errors=det_bad,
        model_correct=model_ok if model else None,
        model_confident_errors=model_bad if model else None,
        fallbacks=fallbacks,
        fallback_reasons=reasons,
        latencies=tuple(latencies),
    )


@dataclass
class _Tally:
    refused: int = 0
    det_hits: int = 0
    grounded: int = 0
    grounded_hits: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    first_token: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def _cites_target(labels: Sequence[str], targets: Sequence[str]) -> bool:
    return any(label in targets for label in labels)


def _run_grounded(grounded: GroundedAnswerer, question: LabelledQuestion, tally: _Tally) -> None:
    started = time.perf_counter()
    first: float | None = None
    final: AnswerFinal | None = None
    for event in grounded.stream(question.q):
        if isinstance(event, AnswerDelta) and first is None:
            first = time.perf_counter() - started
        elif isinstance(event, AnswerFinal):
            final = event
    assert final is not None
    answer = final.answer
    if not answer.covered:
        tally.refused += 1
        return
    tally.latencies.append(time.perf_counter() - started)
    if first is not None:
        tally.first_token.append(first)
    labels = [c.indicator_id or c.clause for c in answer.citations]
    tally.det_hits += _cites_target(labels, question.targets)
    if final.grounded:
        tally.grounded += 1
        tally.grounded_hits += _cites_target(cited_numbers(answer.text), question.targets)
    elif final.fallback_reason:
        tally.reasons[final.fallback_reason.split(":")[0]] += 1


def score_interpretation(
    questions: Sequence[LabelledQuestion],
    base: Answerer,
    grounded: GroundedAnswerer | None = None,
) -> InterpretationScore:
    tally = _Tally()
    for question in questions:
        if grounded is not None:
            _run_grounded(grounded, question, tally)
            continue
        answer = base.ask(question.q)
        tally.refused += not answer.covered
        labels = [c.indicator_id or c.clause for c in answer.citations]
        tally.det_hits += answer.covered and _cites_target(labels, question.targets)
    return InterpretationScore(
        questions=len(questions),
        refused=tally.refused,
        deterministic_hits=tally.det_hits,
        grounded=tally.grounded,
        grounded_hits=tally.grounded_hits,
        fallback_reasons=tally.reasons,
        first_token=tuple(tally.first_token),
        latencies=tuple(tally.latencies),
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "-"


def _seconds(values: Sequence[float]) -> str:
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    if p50 is None or p95 is None:
        return "-"
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s"


def _reasons(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in counter.most_common()) or "none"


def _mapping_lines(score: MappingScore) -> list[str]:
    n = score.cases
    lines = [
        f"\nanswer mapping ({n} labelled answers)",
        f"  deterministic accuracy          {_share(score.deterministic_correct, n)}",
        f"  deterministic confident errors  {score.deterministic_confident_errors}",
    ]
    if score.model_correct is None:
        return lines
    return [
        *lines,
        f"  model accuracy                  {_share(score.model_correct, n)}",
        f"  model confident errors          {score.model_confident_errors}",
        f"  fallbacks                       {_share(score.fallbacks, n)}: "
        f"{_reasons(score.fallback_reasons)}",
        f"  latency per answer              {_seconds(score.latencies)}",
    ]


def _qa_lines(score: InterpretationScore) -> list[str]:
    covered = score.covered
    lines = [
        f"\ninterpretation ({score.questions} questions, {score.refused} refused in code)",
        f"  extractive answer cites a label {_share(score.deterministic_hits, covered)}",
    ]
    if not score.latencies:
        return lines
    return [
        *lines,
        f"  citation-validity rate          {_share(score.grounded, covered)}",
        f"  grounded prose cites a label    {_share(score.grounded_hits, score.grounded)}",
        f"  fallbacks                       {_reasons(score.fallback_reasons)}",
        f"  first token                     {_seconds(score.first_token)}",
        f"  full answer                     {_seconds(score.latencies)}",
    ]


def report(model: str, mapping: MappingScore | None, qa: InterpretationScore | None) -> list[str]:
    lines = [f"model: {model}"]
    if mapping is not None:
        lines += _mapping_lines(mapping)
    if qa is not None:
        lines += _qa_lines(qa)
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.llm.evaluate",
        description="Deterministic path vs a chat model on the labelled mapping and Q&A sets.",
    )
    parser.add_argument("--model", help="provider:model, e.g. openai:qwen-plus (default: settings)")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--timeout", type=float, default=None, help="seconds per model call")
    parser.add_argument("--max-tokens", type=int, default=None)
    parser.add_argument("--phrasings", type=Path, default=DEFAULT_PHRASINGS)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--limit", type=int, default=None, help="first N items of each set")
    parser.add_argument("--only", choices=("mapping", "interpretation"), default=None)
    parser.add_argument("--language", choices=("zh", "en"), default=None, help="one language")
    return parser


def _config(args: argparse.Namespace, settings: object) -> ModelConfig:
    """The settings' model, overridden by the command line."""
    updates: dict[str, object] = {}
    if args.model:
        updates["spec"] = args.model
    if args.base_url is not None:
        updates["base_url"] = args.base_url
    if args.api_key is not None:
        updates["api_key"] = SecretStr(args.api_key)
    if args.timeout is not None:
        updates["timeout_s"] = args.timeout
    if args.max_tokens is not None:
        updates["max_tokens"] = args.max_tokens
    merged = {**ModelConfig.from_settings(settings).model_dump(), **updates}
    return ModelConfig.model_validate(merged)


def main(argv: list[str] | None = None, write: Write = sys.stdout.write) -> int:
    from assistant.interview.mapping import DeterministicMapper
    from assistant.knowledge.loader import load_catalog
    from assistant.llm.layer import open_model_layer
    from assistant.retrieval.runtime import open_answerer
    from assistant.settings import get_settings

    args = _parser().parse_args(argv)
    settings = get_settings()
    config = _config(args, settings)
    layer = open_model_layer(config)
    limit = slice(None, args.limit)
    mapping = qa = None
    if args.only in (None, "mapping"):
        cases = load_model(args.phrasings, AnswerSet)
        deterministic = DeterministicMapper(today=cases.today)
        model = layer.mapper(deterministic, today=lambda: cases.today) if layer else None
        catalog = load_catalog(settings.rules_dir)
        chosen = [c for c in cases.phrasings if args.language in (None, detect_language(c.text))][
            limit
        ]
        mapping = score_mapping(chosen, catalog, deterministic, model)
    if args.only in (None, "interpretation"):
        base = open_answerer(settings)
        questions = [
            q for q in load_questions(args.questions).questions if args.language in (None, q.lang)
        ][limit]
        qa = score_interpretation(questions, base, layer.answerer(base) if layer else None)
    for line in report(config.spec, mapping, qa):
        write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
