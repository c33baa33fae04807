"""The model layer in one object: built once from the settings, it wraps the deterministic
parts of the interview and the Q&A with their model-backed versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.interview.ports import Answerer, AnswerMapper, QuestionPhraser
from assistant.llm.chat import make_chat_model, structured_method
from assistant.llm.config import ModelConfig
from assistant.llm.fallback import LlmMetrics
from assistant.llm.grounded import GroundedAnswerer
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, ModelMapper
from assistant.llm.phrasing import ModelPhraser
from assistant.llm.prompts import PromptBook, shipped_prompts

__all__ = ["PHRASING_MAX_TOKENS", "ModelLayer", "open_model_layer"]

# A question is one sentence: a model that rambles is cut off here rather than waited for.
PHRASING_MAX_TOKENS = 128


@dataclass(frozen=True)
class ModelLayer:
    chat: BaseChatModel
    config: ModelConfig
    prompts: PromptBook
    metrics: LlmMetrics = field(default_factory=LlmMetrics)
    phrasing_chat: BaseChatModel | None = None  # the same model with a smaller token budget

    def mapper(
        self,
        fallback: AnswerMapper,
        *,
        auto_record_threshold: float = AUTO_RECORD_THRESHOLD,
        today: Callable[[], date] = date.today,
    ) -> ModelMapper:
        return ModelMapper(
            self.chat,
            fallback,
            prompts=self.prompts,
            metrics=self.metrics,
            method=structured_method(self.config),
            auto_record_threshold=auto_record_threshold,
            today=today,
        )

    def phraser(self, fallback: QuestionPhraser | None = None) -> ModelPhraser:
        return ModelPhraser(
            self.phrasing_chat or self.chat, fallback, prompts=self.prompts, metrics=self.metrics
        )

    def answerer(self, base: Answerer) -> GroundedAnswerer:
        return GroundedAnswerer(
            self.chat,
            base,
            prompts=self.prompts,
            metrics=self.metrics,
            deadline_s=self.config.timeout_s * 3,
        )


def open_model_layer(
    config: ModelConfig,
    *,
    chat: BaseChatModel | None = None,
    prompts: PromptBook | None = None,
) -> ModelLayer | None:
    """The layer for ``config``, or None when no model is configured (the embedded default).

    ``chat`` replaces the configured model (tests pass a scripted fake)."""
    if chat is not None:
        return ModelLayer(chat, config, prompts or shipped_prompts())
    built = make_chat_model(config)
    if built is None:
        return None
    budget = min(config.max_tokens, PHRASING_MAX_TOKENS)
    phrasing = make_chat_model(config.model_copy(update={"max_tokens": budget}))
    return ModelLayer(built, config, prompts or shipped_prompts(), phrasing_chat=phrasing)
