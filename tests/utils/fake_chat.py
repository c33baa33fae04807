"""A scripted chat model and hand-written stand-ins for the interview's deterministic ports.

``ScriptedChatModel`` replies from a script, in order (``enqueue``), or always the same
(``repeat``); it streams each reply in small chunks, records every call and serves
``with_structured_output`` by parsing its reply as JSON, as the OpenAI-compatible providers do
with ``method="json_schema"``. A script item may be an exception (raised on that call) or a
``Broken`` reply (some chunks, then the exception).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.interview.ports import AnswerMapper, QuestionPhraser
from assistant.knowledge.schema import FindingStatus, Indicator
from assistant.qa.models import Answer, Citation
from assistant.session.models import Language, Profile, ProposedFinding
from assistant.session.state import RecordedFinding

__all__ = [
    "SAMPLE_ANSWER",
    "SAMPLE_PROSE",
    "SAMPLE_QUESTION",
    "Broken",
    "CannedAnswerer",
    "KeywordMapper",
    "PlainPhraser",
    "ScriptedChatModel",
    "mapped_json",
]


@dataclass(frozen=True)
class Broken:
    """A reply that streams ``partial`` and then fails with ``error``."""

    partial: str
    error: Exception


Scripted = str | Exception | Broken


class ScriptedChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: list[Scripted] = Field(default_factory=list)
    repeat: str | None = None  # the reply once the script is used up
    chunk_size: int = 4
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    structured: list[tuple[Any, str]] = Field(default_factory=list)  # (schema, method) asked
    lock: Any = Field(default_factory=threading.Lock, exclude=True)

    def enqueue(self, *replies: Scripted) -> ScriptedChatModel:
        self.script.extend(replies)
        return self

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _next(self, messages: list[BaseMessage]) -> Scripted:
        with self.lock:
            self.calls.append(list(messages))
            if self.script:
                return self.script.pop(0)
        if self.repeat is None:
            raise AssertionError("the scripted chat model has no reply left")
        return self.repeat

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        reply = self._next(messages)
        if isinstance(reply, Broken):
            raise reply.error
        if isinstance(reply, Exception):
            raise reply
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._next(messages)
        if isinstance(reply, Exception):
            raise reply
        text = reply.partial if isinstance(reply, Broken) else reply
        for start in range(0, len(text), self.chunk_size):
            piece = text[start : start + self.chunk_size]
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        if isinstance(reply, Broken):
            raise reply.error

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        method: str = "function_calling",
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        self.structured.append((schema, method))

        def parse(prompt: LanguageModelInput) -> dict[str, Any] | BaseModel:
            raw = self.invoke(prompt)
            try:
                assert isinstance(schema, type) and issubclass(schema, BaseModel)
                parsed: BaseModel | None = schema.model_validate_json(raw.text)
                error: Exception | None = None
            except ValidationError as exc:
                if not include_raw:
                    raise
                parsed, error = None, exc
            if include_raw:
                return {"raw": raw, "parsed": parsed, "parsing_error": error}
            assert parsed is not None
            return parsed

        return RunnableLambda(parse)


def mapped_json(
    status: str,
    confidence: float = 0.9,
    *,
    evidence: Sequence[str] = (),
    months: int | None = None,
    follow_up: str | None = None,
) -> str:
    """A structured mapping reply as a model would send it."""
    from assistant.llm.mapping import MappedAnswer

    return MappedAnswer.model_validate(
        {
            "status": status,
            "confidence": confidence,
            "evidence_mentioned": list(evidence),
            "operating_months": months,
            "follow_up_question": follow_up,
        }
    ).model_dump_json()


class KeywordMapper(AnswerMapper):
    """A stand-in for the deterministic mapper: a few cue words, fixed confidences."""

    CUES: tuple[tuple[str, FindingStatus, float], ...] = (
        ("不清楚", FindingStatus.NOT_RATED, 0.5),
        ("不满足", FindingStatus.NOT_MET, 0.95),
        ("部分", FindingStatus.PARTLY_MET, 0.7),
        ("没有", FindingStatus.NOT_MET, 0.8),
        ("满足", FindingStatus.MET, 0.95),
        ("有", FindingStatus.MET, 0.6),
        ("not sure", FindingStatus.NOT_RATED, 0.5),
        ("no", FindingStatus.NOT_MET, 0.8),
        ("yes", FindingStatus.MET, 0.8),
    )

    def __init__(self) -> None:
        self.calls = 0

    def propose(
        self, text: str, indicator: Indicator, *, language: Language, profile: Profile
    ) -> ProposedFinding:
        self.calls += 1
        lowered = text.lower()
        for cue, status, confidence in self.CUES:
            if cue in lowered:
                return ProposedFinding(
                    indicator_id=indicator.id,
                    status=status,
                    confidence=confidence,
                    rationale=f"cue {cue!r}",
                )
        return ProposedFinding(
            indicator_id=indicator.id,
            status=FindingStatus.NOT_RATED,
            confidence=0.3,
            rationale="no cue",
        )


class PlainPhraser(QuestionPhraser):
    """A stand-in for the deterministic phraser: the indicator's own question."""

    def phrase(
        self,
        indicator: Indicator,
        *,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding] = (),
    ) -> str:
        if language == "en":
            return indicator.question_en or indicator.question
        return indicator.question


class CannedAnswerer:
    """An ``Answerer`` that serves one prepared answer and counts the questions."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        self.asked.append(question)
        return self.answer.model_copy(update={"question": question})


# An interpretation question, its extractive answer and a grounded rewrite of it.
SAMPLE_QUESTION = "四星对数据有什么要求？"
_CLAUSE = Citation(
    clause="9.4",
    title="四星要求",
    source="standard/09-operation.md",
    text="四星机构以平台和数据作为运营的核心。服务数据作为资产管理，用于预测需求。",
    level=4,
    area="SO",
    score=0.9,
)
_INDICATOR = Citation(
    clause="9.4.5",
    title="数据资产目录与基础数据库",
    source="指标目录",
    text="机构应将运营数据作为资产管理，编制数据资源目录，明确数据标准、责任人和质量要求。",
    indicator_id="SO-4-05",
    level=4,
    area="SO",
    score=0.8,
)
SAMPLE_ANSWER = Answer(
    question=SAMPLE_QUESTION,
    language="zh",
    covered=True,
    text="关于“四星对数据有什么要求？”，标准中的相关规定如下：……",
    citations=(_INDICATOR, _CLAUSE),
)
SAMPLE_PROSE = (
    "四星要求把数据当作资产来管理【9.4】。具体而言，机构要「编制数据资源目录，明确数据标准、"
    "责任人和质量要求」【SO-4-05】。"
)
