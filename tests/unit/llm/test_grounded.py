"""Grounded answers: the model's prose is served only when its citations and quotations check."""

from __future__ import annotations

import pytest

from assistant.llm.fallback import InvalidOutput, LlmMetrics
from assistant.llm.grounded import (
    AnswerDelta,
    AnswerFinal,
    GroundedAnswerer,
    answer_events,
    check_grounding,
    cited_numbers,
    quotations,
    sse_event,
)
from assistant.qa.models import Answer
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.relevance import CoverageCheck
from tests.utils.fake_chat import (
    SAMPLE_ANSWER,
    SAMPLE_PROSE,
    SAMPLE_QUESTION,
    Broken,
    CannedAnswerer,
    ScriptedChatModel,
)
from tests.utils.retrieval import in_memory_index

QUESTION, EXTRACTIVE, GOOD = SAMPLE_QUESTION, SAMPLE_ANSWER, SAMPLE_PROSE
CLAUSE, INDICATOR = SAMPLE_ANSWER.citations[1], SAMPLE_ANSWER.citations[0]


def _answerer(
    *replies: str | Exception | Broken, metrics: LlmMetrics | None = None
) -> tuple[GroundedAnswerer, ScriptedChatModel, CannedAnswerer]:
    chat = ScriptedChatModel(chunk_size=5).enqueue(*replies)
    base = CannedAnswerer(EXTRACTIVE)
    return GroundedAnswerer(chat, base, metrics=metrics), chat, base


def test_cited_numbers_and_quotations_are_read_from_the_prose() -> None:
    prose = '见【第 9.4.2 条】与【SO-4-05、9.4】；原文「数据资产」，又称“台账”或"ledger"。'
    assert cited_numbers(prose) == ["9.4.2", "SO-4-05", "9.4"]
    assert quotations(prose) == ["数据资产", "台账", "ledger"]


def test_grounded_prose_is_served_with_its_sources_and_the_reference_label() -> None:
    answerer, chat, _ = _answerer(GOOD)
    answer = answerer.ask(QUESTION)
    assert answer.text.startswith(GOOD)
    assert "依据：第 9.4 条 四星要求；SO-4-05 数据资产目录与基础数据库" in answer.text
    assert "参考文本" in answer.text
    assert answer.citations == EXTRACTIVE.citations and answer.covered
    clauses = chat.calls[0][1].text
    assert (
        "【SO-4-05】数据资产目录与基础数据库（9.4.5）" in clauses and "【9.4】四星要求" in clauses
    )


@pytest.mark.parametrize(
    ("prose", "reason"),
    [
        ("四星要求数据资产化【9.4.9】。", "cites ['9.4.9']"),
        ("四星要求数据资产化【SO-5-01】，见【9.4】。", "cites ['SO-5-01']"),
        ("四星要求把数据当作资产来管理。", "cites no clause"),
        ("四星要求「每季度发布数据白皮书」【9.4】。", "quotes"),
        ("四星要求数据资产化【9.4】，另见第 6.4.3 条。", "mentions ['6.4.3']"),
        ("按【9.4】，贵机构可评为四星。", "gives a verdict"),
        ("Under 【9.4】 you are rated four stars.", "gives a verdict"),
        ("Per 【9.4】 the centre is rated 4-star.", "gives a verdict"),
        ("   ", "empty"),
        ("数据【9.4】" * 700, "too long"),
    ],
)
def test_an_unsupported_answer_falls_back_to_the_extractive_one(prose: str, reason: str) -> None:
    with pytest.raises(InvalidOutput, match=reason.replace("[", "\\[").replace("]", "\\]")):
        check_grounding(prose, EXTRACTIVE.citations, QUESTION)
    metrics = LlmMetrics()
    answerer, _, _ = _answerer(prose, metrics=metrics)
    assert answerer.ask(QUESTION) == EXTRACTIVE
    assert metrics.stats("grounded").fallbacks == 1


def test_quoting_the_question_or_a_number_the_clauses_contain_is_fine() -> None:
    prose = "关于“四星对数据有什么要求？”：要「用于预测需求」【9.4】。"
    assert check_grounding(prose, EXTRACTIVE.citations, QUESTION) == ["9.4"]
    english = "Institutions are rated by the assessment bodies; data is an asset 【9.4】."
    assert check_grounding(english, EXTRACTIVE.citations, QUESTION) == ["9.4"]


def test_a_refusal_stays_in_code_and_the_model_is_not_asked() -> None:
    refused = Answer(question="增值税税率是多少？", language="zh", covered=False, text="抱歉……")
    chat = ScriptedChatModel()
    answerer = GroundedAnswerer(chat, CannedAnswerer(refused))
    assert answerer.ask("增值税税率是多少？").text == "抱歉……"
    assert list(answerer.stream("增值税税率是多少？")) == [
        AnswerFinal(answer=refused, grounded=False)
    ]
    assert chat.calls == []


