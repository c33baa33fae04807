"""Choosing the chat model from settings: providers, keys, missing packages, the opt-in flag."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from assistant.errors import ConfigurationError
from assistant.llm.chat import (
    LLM_INSTALL,
    PROVIDERS,
    ModelRequestsBlocked,
    make_chat_model,
    structured_method,
)
from assistant.llm.config import ModelConfig
from assistant.settings import Settings


def test_none_is_the_default_and_builds_nothing() -> None:
    assert ModelConfig().spec == "none"
    assert make_chat_model(ModelConfig()) is None
    assert make_chat_model(ModelConfig(spec="NONE")) is None


def test_from_settings_reads_the_llm_fields() -> None:
    settings = SimpleNamespace(
        llm_model="openai:qwen-plus",
        llm_base_url="http://127.0.0.1:9/v1",
        llm_api_key=SecretStr("k"),
        llm_timeout=7.5,
    )
    config = ModelConfig.from_settings(settings)
    assert (config.provider, config.model_name) == ("openai", "qwen-plus")
    assert config.base_url == "http://127.0.0.1:9/v1" and config.timeout_s == 7.5
    assert config.api_key is not None and config.api_key.get_secret_value() == "k"


def test_from_settings_defaults_to_none_before_the_fields_exist() -> None:
    assert not ModelConfig.from_settings(Settings()).enabled


@pytest.mark.parametrize("spec", ["gemini:pro", "openai", "openai:"])
def test_bad_specs_name_the_fix(spec: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make_chat_model(ModelConfig(spec=spec))
    message = str(caught.value)
    assert spec.split(":")[0] in message
    assert "provider:model" in message or all(p in message for p in PROVIDERS)


def test_real_providers_are_blocked_in_unit_tests() -> None:
    with pytest.raises(ModelRequestsBlocked):
        make_chat_model(ModelConfig(spec="openai:m", base_url="http://127.0.0.1:9/v1"))


@pytest.mark.usefixtures("allow_model_requests")
def test_local_endpoint_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_openai import ChatOpenAI

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    config = ModelConfig(spec="openai:smollm2", base_url="http://127.0.0.1:9/v1", timeout_s=3)
    chat = make_chat_model(config)
    assert isinstance(chat, ChatOpenAI)
    assert chat.model_name == "smollm2" and chat.openai_api_base == "http://127.0.0.1:9/v1"
    assert chat.request_timeout == 3 and chat.temperature == 0 and chat.max_tokens == 512


@pytest.mark.usefixtures("allow_model_requests")
def test_hosted_openai_without_a_key_names_both_fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigurationError) as caught:
        make_chat_model(ModelConfig(spec="openai:gpt-4o-mini"))
    assert "SMECMM_LLM_API_KEY" in str(caught.value) and "OPENAI_API_KEY" in str(caught.value)


@pytest.mark.usefixtures("allow_model_requests")
def test_vendor_preset_fills_endpoint_key_variable_and_json_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-test")
    config = ModelConfig(spec="deepseek:deepseek-chat")
    chat = make_chat_model(config)
    from langchain_openai import ChatOpenAI

    assert isinstance(chat, ChatOpenAI) and isinstance(chat.openai_api_key, SecretStr)
    assert (chat.openai_api_base or "").startswith("https://api.deepseek.com")
    assert chat.openai_api_key.get_secret_value() == "sk-test"
    assert structured_method(config) == "json_mode"
    assert structured_method(ModelConfig(spec="openai:x")) == "json_schema"
    assert structured_method(config.model_copy(update={"structured_method": "json_schema"})) == (
        "json_schema"
    )


@pytest.mark.usefixtures("allow_model_requests")
def test_ollama_takes_timeout_and_token_limit() -> None:
    from langchain_ollama import ChatOllama

    chat = make_chat_model(ModelConfig(spec="ollama:qwen2.5:7b", timeout_s=4, max_tokens=99))
    assert isinstance(chat, ChatOllama)
    assert chat.model == "qwen2.5:7b" and chat.num_predict == 99
    assert chat.client_kwargs == {"timeout": 4}


@pytest.mark.usefixtures("allow_model_requests")
@pytest.mark.parametrize(
    ("spec", "package"), [("openai:m", "langchain_openai"), ("ollama:m", "langchain_ollama")]
)
def test_missing_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, spec: str, package: str
) -> None:
    monkeypatch.setitem(sys.modules, package, None)  # makes the import fail
    with pytest.raises(ConfigurationError) as caught:
        make_chat_model(ModelConfig(spec=spec, base_url="http://127.0.0.1:9"))
    assert LLM_INSTALL in str(caught.value)
    assert LLM_INSTALL in caught.value.message("en")
