"""The evaluation script's scoring, on the labelled sets with scripted models."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.interview.mapping import DeterministicMapper
from assistant.knowledge.schema import Catalog
from assistant.knowledge.yamlio import load_model
from assistant.llm.chat import ModelRequestsBlocked
from assistant.llm.evaluate import (
    DEFAULT_PHRASINGS,
    AnswerSet,
    main,
    percentile,
    report,
    score_interpretation,
    score_mapping,
)
from assistant.llm.grounded import GroundedAnswerer
from assistant.llm.mapping import ModelMapper
from assistant.qa.models import Answer
from assistant.retrieval.evaluate import LabelledQuestion
from assistant.session.models import Profile
from tests.utils.fake_chat import (
    SAMPLE_ANSWER,
    SAMPLE_PROSE,
    CannedAnswerer,
    ScriptedChatModel,
    mapped_json,
)

CASES = load_model(DEFAULT_PHRASINGS, AnswerSet)


def test_percentiles() -> None:
    assert percentile([], 0.5) is None
    assert percentile([2.0], 0.95) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == pytest.approx(2.5)
    assert percentile([float(i) for i in range(1, 101)], 0.95) == pytest.approx(95.05)


def test_mapping_score_counts_accuracy_fallbacks_and_confident_errors(
    real_catalog: Catalog,
) -> None:
    cases = CASES.phrasings[:4]
    deterministic = DeterministicMapper(today=CASES.today)
    chat = ScriptedChatModel().enqueue(
        mapped_json(cases[0].expected.value, 0.9),  # right
        mapped_json("not_met", 1.0),  # wrong, and not agreed: held below the threshold
        "not json",  # fallback: the deterministic reading
        TimeoutError("slow"),  # fallback
    )
    model = ModelMapper(chat, deterministic, today=lambda: CASES.today)
    score = score_mapping(cases, real_catalog, deterministic, model)
    det_correct = sum(
        deterministic.propose(
            c.text, real_catalog.indicator(c.indicator), language="zh", profile=Profile()
        ).status
        == c.expected
        for c in cases
    )
    assert score.cases == 4 and score.deterministic_correct == det_correct
    assert score.fallbacks == 2 and score.fallback_reasons == {
        "invalid output": 1,
        "timeout": 1,
    }
    assert score.model_confident_errors == 0 and len(score.latencies) == 4
    assert score.model_correct is not None and score.model_correct >= 1
    lines = "\n".join(report("openai:test", score, None))
    assert "model accuracy" in lines and "fallbacks                       50.0% (2/4)" in lines


def test_interpretation_score_counts_valid_citations_and_refusals() -> None:
    questions = [
        LabelledQuestion(id="q1", lang="zh", q="四星对数据有什么要求？", targets=("SO-4-05",)),
        LabelledQuestion(id="q2", lang="zh", q="数据？", targets=("9.4",)),
        LabelledQuestion(id="q3", lang="zh", q="四星的数据？", targets=("12.1",)),
    ]
    chat = ScriptedChatModel().enqueue(SAMPLE_PROSE, "四星要求【12.9】。", SAMPLE_PROSE)
    base = CannedAnswerer(SAMPLE_ANSWER)
    score = score_interpretation(questions, base, GroundedAnswerer(chat, base))
    assert (score.questions, score.refused, score.covered) == (3, 0, 3)
    assert score.grounded == 2 and score.citation_validity == pytest.approx(2 / 3)
    assert score.deterministic_hits == 2  # SO-4-05 and 9.4 are cited; 12.1 is not
    assert score.grounded_hits == 1
    assert score.fallback_reasons == {"invalid output": 1}
    assert len(score.first_token) == 3 and len(score.latencies) == 3
    lines = "\n".join(report("openai:test", None, score))
    assert "citation-validity rate          66.7% (2/3)" in lines and "first token" in lines


def test_interpretation_without_a_model_scores_the_extractive_answers() -> None:
    refused = Answer(question="税？", language="zh", covered=False, text="抱歉")
    questions = [LabelledQuestion(id="o1", lang="zh", q="税？", targets=())]
    score = score_interpretation(questions, CannedAnswerer(refused))
    assert (score.refused, score.covered, score.deterministic_hits) == (1, 0, 0)
    assert "citation-validity" not in "\n".join(report("none", None, score))


def test_main_runs_the_deterministic_mapping_without_a_model() -> None:
    out: list[str] = []
    argv = ["--model", "none", "--only", "mapping", "--language", "en", "--limit", "6"]
    assert main(argv, write=out.append) == 0
    text = "".join(out)
    assert text.startswith("model: none") and "answer mapping (6 labelled answers)" in text
    assert "model accuracy" not in text


def test_main_refuses_real_models_in_unit_tests() -> None:
    with pytest.raises(ModelRequestsBlocked):
        main(["--model", "openai:x", "--base-url", "http://127.0.0.1:9/v1", "--only", "mapping"])


def test_the_labelled_set_loads() -> None:
    assert CASES.today == date(2025, 6, 15) and len(CASES.phrasings) > 100
