"""From stored evidence records to what the rating reads, and the application pack's list of
materials: per indicator and direct requirement, what is uploaded and what is still missing.

Whether evidence suffices is the rating engine's judgement (``assistant.rating.evidence``):
files are matched to requirements one to one, so a file linked to an indicator counts for at
most one of its requirements. Each line shows the files the engine matched to its requirement
(plus linked files of its kind that no requirement could use), and its ``outcome`` is the
engine's judgement of that requirement, so the checklist and the evidenced rating cannot
disagree. This module only adds the counts and the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import (
    AreaCode,
    Catalog,
    EvidenceKind,
    EvidenceRequirement,
    Indicator,
    StrictModel,
)
from assistant.rating.evidence import RequirementCheck, is_fresh, match_evidence
from assistant.rating.models import EvidenceItem, EvidenceOutcome
from assistant.vocabulary import kind_label

__all__ = [
    "MaterialLine",
    "UploadedMaterial",
    "evidence_items",
    "indicator_materials",
    "materials_checklist",
]


class UploadedMaterial(StrictModel):
    record_id: str
    filename: str
    title: str | None
    dated: date | None
    valid_until: date | None = None
    covers_months: int | None
    fresh: bool  # within the requirement's maximum age (if any) and not past its validity


class MaterialLine(StrictModel):
    """One direct evidence requirement of one indicator, and where the applicant stands."""

    indicator_id: str
    indicator_title_zh: str
    indicator_title_en: str
    area: AreaCode
    level: int
    core: bool
    kind: EvidenceKind
    kind_zh: str
    kind_en: str
    description: str
    min_count: int
    max_age_months: int | None
    operating_months: int | None
    uploaded: tuple[UploadedMaterial, ...]
    outcome: EvidenceOutcome  # SUFFICIENT, MISSING or STALE, as the rating engine sees it
    missing_zh: tuple[str, ...] = ()
    missing_en: tuple[str, ...] = ()


def _item(record: EvidenceRecord, kind: EvidenceKind) -> EvidenceItem:
    return EvidenceItem(
        id=record.id,
        kind=kind,
        dated=record.dated,
        valid_until=record.valid_until,
        covers_months=record.covers_months,
        title=record.title or record.filename,
    )


def _linked(records: Iterable[EvidenceRecord], indicator_id: str) -> list[EvidenceRecord]:
    return [r for r in records if indicator_id in r.indicator_ids and r.kind is not None]


def evidence_items(
    records: Sequence[EvidenceRecord], indicator_id: str
) -> tuple[EvidenceItem, ...]:
    """The evidence the rating reads for one indicator: confirmed links of a known kind."""
    return tuple(
        _item(record, record.kind)
        for record in _linked(records, indicator_id)
        if record.kind is not None
    )


def _shortfalls(
    requirement: EvidenceRequirement, uploaded: Sequence[UploadedMaterial]
) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    if requirement.assessor_only:
        return (
            ["须由评估人员访谈或现场查看后确认，上传的材料不能代替"],
            ["needs an assessor's interview or on-site visit; an upload cannot stand in for it"],
        )
    have, need = len(uploaded), requirement.min_count
    if have == 0:
        zh.append("尚未上传")
        en.append("nothing uploaded yet")
    elif have < need:
        zh.append(f"还缺 {need - have} 份（已上传 {have} 份，需要 {need} 份）")
        en.append(f"{need - have} more needed ({have} uploaded, {need} required)")
    months = requirement.operating_months
    shown = max((item.covers_months or 0 for item in uploaded), default=0)
    if have and months is not None and shown < months:
        zh.append(f"材料需显示已运行满 {months} 个月（目前可见 {shown} 个月）")
        en.append(f"must show at least {months} months of operation ({shown} shown)")
    age = requirement.max_age_months
    fresh = sum(1 for item in uploaded if item.fresh)
    if age is not None and fresh < min(have, need):  # a shortfall in count is said above
        undated = sum(1 for item in uploaded if item.dated is None)
        zh.append(
            f"需要 {age} 个月内的材料 {need} 份（目前符合 {fresh} 份，未注明日期 {undated} 份）"
        )
        en.append(
            f"{need} dated within the last {age} months needed "
            f"(qualifying: {fresh}; undated: {undated})"
        )
    expired = [item.valid_until for item in uploaded if item.valid_until and not item.fresh]
    if requirement.in_force and expired:
        last = max(expired).isoformat()
        zh.append(f"有 {len(expired)} 份已过有效期（截止 {last}），请上传现行有效的版本")
        en.append(f"{len(expired)} past their validity (ended {last}); upload one in force")
    if not zh:  # every count and date fits, yet the matching left it short: shared files
        zh.append("同一份材料只能用于本指标的一项要求，请另行上传")
        en.append("one file counts for one requirement of an indicator; upload another")
    return zh, en


def _line(
    indicator: Indicator,
    check: RequirementCheck,
    records: Sequence[EvidenceRecord],
    as_of: date,
) -> MaterialLine:
    requirement = check.requirement
    shown = [records[i] for i in check.shown]
    uploaded = tuple(
        UploadedMaterial(
            record_id=r.id,
            filename=r.filename,
            title=r.title,
            dated=r.dated,
            valid_until=r.valid_until,
            covers_months=r.covers_months,
            fresh=is_fresh(_item(r, requirement.kind), requirement, as_of),
        )
        for r in shown
    )
    sufficient = check.outcome is EvidenceOutcome.SUFFICIENT
    zh, en = ([], []) if sufficient else _shortfalls(requirement, uploaded)
    return MaterialLine(
        indicator_id=indicator.id,
        indicator_title_zh=indicator.title.zh,
        indicator_title_en=indicator.title.en,
        area=indicator.area,
        level=int(indicator.level),
        core=indicator.core,
        kind=requirement.kind,
        kind_zh=kind_label(requirement.kind, "zh"),
        kind_en=kind_label(requirement.kind, "en", inline=True),
        description=requirement.description,
        min_count=requirement.min_count,
        max_age_months=requirement.max_age_months,
        operating_months=requirement.operating_months,
        uploaded=uploaded,
        outcome=check.outcome,
        missing_zh=tuple(zh),
        missing_en=tuple(en),
    )


def indicator_materials(
    indicator: Indicator, records: Sequence[EvidenceRecord], *, as_of: date
) -> list[MaterialLine]:
    """One line per *direct* requirement of ``indicator``, against the records linked to it."""
    linked = [r for r in _linked(records, indicator.id) if r.kind is not None]
    items = tuple(_item(r, r.kind) for r in linked if r.kind is not None)
    return [
        _line(indicator, check, linked, as_of) for check in match_evidence(indicator, items, as_of)
    ]


def materials_checklist(
    catalog: Catalog,
    indicator_ids: Iterable[str],
    records: Sequence[EvidenceRecord],
    *,
    as_of: date,
) -> list[MaterialLine]:
    """The application pack's materials list for the indicators in scope, in the given order."""
    lines: list[MaterialLine] = []
    for indicator_id in dict.fromkeys(indicator_ids):
        lines.extend(indicator_materials(catalog.indicator(indicator_id), records, as_of=as_of))
    return lines
