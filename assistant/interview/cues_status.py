"""Status words and checklist replies: "满足", "partly met", "1满足 2部分满足", "全部满足"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from assistant.knowledge.schema import FindingStatus

__all__ = ["STATUS_LABELS", "UNSURE_WORDS", "parse_checklist_text", "parse_status"]

_S = FindingStatus
# Every spelling a user may send for a status; codes ("largely_met") are added below.
STATUS_LABELS: dict[str, FindingStatus] = {
    "满足": _S.MET, "已满足": _S.MET, "完全满足": _S.MET, "符合": _S.MET, "完全符合": _S.MET,
    "基本满足": _S.LARGELY_MET, "大部分满足": _S.LARGELY_MET, "基本符合": _S.LARGELY_MET,
    "部分满足": _S.PARTLY_MET, "部分符合": _S.PARTLY_MET,
    "不满足": _S.NOT_MET, "未满足": _S.NOT_MET, "不符合": _S.NOT_MET,
    "不适用": _S.NOT_APPLICABLE,
    "未评估": _S.NOT_RATED, "不清楚": _S.NOT_RATED, "待评估": _S.NOT_RATED,
    "met": _S.MET, "fully met": _S.MET,
    "largely met": _S.LARGELY_MET, "mostly met": _S.LARGELY_MET,
    "partly met": _S.PARTLY_MET, "partially met": _S.PARTLY_MET,
    "not met": _S.NOT_MET, "unmet": _S.NOT_MET,
    "n/a": _S.NOT_APPLICABLE, "na": _S.NOT_APPLICABLE, "not applicable": _S.NOT_APPLICABLE,
    "not rated": _S.NOT_RATED, "not sure": _S.NOT_RATED, "unsure": _S.NOT_RATED,
}  # fmt: skip
STATUS_LABELS |= {status.value: status for status in FindingStatus}
# Quick-reply labels that are also plain words of doubt: as free text they are an unsure
# answer (below the confidence threshold), not a status the user chose.
UNSURE_WORDS = frozenset({"不清楚", "not sure", "unsure"})
STATUS_LABELS |= {status.value.replace("_", " "): status for status in FindingStatus}

_TRIM = " \t\r\n。.!！,，;；:：、\"'“”‘’()（）[]【】"
# Longest first, so "部分满足" is never read as "满足" and "not met" never as "met".
_LABEL_RE = "|".join(
    re.escape(label) for label in sorted(STATUS_LABELS, key=len, reverse=True) if label != "na"
)
_REF = r"(?:(?:ss|sd|st|so|csi)-[1-5]-\d{2}|\d{1,3})"
_REFS = rf"{_REF}(?:\s*(?:[、,/&]|和|及|and)\s*{_REF})*"
_REST = r"其余|其他|其它|剩下的?|剩余|the rest|others|rest"
_ALL = r"全部|全都|都|均|一律|所有(?:指标)?(?:都|均)?|all(?: of them)?|everything"
_ENTRY = re.compile(
    rf"(?P<all>^\s*(?:{_ALL}))?(?P<rest>{_REST})?(?P<refs>{_REFS})?"
    rf"\s*[:：.)）\-]?\s*(?:都|均|全部|全|is|are)?\s*(?P<status>{_LABEL_RE})",
    re.IGNORECASE,
)


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower().strip(_TRIM)
    return re.sub(r"[\s_]+", " ", folded)


def parse_status(text: str) -> FindingStatus | None:
    """The status that ``text`` names exactly ("满足", "partly met", "not_met"), else None."""
    return STATUS_LABELS.get(_normalize(text))


def parse_checklist_text(text: str, indicator_ids: Sequence[str]) -> dict[str, FindingStatus]:
    """Statuses for a checklist question, answered in one line of text.

    Accepts positions (1-based, in ``indicator_ids`` order) or indicator ids, alone or in
    lists: "1满足 2部分满足 3不满足", "1、3 满足，2 不适用", "SO-1-03 满足; SO-1-04 不适用";
    and whole-list forms: "全部满足", "all met", "2不满足，其余满足". Later entries override
    earlier ones; "其余/the rest" fills only what is still open. Positions out of range and
    ids not in the list are left out, so the caller sees what is still unanswered.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    ids = list(indicator_ids)
    by_id = {ident.lower(): ident for ident in ids}
    result: dict[str, FindingStatus] = {}
    for match in _ENTRY.finditer(folded):
        status = STATUS_LABELS[re.sub(r"[\s_]+", " ", match.group("status"))]
        refs = match.group("refs")
        if refs:
            for ref in re.findall(_REF, refs):
                ident = _resolve(ref, ids, by_id)
                if ident is not None:
                    result[ident] = status
        elif match.group("rest"):
            result |= {ident: status for ident in ids if ident not in result}
        elif match.group("all") or len(ids) == 1:
            result = dict.fromkeys(ids, status)
    return result


def _resolve(ref: str, ids: list[str], by_id: dict[str, str]) -> str | None:
    if ref.isdigit():
        position = int(ref)
        return ids[position - 1] if 1 <= position <= len(ids) else None
    return by_id.get(ref)
