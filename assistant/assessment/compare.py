"""What changed between a signed assessment and the re-assessment started from it (pure).

*Then* is read from the sign-off's frozen snapshot only, never from the live session it came
from; *now* is the new session's findings, evidence and ratings as they stand. Per area, the
level on each reading (declared, evidenced, assessor-confirmed); the findings that changed
(status, or who set it) and every finding an assessor set last time; the evidence carried,
renewed, expired and newly uploaded; and totals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum

from assistant.assessment.models import SignOff
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import AreaCode, Catalog, EvidenceKind, FindingStatus, StrictModel
from assistant.rating.models import RatingResult, Reading
from assistant.session.state import Actor, RecordedFinding

__all__ = [
    "AreaComparison",
    "Comparison",
    "ComparisonTotals",
    "EvidenceChange",
    "EvidenceFate",
    "FindingComparison",
    "LevelChange",
    "NowState",
    "compare",
]

_RANK = {
    FindingStatus.NOT_MET: 1,
    FindingStatus.PARTLY_MET: 2,
    FindingStatus.LARGELY_MET: 3,
    FindingStatus.MET: 4,
}


class LevelChange(StrictModel):
    then: int
    now: int | None  # None: no confirmed reading yet (the new session is not signed)

    @property
    def delta(self) -> int | None:
        return None if self.now is None else self.now - self.then


class AreaComparison(StrictModel):
    area: AreaCode
    name_zh: str
    name_en: str
    declared: LevelChange
    evidenced: LevelChange
    confirmed: LevelChange


class FindingComparison(StrictModel):
    indicator_id: str
    area: AreaCode
    level: int
    title_zh: str
    title_en: str
    status_then: FindingStatus  # NOT_RATED when there was no finding
    status_now: FindingStatus
    actor_then: Actor | None
    actor_now: Actor | None
    assessor_then: bool  # an assessor set or confirmed it in the signed version
    carried: bool  # carried over and not yet confirmed or changed


class EvidenceFate(StrEnum):
    CARRIED = "carried"  # still fresh: taken over with its links
    RENEWED = "renewed"  # a new file for a requirement whose file expired
    EXPIRED = "expired"  # in the signed version, too old or out of force now, not carried
    NEW = "new"  # uploaded in the new session for anything else


class EvidenceChange(StrictModel):
    fate: EvidenceFate
    evidence_id: str  # in the new session (carried, renewed, new) or the signed one (expired)
    filename: str
    kind: EvidenceKind | None
    dated: date | None
    valid_until: date | None
    indicator_ids: tuple[str, ...]


class ComparisonTotals(StrictModel):
    findings_then: int  # rated (not "not rated")
    findings_now: int
    carried: int  # still waiting for confirmation
    awaiting: int = 0  # rated then, not yet answered again now (counted, not listed)
    changed: int  # status differs
    improved: int
    worsened: int
    evidence_carried: int
    evidence_renewed: int
    evidence_expired: int
    evidence_new: int


class Comparison(StrictModel):
    session_id: str
    previous_session_id: str
    version: int  # the sign-off compared against
    signed_by: str
    signed_at: datetime
    as_of_then: date
    as_of_now: date
    declared: LevelChange  # stars
    evidenced: LevelChange
    confirmed: LevelChange
    areas: tuple[AreaComparison, ...]
    findings: tuple[FindingComparison, ...]
    evidence: tuple[EvidenceChange, ...]
    totals: ComparisonTotals


class NowState(StrictModel):
    """The new session as it stands: what ``compare`` reads of it."""

    session_id: str
    findings: dict[str, RecordedFinding]
    evidence: tuple[EvidenceRecord, ...]
    rating: RatingResult
    confirmed: RatingResult | None = None  # the confirmed reading, once it can be worked out


def _levels(reading: Reading | None) -> dict[AreaCode, int] | None:
    return None if reading is None else {a.area: a.level for a in reading.areas}


def _change(then: Reading, now: Reading | None) -> LevelChange:
    return LevelChange(then=then.stars, now=None if now is None else now.stars)


def _areas(signoff: SignOff, now: NowState, catalog: Catalog) -> tuple[AreaComparison, ...]:
    snap = signoff.snapshot
    confirmed_now = now.confirmed.evidenced if now.confirmed else None
    pairs = {
        "declared": (_levels(snap.rating.declared), _levels(now.rating.declared)),
        "evidenced": (_levels(snap.rating.evidenced), _levels(now.rating.evidenced)),
        "confirmed": (_levels(snap.confirmed.evidenced), _levels(confirmed_now)),
    }
    rows = []
    for spec in catalog.areas:
        changes = {
            name: LevelChange(
                then=(then or {}).get(spec.code, 0),
                now=None if current is None else current.get(spec.code, 0),
            )
            for name, (then, current) in pairs.items()
        }
        rows.append(
            AreaComparison(area=spec.code, name_zh=spec.name.zh, name_en=spec.name.en, **changes)
        )
    return tuple(rows)


def _status(finding: RecordedFinding | None) -> FindingStatus:
    return FindingStatus.NOT_RATED if finding is None else finding.status


def _findings(
    then: Mapping[str, RecordedFinding], now: Mapping[str, RecordedFinding], catalog: Catalog
) -> tuple[FindingComparison, ...]:
    rows = []
    for indicator in catalog.indicators:
        before, after = then.get(indicator.id), now.get(indicator.id)
        if before is None and after is None:
            continue
        moved = _status(before) is not _status(after)
        actor_moved = (before.actor if before else None) != (after.actor if after else None)
        assessor_then = before is not None and (
            before.assessor_confirmed or before.actor is Actor.ASSESSOR
        )
        if not (moved or actor_moved or assessor_then):
            continue
        if after is None and not assessor_then:
            continue  # not answered again yet: counted in the totals, not a change
        rows.append(
            FindingComparison(
                indicator_id=indicator.id,
                area=indicator.area,
                level=int(indicator.level),
                title_zh=indicator.title.zh,
                title_en=indicator.title.en,
                status_then=_status(before),
                status_now=_status(after),
                actor_then=before.actor if before else None,
                actor_now=after.actor if after else None,
                assessor_then=assessor_then,
                carried=after is not None and after.carried,
            )
        )
    return tuple(rows)


def _row(fate: EvidenceFate, record: EvidenceRecord) -> EvidenceChange:
    return EvidenceChange(
        fate=fate,
        evidence_id=record.id,
        filename=record.filename,
        kind=record.kind,
        dated=record.dated,
        valid_until=record.valid_until,
        indicator_ids=record.indicator_ids,
    )


def _evidence(
    then: Sequence[EvidenceRecord], now: Sequence[EvidenceRecord]
) -> tuple[EvidenceChange, ...]:
    """Carried: the same bytes are in both. Expired: linked then, not taken over. Renewed: a
    new file of an expired one's kind linked to one of its indicators."""
    then_shas = {record.sha256 for record in then}
    now_shas = {record.sha256 for record in now}
    expired = [r for r in then if r.indicator_ids and r.sha256 not in now_shas]
    gaps = {(r.kind, i) for r in expired for i in r.indicator_ids}
    rows = []
    for record in now:
        if record.sha256 in then_shas:
            rows.append(_row(EvidenceFate.CARRIED, record))
        elif any((record.kind, i) in gaps for i in record.indicator_ids):
            rows.append(_row(EvidenceFate.RENEWED, record))
        else:
            rows.append(_row(EvidenceFate.NEW, record))
    rows.extend(_row(EvidenceFate.EXPIRED, record) for record in expired)
    return tuple(rows)


