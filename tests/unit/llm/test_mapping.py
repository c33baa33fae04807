"""Free-text answers read by a (scripted) model: validated, capped, or the deterministic path."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from assistant.knowledge.schema import Catalog, FindingStatus, Indicator
from assistant.llm.fallback import LlmMetrics
from assistant.llm.mapping import (
    AUTO_RECORD_THRESHOLD,
    MappedAnswer,
    ModelMapper,
    parse_json_object,
)
from assistant.session.models import Profile
from tests.utils.fake_chat import KeywordMapper, ScriptedChatModel, mapped_json

PROFILE = Profile(name="某区中小企业服务中心", service_fields="融资对接")


@pytest.fixture
def indicator(real_catalog: Catalog) -> Indicator:
    return real_catalog.indicator("SO-1-02")


def _mapper(chat: ScriptedChatModel, **kwargs: object) -> tuple[ModelMapper, KeywordMapper]:
    fallback = KeywordMapper()
    mapper = ModelMapper(chat, fallback, today=lambda: date(2025, 6, 15), **kwargs)  # type: ignore[arg-type]
    return mapper, fallback


def test_a_valid_reply_becomes_a_proposal_with_what_it_mentions(indicator: Indicator) -> None:
    chat = ScriptedChatModel().enqueue(
        mapped_json("met", 0.8, evidence=["服务记录表", "台账"], months=24, follow_up=None)
    )
    mapper, _ = _mapper(chat)
    reading = mapper.read(
        "有，每次服务都填服务记录表，两年了", indicator, language="zh", profile=PROFILE
    )
    assert reading.source == "model" and reading.fallback_reason is None
    proposal = reading.proposal
    assert (proposal.indicator_id, proposal.status) == ("SO-1-02", FindingStatus.MET)
    assert proposal.operating_months == 24 and not proposal.recorded
    assert reading.evidence_mentioned == ("服务记录表", "台账")
    assert "满足" in proposal.rationale and "服务记录表" in proposal.rationale
    assert chat.structured == [(MappedAnswer, "json_schema")]


def test_the_prompt_carries_the_indicator_the_profile_and_the_answer(indicator: Indicator) -> None:
    chat = ScriptedChatModel().enqueue(mapped_json("met"))
    mapper, _ = _mapper(chat)
    mapper.propose("有记录", indicator, language="zh", profile=PROFILE)
    system, user = chat.calls[0]
    assert "JSON" in system.text and "2025-06-15" in system.text
    for needle in ("SO-1-02", indicator.question, "有记录", "融资对接", "na_allowed：false"):
        assert needle in user.text


def test_english_sessions_get_the_english_prompt(indicator: Indicator) -> None:
    chat = ScriptedChatModel().enqueue(mapped_json("not_met", 0.9))
    mapper, _ = _mapper(chat)
    reading = mapper.read("no", indicator, language="en", profile=PROFILE)
    assert "Indicator SO-1-02" in chat.calls[0][1].text
    assert reading.proposal.rationale.startswith("The language model reads your answer as")


@pytest.mark.parametrize(
    ("answer", "model_status", "model_confidence", "expected"),
    [
        # the deterministic reading (KeywordMapper) agrees: the higher confidence stands
        ("满足", "met", 0.5, 0.95),
        ("没有", "not_met", 0.99, 0.99),
        # it disagrees: the model's reading is held below the auto-record threshold
        ("没有", "met", 1.0, AUTO_RECORD_THRESHOLD - 0.05),
        ("部分有", "largely_met", 0.97, AUTO_RECORD_THRESHOLD - 0.05),
        ("没有", "met", 0.4, 0.4),
        # out-of-range confidences are clamped before anything else
        ("满足", "met", 1.7, 1.0),
        ("不清楚", "met", -0.3, 0.0),
    ],
)
def test_confidence_is_clamped_and_capped_unless_the_deterministic_mapper_agrees(
    indicator: Indicator, answer: str, model_status: str, model_confidence: float, expected: float
) -> None:
    chat = ScriptedChatModel().enqueue(mapped_json(model_status, model_confidence))
    mapper, _ = _mapper(chat)
    reading = mapper.read(answer, indicator, language="zh", profile=PROFILE)
    assert reading.source == "model"
    assert reading.proposal.status == FindingStatus(model_status)
    assert reading.proposal.confidence == pytest.approx(expected)
    if not reading.agrees:
        assert reading.proposal.confidence < AUTO_RECORD_THRESHOLD


def test_an_answer_about_something_else_stays_unconfirmed_though_the_model_agrees(
    real_catalog: Catalog,
) -> None:
    from assistant.interview.mapping import DeterministicMapper

    chat = ScriptedChatModel().enqueue(mapped_json("met", 0.99))
    rules = DeterministicMapper(today=date(2025, 6, 15), catalog=real_catalog)
    mapper = ModelMapper(chat, rules, today=lambda: date(2025, 6, 15))
    reading = mapper.read(
        "我们中心有年度计划也有台账",
        real_catalog.indicator("SD-1-02"),
        language="zh",
        profile=PROFILE,
    )
    assert reading.agrees and reading.deterministic.off_topic
    assert reading.proposal.off_topic and reading.proposal.quote
    assert reading.proposal.confidence < AUTO_RECORD_THRESHOLD


def test_the_default_threshold_is_the_interviews() -> None:
    from assistant.interview.mapping import CONFIDENT

    assert AUTO_RECORD_THRESHOLD == CONFIDENT


def test_the_threshold_is_a_parameter(indicator: Indicator) -> None:
    chat = ScriptedChatModel().enqueue(mapped_json("met", 1.0))
    mapper, _ = _mapper(chat, auto_record_threshold=0.6)
    assert mapper.propose("没有", indicator, language="zh", profile=PROFILE).confidence < 0.6


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("我觉得是满足的。", "no JSON object"),
        ('{"status": "excellent", "confidence": 0.9}', "does not fit the schema"),
        ('{"status": "met", "confidence": ', "no JSON object"),
        ("[1, 2]", "no JSON object"),
        (mapped_json("met", months=9999), "operating_months 9999 out of range"),
        (mapped_json("not_applicable"), "does not allow it"),
        ('{"status": "met", "confidence": NaN}', "not a number"),
    ],
)
def test_invalid_output_takes_the_deterministic_path(
    indicator: Indicator, reply: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    chat = ScriptedChatModel().enqueue(reply)
    metrics = LlmMetrics()
    mapper, fallback = _mapper(chat, metrics=metrics)
    with caplog.at_level(logging.WARNING, logger="assistant.llm"):
        reading = mapper.read("没有", indicator, language="zh", profile=PROFILE)
    assert reading.source == "fallback" and reason in (reading.fallback_reason or "")
    assert reading.proposal == fallback.propose("没有", indicator, language="zh", profile=PROFILE)
    assert "llm fallback: mapping" in caplog.text
    assert metrics.stats("mapping").fallbacks == 1


@pytest.mark.parametrize(
    ("error", "kind"),
    [(TimeoutError("read timed out"), "timeout"), (ConnectionError("refused"), "error")],
)
def test_errors_and_timeouts_take_the_deterministic_path(
    indicator: Indicator, error: Exception, kind: str
) -> None:
    metrics = LlmMetrics()
    mapper, _ = _mapper(ScriptedChatModel().enqueue(error), metrics=metrics)
    reading = mapper.read("满足", indicator, language="zh", profile=PROFILE)
    assert reading.source == "fallback"
    assert (reading.fallback_reason or "").startswith(kind)
    assert reading.proposal.status is FindingStatus.MET  # the KeywordMapper's reading
    stats = metrics.stats("mapping")
    assert (stats.calls, stats.fallbacks, stats.fallback_rate) == (1, 1, 1.0)


def test_not_applicable_is_accepted_where_the_indicator_allows_it(real_catalog: Catalog) -> None:
    na_indicator = real_catalog.indicator("ST-1-06")
    assert na_indicator.na_allowed
    mapper, _ = _mapper(ScriptedChatModel().enqueue(mapped_json("not_applicable", 0.9)))
    reading = mapper.read("我们不和外部专家合作", na_indicator, language="zh", profile=PROFILE)
    assert reading.source == "model"
    assert reading.proposal.status is FindingStatus.NOT_APPLICABLE


def test_a_reply_in_prose_around_the_json_is_rescued(indicator: Indicator) -> None:
    reply = "好的，判读如下：\n```json\n" + mapped_json("partly_met", 0.6) + "\n```"
    mapper, _ = _mapper(ScriptedChatModel().enqueue(reply))
    reading = mapper.read("部分有", indicator, language="zh", profile=PROFILE)
    assert reading.source == "model"
    assert reading.proposal.status is FindingStatus.PARTLY_MET


def test_text_that_speaks_of_stars_is_dropped(indicator: Indicator) -> None:
    reply = mapped_json(
        "met",
        0.9,
        evidence=["评为五星", "服务记录", "建议给 5 stars", "服务记录"],
        follow_up="请问能否直接评为五星？",
    )
    mapper, _ = _mapper(ScriptedChatModel().enqueue(reply))
    reading = mapper.read("有", indicator, language="zh", profile=PROFILE)
    assert reading.evidence_mentioned == ("服务记录",)
    assert reading.follow_up is None
    assert "星" not in reading.proposal.rationale


@pytest.mark.parametrize(
    ("follow_up", "kept"),
    [
        ("记录是纸质的还是电子的？", True),
        ("记录是纸质的还是电子的", False),
        ("x" * 200 + "?", False),
    ],
)
def test_a_follow_up_must_be_a_short_question(
    indicator: Indicator, follow_up: str, kept: bool
) -> None:
    mapper, _ = _mapper(
        ScriptedChatModel().enqueue(mapped_json("not_rated", 0.4, follow_up=follow_up))
    )
    reading = mapper.read("不清楚", indicator, language="zh", profile=PROFILE)
    assert (reading.follow_up == follow_up) is kept


def test_parse_json_object_finds_the_object_in_text() -> None:
    assert parse_json_object('前言 {"a": {"b": 1}} 后记') == {"a": {"b": 1}}
