"""The interview's public contract: what a user sends and what the assistant replies.

The API serves these models as JSON and website integrators rely on them, so a field is
never renamed or repurposed; new fields are optional.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from assistant.knowledge.schema import AreaCode, FindingStatus, InstitutionType, StrictModel
from assistant.qa.models import Citation
from assistant.rating.models import RatingResult
from assistant.textnorm import MAX_TEXT_CHARS, clean_line
from assistant.verdict.models import Verdicts
from assistant.vocabulary import Language

__all__ = [
    "MAX_ANSWERS",
    "MAX_INDICATOR_ID_CHARS",
    "MAX_NAME_CHARS",
    "MAX_QUICK_REPLY_CHARS",
    "MAX_SERVICE_FIELDS_CHARS",
    "MAX_SMES_PER_YEAR",
    "MAX_TEXT_CHARS",
    "AnswerReading",
    "AreaProgress",
    "IndicatorRef",
    "Language",
    "Profile",
    "Progress",
    "ProposedFinding",
    "Question",
    "QuestionKind",
    "QuickReply",
    "Reply",
    "UserTurn",
]

# Every value a client sends is bounded (DESIGN §9); the chat refuses the same lengths
# (assistant.interview.profile) that the API's schemas do.
MAX_NAME_CHARS = 200  # as a host site's signed institution name (api.site_token)
MAX_SERVICE_FIELDS_CHARS = 500
MAX_SMES_PER_YEAR = 100_000_000
MAX_QUICK_REPLY_CHARS = 200
MAX_ANSWERS = 64  # the largest checklist has a dozen lines
MAX_INDICATOR_ID_CHARS = 16  # "CSI-5-12" has 8


class Profile(StrictModel):
    """机构画像: collected first, used to phrase questions and head the report."""

    name: Annotated[str, Field(max_length=MAX_NAME_CHARS)] | None = Field(
        default=None, description="机构名称"
    )
    institution_type: InstitutionType | None = Field(default=None, description="机构类型")
    service_fields: Annotated[str, Field(max_length=MAX_SERVICE_FIELDS_CHARS)] | None = Field(
        default=None, description="服务领域"
    )
    smes_served_per_year: Annotated[int, Field(ge=0, le=MAX_SMES_PER_YEAR)] | None = Field(
        default=None, description="年服务中小企业数"
    )
    target_stars: Annotated[int, Field(ge=1, le=5)] | None = Field(
        default=None, description="目标星级"
    )

    @field_validator("name", "service_fields")
    @classmethod
    def _one_clean_line(cls, value: str | None) -> str | None:
        # Wherever a profile comes from (the API, a site token, the chat, the store), its
        # texts reach the reports: no control characters (a DOCX cannot hold them).
        if value is None:
            return None
        return clean_line(value) or None

    def updated(self, **values: object) -> Profile:
        """A copy with ``values`` set, validated (``model_copy`` would skip the checks)."""
        return Profile.model_validate({**self.model_dump(), **values})


class QuestionKind(StrEnum):
    PROFILE = "profile"  # one profile field (``field`` names it)
    INDICATOR = "indicator"  # one indicator, answered by status or free text
    CHECKLIST = "checklist"  # several indicators of one capability item and level
    CONFIRM = "confirm"  # a proposed finding waits for the user's yes or correction
    EVIDENCE = "evidence"  # an upload waits for the user to confirm which indicators it backs
    DONE = "done"  # every question asked; the summary is shown


class IndicatorRef(StrictModel):
    id: str
    area: AreaCode
    level: int
    title: str = Field(description="In the session's language")
    core: bool


class QuickReply(StrictModel):
    value: str = Field(description="Send back as ``quick_reply``")
    label: str = Field(description="Button text, in the session's language")


class Question(StrictModel):
    kind: QuestionKind
    field: str | None = Field(default=None, description="The profile field, for kind=profile")
    indicators: tuple[IndicatorRef, ...] = ()
    quick_replies: tuple[QuickReply, ...] = ()


class ProposedFinding(StrictModel):
    """A reading of the user's answer. It becomes a finding only once confirmed."""

    indicator_id: str
    status: FindingStatus
    confidence: Annotated[float, Field(ge=0, le=1)]
    rationale: str = Field(description="Why this status, in the session's language")
    operating_months: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="How long the practice has run, when the answer says so"
    )
    recorded: bool = Field(default=False, description="True once it was recorded as a finding")
    off_topic: bool = Field(
        default=False,
        description="The answer says little about this indicator, so it is put to the user",
    )
    quote: str | None = Field(
        default=None, description="The applicant's words the reading rests on (short)"
    )


class AreaProgress(StrictModel):
    answered: int
    total: int


class Progress(StrictModel):
    answered: int
    total: int = Field(description="Indicators in scope: up to the target star, or all five")
    by_area: dict[AreaCode, AreaProgress]


class AnswerReading(StrictModel):
    """A finding one of the applicant's turns recorded: shown under their words, undoable."""

    turn: int = Field(description="The turn that recorded it (``Reply.turn``)")
    indicator_id: str
    status: FindingStatus
    previous: FindingStatus | None = Field(
        default=None, description="The finding before this turn (none: not answered yet)"
    )
    undo_of: int | None = Field(
        default=None, description="Set on an undo: the turn whose reading this reverts"
    )


class Reply(StrictModel):
    session_id: str
    language: Language
    text: str = Field(description="Markdown, in the session's language")
    question: Question | None = None
    proposed_findings: tuple[ProposedFinding, ...] = ()
    turn: int | None = Field(default=None, description="This turn's number in the session")
    readings: tuple[AnswerReading, ...] = Field(
        default=(), description="The findings this turn recorded from the applicant's answer"
    )
    progress: Progress
    rating: RatingResult | None = Field(default=None, description="When asked, and at the end")
    verdict: Verdicts | None = Field(
        default=None,
        description="评级的文字说明（与 rating 同时给出）/ the rating in words, with it",
    )
    citations: tuple[Citation, ...] = Field(
        default=(), description="When a question about the standard was answered"
    )


def _few_answers(value: object) -> object:
    """Counted before any entry is validated, so a huge map costs no per-entry work."""
    if isinstance(value, dict) and len(value) > MAX_ANSWERS:
        raise PydanticCustomError(
            "too_long",
            "Dictionary should have at most {max_length} items, not {actual_length}",
            {"field_type": "Dictionary", "max_length": MAX_ANSWERS, "actual_length": len(value)},
        )
    return value


IndicatorKey = Annotated[str, StringConstraints(max_length=MAX_INDICATOR_ID_CHARS)]
Answers = Annotated[
    dict[IndicatorKey, FindingStatus],
    Field(max_length=MAX_ANSWERS),
    BeforeValidator(_few_answers),
]


class UserTurn(StrictModel):
    """Exactly one of: free ``text``, a ``quick_reply`` value, or checklist ``answers``."""

    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    quick_reply: Annotated[str, Field(max_length=MAX_QUICK_REPLY_CHARS)] | None = None
    answers: Answers | None = Field(
        default=None,
        description="指标编号 → 状态，只计本题的指标 / indicator id → status, for the "
        f"current question's indicators (at most {MAX_ANSWERS})",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> UserTurn:
        given = [v for v in (self.text, self.quick_reply, self.answers) if v is not None]
        if len(given) != 1:
            raise ValueError("exactly one of text, quick_reply, answers / 三者须且只能填一项")
        return self
