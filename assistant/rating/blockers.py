"""Why an area misses its next level, one reason per indicator, as codes and numbers.

The words for a blocker come from ``assistant.verdict`` (the one presenter), which also
decides the order they are shown in; here they come in catalog order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.knowledge.schema import FindingStatus, Indicator, RuleSet
from assistant.rating.models import (
    Blocker,
    EvidenceGap,
    EvidenceOutcome,
    LevelOutcome,
    LevelState,
    ReasonCode,
)

__all__ = ["find_blockers"]

_EVIDENCE_CODES = {
    EvidenceOutcome.MISSING: ReasonCode.EVIDENCE_MISSING,
    EvidenceOutcome.STALE: ReasonCode.EVIDENCE_STALE,
}


def _reason(
    indicator: Indicator,
    status: FindingStatus,
    capped: EvidenceOutcome | None,
    outcome: LevelOutcome,
    rules: RuleSet,
) -> ReasonCode | None:
    if status is FindingStatus.NOT_RATED:
        return ReasonCode.NOT_RATED
    if status is FindingStatus.NOT_APPLICABLE:
        return None
    core_fails = indicator.core and status not in rules.core_pass_statuses
    below = outcome.score < outcome.threshold and rules.score(status) < 1
    if not (core_fails or below):
        return None
    if capped is not None:
        return _EVIDENCE_CODES[capped]
    return ReasonCode.CORE_NOT_MET if core_fails else ReasonCode.BELOW_THRESHOLD


def find_blockers(
    outcome: LevelOutcome,
    indicators: Sequence[Indicator],
    statuses: Mapping[str, FindingStatus],
    declared: Mapping[str, FindingStatus],
    capped: Mapping[str, tuple[EvidenceOutcome, tuple[EvidenceGap, ...]]],
    rules: RuleSet,
) -> tuple[Blocker, ...]:
    """The blockers of a level that is not attained, in catalog order."""
    if outcome.state is LevelState.ATTAINED:
        return ()
    applicable = [i for i in indicators if statuses[i.id] is not FindingStatus.NOT_APPLICABLE]
    total = sum(i.weight for i in applicable)
    blockers = []
    for indicator in applicable:
        status = statuses[indicator.id]
        cap = capped.get(indicator.id)
        code = _reason(indicator, status, cap[0] if cap else None, outcome, rules)
        if code is None:
            continue
        blockers.append(
            Blocker(
                indicator_id=indicator.id,
                level=outcome.level,
                code=code,
                status=status,
                declared=declared[indicator.id] if cap else None,
                gain=_gain(indicator, status, total, rules),
                needs=_core_needs(rules) if indicator.core else (),
                gaps=cap[1] if cap else (),
            )
        )
    return tuple(blockers)


def _core_needs(rules: RuleSet) -> tuple[FindingStatus, ...]:
    return tuple(status for status in FindingStatus if status in rules.core_pass_statuses)


def _gain(indicator: Indicator, status: FindingStatus, total: float, rules: RuleSet) -> float:
    current = 0.0 if status is FindingStatus.NOT_RATED else rules.score(status)
    return round(indicator.weight * (1 - current) / total, 6)
