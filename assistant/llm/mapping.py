"""Free-text answers read by a chat model, proposed for the user to confirm.

The model returns structured output (``MappedAnswer``) that is validated here; the result is
a ``ProposedFinding`` like the deterministic mapper's, handed to the same confirmation logic.
The model proposes, the user confirms, the rating engine decides:

- the status must be a ``FindingStatus``; ``not_applicable`` only where the indicator allows it;
- the confidence is clamped to [0, 1]; unless the deterministic mapper reads the *same*
  status from the same text, it is capped below ``auto_record_threshold`` — so a model alone
  never gets a finding recorded without the user's confirmation (when both agree, the higher
  of the two confidences stands, unless the deterministic mapper found the answer to be
  about something else);
- text the model adds (materials, follow-up) is dropped when it speaks of stars or ratings;
- any error, timeout or invalid output returns the deterministic proposal (logged, counted).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, Literal

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.interview.mapping import CONFIDENT
from assistant.interview.ports import AnswerMapper
from assistant.knowledge.schema import FindingStatus, Indicator
from assistant.llm.config import StructuredMethod
from assistant.llm.fallback import InvalidOutput, LlmMetrics, with_fallback
from assistant.llm.guards import claims_rating, clip
from assistant.llm.prompts import PromptBook, PromptFile, shipped_prompts
from assistant.session.models import Language, Profile, ProposedFinding
from assistant.vocabulary import status_label

__all__ = [
    "AUTO_RECORD_THRESHOLD",
    "MODEL_ONLY_MARGIN",
    "MappedAnswer",
    "ModelMapper",
    "ModelReading",
    "parse_json_object",
]

# The interview records a proposal without asking when its confidence reaches this.
AUTO_RECORD_THRESHOLD = CONFIDENT
# How far below that threshold a reading only the model supports is held.
MODEL_ONLY_MARGIN = 0.05
MAX_OPERATING_MONTHS = 600
_MAX_ITEMS = 5


# What the model is asked to return; its JSON schema is sent as the response format (so the
# class has no docstring: it would be sent too, as the schema's description).
class MappedAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: FindingStatus
    confidence: float = Field(json_schema_extra={"minimum": 0, "maximum": 1})
    # The bounds go to the model as schema (a grammar-constrained server enforces them);
    # parsing stays lenient and the values are clipped here instead.
    evidence_mentioned: list[Annotated[str, Field(json_schema_extra={"maxLength": 40})]] = Field(
        json_schema_extra={"maxItems": 5}
    )
    operating_months: int | None
    follow_up_question: Annotated[str, Field(json_schema_extra={"maxLength": 120})] | None


@dataclass(frozen=True)
class ModelReading:
    """A mapped answer with what the interview may show beside the proposal."""

    proposal: ProposedFinding
    source: Literal["model", "fallback"]
    deterministic: ProposedFinding
    evidence_mentioned: tuple[str, ...] = ()
    follow_up: str | None = None
    fallback_reason: str | None = None

    @property
    def agrees(self) -> bool:
        """Did the deterministic mapper read the same status?"""
        return self.proposal.status == self.deterministic.status


def parse_json_object(text: str) -> dict[str, Any]:
    """The first JSON object in ``text`` (a model may wrap it in prose or a code fence)."""
    # from the first "{" to the last "}": str.find, not a search for \{.*\} (n² unclosed)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise InvalidOutput("no JSON object in the reply")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise InvalidOutput(f"reply is not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise InvalidOutput("reply JSON is not an object")
    return data


def _lenient(data: dict[str, Any]) -> MappedAnswer:
    known = {key: data[key] for key in MappedAnswer.model_fields if key in data}
    known.setdefault("evidence_mentioned", [])
    known.setdefault("operating_months", None)
    known.setdefault("follow_up_question", None)
    try:
        return MappedAnswer.model_validate(known)
    except ValidationError as exc:
        raise InvalidOutput(f"reply does not fit the schema: {exc.error_count()} errors") from exc


def _from_structured(result: Any) -> MappedAnswer:
    """Accept what ``with_structured_output(include_raw=True)`` returned, or rescue the raw."""
    if not isinstance(result, dict):
        raise InvalidOutput(f"unexpected structured result {type(result).__name__}")
    parsed = result.get("parsed")
    if isinstance(parsed, MappedAnswer):
        return parsed
    if isinstance(parsed, dict):
        return _lenient(parsed)
    raw = result.get("raw")
    content = getattr(raw, "content", "")
    if not isinstance(content, str) or not content.strip():
        raise InvalidOutput(f"empty reply ({result.get('parsing_error')!r})")
    return _lenient(parse_json_object(content))


def _lines(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) or "-"


class ModelMapper(AnswerMapper):
    def __init__(
        self,
        chat: BaseChatModel,
        fallback: AnswerMapper,
        *,
        prompts: PromptBook | None = None,
        metrics: LlmMetrics | None = None,
        method: StructuredMethod = "json_schema",
        auto_record_threshold: float = AUTO_RECORD_THRESHOLD,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._fallback = fallback
        self._prompt: PromptFile = (prompts or shipped_prompts()).get("answer_mapping")
        self.metrics = metrics or LlmMetrics()
        self._structured = chat.with_structured_output(
            MappedAnswer, method=method, include_raw=True
        )
        self._cap = max(0.0, auto_record_threshold - MODEL_ONLY_MARGIN)
        self._today = today

    def propose(
        self, text: str, indicator: Indicator, *, language: Language, profile: Profile
    ) -> ProposedFinding:
        return self.read(text, indicator, language=language, profile=profile).proposal

    def read(
        self, text: str, indicator: Indicator, *, language: Language, profile: Profile
    ) -> ModelReading:
        deterministic = self._fallback.propose(text, indicator, language=language, profile=profile)

        def attempt() -> ModelReading:
            mapped = _from_structured(
                self._structured.invoke(self._messages(text, indicator, language, profile))
            )
            return self._reading(mapped, deterministic, indicator, language)

        def fallback() -> ModelReading:
            return ModelReading(deterministic, "fallback", deterministic)

        reading, reason = with_fallback("mapping", self.metrics, attempt, fallback)
        return replace(reading, fallback_reason=reason) if reason else reading

    def _messages(
        self, text: str, indicator: Indicator, language: Language, profile: Profile
    ) -> list[BaseMessage]:
        english = language == "en"
        prompt = self._prompt.render(
            language,
            indicator_id=indicator.id,
            title=indicator.title.en if english else indicator.title.zh,
            requirement=indicator.requirement,
            question=(indicator.question_en or indicator.question)
            if english
            else indicator.question,
            hints=_lines((indicator.hints_en or indicator.hints) if english else indicator.hints),
            evidence=_lines([e.description for e in indicator.evidence]),
            na_allowed=str(indicator.na_allowed).lower(),
            profile=json.dumps(
                profile.model_dump(mode="json", exclude_none=True), ensure_ascii=False
            ),
            today=self._today().isoformat(),
            answer=text,
        )
        return [SystemMessage(prompt.system), HumanMessage(prompt.user)]

    def _reading(
        self,
        mapped: MappedAnswer,
        deterministic: ProposedFinding,
        indicator: Indicator,
        language: Language,
    ) -> ModelReading:
        _validate(mapped, indicator)
        if mapped.status is FindingStatus.NOT_RATED and deterministic.status is not (
            FindingStatus.NOT_RATED
        ):
            # A model that reads nothing must not stall an answer the rules read clearly.
            return ModelReading(deterministic, "fallback", deterministic)
        confidence = min(max(mapped.confidence, 0.0), 1.0)
        if mapped.status == deterministic.status and not deterministic.off_topic:
            confidence = max(confidence, deterministic.confidence)
        else:  # another reading, or an answer about something else: the user confirms
            confidence = min(confidence, self._cap)
        evidence = _safe_items(mapped.evidence_mentioned)
        proposal = ProposedFinding(
            indicator_id=indicator.id,
            status=mapped.status,
            confidence=round(confidence, 4),
            rationale=self._rationale(mapped.status, evidence, language),
            operating_months=(
                mapped.operating_months
                if mapped.operating_months is not None
                else deterministic.operating_months
            ),
            off_topic=deterministic.off_topic,
            quote=deterministic.quote,
        )
        return ModelReading(
            proposal=proposal,
            source="model",
            deterministic=deterministic,
            evidence_mentioned=evidence,
            follow_up=_safe_follow_up(mapped.follow_up_question),
        )

    def _rationale(self, status: FindingStatus, evidence: tuple[str, ...], lang: Language) -> str:
        label = status_label(status, lang, inline=True)
        listed = ("、" if lang == "zh" else ", ").join(evidence)
        return self._prompt.text(
            "rationale",
            lang,
            status=label,
            evidence=listed or self._prompt.text("no_evidence", lang),
        )


def _validate(mapped: MappedAnswer, indicator: Indicator) -> None:
    if mapped.status is FindingStatus.NOT_APPLICABLE and not indicator.na_allowed:
        raise InvalidOutput(f"not_applicable for {indicator.id!r}, which does not allow it")
    if not math.isfinite(mapped.confidence):
        raise InvalidOutput("confidence is not a number")
    months = mapped.operating_months
    if months is not None and not 0 <= months <= MAX_OPERATING_MONTHS:
        raise InvalidOutput(f"operating_months {months} out of range")


def _safe_items(items: list[str]) -> tuple[str, ...]:
    kept = [clip(item, 40) for item in items if item.strip() and not claims_rating(item)]
    return tuple(dict.fromkeys(kept))[:_MAX_ITEMS]


def _safe_follow_up(question: str | None) -> str | None:
    if not question:
        return None
    question = " ".join(question.split())
    if len(question) > 160 or claims_rating(question) or not question.endswith(("？", "?")):
        return None
    return question
