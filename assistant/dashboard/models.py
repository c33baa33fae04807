"""What the association's dashboard shows: counts, never a session's content."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, model_validator

from assistant.knowledge.schema import InstitutionType, StrictModel
from assistant.rating.models import Basis, ReasonCode

__all__ = [
    "MAX_STARS",
    "BlockerCount",
    "Dashboard",
    "DashboardFilter",
    "LevelBlockers",
    "MonthCounts",
    "StarCounts",
    "Totals",
    "TypeCounts",
]

MAX_STARS = 5
Stars = Annotated[tuple[int, ...], Field(min_length=MAX_STARS + 1, max_length=MAX_STARS + 1)]


class DashboardFilter(StrictModel):
    """Which applications count: created from/to (UTC dates, both included), one type; and
    which reading's blockers are counted."""

    created_from: date | None = None
    created_to: date | None = None
    institution_type: InstitutionType | None = None
    basis: Basis = Basis.EVIDENCED

    @model_validator(mode="after")
    def _ordered(self) -> DashboardFilter:
        if self.created_from and self.created_to and self.created_from > self.created_to:
            raise ValueError("created_from is after created_to")
        return self


class StarCounts(StrictModel):
    """Applications at each star 0..5 (index = stars) on each reading."""

    declared: Stars
    evidenced: Stars
    signed: Stars  # the assessor-confirmed stars of the live sign-off
    not_rated: int  # no rating yet: counted in neither declared nor evidenced
    unsigned: int  # no live sign-off: not counted in signed


class TypeCounts(StrictModel):
    institution_type: InstitutionType | None  # None: not given yet
    label_zh: str
    label_en: str
    sessions: int
    stars: StarCounts


class MonthCounts(StrictModel):
    month: str  # YYYY-MM of creation (UTC)
    sessions: int
    rated: int
    signed: int


class BlockerCount(StrictModel):
    level: int
    indicator_id: str
    title_zh: str
    title_en: str
    core: bool
    count: int  # applications it blocks at this level
    reasons: dict[ReasonCode, int]  # why, counted over those applications


class LevelBlockers(StrictModel):
    level: int
    applications: int  # applications whose next star is this level
    blockers: tuple[BlockerCount, ...]  # the commonest first


class Totals(StrictModel):
    sessions: int
    rated: int
    signed: int
    locked: int


class Dashboard(StrictModel):
    filters: DashboardFilter
    generated_at: datetime
    totals: Totals
    stars: StarCounts
    by_type: tuple[TypeCounts, ...]
    by_month: tuple[MonthCounts, ...]  # first to last month, months without applications as 0
    blockers: tuple[LevelBlockers, ...]  # levels 1..5
