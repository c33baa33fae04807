"""The presenter's sentences, zh and en, filled from codes and numbers (never from prose the
rating wrote). Labels come from ``assistant.vocabulary``."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.knowledge.schema import (
    ASSESSOR_KINDS,
    IN_FORCE_KINDS,
    EvidenceClass,
    FindingStatus,
    Indicator,
)
from assistant.rating.models import Blocker, EvidenceGap, ReasonCode
from assistant.vocabulary import Label, Language, kind_label, star_label, status_label

__all__ = [
    "blocker_lift",
    "blocker_text",
    "count_note",
    "coverage_text",
    "gap_text",
    "headline",
    "heading",
    "statuses_text",
]

_TEXT: dict[str, Label] = {
    "headline": Label(
        "{area} {star}：得分 {score}，需达到 {threshold}",
        "{area} {star}: score {score}, needs {threshold}",
    ),
    "headline_top": Label("{area}：已达{star}", "{area}: {star} reached"),
    "heading": Label("升到{star}还差：", "What blocks {star}:"),
    "heading_top": Label("已达到最高星级（{star}）。", "The top star ({star}) is reached."),
    "core": Label(
        "核心指标为“{status}”，须为{needs}", "core indicator, {status}; it must be {needs}"
    ),
    "score": Label(
        "目前为“{status}”；做到“{met}”可使得分提高 {gain}",
        "{status}; {met} would add {gain} to the score",
    ),
    "missing": Label(
        "申报“{declared}”，但证据不足，按“{status}”计",
        "declared {declared}, but the evidence is short, so it counts as {status}",
    ),
    "stale": Label(
        "申报“{declared}”，但证据已过时效，按“{status}”计",
        "declared {declared}, but the evidence is out of date, so it counts as {status}",
    ),
    "unrated": Label("尚未回答", "not answered yet"),
    "evidence_lift": Label("补充证据：{gaps}", "add evidence: {gaps}"),
    "gap_more": Label("还缺 {n} 份", "{n} more needed"),
    "gap_age": Label("须为 {n} 个月内的材料", "dated within the last {n} months"),
    "gap_in_force": Label("须在有效期内", "must be in force"),
    "gap_operating": Label("须显示已运行满 {n} 个月", "must show {n} months of operation"),
    "gap_assessor": Label("须由评估人员访谈或现场查看后确认", "an assessor must confirm it"),
    "gap_shared": Label(
        "同一份材料只能用于本指标的一项要求", "one file counts for one requirement only"
    ),
    "unanswered": Label("还有 {n} 项未回答", "{n} {items} not answered yet"),
    "unrated_count": Label(
        "{n} 项未评估（已跳过或不在本次访谈范围内）",
        "{n} {items} not rated (skipped, or outside this interview)",
    ),
    "coverage": Label("已评估 {rated}/{total} 项指标", "{rated} of {total} indicators rated"),
    "or": Label("或", " or "),
    "sep": Label("；", "; "),
    "comma": Label("，", ", "),
    "colon": Label("：", ": "),
}


def _say(key: str, language: Language, **values: object) -> str:
    return _TEXT[key].pick(language).format(**values)


def _number(value: float) -> str:
    return f"{value:.2f}"


def headline(
    area: str,
    level: int,
    next_level: int | None,
    score: float,
    threshold: float,
    language: Language,
) -> str:
    """The next level, its score and pass mark: "服务战略 一星：得分 0.57，需达到 0.80"."""
    if next_level is None:
        return _say(
            "headline_top", language, area=area, star=star_label(level, language, inline=True)
        )
    return _say(
        "headline",
        language,
        area=area,
        star=star_label(next_level, language, inline=True),
        score=_number(score),
        threshold=_number(threshold),
    )


def heading(next_star: int | None, language: Language) -> str:
    if next_star is None:
        return _say("heading_top", language, star=star_label(5, language, inline=True))
    return _say("heading", language, star=star_label(next_star, language, inline=True))


def statuses_text(statuses: Sequence[FindingStatus], language: Language) -> str:
    """The statuses a core must reach: "“满足”或“基本满足”" / "met or largely met"."""
    if language == "en":
        return _say("or", language).join(status_label(s, language, inline=True) for s in statuses)
    return "或".join(f"“{status_label(s, language)}”" for s in statuses)


def blocker_text(blocker: Blocker, language: Language) -> str:
    """Why it blocks, a sentence of its own ("Core indicator, partly met; …")."""
    text = _reason_text(blocker, language)
    return text[:1].upper() + text[1:]


def _reason_text(blocker: Blocker, language: Language) -> str:
    status = status_label(blocker.status, language, inline=True)
    declared = status_label(blocker.declared or blocker.status, language, inline=True)
    match blocker.code:
        case ReasonCode.CORE_NOT_MET:
            needs = statuses_text(blocker.needs, language)
            return _say("core", language, status=status, needs=needs)
        case ReasonCode.BELOW_THRESHOLD:
            met = status_label(FindingStatus.MET, language, inline=True)
            return _say("score", language, status=status, met=met, gain=_number(blocker.gain))
        case ReasonCode.EVIDENCE_MISSING:
            return _say("missing", language, declared=declared, status=status)
        case ReasonCode.EVIDENCE_STALE:
            return _say("stale", language, declared=declared, status=status)
        case ReasonCode.NOT_RATED:
            return _say("unrated", language)


def blocker_lift(blocker: Blocker, indicator: Indicator, language: Language) -> str:
    """The evidence still to provide; "" where the text already says what would lift it."""
    if blocker.code in (ReasonCode.EVIDENCE_MISSING, ReasonCode.EVIDENCE_STALE):
        gaps = _say("sep", language).join(gap_text(g, indicator, language) for g in blocker.gaps)
        return _say("evidence_lift", language, gaps=gaps) if gaps else ""
    return ""


def _gap_parts(gap: EvidenceGap, language: Language) -> list[str]:
    if gap.kind in ASSESSOR_KINDS:
        return [_say("gap_assessor", language)]
    parts = []
    short = gap.min_count - gap.have
    if short > 0:
        parts.append(_say("gap_more", language, n=short))
    if gap.operating_months is not None and gap.shows_months < gap.operating_months:
        parts.append(_say("gap_operating", language, n=gap.operating_months))
    recent = gap.fresh < min(gap.have, gap.min_count)
    if gap.max_age_months is not None and (short > 0 or recent):
        parts.append(_say("gap_age", language, n=gap.max_age_months))
    elif gap.kind in IN_FORCE_KINDS and recent:
        parts.append(_say("gap_in_force", language))
    return parts or [_say("gap_shared", language)]


def gap_text(gap: EvidenceGap, indicator: Indicator, language: Language) -> str:
    """One requirement's shortfall: "记录（服务台账）：还缺 1 份，须为 12 个月内的材料" /
    "record: 1 more needed, …".
    English names the kind only: the requirement's description is written in Chinese."""
    kind = kind_label(gap.kind, language, inline=True)
    if language == "zh":
        direct = [r for r in indicator.evidence if r.evidence_class is EvidenceClass.DIRECT]
        if gap.requirement < len(direct):
            kind = f"{kind}（{direct[gap.requirement].description}）"
    details = _say("comma", language).join(_gap_parts(gap, language))
    return kind + _say("colon", language) + details


def count_note(key: str, count: int, language: Language) -> str:
    """A count said once per area: "还有 3 项未回答" (``unanswered``) or "2 项未评估…"
    (``unrated_count``)."""
    return _say(key, language, n=count, items="item" if count == 1 else "items")


def coverage_text(rated: int, total: int, language: Language) -> str:
    return _say("coverage", language, rated=rated, total=total)
