"""The optional language-model layer (DESIGN §2, §7): it proposes, it never rates.

Nothing here is imported by ``assistant.rating``. With no model configured
(``SMECMM_LLM_MODEL=none``, the default) ``open_model_layer`` returns None and callers keep
their deterministic parts::

    layer = open_model_layer(ModelConfig.from_settings(settings))
    mapper = layer.mapper(DeterministicMapper()) if layer else DeterministicMapper()
    phraser = layer.phraser() if layer else None
    answerer = layer.answerer(open_answerer(settings)) if layer else open_answerer(settings)

For SSE, ``answer_events(answerer, question)`` yields ``AnswerDelta`` events while the model
writes and one ``AnswerFinal`` whose ``answer.text`` replaces the streamed text
(``sse_event`` formats either). Real model calls can be switched off for test suites with
``assistant.llm.chat.ALLOW_MODEL_REQUESTS = False``.
"""

from assistant.llm.chat import ModelRequestsBlocked, make_chat_model
from assistant.llm.config import ModelConfig
from assistant.llm.fallback import LlmMetrics, UseStats
from assistant.llm.grounded import (
    AnswerDelta,
    AnswerEvent,
    AnswerFinal,
    GroundedAnswerer,
    answer_events,
    sse_event,
)
from assistant.llm.layer import ModelLayer, open_model_layer
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, ModelMapper, ModelReading
from assistant.llm.phrasing import ModelPhraser
from assistant.llm.prompts import PromptBook, load_prompts

__all__ = [
    "AUTO_RECORD_THRESHOLD",
    "AnswerDelta",
    "AnswerEvent",
    "AnswerFinal",
    "GroundedAnswerer",
    "LlmMetrics",
    "ModelConfig",
    "ModelLayer",
    "ModelMapper",
    "ModelPhraser",
    "ModelReading",
    "ModelRequestsBlocked",
    "PromptBook",
    "UseStats",
    "answer_events",
    "load_prompts",
    "make_chat_model",
    "open_model_layer",
    "sse_event",
]
