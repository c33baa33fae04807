"""Patterns this code base used to have, each superlinear on a hostile string: the checks
must keep catching them.

``OLD_CHECKLIST`` is the checklist-answer pattern of ``cues_status`` before issue 13, built
the way it was (an f-string, which regexploit's source scan cannot read): "1" followed by 170
spaces and "x" took 7.5 s, 400 spaces 212 s (n⁴: three optional-space groups in a row, each
split of the run tried, at every start position).
"""

from __future__ import annotations

import re

from assistant.interview.cues_status import STATUS_LABELS

__all__ = ["OLD_CHECKLIST", "OLD_CHECKLIST_SOURCE", "OLD_PATTERNS"]

_LABEL_RE = "|".join(
    re.escape(label) for label in sorted(STATUS_LABELS, key=len, reverse=True) if label != "na"
)
_REF = r"(?:(?:ss|sd|st|so|csi)-[1-5]-\d{2}|\d{1,3})"
_REFS = rf"{_REF}(?:\s*(?:[、,/&]|和|及|and)\s*{_REF})*"
_REST = r"其余|其他|其它|剩下的?|剩余|the rest|others|rest"
_ALL = r"全部|全都|都|均|一律|所有(?:指标)?(?:都|均)?|all(?: of them)?|everything"
OLD_CHECKLIST = re.compile(
    rf"(?P<all>^\s*(?:{_ALL}))?(?P<rest>{_REST})?(?P<refs>{_REFS})?"
    rf"\s*[:：.)）\-]?\s*(?:都|均|全部|全|is|are)?\s*(?P<status>{_LABEL_RE})",
    re.IGNORECASE,
)
# The same module text as before issue 13, for regexploit's source scan.
OLD_CHECKLIST_SOURCE = f"""
import re
_LABEL_RE = {_LABEL_RE!r}
_REF = {_REF!r}
_REFS = rf"{{_REF}}(?:\\s*(?:[、,/&]|和|及|and)\\s*{{_REF}})*"
_REST = {_REST!r}
_ALL = {_ALL!r}
_ENTRY = re.compile(
    rf"(?P<all>^\\s*(?:{{_ALL}}))?(?P<rest>{{_REST}})?(?P<refs>{{_REFS}})?"
    rf"\\s*[:：.)）\\-]?\\s*(?:都|均|全部|全|is|are)?\\s*(?P<status>{{_LABEL_RE}})",
    re.IGNORECASE,
)
"""

# (where it was, the pattern, the rule of ``redos_rules`` that names it)
OLD_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("interview/cues_status._ENTRY", OLD_CHECKLIST.pattern, "adjacent"),
    ("interview/commands._TRIM", r"^[\s/／]+|[\s。.!！~～]+$", "scan"),
    ("interview/commands._CHANGE", r"^(?:set)\s*(\w{2}-\d-\d{2})\s*(?:to|:)?\s*(.+)$", "adjacent"),
    ("interview/commands._EDIT_KIND", r"(?:类型|kind)\s*[:：]?\s*(\S+)", "adjacent"),
    (
        "interview/timephrases._ZH_AGO",
        r"(?P<half>半)?(?P<num>(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十]+))?"
        r"(?P<unit>个?月|年|周)(?P<more>多|半)?(?:以前|之前|前)",
        "scan",
    ),
    ("knowledge/segment._MD_HEADING", r"^#{1,6}\s+(.*?)\s*#*\s*$", "adjacent"),
    (
        "knowledge/segment._TOC_LEADER",
        r"(?:(?:[.．·・_]\s?){4,}|[…⋯]{2,})\s*(?:\d{1,4}|[IVX]{1,5}|[ivx]{1,5})\s*$",
        "scan",
    ),
    ("knowledge/segment._LIST_START", r"注\s*\d*\s*[:：]", "adjacent"),
    ("knowledge/segment._PAGE_WORDS", r"第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?", "adjacent"),
    ("knowledge/segment._NATURE", r"\s*\((?:规范性|资料性)(?:附录)?\)", "scan"),
    ("llm/grounded._QUOTES", r"「([^」]*)」|『([^』]*)』", "scan"),
    ("llm/grounded._REF_NOISE", r"^(?:第|条款)\s*|\s*条$", "scan"),
    ("llm/mapping._JSON_OBJECT", r"(?s)\{.*\}", "scan"),
)
