"""What the interview persists between turns: the cursor, the findings and their changes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from assistant.knowledge.schema import FindingStatus, StrictModel
from assistant.session.models import Language, Profile, ProposedFinding, QuestionKind

__all__ = [
    "Actor",
    "FindingChange",
    "InterviewState",
    "MigrationRecord",
    "Pending",
    "RecordedFinding",
    "Stage",
]


class Stage(StrEnum):
    PROFILE = "profile"
    INDICATORS = "indicators"
    DONE = "done"


class Actor(StrEnum):
    APPLICANT = "applicant"
    ASSESSOR = "assessor"
    SYSTEM = "system"


class RecordedFinding(StrictModel):
    """A confirmed finding: the only thing the rating reads (with linked evidence)."""

    indicator_id: str
    status: FindingStatus
    reason: str | None = None
    actor: Actor = Actor.APPLICANT
    assessor_confirmed: bool = False
    operating_months: Annotated[int, Field(ge=0)] | None = None
    updated_at: datetime
    # Copied from the signed assessment this re-assessment started from, not yet confirmed
    # (沿用待确认); any later change of the finding clears it.
    carried: bool = False


class FindingChange(StrictModel):
    """One line of the audit trail: who changed which finding, when and why."""

    indicator_id: str
    previous: FindingStatus | None
    status: FindingStatus
    actor: Actor
    actor_name: str | None = None
    reason: str | None = None
    at: datetime


class MigrationRecord(StrictModel):
    """A catalog change this session went through (``smecmm sessions migrate``).

    The findings on retired indicators stay here as they were, so none is ever lost; the rating
    under the old catalog stays in the ratings table beside the new one.
    """

    from_version: str
    to_version: str
    at: datetime
    old_catalog_hash: str | None = None
    old_rules_version: str | None = None
    old_declared_stars: int | None = None
    old_evidenced_stars: int | None = None
    retired: tuple[RecordedFinding, ...] = ()  # findings on indicators the new catalog retired
    reopened: tuple[RecordedFinding, ...] = ()  # not applicable, which the new one no longer allows


class Pending(StrictModel):
    """The question the user is looking at."""

    kind: QuestionKind
    field: str | None = None
    indicator_ids: tuple[str, ...] = ()
    proposals: tuple[ProposedFinding, ...] = ()  # for kind=confirm
    evidence_id: str | None = None  # for kind=evidence
    confirm_links: bool = False  # kind=evidence: linking all of ``indicator_ids`` awaits a yes


class InterviewState(StrictModel):
    language: Language = "zh"
    stage: Stage = Stage.PROFILE
    profile: Profile = Profile()
    full_gap_analysis: bool = False
    profile_skipped: tuple[str, ...] = ()  # profile fields the user chose not to answer
    pending: Pending | None = None
    skipped: tuple[str, ...] = ()  # skipped once: asked again after the last area
    left_open: tuple[str, ...] = ()  # skipped again on the second pass: stay not rated
    revisiting: bool = False  # the second pass over skipped indicators has begun
    history: tuple[Pending, ...] = ()  # earlier questions, for 上一题/back
    interrupted: Pending | None = None  # the question an upload interrupted, resumed after it
    migrations: tuple[MigrationRecord, ...] = ()  # catalog changes, oldest first
