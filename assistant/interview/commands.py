"""Commands a user may give at any turn, typed (zh or en) or sent as a quick-reply value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Command", "ParsedCommand", "parse_command"]


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
_TRIM = re.compile(r"^[\s/／]+|[\s。.!！~～]+$")
_CHANGE = re.compile(
    r"^(?:修改|更改|改为|改成|change|set)\s*([A-Za-z]{2,3}-\d-\d{2})\s*(?:为|成|to|:|：)?\s*(.+)$",
    re.IGNORECASE,
)


def parse_command(text: str) -> ParsedCommand | None:
    cleaned = _TRIM.sub("", text).lower()
    command = _LOOKUP.get(cleaned)
    if command is not None:
        return ParsedCommand(command)
    change = _CHANGE.match(cleaned)
    if change:
        return ParsedCommand(Command.CHANGE, change.group(1).upper(), change.group(2).strip())
    return None
