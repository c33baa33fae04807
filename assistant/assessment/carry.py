"""What a re-assessment takes over from a signed one (pure: the frozen snapshot in, a plan out).

A year on, the sign-off's snapshot is read against the date of the new assessment:

* **Evidence** linked to an indicator is *fresh* when it still counts for some direct
  requirement of its kind there (the rating engine's own ``is_fresh``: within the maximum age,
  not past its validity); fresh records are carried (same bytes, same links, new ids in the
  new session), the others are *stale*.
* **Findings** met, largely met or not applicable in the snapshot are carried ("carried, to be
  confirmed") when their evidence requirements still hold at the new date with the carried
  evidence alone (the engine's ``check_evidence``). A finding an assessor set stands on the
  assessor's judgement, not on uploads: it is carried, with the assessor's status, unless a file
  linked to it went stale. Everything else is asked again.
* **To renew**: every direct requirement of a finding that was met or largely met whose
  matched files are now too old or out of force (the engine's *stale* outcome), with the files
  and what a new one must be, in Chinese and English.

Carried findings are not assessor-confirmed in the new session: whoever signs it confirms them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from assistant.assessment.models import SignOff
from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import evidence_items, indicator_materials
from assistant.knowledge.schema import (
    Catalog,
    EvidenceClass,
    EvidenceKind,
    FindingStatus,
    Indicator,
    StrictModel,
)
from assistant.rating.evidence import check_evidence, is_fresh
from assistant.rating.models import EvidenceOutcome
from assistant.session.state import RecordedFinding

__all__ = [
    "CARRIED_STATUSES",
    "Carry",
    "RenewItem",
    "carried_records",
    "carry",
    "carry_id",
]

CARRIED_STATUSES = frozenset(
    {FindingStatus.MET, FindingStatus.LARGELY_MET, FindingStatus.NOT_APPLICABLE}
)
_RATED_ON_EVIDENCE = frozenset({FindingStatus.MET, FindingStatus.LARGELY_MET})


class RenewItem(StrictModel):
    """One direct requirement whose files went stale: what to upload again."""

    indicator_id: str
    title_zh: str
    title_en: str
    requirement: int  # index into the indicator's direct requirements, in catalog order
    kind: EvidenceKind
    kind_zh: str
    kind_en: str
    description: str  # the requirement, as the catalog words it (Chinese)
    min_count: int
    max_age_months: int | None
    stale_ids: tuple[str, ...]  # the stale records, ids in the signed session
    stale_files: tuple[str, ...]  # their file names
    text_zh: str
    text_en: str


class Carry(StrictModel):
    """What a re-assessment dated ``as_of`` takes over from sign-off ``version``."""

    previous_session_id: str
    version: int
    as_of: date
    findings: dict[str, RecordedFinding]  # carried=True, in the catalog's order
    evidence: tuple[EvidenceRecord, ...]  # fresh records, as in the snapshot (old ids)
    stale: tuple[EvidenceRecord, ...]  # linked records no longer fresh
    renew: tuple[RenewItem, ...]
    asked_again: tuple[str, ...]  # met / largely met / n.a. in the snapshot, yet not carried


def _is_fresh_record(record: EvidenceRecord, catalog: Catalog, as_of: date) -> bool:
    """Still counts for some direct requirement of its kind on an indicator it is linked to
    (a record backing no such requirement is fresh while in force)."""
    if record.kind is None:
        return False
    known = {i.id for i in catalog.indicators}
    requirements = [
        requirement
        for indicator_id in record.indicator_ids
        if indicator_id in known
        for requirement in catalog.indicator(indicator_id).evidence
        if requirement.evidence_class is EvidenceClass.DIRECT and requirement.kind is record.kind
    ]
    item = evidence_items((record,), record.indicator_ids[0])[0]
    if not requirements:
        return record.valid_until is None or record.valid_until >= as_of
    return any(is_fresh(item, requirement, as_of) for requirement in requirements)


def _split_evidence(
    records: Iterable[EvidenceRecord], catalog: Catalog, as_of: date
) -> tuple[tuple[EvidenceRecord, ...], tuple[EvidenceRecord, ...]]:
    """(fresh, stale) among the records linked to some indicator; unlinked ones are neither."""
    fresh: list[EvidenceRecord] = []
    stale: list[EvidenceRecord] = []
    for record in records:
        if not record.indicator_ids:
            continue
        (fresh if _is_fresh_record(record, catalog, as_of) else stale).append(record)
    return tuple(fresh), tuple(stale)


def _holds(
    finding: RecordedFinding,
    indicator: Indicator,
    fresh: tuple[EvidenceRecord, ...],
    stale_ids: set[str],
    linked: Mapping[str, set[str]],
    as_of: date,
) -> bool:
    if finding.status not in CARRIED_STATUSES:
        return False
    if finding.status not in _RATED_ON_EVIDENCE:
        return True  # not applicable: no evidence is asked for
    if finding.assessor_confirmed:
        return not (linked.get(indicator.id, set()) & stale_ids)
    items = evidence_items(fresh, indicator.id)
    return check_evidence(indicator, items, as_of).outcome is EvidenceOutcome.SUFFICIENT


def _renew_text(item: RenewItem) -> tuple[str, str]:
    age_zh = f"，须为 {item.max_age_months} 个月内" if item.max_age_months else "，须现行有效"
    age_en = f", dated within {item.max_age_months} months" if item.max_age_months else ", in force"
    files = "、".join(item.stale_files) or "—"
    zh = (
        f"{item.indicator_id} {item.title_zh}：{item.description}"
        f"（{item.kind_zh}，至少 {item.min_count} 份{age_zh}；已过期：{files}）"
    )
    en = (
        f"{item.indicator_id} {item.title_en}: {item.description} ({item.kind_en}, at least "
        f"{item.min_count}{age_en}; out of date: {', '.join(item.stale_files) or '—'})"
    )
    return zh, en


def _renew_items(
    indicator: Indicator, records: tuple[EvidenceRecord, ...], as_of: date
) -> list[RenewItem]:
    items: list[RenewItem] = []
    lines = indicator_materials(indicator, records, as_of=as_of)
    for index, line in enumerate(lines):
        if line.outcome is not EvidenceOutcome.STALE:
            continue
        old = [material for material in line.uploaded if not material.fresh]
        item = RenewItem(
            indicator_id=indicator.id,
            title_zh=indicator.title.zh,
            title_en=indicator.title.en,
            requirement=index,
            kind=line.kind,
            kind_zh=line.kind_zh,
            kind_en=line.kind_en,
            description=line.description,
            min_count=line.min_count,
            max_age_months=line.max_age_months,
            stale_ids=tuple(m.record_id for m in old),
            stale_files=tuple(m.filename for m in old),
            text_zh="",
            text_en="",
        )
        zh, en = _renew_text(item)
        items.append(item.model_copy(update={"text_zh": zh, "text_en": en}))
    return items


def carry(signoff: SignOff, catalog: Catalog, as_of: date, *, at: datetime) -> Carry:
    """What a re-assessment dated ``as_of`` carries from ``signoff`` (``at`` stamps the carried
    findings). Indicators the catalog no longer has are asked afresh, never carried."""
    snapshot = signoff.snapshot
    fresh, stale = _split_evidence(snapshot.evidence, catalog, as_of)
    stale_ids = {record.id for record in stale}
    linked: dict[str, set[str]] = {}
    for record in snapshot.evidence:
        for indicator_id in record.indicator_ids:
            linked.setdefault(indicator_id, set()).add(record.id)
    carried: dict[str, RecordedFinding] = {}
    again: list[str] = []
    renew: list[RenewItem] = []
    for indicator in catalog.indicators:
        finding = snapshot.findings.get(indicator.id)
        if finding is None:
            continue
        if _holds(finding, indicator, fresh, stale_ids, linked, as_of):
            carried[indicator.id] = finding.model_copy(
                update={"carried": True, "assessor_confirmed": False, "updated_at": at}
            )
        elif finding.status in CARRIED_STATUSES:
            again.append(indicator.id)
        if finding.status in _RATED_ON_EVIDENCE:
            renew.extend(_renew_items(indicator, snapshot.evidence, as_of))
    return Carry(
        previous_session_id=signoff.session_id,
        version=signoff.version,
        as_of=as_of,
        findings=carried,
        evidence=fresh,
        stale=stale,
        renew=tuple(renew),
        asked_again=tuple(again),
    )


def carry_id(session_id: str, old_id: str) -> str:
    """A carried record's id in the new session: derived, so carrying twice gives the same."""
    return hashlib.sha256(f"{session_id}:{old_id}".encode()).hexdigest()[:12]


def carried_records(plan: Carry, session_id: str) -> tuple[EvidenceRecord, ...]:
    """The fresh records as records of the new session (same sha256, same links)."""
    return tuple(
        record.model_copy(update={"session_id": session_id, "id": carry_id(session_id, record.id)})
        for record in plan.evidence
    )
