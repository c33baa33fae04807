"""Commands a user may give at any turn, typed (zh or en) or sent as a quick-reply value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assistant.knowledge.schema import EvidenceKind
from assistant.vocabulary import KINDS

__all__ = ["Command", "ParsedCommand", "parse_command", "read_evidence_edits"]


class Command(StrEnum):
    SKIP = "skip"
    BACK = "back"
    PROGRESS = "progress"
    REPORT = "report"
    HELP = "help"
    FULL_GAP = "full_gap"
    LANG_ZH = "lang:zh"
    LANG_EN = "lang:en"
    CHANGE = "change"  # 修改 SO-1-03 部分满足


@dataclass(frozen=True)
class ParsedCommand:
    command: Command
    indicator_id: str | None = None
    argument: str | None = None


_WORDS: dict[Command, tuple[str, ...]] = {
    Command.SKIP: ("跳过", "跳过此题", "下一题", "先跳过", "skip", "next", "pass"),
    Command.BACK: ("上一题", "返回", "返回上一题", "回到上一题", "back", "previous", "go back"),
    Command.PROGRESS: ("进度", "查看进度", "progress", "status"),
    Command.REPORT: ("报告", "生成报告", "查看报告", "评级", "结果", "report", "rating", "result"),
    Command.HELP: ("帮助", "指令", "怎么用", "help", "commands", "?", "？"),
    Command.FULL_GAP: ("全面差距分析", "完整差距分析", "全部都问", "full gap analysis", "full gap"),
    Command.LANG_ZH: ("中文", "切换中文", "lang:zh", "chinese"),
    Command.LANG_EN: ("english", "英文", "切换英文", "lang:en"),
}
_LOOKUP = {word: command for command, words in _WORDS.items() for word in words}
_LOOKUP.update({command.value: command for command in Command if command is not Command.CHANGE})
_LEADING = "/／"  # and spaces
_TRAILING = "。.!！~～"  # and spaces
# One optional joining word between the id and the status, each side's spaces owned by one
# quantifier only, and the status starting at a non-space: no two quantifiers share a run.
_CHANGE = re.compile(
    r"^(?:修改|更改|改为|改成|change|set)\s*([A-Za-z]{2,3}-\d-\d{2})"
    r"\s*(?:(?:为|成|to|:|：)\s*)?(\S.*)$",
    re.IGNORECASE,
)


def parse_command(text: str) -> ParsedCommand | None:
    cleaned = _trim(text).lower()
    command = _LOOKUP.get(cleaned)
    if command is not None:
        return ParsedCommand(command)
    change = _CHANGE.match(cleaned)
    if change:
        return ParsedCommand(Command.CHANGE, change.group(1).upper(), change.group(2).strip())
    return None


def _trim(text: str) -> str:
    """Without leading spaces and slashes, trailing spaces and stops ("/skip", "跳过。")."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in _LEADING):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return text[start:end]


_EDIT_DATE = re.compile(
    r"(?:日期|date)\s*(?:[:：]\s*)?(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})", re.IGNORECASE
)
_EDIT_VALID_UNTIL = re.compile(
    r"(?:有效期至|有效期|valid until|valid to)\s*(?:[:：]\s*)?"
    r"(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})",
    re.IGNORECASE,
)
_EDIT_KIND = re.compile(r"(?:类型|kind)\s*(?:[:：]\s*)?(\S+)", re.IGNORECASE)


def _kind(word: str) -> EvidenceKind | None:
    word = word.strip().lower()
    for kind, label in KINDS.items():
        if word == kind.value or word == label.zh or word in label.zh.split("/"):
            return kind
    for kind, label in KINDS.items():  # a short form: 截图 for 平台截图
        if len(word) >= 2 and word in label.zh:
            return kind
    return None


def read_evidence_edits(text: str) -> dict[str, object]:
    """Corrections to an upload's metadata: "日期 2026-03-01", "类型 平台截图", "kind report",
    "有效期至 2027-12-31" (a policy's, certificate's or contract's end of validity)."""
    edits: dict[str, object] = {}
    for name, pattern in (("valid_until", _EDIT_VALID_UNTIL), ("dated", _EDIT_DATE)):
        found = pattern.search(text)
        if found:
            try:
                edits[name] = date(*(int(part) for part in found.groups()))
            except ValueError:
                pass
    kind = _EDIT_KIND.search(text)
    if kind and _kind(kind.group(1)) is not None:
        edits["kind"] = _kind(kind.group(1))
    return edits
