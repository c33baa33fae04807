"""Chat models through LangChain, chosen at the edge from ``ModelConfig.spec``.

Provider packages are imported lazily: the product runs without them, and a configured
provider whose package is missing fails with the install command. ``ALLOW_MODEL_REQUESTS``
lets test suites forbid real providers (the unit tests switch it off; a fake chat model
built by hand is never affected).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import SecretStr

from assistant.errors import ConfigurationError
from assistant.llm.config import ModelConfig, StructuredMethod

__all__ = [
    "ALLOW_MODEL_REQUESTS",
    "LLM_INSTALL",
    "PROVIDERS",
    "ModelRequestsBlocked",
    "make_chat_model",
    "structured_method",
]

LLM_INSTALL = "pip install 'sme-cmm-assistant[llm]'"
# Switched off by test suites: building a real provider then raises ModelRequestsBlocked.
ALLOW_MODEL_REQUESTS = True
# Local servers (llama.cpp, vLLM) take any key; the OpenAI client insists on one.
_LOCAL_KEY = "not-needed"


class ModelRequestsBlocked(RuntimeError):
    """A real chat model was asked for while ``ALLOW_MODEL_REQUESTS`` is False."""


@dataclass(frozen=True)
class _Compatible:
    """An OpenAI-compatible vendor: its endpoint, key variable and structured-output mode."""

    base_url: str
    key_env: str
    method: StructuredMethod


# Vendors whose endpoints accept the OpenAI protocol; json_mode where json_schema is not served.
_COMPATIBLE: dict[str, _Compatible] = {
    "openai": _Compatible("", "OPENAI_API_KEY", "json_schema"),
    "dashscope": _Compatible(
        "https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", "json_mode"
    ),
    "deepseek": _Compatible("https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", "json_mode"),
    "zhipu": _Compatible("https://open.bigmodel.cn/api/paas/v4", "ZHIPUAI_API_KEY", "json_mode"),
    "moonshot": _Compatible("https://api.moonshot.cn/v1", "MOONSHOT_API_KEY", "json_mode"),
}
PROVIDERS: tuple[str, ...] = ("none", *_COMPATIBLE, "ollama")


def structured_method(config: ModelConfig) -> StructuredMethod:
    """The configured way to ask for structured output, else the provider's default."""
    if config.structured_method is not None:
        return config.structured_method
    vendor = _COMPATIBLE.get(config.provider)
    return vendor.method if vendor else "json_schema"


def make_chat_model(config: ModelConfig) -> BaseChatModel | None:
    """The chat model ``config`` names, or None for ``none``."""
    if not config.enabled:
        return None
    if config.provider not in PROVIDERS:
        raise ConfigurationError(
            f"未知的模型提供方 {config.provider!r}（SMECMM_LLM_MODEL={config.spec!r}），"
            f"可用：{', '.join(PROVIDERS)}",
            en=f"unknown model provider {config.provider!r} in {config.spec!r}; "
            f"use one of: {', '.join(PROVIDERS)}",
        )
    if not config.model_name:
        raise ConfigurationError(
            f"模型设置 {config.spec!r} 缺少模型名，应为 provider:model，如 'openai:qwen-plus'",
            en=f"model setting {config.spec!r} names no model: use provider:model, "
            "e.g. 'openai:qwen-plus'",
        )
    if not ALLOW_MODEL_REQUESTS:
        raise ModelRequestsBlocked(
            f"real model {config.spec!r} requested while "
            "assistant.llm.chat.ALLOW_MODEL_REQUESTS is False"
        )
    if config.provider == "ollama":
        return _ollama(config)
    return _openai_compatible(config, _COMPATIBLE[config.provider])


def _api_key(config: ModelConfig, vendor: _Compatible, base_url: str) -> SecretStr:
    if config.api_key is not None and config.api_key.get_secret_value():
        return config.api_key
    from_env = os.environ.get(vendor.key_env, "")
    if from_env:
        return SecretStr(from_env)
    if config.base_url:  # an explicit endpoint, e.g. a local server, may need no key
        return SecretStr(_LOCAL_KEY)
    raise ConfigurationError(
        f"模型 {config.spec!r} 需要 API 密钥：设置 SMECMM_LLM_API_KEY 或 {vendor.key_env}"
        f"（端点 {base_url or 'OpenAI'!r}）",
        en=f"model {config.spec!r} needs an API key: set SMECMM_LLM_API_KEY or {vendor.key_env}",
    )


def _openai_compatible(config: ModelConfig, vendor: _Compatible) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ConfigurationError(
            f"未安装 langchain-openai，无法使用 {config.spec!r}：{LLM_INSTALL}",
            en=f"langchain-openai is missing for {config.spec!r}: {LLM_INSTALL}",
        ) from exc
    base_url = config.base_url or vendor.base_url
    return ChatOpenAI(
        model=config.model_name,
        base_url=base_url or None,
        api_key=_api_key(config, vendor, base_url),
        timeout=config.timeout_s,
        max_retries=config.max_retries,
        temperature=config.temperature,
        max_tokens=config.max_tokens,
    )


def _ollama(config: ModelConfig) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise ConfigurationError(
            f"未安装 langchain-ollama，无法使用 {config.spec!r}：{LLM_INSTALL}",
            en=f"langchain-ollama is missing for {config.spec!r}: {LLM_INSTALL}",
        ) from exc
    return ChatOllama(
        model=config.model_name,
        base_url=config.base_url or None,
        temperature=config.temperature,
        num_predict=config.max_tokens,
        client_kwargs={"timeout": config.timeout_s},
    )
