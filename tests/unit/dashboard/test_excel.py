"""The Excel export read back with openpyxl: three sheets, two header rows, one row per
session and per finding, the blockers of the dashboard, and no cell that runs as a formula."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from assistant.dashboard.excel import SHEETS, export_xlsx, safe_cell
from assistant.dashboard.models import DashboardFilter
from assistant.dashboard.stats import from_store
from assistant.knowledge.schema import Catalog, FindingStatus, InstitutionType, RuleSet
from assistant.storage import InMemorySessionStore
from tests.unit.dashboard.builders import _START, RISKY, add_session, sign

APPS, FINDINGS, BLOCKERS = SHEETS
# a control character in an inline string is written as _xHHHH_, which Excel decodes and
# openpyxl does not: decode it as Excel does (one pass, so _x005F_ escapes a literal one)
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def as_excel_reads(value: str) -> str:
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


@pytest.fixture(scope="module")
def store(real_catalog: Catalog, real_rules: RuleSet) -> InMemorySessionStore:
    filled = InMemorySessionStore()
    ids = [i.id for i in real_catalog.indicators]
    hostile = add_session(
        filled,
        real_catalog,
        real_rules,
        "s-hostile",
        name=RISKY[0],
        kind=InstitutionType.MARKET,
        statuses=dict.fromkeys(ids[:12], FindingStatus.MET) | {ids[12]: FindingStatus.NOT_MET},
        reasons=RISKY,
    )
    assert hostile is not None
    sign(filled, "s-hostile", hostile, by="=评估机构甲")
    add_session(
        filled,
        real_catalog,
        real_rules,
        "s-plain",
        name="某县中小企业服务中心",
        kind=InstitutionType.PUBLIC_SERVICE,
        statuses={ids[0]: FindingStatus.PARTLY_MET, ids[1]: FindingStatus.NOT_MET},
        created=_START + timedelta(days=40),
    )
    add_session(
        filled, real_catalog, real_rules, "s-empty", name="空白机构", kind=None, statuses={}
    )
    return filled


@pytest.fixture(scope="module")
def book(store: InMemorySessionStore, real_catalog: Catalog) -> Any:
    return load_workbook(io.BytesIO(export_xlsx(store, real_catalog)))


def rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_three_sheets_with_zh_and_en_header_rows(book: Any) -> None:
    assert book.sheetnames == ["申请 Applications", "指标认定 Findings", "阻碍项 Blockers"]
    for name, columns in SHEETS.items():
        sheet = book[name]
        header = rows(sheet)[:2]
        assert header[0] == tuple(c.zh for c in columns)
        assert header[1] == tuple(c.en for c in columns)
        assert sheet.freeze_panes == "A3"
        assert sheet.column_dimensions["A"].width == columns[0].width


def test_one_application_row_per_session(book: Any, store: InMemorySessionStore) -> None:
    body = rows(book[APPS])[2:]
    assert sorted(r[0] for r in body) == ["s-empty", "s-hostile", "s-plain"]
    by_id = {r[0]: r for r in body}
    signed = store.live_signoff("s-hostile")
    assert signed is not None
    hostile = by_id["s-hostile"]
    assert hostile[2] == "market"
    assert hostile[9] == signed.confirmed_stars
    assert hostile[10] == "'=评估机构甲"
    assert hostile[11] == signed.signed_at.replace(tzinfo=None)
    assert hostile[12] is True
    assert by_id["s-empty"][7] is None and by_id["s-empty"][12] is False


def test_one_finding_row_per_session_and_indicator(
    book: Any, store: InMemorySessionStore, real_catalog: Catalog
) -> None:
    body = rows(book[FINDINGS])[2:]
    expected = sum(len(store.get(i).findings) for i in ("s-hostile", "s-plain", "s-empty"))
    assert len(body) == expected == 15
    plain = [r for r in body if r[0] == "s-plain"]
    assert [(r[1], r[3], r[4], r[5], r[6]) for r in plain] == [
        (real_catalog.indicators[0].id, "partly_met", "applicant", False, False),
        (real_catalog.indicators[1].id, "not_met", "applicant", False, False),
    ]


def test_the_blockers_sheet_is_the_dashboards(
    book: Any, store: InMemorySessionStore, real_catalog: Catalog
) -> None:
    board = from_store(store, real_catalog, top=1000)
    expected = [(b.level, b.indicator_id, b.count) for lv in board.blockers for b in lv.blockers]
    body = rows(book[BLOCKERS])[2:]
    assert [(r[0], r[1], r[5]) for r in body] == expected and expected
    listed = {"CORE_NOT_MET", "BELOW_THRESHOLD", "EVIDENCE_MISSING", "EVIDENCE_STALE"}
    for row in body:
        pairs = [part.split(" ") for part in row[7].split(", ")]
        assert {code for code, _ in pairs} <= listed
        assert sum(int(n) for _, n in pairs) == row[5]  # one reason per blocked application


def test_no_cell_can_run_as_a_formula(book: Any) -> None:
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                    seen.add(as_excel_reads(cell.value))
    assert {"'" + risky for risky in RISKY} <= seen  # kept, quoted, not dropped


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("-", "'-"),
        ("\x01=cmd", "'=cmd"),
        ("a\x00b", "ab"),
        ("普通文本", "普通文本"),
        (3, 3),
        (None, None),
    ],
)
def test_safe_cell(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_the_filter_applies_to_the_export(
    store: InMemorySessionStore, real_catalog: Catalog
) -> None:
    only = DashboardFilter(institution_type=InstitutionType.PUBLIC_SERVICE)
    book = load_workbook(io.BytesIO(export_xlsx(store, real_catalog, only)))
    assert [r[0] for r in rows(book[APPS])[2:]] == ["s-plain"]
    assert {r[0] for r in rows(book[FINDINGS])[2:]} == {"s-plain"}


HOSTILE = {
    '=HYPERLINK("http://evil.example","点我")': '\'=HYPERLINK("http://evil.example","点我")',
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd": "'@SUM(1+1)*cmd",
    "\t=2+5": "'\t=2+5",
    "\x07\x1b=cmd": "'=cmd",
    "-1": "'-1",
    "a\x00b\x1f": "ab",
}


def test_hostile_text_is_a_plain_string_and_no_cell_is_a_formula(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    attack = InMemorySessionStore()
    ids = [i.id for i in real_catalog.indicators][: len(HOSTILE)]
    add_session(
        attack,
        real_catalog,
        real_rules,
        "s-attack",
        name="\x01=cmd",
        kind=None,
        statuses=dict.fromkeys(ids, FindingStatus.MET),
        reasons=tuple(HOSTILE),
    )
    data = export_xlsx(attack, real_catalog)
    book = load_workbook(io.BytesIO(data))
    name = book[APPS]["B3"]
    assert (name.value, name.data_type) == ("'=cmd", "s")
    reasons = [row[7] for row in book[FINDINGS].iter_rows(min_row=3)]
    assert sorted((c.value, c.data_type) for c in reasons) == sorted(
        (cell, "s") for cell in HOSTILE.values()
    )
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        for sheet in sheets:
            xml = package.read(sheet)
            assert b"<f>" not in xml and b"<f " not in xml and b'"str"' not in xml
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet for cell in row)