def _totals(
    then: Mapping[str, RecordedFinding],
    now: Mapping[str, RecordedFinding],
    rows: tuple[FindingComparison, ...],
    evidence: tuple[EvidenceChange, ...],
) -> ComparisonTotals:
    def rated(findings: Mapping[str, RecordedFinding]) -> int:
        return sum(f.status is not FindingStatus.NOT_RATED for f in findings.values())

    ranked = [
        (_RANK.get(r.status_then), _RANK.get(r.status_now))
        for r in rows
        if r.status_then is not r.status_now
    ]
    fates = [row.fate for row in evidence]
    return ComparisonTotals(
        findings_then=rated(then),
        findings_now=rated(now),
        carried=sum(f.carried for f in now.values()),
        awaiting=sum(
            1 for k, f in then.items() if f.status is not FindingStatus.NOT_RATED and k not in now
        ),
        changed=len(ranked),
        improved=sum(1 for a, b in ranked if a is not None and b is not None and b > a),
        worsened=sum(1 for a, b in ranked if a is not None and b is not None and b < a),
        evidence_carried=fates.count(EvidenceFate.CARRIED),
        evidence_renewed=fates.count(EvidenceFate.RENEWED),
        evidence_expired=fates.count(EvidenceFate.EXPIRED),
        evidence_new=fates.count(EvidenceFate.NEW),
    )


def compare(signoff: SignOff, now: NowState, catalog: Catalog) -> Comparison:
    """The re-assessment ``now`` against the signed version it started from."""
    snap = signoff.snapshot
    rows = _findings(snap.findings, now.findings, catalog)
    evidence = _evidence(snap.evidence, now.evidence)
    return Comparison(
        session_id=now.session_id,
        previous_session_id=signoff.session_id,
        version=signoff.version,
        signed_by=signoff.signed_by,
        signed_at=signoff.signed_at,
        as_of_then=snap.rating.as_of,
        as_of_now=now.rating.as_of,
        declared=_change(snap.rating.declared, now.rating.declared),
        evidenced=_change(snap.rating.evidenced, now.rating.evidenced),
        confirmed=_change(
            snap.confirmed.evidenced, now.confirmed.evidenced if now.confirmed else None
        ),
        areas=_areas(signoff, now, catalog),
        findings=rows,
        evidence=evidence,
        totals=_totals(snap.findings, now.findings, rows, evidence),
    )
