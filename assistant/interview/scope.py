"""Which indicators the interview asks, in which order, grouped into questions (DESIGN §7).

Order: area by area (the catalog's order), level ascending, capability item by item. Core
indicators are asked one by one; the other indicators of one area and level form one
checklist. (The catalog spreads its 4–7 indicators per area and level over four or five
items, so a checklist per item would mostly hold one indicator: per area and level, a 3-star
interview asks 36 questions instead of 75.)
Adaptive skipping: once the answers show that an area can no longer attain level L (a core
indicator of L failed, or L's weighted score cannot reach the pass mark even if every open
indicator were met, as the rating engine decides), its questions above L are not asked, unless
the applicant asked for a full gap analysis. Cells without a core indicator stop the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus, Indicator, RuleSet
from assistant.rating.levels import evaluate_level
from assistant.rating.models import LevelState
from assistant.session.models import AreaProgress, Profile, Progress, QuestionKind
from assistant.session.state import InterviewState, RecordedFinding
from assistant.verdict.coverage import coverage

__all__ = ["QuestionUnit", "Scope"]

_FAILED_CACHE = 65_536  # cells' status combinations kept (a few MB at most)


@dataclass(frozen=True)
class QuestionUnit:
    kind: QuestionKind  # INDICATOR or CHECKLIST
    area: AreaCode
    level: int
    item: str
    indicator_ids: tuple[str, ...]


def _units_of_cell(indicators: list[Indicator]) -> Iterator[QuestionUnit]:
    for indicator in indicators:
        if indicator.core:
            yield _single(indicator)
    others = [indicator for indicator in indicators if not indicator.core]
    if len(others) == 1:
        yield _single(others[0])
    elif others:
        first = others[0]
        ids = tuple(indicator.id for indicator in others)
        yield QuestionUnit(QuestionKind.CHECKLIST, first.area, int(first.level), first.item, ids)


def _single(indicator: Indicator) -> QuestionUnit:
    return QuestionUnit(
        QuestionKind.INDICATOR,
        indicator.area,
        int(indicator.level),
        indicator.item,
        (indicator.id,),
    )


class Scope:
    """The question plan for one catalog; cheap to build, pure to query."""

    def __init__(self, catalog: Catalog, rules: RuleSet) -> None:
        self.catalog = catalog
        self._rules = rules
        self.by_id: dict[str, Indicator] = {i.id: i for i in catalog.indicators}
        self._cells: dict[tuple[AreaCode, int], list[Indicator]] = {}
        for indicator in catalog.indicators:
            self._cells.setdefault((indicator.area, int(indicator.level)), []).append(indicator)
        self.units: tuple[QuestionUnit, ...] = tuple(self._plan())
        self._failed: dict[tuple[AreaCode, int, tuple[FindingStatus, ...]], bool] = {}

    def _plan(self) -> Iterator[QuestionUnit]:
        for area in self.catalog.areas:
            items = [item.code for item in area.items]
            for level in range(1, 6):
                cell = [
                    i for i in self.catalog.indicators if i.area == area.code and i.level == level
                ]
                cell.sort(key=lambda i: (items.index(i.item), i.id))
                yield from _units_of_cell(cell)

    @staticmethod
    def top_level(profile: Profile, full_gap_analysis: bool) -> int:
        if full_gap_analysis or profile.target_stars is None:
            return 5
        return profile.target_stars

    def failed_level(
        self, area: AreaCode, findings: Mapping[str, RecordedFinding], *, up_to: int = 5
    ) -> int | None:
        """The lowest level up to ``up_to`` that ``area`` can no longer attain, whatever is
        still open."""
        for level in range(1, up_to + 1):
            cell = self._cells.get((area, level), [])
            statuses = tuple(
                findings[i.id].status if i.id in findings else FindingStatus.NOT_RATED for i in cell
            )
            if all(s is FindingStatus.NOT_RATED for s in statuses):
                continue  # nothing rated: every status is still possible (this runs every turn)
            if self._fails(area, level, statuses):
                return level
        return None

    def _fails(self, area: AreaCode, level: int, statuses: tuple[FindingStatus, ...]) -> bool:
        """Whether the cell fails with these statuses (in cell order): rated once per process
        for each combination, since this runs several times a turn and a turn changes one cell."""
        key = (area, level, statuses)
        failed = self._failed.get(key)
        if failed is None:
            cell = self._cells[(area, level)]
            by_id = {i.id: s for i, s in zip(cell, statuses, strict=True)}
            failed = evaluate_level(level, cell, by_id, self._rules).state is LevelState.FAILED
            if len(self._failed) >= _FAILED_CACHE:
                self._failed.clear()
            self._failed[key] = failed
        return failed

    def in_scope(self, state: InterviewState, findings: Mapping[str, RecordedFinding]) -> list[str]:
        """Indicator ids the interview intends to ask, after adaptive skipping."""
        top = self.top_level(state.profile, state.full_gap_analysis)
        ceilings = {
            area.code: self._ceiling(area.code, top, state, findings) for area in self.catalog.areas
        }
        return [i.id for i in self.catalog.indicators if i.level <= ceilings[i.area]]

    def _ceiling(
        self,
        area: AreaCode,
        top: int,
        state: InterviewState,
        findings: Mapping[str, RecordedFinding],
    ) -> int:
        if state.full_gap_analysis:
            return top
        failed = self.failed_level(area, findings, up_to=top - 1)  # failing at top changes nothing
        return top if failed is None else min(top, failed)

    def still_open(
        self, state: InterviewState, findings: Mapping[str, RecordedFinding]
    ) -> list[str]:
        """Indicators in scope that the interview will still ask: not answered and not left
        open (a skipped one comes back after the last area). The summary counts them as
        "还有 N 项未回答"."""
        closed = {i for i, f in findings.items() if _answered(f)} | set(state.left_open)
        return [i for i in self.in_scope(state, findings) if i not in closed]

    def next_unit(
        self, state: InterviewState, findings: Mapping[str, RecordedFinding]
    ) -> QuestionUnit | None:
        """The first question with an indicator still open, or None when all are answered."""
        wanted = set(self.in_scope(state, findings))
        closed = set(findings) | set(state.left_open)
        if not state.revisiting:
            closed |= set(state.skipped)
        for unit in self.units:
            open_ids = tuple(i for i in unit.indicator_ids if i in wanted and i not in closed)
            if open_ids:
                return self._narrow(unit, open_ids)
        return None

    def _narrow(self, unit: QuestionUnit, open_ids: tuple[str, ...]) -> QuestionUnit:
        if len(open_ids) == 1:
            return _single(self.by_id[open_ids[0]])
        return QuestionUnit(unit.kind, unit.area, unit.level, unit.item, open_ids)

    def progress(self, state: InterviewState, findings: Mapping[str, RecordedFinding]) -> Progress:
        """Answered of the indicators in scope, counted as every other view counts them."""
        statuses = {i: f.status for i, f in findings.items()}
        counted = coverage(self.catalog, self.in_scope(state, findings), statuses)
        return Progress(
            answered=counted.rated,
            total=counted.total,
            by_area={
                area: AreaProgress(answered=rated, total=total)
                for area, (rated, total) in counted.by_area.items()
            },
        )


def _answered(finding: RecordedFinding | None) -> bool:
    return finding is not None and finding.status is not FindingStatus.NOT_RATED
