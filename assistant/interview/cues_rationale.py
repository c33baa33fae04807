"""The rationale of a proposed finding, in the session's language (Chinese or English)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.interview.cues_reading import Basis
from assistant.interview.cues_relevance import RELATED
from assistant.knowledge.schema import FindingStatus, Indicator
from assistant.session.models import Language

if TYPE_CHECKING:
    from assistant.interview.mapping import Reading

__all__ = ["rationale"]

_BASIS_TEXT: dict[Basis, tuple[str, str]] = {
    Basis.LABEL: ("回答直接给出结论“{q}”", "the answer states the status: “{q}”"),
    Basis.AFFIRMATION: ("回答含肯定表述“{q}”", "the answer affirms it: “{q}”"),
    Basis.DOUBLE_NEGATION: (
        "回答用双重否定“{q}”，按肯定理解",
        "the answer uses a double negative (“{q}”), read as a yes",
    ),
    Basis.DESCRIPTION: (
        "回答描述了相关做法（“{q}”），未见否定或保留",
        "the answer describes the practice (“{q}”) with no negation or reservation",
    ),
    Basis.MOSTLY: (
        "回答表明大部分已做到（“{q}”）",
        "the answer says it is mostly in place (“{q}”)",
    ),
    Basis.EXCEPTION: (
        "回答基本肯定，只提到个别例外（“{q}”）",
        "the answer affirms it with a small exception (“{q}”)",
    ),
    Basis.LIMITED: (
        "回答表明只做到一部分（“{q}”）",
        "the answer says it is done only in part (“{q}”)",
    ),
    Basis.MIXED: (
        "回答先肯定、后有保留（“{q}”）",
        "the answer affirms it but then adds a reservation (“{q}”)",
    ),
    Basis.NEGATION: ("回答含否定表述“{q}”", "the answer denies it: “{q}”"),
    Basis.NOT_APPLICABLE: (
        "回答表示本指标不适用（“{q}”）",
        "the answer says the indicator does not apply (“{q}”)",
    ),
    Basis.UNSURE: ("回答表示不确定（“{q}”）", "the answer is unsure (“{q}”)"),
    Basis.UNCLEAR: (
        "回答没有明确表态，且与指标内容关系不大",
        "the answer takes no position and says little about the indicator",
    ),
}


def rationale(reading: Reading, indicator: Indicator, language: Language) -> str:
    """Why this status: the cue, the answer's relevance, and any limit that applied."""
    zh = language == "zh"
    parts = [_pick(_BASIS_TEXT[reading.basis], zh).format(q=reading.quote)]
    parts[0] += _relevance_note(reading, zh)
    if reading.hedged and reading.basis is not Basis.UNSURE:
        parts.append(
            _pick(("措辞带有不确定语气，请确认", "the wording is tentative; please confirm"), zh)
        )
    if reading.required_months is not None:
        parts.append(_capped_note(reading, zh))
    elif reading.operating_months is not None:
        parts.append(
            _pick(("已运行约{m}个月", "running for about {m} months"), zh).format(
                m=reading.operating_months
            )
        )
    if reading.na_disallowed:
        parts.append(
            _pick(
                (
                    "但本指标不允许选“不适用”，请确认，或改选满足、基本满足、部分满足或不满足",
                    "but this indicator does not allow “not applicable”; please confirm, or "
                    "choose met, largely met, partly met or not met",
                ),
                zh,
            )
        )
    if reading.status is FindingStatus.NOT_RATED:
        parts.append(_hint_note(indicator, zh))
    if zh:
        return "；".join(parts) + "。"
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _pick(texts: tuple[str, str], zh: bool) -> str:
    return texts[0] if zh else texts[1]


def _relevance_note(reading: Reading, zh: bool) -> str:
    if reading.relevance is None or reading.na_disallowed:
        return ""
    if reading.basis in (Basis.UNSURE, Basis.UNCLEAR):
        return ""
    if reading.relevance >= RELATED:
        return "，且与指标内容相关" if zh else ", and it is about this indicator"
    if reading.relevance == 0:
        return (
            "，但与指标内容关系不大，请确认" if zh else ", but it says little about this indicator"
        )
    return ""


def _capped_note(reading: Reading, zh: bool) -> str:
    template = (
        "该做法须已运行满{n}个月，回答称约{m}个月，故暂按部分满足"
        if zh
        else "the practice must have run for {n} months and the answer says about {m}, "
        "so it is proposed as partly met"
    )
    return template.format(n=reading.required_months, m=reading.operating_months)


def _hint_note(indicator: Indicator, zh: bool) -> str:
    if not indicator.hints:
        return "可对照指标要求再作判断" if zh else "check the requirement and answer again"
    if zh:
        return f"可参考提示：{indicator.hints[0].rstrip('。.；;')}"
    return "the hints under the question may help decide"
