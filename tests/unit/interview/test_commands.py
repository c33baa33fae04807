"""Commands at any turn, typed in Chinese or English or sent as quick-reply values."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.interview.commands import (
    Command,
    ParsedCommand,
    parse_command,
    read_evidence_edits,
)
from assistant.knowledge.schema import EvidenceKind

C = Command


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("跳过", C.SKIP),
        ("skip", C.SKIP),
        ("Skip!", C.SKIP),
        ("  跳过。 ", C.SKIP),
        ("下一题", C.SKIP),
        ("上一题", C.BACK),
        ("返回上一题", C.BACK),
        ("back", C.BACK),
        ("Go back", C.BACK),
        ("进度", C.PROGRESS),
        ("progress", C.PROGRESS),
        ("报告", C.REPORT),
        ("REPORT", C.REPORT),
        ("评级", C.REPORT),
        ("帮助", C.HELP),
        ("help", C.HELP),
        ("/help", C.HELP),
        ("／帮助", C.HELP),
        ("？", C.HELP),
        ("全面差距分析", C.FULL_GAP),
        ("full gap analysis", C.FULL_GAP),
        ("full_gap", C.FULL_GAP),  # the DONE question's quick-reply value
        ("English", C.LANG_EN),
        ("lang:en", C.LANG_EN),
        ("中文", C.LANG_ZH),
        ("lang:zh", C.LANG_ZH),
    ],
)
def test_command_words(text: str, command: Command) -> None:
    assert parse_command(text) == ParsedCommand(command)


@pytest.mark.parametrize(
    ("text", "indicator_id", "argument"),
    [
        ("修改 SO-1-03 部分满足", "SO-1-03", "部分满足"),
        ("修改SO-1-03为部分满足", "SO-1-03", "部分满足"),
        ("改成 so-1-03 基本满足", "SO-1-03", "基本满足"),
        ("更改 CSI-2-04：不满足", "CSI-2-04", "不满足"),
        ("change SO-1-03 to partly met", "SO-1-03", "partly met"),
        ("Change SO-1-03 partly met", "SO-1-03", "partly met"),
        ("set SS-2-01: not met", "SS-2-01", "not met"),
    ],
)
def test_change_names_the_indicator_and_the_new_status(
    text: str, indicator_id: str, argument: str
) -> None:
    assert parse_command(text) == ParsedCommand(C.CHANGE, indicator_id, argument)


@pytest.mark.parametrize(
    "text",
    [
        "四星对数据有什么要求？",
        "What does four stars require of data?",
        "满足",
        "met",
        "我们跳过了这一步",
        "help me with this",
        "修改了制度",  # no indicator id: an answer, not a command
        "link:all",
        "confirm",
        "",
    ],
)
def test_answers_and_questions_are_not_commands(text: str) -> None:
    assert parse_command(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日期 2026-03-01", {"dated": date(2026, 3, 1)}),
        ("date: 2025/12/31", {"dated": date(2025, 12, 31)}),
        ("日期：2026年3月1日", {"dated": date(2026, 3, 1)}),
        ("日期 2026-02-30", {}),  # no such day
        ("类型 报告", {"kind": EvidenceKind.REPORT}),
        ("类型：计划", {"kind": EvidenceKind.PLAN}),
        ("类型 台账", {"kind": EvidenceKind.LEDGER}),
        ("kind report", {"kind": EvidenceKind.REPORT}),
        ("kind screenshot", {"kind": EvidenceKind.SCREENSHOT}),
        ("类型 平台截图", {"kind": EvidenceKind.SCREENSHOT}),
        ("类型 不存在的类型", {}),
        (
            "类型 合同 日期 2024-05-06",
            {"kind": EvidenceKind.CONTRACT, "dated": date(2024, 5, 6)},
        ),
        ("有效期至 2027-12-31", {"valid_until": date(2027, 12, 31)}),
        ("有效期：2027年6月30日", {"valid_until": date(2027, 6, 30)}),
        ("valid until 2028/01/31", {"valid_until": date(2028, 1, 31)}),
        (
            "类型 证书 有效期至 2027-12-31",
            {"kind": EvidenceKind.CERTIFICATE, "valid_until": date(2027, 12, 31)},
        ),
        ("有效期至 2027-02-30", {}),  # no such day
        ("SO-1-02", {}),
        ("全部关联", {}),
    ],
)
def test_evidence_edits(text: str, expected: dict[str, object]) -> None:
    assert read_evidence_edits(text) == expected


def test_the_documented_short_screenshot_edit() -> None:
    assert read_evidence_edits("类型 截图") == {"kind": EvidenceKind.SCREENSHOT}
