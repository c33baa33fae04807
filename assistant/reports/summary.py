"""What a report derives from its data, once, for every format: the per-area rows, the
verdict in words (``assistant.verdict``, the presenter the chat, the page and the terminal use
too) and the materials per evidence requirement."""

from __future__ import annotations

from datetime import date, datetime

from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import evidence_items
from assistant.knowledge.schema import (
    AreaCode,
    EvidenceClass,
    EvidenceKind,
    StrictModel,
)
from assistant.rating.evidence import RequirementCheck, gap_of, match_evidence
from assistant.rating.models import (
    AreaResult,
    Completeness,
    EvidenceItem,
    EvidenceOutcome,
    LevelState,
)
from assistant.reports.data import ReportData
from assistant.verdict import Verdict, Verdicts, present

__all__ = [
    "AreaRow",
    "IndicatorMaterials",
    "ReportSummary",
    "RequirementStatus",
    "UploadRef",
    "build_summary",
    "upload_ref",
    "verdicts",
]


class UploadRef(StrictModel):
    evidence_id: str
    filename: str
    kind: EvidenceKind | None
    dated: date | None
    uploaded_at: datetime

    @property
    def shown_date(self) -> date:
        return self.dated or self.uploaded_at.date()


class RequirementStatus(StrictModel):
    """One direct evidence requirement of an indicator, with what is uploaded for it."""

    kind: EvidenceKind
    description: str
    min_count: int
    max_age_months: int | None
    operating_months: int | None
    uploaded: tuple[UploadRef, ...]
    outcome: EvidenceOutcome  # sufficient, missing, stale, or confirmed by an assessor
    missing_count: int  # items of this kind still to upload
    fresh_count: int  # uploaded items recent enough
    covered_months: int  # the longest span of operation an item shows


class IndicatorMaterials(StrictModel):
    indicator_id: str
    area: AreaCode
    level: int
    core: bool
    requirements: tuple[RequirementStatus, ...]


class AreaRow(StrictModel):
    area: AreaCode
    declared_level: int
    evidenced_level: int
    next_level: int | None
    next_state: LevelState | None
    score: float | None
    threshold: float | None
    rated: int
    total: int


class ReportSummary(StrictModel):
    declared_stars: int
    evidenced_stars: int
    target_stars: int
    scope: tuple[str, ...]
    areas: tuple[AreaRow, ...]
    plans: tuple[Verdict, ...]  # evidenced first: it is the one an assessor will check
    coverage: Completeness  # the indicators in scope, and how many are rated
    coverage_text: str
    materials: tuple[IndicatorMaterials, ...]
    unlinked: tuple[UploadRef, ...]  # uploads with no confirmed indicator or no kind

    @property
    def requirement_count(self) -> int:
        return sum(len(m.requirements) for m in self.materials)

    @property
    def open_count(self) -> int:
        return sum(not _closed(r) for m in self.materials for r in m.requirements)


def _closed(requirement: RequirementStatus) -> bool:
    return requirement.outcome in (EvidenceOutcome.SUFFICIENT, EvidenceOutcome.CONFIRMED)


def _area_rows(data: ReportData, counted: Completeness) -> tuple[AreaRow, ...]:
    declared = {a.area: a for a in data.rating.declared.areas}
    rows = []
    for area in data.rating.evidenced.areas:
        rated, total = counted.by_area.get(area.area, (0, 0))
        score, threshold = _next_score(area)
        rows.append(
            AreaRow(
                area=area.area,
                declared_level=declared[area.area].level if area.area in declared else 0,
                evidenced_level=area.level,
                next_level=area.next_level,
                next_state=area.next_state,
                score=score,
                threshold=threshold,
                rated=rated,
                total=total,
            )
        )
    return tuple(rows)


def _next_score(area: AreaResult) -> tuple[float | None, float | None]:
    if area.next_level is None:
        return None, None
    outcome = area.levels[area.next_level - 1]
    return outcome.score, outcome.threshold


def upload_ref(record: EvidenceRecord) -> UploadRef:
    return UploadRef(
        evidence_id=record.id,
        filename=record.filename,
        kind=record.kind,
        dated=record.dated,
        uploaded_at=record.uploaded_at,
    )


def _requirement_status(
    index: int,
    check: RequirementCheck,
    linked: list[EvidenceRecord],
    items: tuple[EvidenceItem, ...],
    confirmed: bool,
    as_of: date,
) -> RequirementStatus:
    """The rating's own matching decides which files count for this requirement, and how."""
    requirement = check.requirement
    matching = [linked[i] for i in check.shown]
    facts = gap_of(index, check, items, as_of)
    return RequirementStatus(
        kind=requirement.kind,
        description=requirement.description,
        min_count=requirement.min_count,
        max_age_months=requirement.max_age_months,
        operating_months=requirement.operating_months,
        uploaded=tuple(upload_ref(r) for r in matching),
        outcome=EvidenceOutcome.CONFIRMED if confirmed else check.outcome,
        missing_count=max(0, facts.min_count - facts.have),
        fresh_count=facts.fresh,
        covered_months=facts.shows_months,
    )


def _materials(data: ReportData) -> tuple[IndicatorMaterials, ...]:
    as_of = data.rating.as_of
    out = []
    for indicator in data.scoped_indicators():
        direct = [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]
        if not direct:
            continue
        # the records the rating reads, in the same order as its items
        linked = [
            r for r in data.evidence if indicator.id in r.indicator_ids and r.kind is not None
        ]
        items = evidence_items(data.evidence, indicator.id)
        finding = data.findings.get(indicator.id)
        confirmed = finding is not None and finding.assessor_confirmed
        out.append(
            IndicatorMaterials(
                indicator_id=indicator.id,
                area=indicator.area,
                level=int(indicator.level),
                core=indicator.core,
                requirements=tuple(
                    _requirement_status(n, check, linked, items, confirmed, as_of)
                    for n, check in enumerate(match_evidence(indicator, items, as_of))
                ),
            )
        )
    return tuple(out)


def verdicts(data: ReportData) -> Verdicts:
    """The presenter's verdict over the report's scope, in the report's language."""
    scope = tuple(i.id for i in data.scoped_indicators())
    return present(data.rating, data.catalog, data.language, scope=scope, pending=data.pending)


def build_summary(data: ReportData) -> ReportSummary:
    said = verdicts(data)
    return ReportSummary(
        declared_stars=data.rating.declared.stars,
        evidenced_stars=data.rating.evidenced.stars,
        target_stars=data.target,
        scope=tuple(i.id for i in data.scoped_indicators()),
        areas=_area_rows(data, said.coverage),
        plans=(said.evidenced, said.declared),
        coverage=said.coverage,
        coverage_text=said.coverage_text,
        materials=_materials(data),
        unlinked=tuple(
            upload_ref(r) for r in data.evidence if not r.indicator_ids or r.kind is None
        ),
    )
