"""The one object callers build: None without a model, the wrapped components with one."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.interview.mapping import DeterministicMapper
from assistant.knowledge.schema import Catalog
from assistant.llm import ModelConfig, ModelRequestsBlocked, open_model_layer
from assistant.llm.mapping import MappedAnswer
from assistant.session.models import Profile
from tests.utils.fake_chat import (
    SAMPLE_ANSWER,
    SAMPLE_PROSE,
    SAMPLE_QUESTION,
    CannedAnswerer,
    ScriptedChatModel,
    mapped_json,
)


def test_no_model_configured_means_no_layer() -> None:
    assert open_model_layer(ModelConfig()) is None


def test_a_configured_model_is_blocked_in_unit_tests() -> None:
    with pytest.raises(ModelRequestsBlocked):
        open_model_layer(ModelConfig(spec="ollama:qwen2.5"))


def test_the_layer_wraps_each_part_and_counts_in_one_place(real_catalog: Catalog) -> None:
    chat = ScriptedChatModel().enqueue(mapped_json("met", 0.9), "你好？", SAMPLE_PROSE)
    layer = open_model_layer(ModelConfig(spec="deepseek:deepseek-chat"), chat=chat)
    assert layer is not None
    indicator = real_catalog.indicator("SS-1-01")
    mapper = layer.mapper(DeterministicMapper(today=date(2025, 6, 15)))
    assert mapper.read("有的，每年都制定", indicator, language="zh", profile=Profile()).source == (
        "model"
    )
    assert chat.structured == [(MappedAnswer, "json_mode")]  # the vendor's structured mode
    phrased = layer.phraser().phrase(indicator, language="zh", profile=Profile())
    assert phrased == indicator.question  # "你好？" fails the check: the catalog's question
    answer = layer.answerer(CannedAnswerer(SAMPLE_ANSWER)).ask(SAMPLE_QUESTION)
    assert answer.text.startswith(SAMPLE_PROSE)
    snapshot = layer.metrics.snapshot()
    assert {use: (s.calls, s.fallbacks) for use, s in snapshot.items()} == {
        "mapping": (1, 0),
        "phrasing": (1, 1),
        "grounded": (1, 0),
    }


@pytest.mark.usefixtures("allow_model_requests")
def test_phrasing_gets_a_smaller_token_budget() -> None:
    from langchain_openai import ChatOpenAI

    from assistant.llm.layer import PHRASING_MAX_TOKENS

    config = ModelConfig(spec="openai:m", base_url="http://127.0.0.1:9/v1", max_tokens=512)
    layer = open_model_layer(config)
    assert layer is not None
    assert isinstance(layer.chat, ChatOpenAI) and isinstance(layer.phrasing_chat, ChatOpenAI)
    assert (layer.chat.max_tokens, layer.phrasing_chat.max_tokens) == (512, PHRASING_MAX_TOKENS)
