"""Which chat model to use, read from the settings (``SMECMM_LLM_*``) or given explicitly.

``spec`` is ``provider:model``:

- ``none`` (the default): no model; every use takes its deterministic path;
- ``openai:<model>``: any OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp's server, …);
  ``base_url`` names the endpoint, the key comes from ``api_key`` or ``OPENAI_API_KEY``;
- ``dashscope:`` / ``deepseek:`` / ``zhipu:`` / ``moonshot:<model>``: the same client with the
  vendor's compatible endpoint and key variable filled in (see ``assistant.llm.chat``);
- ``ollama:<model>``: a local Ollama server (``base_url`` defaults to Ollama's own).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = ["ModelConfig", "StructuredMethod"]

StructuredMethod = Literal["json_schema", "json_mode", "function_calling"]


class ModelConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: str = "none"
    base_url: str = ""
    api_key: SecretStr | None = None
    timeout_s: Annotated[float, Field(gt=0, le=600)] = 20.0
    temperature: Annotated[float, Field(ge=0, le=2)] = 0.0
    max_tokens: Annotated[int, Field(ge=1, le=32768)] = 512
    max_retries: Annotated[int, Field(ge=0, le=5)] = 0
    # How structured output is asked for; None takes the provider's default (see chat.py).
    structured_method: StructuredMethod | None = None

    @property
    def enabled(self) -> bool:
        return self.spec.strip().lower() not in ("", "none")

    @property
    def provider(self) -> str:
        return self.spec.split(":", 1)[0].strip().lower()

    @property
    def model_name(self) -> str:
        return self.spec.split(":", 1)[1].strip() if ":" in self.spec else ""

    @classmethod
    def from_settings(cls, settings: Any) -> ModelConfig:
        """Read ``llm_model``, ``llm_base_url``, ``llm_api_key``, ``llm_timeout`` (and the
        optional ``llm_temperature``, ``llm_max_tokens``, ``llm_structured_output``)."""
        values: dict[str, Any] = {
            "spec": getattr(settings, "llm_model", "none") or "none",
            "base_url": getattr(settings, "llm_base_url", "") or "",
            "api_key": getattr(settings, "llm_api_key", None) or None,
            "timeout_s": getattr(settings, "llm_timeout", 20.0),
        }
        optional = {
            "temperature": "llm_temperature",
            "max_tokens": "llm_max_tokens",
            "structured_method": "llm_structured_output",
        }
        for field, attribute in optional.items():
            value = getattr(settings, attribute, None)
            if value is not None:
                values[field] = value
        return cls.model_validate(values)
