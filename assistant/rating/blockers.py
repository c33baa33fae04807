"""Why an area misses its next level, one reason per indicator, with what would lift it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.knowledge.schema import FindingStatus, Indicator, RuleSet
from assistant.rating.labels import STATUS_LABELS, STATUS_LABELS_EN
from assistant.rating.models import (
    Blocker,
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


def _texts(
    code: ReasonCode, indicator: Indicator, status: FindingStatus, gaps: Sequence[str], gain: float
) -> tuple[str, str, str, str]:
    zh, en = STATUS_LABELS[status], STATUS_LABELS_EN[status]
    title = indicator.title
    evidence = "；".join(gaps) or "该指标要求的直接证据"
    match code:
        case ReasonCode.NOT_RATED:
            return (
                f"“{title.zh}”尚未评估",
                f"'{title.en}' is not rated yet",
                "回答该指标的问题并确认发现项",
                "answer this indicator's question and confirm the finding",
            )
        case ReasonCode.CORE_NOT_MET:
            return (
                f"核心指标“{title.zh}”为“{zh}”，核心指标须满足或基本满足",
                f"core indicator '{title.en}' is {en}; core indicators must be met or largely met",
                "将该核心指标做到“满足”或“基本满足”",
                "bring this core indicator to met or largely met",
            )
        case ReasonCode.BELOW_THRESHOLD:
            return (
                f"“{title.zh}”为“{zh}”，该等级加权得分未达门槛",
                f"'{title.en}' is {en}; the level's weighted score is below the threshold",
                f"提升至“满足”，该等级得分可提高{gain:.2f}",
                f"raising it to met adds {gain:.2f} to the level's score",
            )
        case ReasonCode.EVIDENCE_MISSING:
            return (
                f"“{title.zh}”申报为“{zh}”，但直接证据缺失或不足，按“部分满足”计",
                f"'{title.en}' is declared {en} but its direct evidence is missing or short",
                f"补充证据：{evidence}",
                f"add the evidence: {evidence}",
            )
        case ReasonCode.EVIDENCE_STALE:
            return (
                f"“{title.zh}”申报为“{zh}”，但证据已过时效，按“部分满足”计",
                f"'{title.en}' is declared {en} but its evidence is out of date",
                f"更新证据：{evidence}",
                f"provide recent evidence: {evidence}",
            )


def find_blockers(
    outcome: LevelOutcome,
    indicators: Sequence[Indicator],
    statuses: Mapping[str, FindingStatus],
    declared: Mapping[str, FindingStatus],
    capped: Mapping[str, tuple[EvidenceOutcome, tuple[str, ...]]],
    rules: RuleSet,
) -> tuple[Blocker, ...]:
    """The blockers of a level that is not attained, the biggest possible gain first."""
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
        shown = declared[indicator.id] if cap else status
        gain = _gain(indicator, status, total, rules)
        msg_zh, msg_en, lift_zh, lift_en = _texts(
            code, indicator, shown, cap[1] if cap else (), gain
        )
        blockers.append(
            Blocker(
                indicator_id=indicator.id,
                level=outcome.level,
                code=code,
                status=status,
                gain=gain,
                message_zh=msg_zh,
                message_en=msg_en,
                lift_zh=lift_zh,
                lift_en=lift_en,
            )
        )
    return tuple(sorted(blockers, key=lambda b: (-b.gain, b.indicator_id)))


def _gain(indicator: Indicator, status: FindingStatus, total: float, rules: RuleSet) -> float:
    current = 0.0 if status is FindingStatus.NOT_RATED else rules.score(status)
    return round(indicator.weight * (1 - current) / total, 6)
