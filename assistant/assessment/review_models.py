"""The assessor's view of one assessment, as the API returns it (built by
``assistant.assessment.review``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from assistant.assessment.models import AssessorNote, EvidenceCheck, SignOff
from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import MaterialLine
from assistant.knowledge.schema import AreaCode, FindingStatus, Scoring, StrictModel
from assistant.rating.models import IndicatorResult, RatingResult
from assistant.session.models import Language, Profile
from assistant.session.state import Actor, Stage
from assistant.verdict import Verdicts

__all__ = [
    "ApplicantReading",
    "AssessorView",
    "CheckedFile",
    "LockState",
    "ReviewedFinding",
    "SignOffSummary",
]


class ApplicantReading(StrictModel):
    """Where the applicant's finding came from in the interview."""

    turn: int = Field(description="记下该认定的轮次 / the turn that recorded it")
    words: str | None = Field(description="该轮申请机构的原话 / the applicant's words that turn")
    via: Literal["text", "quick_reply", "answers"] | None = None
    asked_words: str | None = Field(
        default=None,
        description="该轮只是确认时，被确认的那次回答 / when that turn only confirmed a "
        "reading: the answer it confirmed",
    )
    rationale: str | None = Field(default=None, description="解读的理由 / the reading's why")
    confidence: float | None = Field(default=None, description="解读的把握 / its confidence")
    quote: str | None = None


class CheckedFile(StrictModel):
    evidence: EvidenceRecord
    check: EvidenceCheck | None = None
    counted: bool = Field(
        description="计入评估人员确认口径（已核验）/ counts in the confirmed reading (verified)"
    )


class ReviewedFinding(StrictModel):
    indicator_id: str
    title_zh: str
    title_en: str
    area: AreaCode
    level: int
    core: bool
    status: FindingStatus
    actor: Actor | None = None
    actor_name: str | None = Field(default=None, description="最近一次改动者 / who changed it last")
    reason: str | None = None
    assessor_confirmed: bool = False
    carried: bool = False
    updated_at: datetime | None = None
    reading: ApplicantReading | None = None
    evidenced: IndicatorResult = Field(description="证据口径 / as the evidenced reading counts it")
    confirmed: IndicatorResult = Field(
        description="评估人员确认口径 / as the confirmed reading counts it"
    )
    requirements: tuple[MaterialLine, ...] = Field(
        description="每项直接证据要求是否满足及原因 / each direct evidence requirement: met or "
        "not, and why"
    )
    files: tuple[CheckedFile, ...]
    scoring: Scoring
    scoring_en: Scoring | None = None
    notes: tuple[AssessorNote, ...] = ()


class SignOffSummary(StrictModel):
    """A sign-off without its snapshot (``GET …/signoffs/{version}`` has the whole)."""

    session_id: str
    version: int
    signed_by: str
    signed_at: datetime
    declared_stars: int
    evidenced_stars: int
    confirmed_stars: int
    catalog_version: str
    catalog_hash: str
    rules_version: str
    rules_hash: str
    snapshot_sha256: str
    reopened_at: datetime | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None

    @classmethod
    def of(cls, signoff: SignOff) -> SignOffSummary:
        return cls.model_validate(signoff.model_dump(exclude={"snapshot"}))


class LockState(StrictModel):
    locked: bool
    version: int | None = Field(default=None, description="锁定它的签署版本 / the live sign-off")
    signed_by: str | None = None
    signed_at: datetime | None = None


class AssessorView(StrictModel):
    session_id: str
    language: Language
    stage: Stage
    profile: Profile
    owner: str | None
    created_at: datetime
    updated_at: datetime
    as_of: date
    rating: RatingResult = Field(description="申报与证据口径 / the declared and evidenced readings")
    confirmed: RatingResult = Field(
        description="评估人员确认口径（其 evidenced 即确认结果）/ the confirmed reading (its "
        "`evidenced` is the one shown)"
    )
    verdict: Verdicts
    confirmed_verdict: Verdicts
    findings: tuple[ReviewedFinding, ...]
    evidence: tuple[CheckedFile, ...]
    notes: tuple[AssessorNote, ...]
    signoffs: tuple[SignOffSummary, ...]
    lock: LockState
