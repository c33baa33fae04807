"""User text normalised once at the entry, and the rewritten readers that replaced risky
patterns: same readings for normal text, linear time for hostile text."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.interview.commands import parse_command, read_evidence_edits
from assistant.interview.cues_status import parse_checklist_text
from assistant.knowledge.schema import EvidenceKind
from assistant.knowledge.schema import FindingStatus as S
from assistant.knowledge.segment import _is_toc_entry, _md_heading
from assistant.knowledge.standard import parse_standard
from assistant.llm.grounded import cited_numbers, quotations
from assistant.llm.mapping import parse_json_object
from assistant.session.models import Profile, UserTurn
from assistant.textnorm import MAX_TEXT_CHARS, normalize_user_text
from tests.unit.security.regex_timing import BOUND_S, best_seconds

IDS = ("SO-1-03", "SO-1-04", "SO-1-05")
# Linear readers take milliseconds and the old checklist pattern took minutes; a reading slower
# than BOUND_S is measured again (best_seconds), as a busy machine slows linear reading too.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  满足 ", "满足"),
        ("1  满足\t2\u3000部分满足", "1 满足 2 部分满足"),
        ("有，但只在一个部门\n\n\n  其他部门还没有  ", "有，但只在一个部门\n其他部门还没有"),
        ("1" + " " * 170 + "x", "1 x"),
        ("\n \n", ""),
        ("示例\x01中心\x7f\x9f", "示例中心"),  # controls are dropped: a DOCX cannot hold them
        ("a\x00\ud800b\ufffe\x0bc", "ab\nc"),  # a vertical tab breaks the line
    ],
)
def test_normalize_user_text(text: str, expected: str):
    assert normalize_user_text(text) == expected


def test_normalize_user_text_caps_the_length():
    assert (
        MAX_TEXT_CHARS
        == UserTurn.model_json_schema()["properties"]["text"]["anyOf"][0]["maxLength"]
    )
    assert len(normalize_user_text("满" * 10_000)) == MAX_TEXT_CHARS
    assert normalize_user_text("ab " * 3000, limit=5) == "ab ab"


def test_profile_texts_are_one_clean_line_however_they_are_set():
    made = Profile(name="示例\x01服务\n中心", service_fields="咨询\x1b[31m\t培训")
    updated = Profile().updated(name="\x02\x03")

    assert (made.name, made.service_fields) == ("示例服务 中心", "咨询[31m 培训")
    assert updated.name is None  # nothing but controls: the question is asked again
    assert Profile.model_validate({"name": " 中心\x00 "}).name == "中心"  # a stored session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 and 3 met", {"SO-1-03": S.MET, "SO-1-05": S.MET}),
        ("1/2 都满足", {"SO-1-03": S.MET, "SO-1-04": S.MET}),
        ("所有指标都不满足", dict.fromkeys(IDS, S.NOT_MET)),
        ("3 不适用，其余：满足", {"SO-1-05": S.NOT_APPLICABLE, "SO-1-03": S.MET, "SO-1-04": S.MET}),
        ("1、 满足", {}),  # a list comma with no ref after it: which ones is unclear
        ("1 2 满足", {"SO-1-04": S.MET}),  # no comma: only the ref next to the status
        ("so-1-033 met", {}),  # not an id of this question
        ("the rest are partly met", dict.fromkeys(IDS, S.PARTLY_MET)),
    ],
)
def test_checklist_readings(text: str, expected: dict[str, S]):
    assert parse_checklist_text(text, IDS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1" + " " * 3998 + "x",
        "1、" * 2000 + "x",
        "1 and " * 666 + "x",
        "全" * 4000,
        "so-1-0" * 666,
        "部分满" * 1333,
    ],
    ids=["spaces", "ref-list", "and-list", "quantifiers", "id-prefixes", "label-prefixes"],
)
def test_checklist_reading_is_linear(text: str):
    assert parse_checklist_text(text, IDS) == {}
    assert best_seconds(lambda: parse_checklist_text(text, IDS)) < BOUND_S


@pytest.mark.parametrize(
    ("text", "command", "argument"),
    [
        ("/skip", "skip", None),
        ("跳过。 ", "skip", None),
        ("修改 SO-1-03 为 部分满足", "change", "部分满足"),
        ("change SO-1-03 to  not met", "change", "not met"),
        ("set so-1-03:met", "change", "met"),
        ("修改 SO-1-03 为", "change", "为"),
    ],
)
def test_commands(text: str, command: str, argument: str | None):
    parsed = parse_command(text)
    assert parsed is not None
    assert (parsed.command.value, parsed.argument) == (command, argument)


def test_evidence_edits():
    assert read_evidence_edits("日期：2026-03-01 类型 截图") == {
        "dated": date(2026, 3, 1),
        "kind": EvidenceKind.SCREENSHOT,
    }
    hostile = "日期" + " " * 3996 + "x类型"
    assert read_evidence_edits(hostile) == {}
    assert best_seconds(lambda: read_evidence_edits(hostile)) < BOUND_S


@pytest.mark.parametrize(
    ("line", "toc"),
    [
        ("1 范围 ........................ 1", True),
        ("4.2 术语 . . . . . . 12", True),
        ("附录A（规范性）证据清单……  IV", True),
        ("5 要求 ...... 12345", False),  # not a page number
        ("参见 5.1 节... 3", False),  # three dots are an ellipsis, not a leader
        ("." * 4000 + "z", False),
        ("." * 4000 + "x", True),  # x is page ten
    ],
)
def test_table_of_contents_lines(line: str, toc: bool):
    assert _is_toc_entry(line) is toc


@pytest.mark.parametrize(
    ("line", "heading"),
    [("## 概述 ##", "概述"), ("# a # #  ", "a #"), ("#######  x", None), ("正文", None)],
)
def test_markdown_headings(line: str, heading: str | None):
    assert _md_heading(line) == heading


def test_clause_headings_and_hostile_heading_lines():
    hostile = "## 6.1 标题" + " " * 4000 + "#" * 10 + "x\n"
    text = "## 6 要求 ##\n正文\n" + hostile
    document = parse_standard(text, "test.md")
    assert best_seconds(lambda: parse_standard(text, "test.md")) < BOUND_S
    assert [(c.number, c.title) for c in document.clauses][0] == ("6", "要求")


def test_model_output_checks():
    prose = "依据【第 9.4.2 条、clause 6.1】，标准写明「建立台账」与“定期回访”，" + "「" * 4000
    assert cited_numbers(prose) == ["9.4.2", "6.1"]
    assert quotations(prose) == ["建立台账", "定期回访"]
    assert parse_json_object('好的 {"status": "met"} 谢谢') == {"status": "met"}
    with pytest.raises(ValueError):
        parse_json_object("{" * 4000)

    def read_all() -> None:
        cited_numbers(prose)
        quotations(prose)
        with pytest.raises(ValueError):
            parse_json_object("{" * 4000)

    assert best_seconds(read_all) < BOUND_S