def test_errors_fall_back(caplog: pytest.LogCaptureFixture) -> None:
    answerer, _, _ = _answerer(TimeoutError("slow"))
    assert answerer.ask(QUESTION) == EXTRACTIVE
    assert "llm fallback: grounded: timeout" in caplog.text


def test_streaming_yields_deltas_then_the_validated_answer() -> None:
    answerer, _, _ = _answerer(GOOD)
    events = list(answerer.stream(QUESTION))
    deltas = [e for e in events if isinstance(e, AnswerDelta)]
    final = events[-1]
    assert len(deltas) >= 3 and "".join(d.text for d in deltas) == GOOD
    assert isinstance(final, AnswerFinal) and final.grounded
    assert final.answer.text.startswith(GOOD) and "依据：" in final.answer.text
    assert all(isinstance(e, AnswerDelta) for e in events[:-1])


@pytest.mark.parametrize(
    "reply",
    ["四星要求【12.9】。", Broken("四星要求把数据", TimeoutError("stalled"))],
)
def test_a_stream_that_fails_the_check_ends_with_the_extractive_answer(
    reply: str | Broken,
) -> None:
    answerer, _, _ = _answerer(reply)
    events = list(answerer.stream(QUESTION))
    final = events[-1]
    assert isinstance(final, AnswerFinal) and not final.grounded
    assert final.answer == EXTRACTIVE and final.fallback_reason
    assert any(isinstance(e, AnswerDelta) for e in events)  # the caller must replace them


def test_sse_events_name_their_kind() -> None:
    delta = sse_event(AnswerDelta(text="四星"))
    assert delta.startswith("event: delta\ndata: {") and delta.endswith("\n\n")
    final = sse_event(AnswerFinal(answer=EXTRACTIVE, grounded=False))
    assert final.startswith("event: final\n") and '"grounded":false' in final


def test_answer_events_serve_a_plain_answerer_as_one_final_event() -> None:
    events = list(answer_events(CannedAnswerer(EXTRACTIVE), QUESTION))
    assert events == [AnswerFinal(answer=EXTRACTIVE, grounded=False)]
    answerer, _, _ = _answerer(GOOD)
    assert isinstance(list(answer_events(answerer, QUESTION))[-1], AnswerFinal)


def test_an_exact_answer_is_served_as_it_is_without_the_model() -> None:
    exact = EXTRACTIVE.model_copy(update={"kind": "exact", "text": "一星共 26 条指标 [1]。"})
    chat = ScriptedChatModel()
    answer = GroundedAnswerer(chat, CannedAnswerer(exact)).ask(QUESTION)
    assert answer == exact.model_copy(update={"question": QUESTION}) and chat.calls == []


def test_english_answers_carry_english_labels() -> None:
    english = EXTRACTIVE.model_copy(update={"language": "en", "question": "What about data?"})
    prose = "Four-star institutions manage data as an asset 【9.4】."
    answerer = GroundedAnswerer(ScriptedChatModel().enqueue(prose), CannedAnswerer(english))
    answer = answerer.ask("What about data?")
    assert "Sources: Clause 9.4 四星要求" in answer.text and "reference rendition" in answer.text


def test_real_retrieval_citations_can_be_cited() -> None:
    base = QuestionAnswerer(
        in_memory_index(), CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0)
    )
    extractive = base.ask(QUESTION)
    first = extractive.citations[0]
    number = first.indicator_id or first.clause
    sentence = first.text.split("。")[0]
    prose = f"四星的要求是：「{sentence}」【{number}】。"
    answer = GroundedAnswerer(ScriptedChatModel().enqueue(prose), base).ask(QUESTION)
    assert answer.text.startswith(prose) and answer.citations == extractive.citations


def test_long_clauses_are_shortened_in_the_prompt_but_checked_in_full() -> None:
    sentences = [f"第{n}句说明数据资产管理的第{n}项要求。" for n in range(1, 40)]
    long_clause = CLAUSE.model_copy(update={"text": "".join(sentences)})
    extractive = EXTRACTIVE.model_copy(update={"citations": (long_clause,)})
    prose = f"该条款最后写道「{sentences[-1]}」【9.4】。"
    chat = ScriptedChatModel().enqueue(prose)
    answer = GroundedAnswerer(chat, CannedAnswerer(extractive), clause_chars=120).ask(QUESTION)
    prompt = chat.calls[0][1].text
    assert sentences[0] in prompt and sentences[-1] not in prompt
    assert answer.text.startswith(prose)
