"""Is a finding's evidence sufficient? (DESIGN §4–5: count, freshness, operating time.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.knowledge.schema import EvidenceClass, EvidenceRequirement, Indicator
from assistant.rating.labels import KIND_LABELS
from assistant.rating.models import EvidenceItem, EvidenceOutcome

__all__ = ["EvidenceCheck", "check_evidence", "months_between"]


@dataclass(frozen=True)
class EvidenceCheck:
    outcome: EvidenceOutcome
    gaps: tuple[str, ...] = ()  # zh, one per unmet requirement


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``start`` is later)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day and months > 0 else months


def _is_fresh(item: EvidenceItem, requirement: EvidenceRequirement, as_of: date) -> bool:
    if requirement.max_age_months is None:
        return True
    return (
        item.dated is not None and months_between(item.dated, as_of) <= requirement.max_age_months
    )


def _requirement_gap(
    requirement: EvidenceRequirement, items: tuple[EvidenceItem, ...], as_of: date
) -> EvidenceOutcome | None:
    matching = [item for item in items if item.kind == requirement.kind]
    if len(matching) < requirement.min_count:
        return EvidenceOutcome.MISSING
    if requirement.operating_months is not None:
        covered = max((item.covers_months or 0) for item in matching)
        if covered < requirement.operating_months:
            return EvidenceOutcome.MISSING
    fresh = [item for item in matching if _is_fresh(item, requirement, as_of)]
    if len(fresh) < requirement.min_count:
        return EvidenceOutcome.STALE
    return None


def describe_requirement(requirement: EvidenceRequirement) -> str:
    parts = [f"{KIND_LABELS[requirement.kind]}：{requirement.description}"]
    if requirement.min_count > 1:
        parts.append(f"至少{requirement.min_count}份")
    if requirement.max_age_months is not None:
        parts.append(f"{requirement.max_age_months}个月内")
    if requirement.operating_months is not None:
        parts.append(f"显示已运行{requirement.operating_months}个月以上")
    return "，".join(parts)


def check_evidence(
    indicator: Indicator, items: tuple[EvidenceItem, ...], as_of: date
) -> EvidenceCheck:
    """Check every *direct* requirement; the worst gap decides (missing before stale)."""
    gaps: list[tuple[EvidenceOutcome, str]] = []
    for requirement in indicator.evidence:
        if requirement.evidence_class is not EvidenceClass.DIRECT:
            continue
        gap = _requirement_gap(requirement, items, as_of)
        if gap is not None:
            gaps.append((gap, describe_requirement(requirement)))
    if not gaps:
        return EvidenceCheck(EvidenceOutcome.SUFFICIENT)
    outcomes = {outcome for outcome, _ in gaps}
    worst = (
        EvidenceOutcome.MISSING if EvidenceOutcome.MISSING in outcomes else EvidenceOutcome.STALE
    )
    return EvidenceCheck(worst, tuple(text for _, text in gaps))
