"""What the presenter returns: a rating in words, with the codes and numbers beside them.

Every interface shows these objects as they are (the chat and the CLI as lines, the page from
the API's JSON, the reports as tables), so the wording and the order exist once.
"""

from __future__ import annotations

from enum import StrEnum

from assistant.knowledge.schema import AreaCode, FindingStatus, StrictModel
from assistant.rating.models import (
    Basis,
    Completeness,
    EvidenceGap,
    LevelState,
    ReasonCode,
)
from assistant.vocabulary import Language

__all__ = ["AreaVerdict", "BlockerGroup", "BlockerLine", "Verdict", "Verdicts"]


class BlockerGroup(StrEnum):
    """The order blockers are shown in: a failing core first, then the score, then evidence."""

    CORE = "core"
    SCORE = "score"
    EVIDENCE = "evidence"


class BlockerLine(StrictModel):
    indicator_id: str
    title: str
    core: bool
    group: BlockerGroup
    code: ReasonCode
    reason: str  # the reason code's label
    status: FindingStatus  # as this reading counts it
    status_label: str
    gain: float  # how much the level's score rises when it becomes met
    gaps: tuple[EvidenceGap, ...]
    text: str  # why it blocks, with the numbers
    lift: str  # what would lift it ("" when the text says it)
    line: str  # "SS-1-01 title：text", as the chat and the terminal list it


class AreaVerdict(StrictModel):
    area: AreaCode
    name: str
    level: int
    level_label: str
    next_level: int | None
    next_label: str | None
    next_state: LevelState | None
    score: float | None  # the next level's weighted score (unanswered counted as 0)
    threshold: float | None  # its pass mark
    headline: str  # "服务战略 一星：得分 0.57，需达到 0.80"
    holding: bool  # holds the institution below its next star
    blockers: tuple[BlockerLine, ...]
    unanswered: int  # not rated, still to be asked in this interview
    unrated: int  # not rated and no longer asked (skipped, or outside the interview)
    notes: tuple[str, ...]  # "还有 3 项未回答"


class Verdict(StrictModel):
    basis: Basis
    basis_label: str
    stars: int
    stars_label: str
    next_star: int | None
    next_star_label: str | None
    next_state: LevelState | None
    heading: str  # "升到二星还差：" or "已达到最高星级（五星）。"
    areas: tuple[AreaVerdict, ...]  # every area, in catalog order

    @property
    def holding(self) -> tuple[AreaVerdict, ...]:
        return tuple(area for area in self.areas if area.holding)

    @property
    def blockers(self) -> tuple[BlockerLine, ...]:
        """Every listed blocker of the holding areas, in the order they are shown."""
        return tuple(line for area in self.holding for line in area.blockers)


class Verdicts(StrictModel):
    language: Language
    declared: Verdict
    evidenced: Verdict
    coverage: Completeness  # indicators in scope for this interview, and how many are rated
    coverage_text: str

    def reading(self, basis: Basis) -> Verdict:
        return self.declared if basis is Basis.DECLARED else self.evidenced
