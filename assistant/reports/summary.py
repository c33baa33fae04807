"""What a report derives from its data, once, for every format: the per-area rows, the
blockers in the order to tackle them, and the materials per evidence requirement.

``next_star_blockers`` is the one ordering of blockers (areas in catalog order, then the
biggest gain first, as the rating sorts them); the terminal view lists them the same way.
"""

from __future__ import annotations

from datetime import date, datetime

from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import (
    AreaCode,
    EvidenceClass,
    EvidenceKind,
    StrictModel,
)
from assistant.rating.evidence import RequirementCheck, match_evidence, months_between
from assistant.rating.models import (
    AreaResult,
    Basis,
    Blocker,
    EvidenceItem,
    EvidenceOutcome,
    LevelState,
    Reading,
)
from assistant.reports.data import ReportData

__all__ = [
    "AreaRow",
    "IndicatorMaterials",
    "Plan",
    "ReportSummary",
    "RequirementStatus",
    "UploadRef",
    "build_summary",
    "next_star_blockers",
    "upload_ref",
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


class Plan(StrictModel):
    basis: Basis
    stars: int
    next_star: int | None
    state: LevelState | None
    areas: tuple[AreaCode, ...]
    blockers: tuple[Blocker, ...]


class ReportSummary(StrictModel):
    declared_stars: int
    evidenced_stars: int
    target_stars: int
    scope: tuple[str, ...]
    areas: tuple[AreaRow, ...]
    plans: tuple[Plan, ...]  # evidenced first: it is the one an assessor will check
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


def next_star_blockers(reading: Reading) -> tuple[Blocker, ...]:
    """The blockers of the areas that hold the institution below its next star."""
    if reading.next_star is None:
        return ()
    holding = set(reading.next_star.areas)
    return tuple(b for area in reading.areas if area.area in holding for b in area.blockers)


def _plan(reading: Reading) -> Plan:
    nxt = reading.next_star
    return Plan(
        basis=reading.basis,
        stars=reading.stars,
        next_star=nxt.level if nxt else None,
        state=nxt.state if nxt else None,
        areas=nxt.areas if nxt else (),
        blockers=next_star_blockers(reading),
    )


def _area_rows(data: ReportData) -> tuple[AreaRow, ...]:
    declared = {a.area: a for a in data.rating.declared.areas}
    rows = []
    for area in data.rating.evidenced.areas:
        rated, total = data.rating.completeness.by_area.get(area.area, (0, 0))
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


def _item(record: EvidenceRecord, kind: EvidenceKind) -> EvidenceItem:
    return EvidenceItem(
        id=record.id,
        kind=kind,
        dated=record.dated,
        covers_months=record.covers_months,
        title=record.title,
    )


def _requirement_status(
    check: RequirementCheck,
    linked: list[EvidenceRecord],
    confirmed: bool,
    as_of: date,
) -> RequirementStatus:
    """The rating's own matching decides which files count for this requirement, and how."""
    requirement = check.requirement
    matching = [linked[i] for i in check.shown]
    fresh = sum(
        requirement.max_age_months is None
        or (r.dated is not None and months_between(r.dated, as_of) <= requirement.max_age_months)
        for r in matching
    )
    return RequirementStatus(
        kind=requirement.kind,
        description=requirement.description,
        min_count=requirement.min_count,
        max_age_months=requirement.max_age_months,
        operating_months=requirement.operating_months,
        uploaded=tuple(upload_ref(r) for r in matching),
        outcome=EvidenceOutcome.CONFIRMED if confirmed else check.outcome,
        missing_count=max(0, requirement.min_count - len(matching)),
        fresh_count=fresh,
        covered_months=max((r.covers_months or 0 for r in matching), default=0),
    )


def _materials(data: ReportData) -> tuple[IndicatorMaterials, ...]:
    as_of = data.rating.as_of
    out = []
    for indicator in data.scoped_indicators():
        direct = [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]
        if not direct:
            continue
        linked = [
            r for r in data.evidence if indicator.id in r.indicator_ids and r.kind is not None
        ]
        items = tuple(_item(r, r.kind) for r in linked if r.kind is not None)
        finding = data.findings.get(indicator.id)
        confirmed = finding is not None and finding.assessor_confirmed
        out.append(
            IndicatorMaterials(
                indicator_id=indicator.id,
                area=indicator.area,
                level=int(indicator.level),
                core=indicator.core,
                requirements=tuple(
                    _requirement_status(check, linked, confirmed, as_of)
                    for check in match_evidence(indicator, items, as_of)
                ),
            )
        )
    return tuple(out)


def build_summary(data: ReportData) -> ReportSummary:
    return ReportSummary(
        declared_stars=data.rating.declared.stars,
        evidenced_stars=data.rating.evidenced.stars,
        target_stars=data.target,
        scope=tuple(i.id for i in data.scoped_indicators()),
        areas=_area_rows(data),
        plans=(_plan(data.rating.evidenced), _plan(data.rating.declared)),
        materials=_materials(data),
        unlinked=tuple(
            upload_ref(r) for r in data.evidence if not r.indicator_ids or r.kind is None
        ),
    )
