"""Inputs and outputs of the rating engine (pydantic, frozen, strict)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from assistant.knowledge.schema import AreaCode, EvidenceKind, FindingStatus, StrictModel

__all__ = [
    "AreaResult",
    "Basis",
    "Blocker",
    "Completeness",
    "EvidenceGap",
    "EvidenceItem",
    "EvidenceOutcome",
    "Finding",
    "IndicatorResult",
    "LevelOutcome",
    "LevelState",
    "NextStar",
    "Reading",
    "RatingResult",
    "ReasonCode",
    "Versions",
]


class EvidenceItem(StrictModel):
    """One piece of evidence linked to a finding."""

    id: str | None = None
    kind: EvidenceKind
    dated: date | None = None  # the document's own date (issued, signed, exported)
    covers_months: Annotated[int, Field(ge=0)] | None = None  # span of time its records cover
    title: str | None = None
    valid_until: date | None = None  # a policy's, certificate's or contract's end of validity
    # An assessor verified it (the assessor-confirmed reading): only such an item may satisfy
    # an interview or on-site observation requirement.
    assessor_verified: bool = False


class Finding(StrictModel):
    indicator_id: str
    status: FindingStatus
    reason: str | None = None
    evidence: tuple[EvidenceItem, ...] = ()
    assessor_confirmed: bool = False


class Basis(StrEnum):
    DECLARED = "declared"  # 申报口径: every finding as stated
    EVIDENCED = "evidenced"  # 证据口径: met/largely met only with sufficient evidence


class LevelState(StrEnum):
    ATTAINED = "attained"
    FAILED = "failed"
    NOT_RATED = "not_rated"  # could still pass or fail on findings not yet rated


class ReasonCode(StrEnum):
    CORE_NOT_MET = "CORE_NOT_MET"
    BELOW_THRESHOLD = "BELOW_THRESHOLD"
    NOT_RATED = "NOT_RATED"
    EVIDENCE_MISSING = "EVIDENCE_MISSING"
    EVIDENCE_STALE = "EVIDENCE_STALE"


class EvidenceOutcome(StrEnum):
    SUFFICIENT = "sufficient"
    MISSING = "missing"
    STALE = "stale"
    NOT_REQUIRED = "not_required"  # status below met/largely met, or no direct requirement
    CONFIRMED = "confirmed"  # an assessor confirmed the finding


class EvidenceGap(StrictModel):
    """One direct evidence requirement that is not satisfied: facts, never sentences."""

    requirement: int  # index into the indicator's *direct* requirements, in catalog order
    kind: EvidenceKind
    outcome: EvidenceOutcome  # MISSING or STALE
    min_count: int
    have: int  # items of its kind matched to it, whatever their age
    fresh: int  # of those, within the maximum age and in force
    max_age_months: int | None = None
    operating_months: int | None = None
    shows_months: int = 0  # the longest operation any matched item shows


def _drop_legacy(data: Any, names: tuple[str, ...]) -> Any:
    """Ratings stored before codes replaced sentences still load (their texts are dropped)."""
    if isinstance(data, dict) and any(name in data for name in names):
        return {k: v for k, v in data.items() if k not in names}
    return data


_LEGACY_BLOCKER_TEXTS = ("message_zh", "message_en", "lift_zh", "lift_en")


class Blocker(StrictModel):
    indicator_id: str
    level: int
    code: ReasonCode
    status: FindingStatus  # as this reading counts it
    declared: FindingStatus | None = None  # as stated, where the evidence capped it
    gain: float  # how much the level's weighted score rises if this indicator becomes met
    needs: tuple[FindingStatus, ...] = ()  # CORE_NOT_MET: the statuses a core must reach
    gaps: tuple[EvidenceGap, ...] = ()  # EVIDENCE_MISSING / EVIDENCE_STALE: what is short

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        return _drop_legacy(data, _LEGACY_BLOCKER_TEXTS)


class LevelOutcome(StrictModel):
    level: int
    state: LevelState
    score: float  # weighted score with unrated findings counted as 0
    best_possible: float  # weighted score with unrated findings counted as met
    threshold: float


class AreaResult(StrictModel):
    area: AreaCode
    level: int
    levels: tuple[LevelOutcome, ...]
    next_level: int | None
    next_state: LevelState | None
    blockers: tuple[Blocker, ...]


class NextStar(StrictModel):
    level: int
    state: LevelState
    areas: tuple[AreaCode, ...]  # the areas that hold the institution below this star


class Reading(StrictModel):
    basis: Basis
    stars: Annotated[int, Field(ge=0, le=5)]
    areas: tuple[AreaResult, ...]
    next_star: NextStar | None


class IndicatorResult(StrictModel):
    indicator_id: str
    declared: FindingStatus
    evidenced: FindingStatus
    evidence: EvidenceOutcome
    evidence_gaps: tuple[EvidenceGap, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        gaps = data.get("evidence_gaps") if isinstance(data, dict) else None
        if gaps and any(isinstance(gap, str) for gap in gaps):  # sentences, before codes
            return {**data, "evidence_gaps": ()}
        return data


class Completeness(StrictModel):
    rated: int
    total: int
    by_area: dict[AreaCode, tuple[int, int]]

    @property
    def ratio(self) -> float:
        return self.rated / self.total if self.total else 1.0


class Versions(StrictModel):
    standard: str
    catalog_version: str
    catalog_hash: str
    rules_version: str
    rules_hash: str


class RatingResult(StrictModel):
    declared: Reading
    evidenced: Reading
    indicators: tuple[IndicatorResult, ...]
    completeness: Completeness
    versions: Versions
    as_of: date
