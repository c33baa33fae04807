"""The model layer against a real OpenAI-compatible server: llama.cpp running SmolLM2-135M.

The model is tiny (its Chinese is gibberish, its facts loose), so these tests assert the
contract — chat, streaming, structured output parsed or its fallback taken, timeouts,
determinism at temperature 0, the citation check, the interview completing — never quality.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

import httpx
import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_openai import ChatOpenAI
from openai import LengthFinishReasonError

from assistant.interview.mapping import DeterministicMapper
from assistant.interview.ports import QuestionPhraser
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, Indicator, RuleSet
from assistant.llm import ModelConfig, make_chat_model, open_model_layer
from assistant.llm.fallback import InvalidOutput
from assistant.llm.grounded import AnswerDelta, AnswerFinal, check_grounding
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, MappedAnswer
from assistant.llm.phrasing import IndicatorQuestion
from assistant.qa.models import Citation
from assistant.session.models import Language, Profile, QuestionKind, UserTurn
from assistant.session.state import RecordedFinding
from assistant.storage.memory import InMemorySessionStore
from tests.utils.fake_chat import SAMPLE_ANSWER, SAMPLE_QUESTION, CannedAnswerer
from tests.utils.interview_script import Applicant
from tests.utils.llamacpp import LlamaServer

pytestmark = pytest.mark.llm_server

TODAY = date(2026, 1, 15)
PROMPT = "Name three colours."
ANSWERS = [
    ("SO-1-02", "No, we do not keep service records."),
    ("ST-1-06", "Not applicable, we do not work with outside experts."),
]


def _chat(config: ModelConfig) -> BaseChatModel:
    chat = make_chat_model(config)
    assert chat is not None
    return chat


def test_the_server_reports_healthy(llama_server: LlamaServer) -> None:
    assert httpx.get(f"{llama_server.base_url}/health", timeout=5).json() == {"status": "ok"}
    assert llama_server.startup_s is not None and llama_server.startup_s > 0


def test_chat_replies_within_the_token_limit(model_config: ModelConfig) -> None:
    reply = _chat(model_config).invoke(PROMPT)
    assert isinstance(reply.content, str) and reply.content.strip()
    assert reply.usage_metadata is not None
    assert 0 < reply.usage_metadata["output_tokens"] <= model_config.max_tokens


def test_temperature_zero_gives_the_same_reply_twice(model_config: ModelConfig) -> None:
    chat = _chat(model_config)
    assert model_config.temperature == 0
    assert chat.invoke(PROMPT).text == chat.invoke(PROMPT).text


def test_replies_stream_in_several_chunks(model_config: ModelConfig) -> None:
    chunks = [chunk.text for chunk in _chat(model_config).stream(PROMPT)]
    assert len([c for c in chunks if c]) >= 3
    assert "".join(chunks).strip()


def test_structured_output_is_asked_as_a_json_schema_and_parsed(
    model_config: ModelConfig,
) -> None:
    sent: list[dict[str, object]] = []

    def record(request: httpx.Request) -> None:
        sent.append(json.loads(request.content))

    with httpx.Client(event_hooks={"request": [record]}) as client:
        chat = ChatOpenAI(
            model=model_config.model_name,
            base_url=model_config.base_url,
            api_key="not-needed",
            temperature=0,
            max_tokens=160,
            timeout=model_config.timeout_s,
            max_retries=0,
            http_client=client,
        )
        structured = chat.with_structured_output(
            MappedAnswer, method="json_schema", include_raw=True
        )
        try:
            result = structured.invoke(
                "The institution says: 'Yes, we keep a ledger of every service.' Reply with "
                "status, confidence, evidence_mentioned, operating_months, follow_up_question."
            )
        except LengthFinishReasonError:  # cut off by the token limit: the mapper falls back
            result = None
    response_format = sent[0]["response_format"]
    assert isinstance(response_format, dict) and response_format["type"] == "json_schema"
    schema = response_format["json_schema"]
    assert isinstance(schema, dict) and schema["name"] == "MappedAnswer"
    if result is not None:  # the server's grammar kept the reply to the schema
        assert isinstance(result, dict) and result["parsing_error"] is None
        assert isinstance(result["parsed"], MappedAnswer)


def test_answer_mapping_is_parsed_or_falls_back(
    model_config: ModelConfig, real_catalog: Catalog
) -> None:
    layer = open_model_layer(model_config.model_copy(update={"max_tokens": 64}))
    assert layer is not None
    deterministic = DeterministicMapper(today=TODAY)
    mapper = layer.mapper(deterministic, today=lambda: TODAY)
    for indicator_id, text in ANSWERS:
        indicator = real_catalog.indicator(indicator_id)
        reading = mapper.read(text, indicator, language="en", profile=Profile())
        plain = deterministic.propose(text, indicator, language="en", profile=Profile())
        assert reading.deterministic == plain
        if reading.source == "fallback":
            assert reading.fallback_reason and reading.proposal == plain
            continue
        proposal = reading.proposal
        assert proposal.indicator_id == indicator_id and 0 <= proposal.confidence <= 1
        assert proposal.status is not FindingStatus.NOT_APPLICABLE or indicator.na_allowed
        if proposal.status != plain.status:
            assert proposal.confidence < AUTO_RECORD_THRESHOLD
    stats = layer.metrics.stats("mapping")
    assert stats.calls == len(ANSWERS)


def test_a_timeout_takes_the_deterministic_path(
    model_config: ModelConfig, real_catalog: Catalog
) -> None:
    hasty = model_config.model_copy(update={"timeout_s": 0.05, "max_tokens": 8})
    layer = open_model_layer(hasty)
    assert layer is not None
    deterministic = DeterministicMapper(today=TODAY)
    indicator = real_catalog.indicator("SS-1-01")
    text = "Yes, we write a work plan every year."
    reading = layer.mapper(deterministic).read(text, indicator, language="en", profile=Profile())
    assert reading.source == "fallback" and (reading.fallback_reason or "").startswith("timeout")
    assert reading.proposal == deterministic.propose(
        text, indicator, language="en", profile=Profile()
    )
    answer = layer.answerer(CannedAnswerer(SAMPLE_ANSWER)).ask(SAMPLE_QUESTION)
    assert answer == SAMPLE_ANSWER.model_copy(update={"question": SAMPLE_QUESTION})


def test_grounded_answers_pass_the_citation_check_or_fall_back(
    model_config: ModelConfig,
) -> None:
    layer = open_model_layer(model_config.model_copy(update={"max_tokens": 96}))
    assert layer is not None
    english = SAMPLE_ANSWER.model_copy(update={"language": "en"})
    question = "What does four-star require about data?"
    events = list(layer.answerer(CannedAnswerer(english)).stream(question))
    deltas = [e.text for e in events if isinstance(e, AnswerDelta)]
    final = events[-1]
    assert isinstance(final, AnswerFinal) and len(deltas) >= 3
    prose = "".join(deltas)
    try:
        check_grounding(prose, english.citations, question)
        passes = True
    except InvalidOutput:
        passes = False
    assert final.grounded is passes
    if passes:
        assert final.answer.text.startswith(prose.strip())
    else:
        assert final.answer == english.model_copy(update={"question": question})
    # The same prose checked against clauses it was not given is always refused.
    elsewhere = Citation(clause="12.4", title="申请", source="s", text="申请评估。", score=1.0)
    with pytest.raises(InvalidOutput):
        check_grounding(prose, (elsewhere,), question)


class FirstPhrasings(QuestionPhraser):
    """The model words the first ``n`` questions only, to keep the test short."""

    def __init__(self, model: QuestionPhraser, n: int) -> None:
        self._model = model
        self._plain = IndicatorQuestion()
        self._chosen: list[str] = []
        self._n = n

    def phrase(
        self,
        indicator: Indicator,
        *,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding] = (),
    ) -> str:
        if indicator.id not in self._chosen and len(self._chosen) < self._n:
            self._chosen.append(indicator.id)
        phraser = self._model if indicator.id in self._chosen else self._plain
        return phraser.phrase(indicator, language=language, profile=profile, recent=recent)


def _answer(applicant: Applicant, free_text_left: int) -> int:
    """Free text for the first single questions (the model reads them), buttons after."""
    reply = applicant.reply
    assert reply is not None and reply.question is not None
    kind = reply.question.kind
    if kind is QuestionKind.INDICATOR and free_text_left > 0:
        applicant.send(UserTurn(text="Yes, we do this and it is written down."))
        return free_text_left - 1
    if kind is QuestionKind.INDICATOR:
        applicant.send(UserTurn(quick_reply=FindingStatus.MET.value))
    elif kind is QuestionKind.CHECKLIST:
        applicant.send(UserTurn(quick_reply="all:met"))
    else:
        applicant.step()  # a confirmation: the applicant states the truth
    return free_text_left


def test_an_interview_completes_with_the_model_in_the_loop(
    model_config: ModelConfig, real_catalog: Catalog, real_rules: RuleSet
) -> None:
    layer = open_model_layer(model_config.model_copy(update={"max_tokens": 64}))
    assert layer is not None
    service = InterviewService(
        real_catalog,
        real_rules,
        InMemorySessionStore(),
        mapper=layer.mapper(DeterministicMapper(today=TODAY), today=lambda: TODAY),
        phraser=FirstPhrasings(layer.phraser(), 3),
        answerer=layer.answerer(
            CannedAnswerer(SAMPLE_ANSWER.model_copy(update={"language": "en"}))
        ),
        clock=lambda: datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    )
    started = service.start(language="en")
    applicant = Applicant(service, started.session_id, "en", lambda _: FindingStatus.MET)
    applicant.reply = started.reply
    applicant.answer_profile(
        {
            "name": "Harbour SME Service Centre",
            "institution_type": "public",
            "service_fields": "financing",
            "smes_served_per_year": "300",
            "target_stars": "1",
        }
    )
    asked = applicant.send(UserTurn(text="What does four-star require about data?"))
    assert asked.citations == SAMPLE_ANSWER.citations
    free_text = 3
    for _ in range(100):
        reply = applicant.reply
        assert reply is not None and reply.question is not None
        if reply.question.kind is QuestionKind.DONE:
            break
        free_text = _answer(applicant, free_text)
    done = applicant.reply
    assert done is not None and done.question is not None
    assert done.question.kind is QuestionKind.DONE
    assert done.rating is not None and done.rating.declared.stars == 1
    stats = layer.metrics.snapshot()
    assert stats["mapping"].calls == 3 and stats["grounded"].calls == 1
    assert 1 <= stats["phrasing"].calls <= 3
