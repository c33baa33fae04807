"""Text out of real PDF, DOCX, XLSX and text files, read by the child as the intake reads
them, with the spreadsheet caps honoured."""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from assistant.documents import EVIDENCE, Limits, read_document
from assistant.documents.plaintext import decode_text
from assistant.documents.xlsx_text import xlsx_text
from tests.utils.evidence_files import (
    docx_bytes,
    image_bytes,
    minimal_xlsx,
    pdf_bytes,
    xlsx_bytes,
)


def test_pdf_pages_come_back_in_order() -> None:
    data = pdf_bytes([["第一页 服务回访记录", "回访日期 2025-03-01"], ["第二页 共计 12 家企业"]])
    extracted = read_document(data, "r.pdf", EVIDENCE)
    assert extracted.text.split("\f") == [
        "第一页 服务回访记录\n回访日期 2025-03-01",
        "第二页 共计 12 家企业",
    ]
    assert (extracted.format, extracted.pages) == ("pdf", 2)


def test_docx_heading_and_paragraphs() -> None:
    data = docx_bytes(["第一条 为规范投诉处理，制定本办法。"], heading="投诉处理管理办法")
    extracted = read_document(data, "a.docx", EVIDENCE)
    assert extracted.text == "投诉处理管理办法\n\n第一条 为规范投诉处理，制定本办法。"
    assert (extracted.format, extracted.title) == ("docx", "投诉处理管理办法")


def test_xlsx_sheets_rows_and_typed_cells() -> None:
    data = xlsx_bytes(
        {
            "服务台账": [
                ["日期", "企业", "次数", "金额", None],
                [date(2025, 1, 5), "甲公司", 3, 12.5],
                [datetime(2025, 6, 30, 14, 30), "乙 \n 公司", 2.0, None, None],
                [None, None, None],
                ["合计", None, 5],
            ],
            "说明": [["本表每月更新"]],
        }
    )
    assert read_document(data, "t.xlsx", EVIDENCE).text == (
        "服务台账\n日期\t企业\t次数\t金额\n2025-01-05\t甲公司\t3\t12.5\n"
        "2025-06-30 14:30:00\t乙 公司\t2\n合计\t\t5"
        "\n\n说明\n本表每月更新"
    )


def _in_process(data: bytes, budget: int = 200_000) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return xlsx_text(archive, data, Limits(), budget=budget).text


def test_a_workbook_without_styles_is_read_and_openpyxls_warning_kept_quiet() -> None:
    data = minimal_xlsx([("A1", "服务台账"), ("A2", "2025-03-01 甲公司")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as pytest is configured: any warning would fail here
        assert _in_process(data) == "数据\n服务台账\n2025-03-01 甲公司"


def _sparse_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "表头"
    sheet.cell(row=1, column=5_000, value="far right")
    sheet.cell(row=1_000_000, column=1, value="far down")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_sheet_claiming_a_million_rows_is_read_only_to_the_caps() -> None:
    text = read_document(_sparse_workbook(), "t.xlsx", EVIDENCE).text
    assert text == "Sheet\n表头"  # the far cells lie beyond MAX_COLUMNS and MAX_ROWS


def test_the_cell_budget_stops_reading() -> None:
    rows = [[f"r{r}c{c}" for c in range(2)] for r in range(10)]
    text = _in_process(xlsx_bytes({"A": rows, "B": [["never"]]}), budget=5)
    assert text.splitlines() == ["A", "r0c0\tr0c1", "r1c0\tr1c1"]


def test_images_have_no_text() -> None:
    extracted = read_document(image_bytes(), "a.png", EVIDENCE)
    assert (extracted.format, extracted.text, extracted.title) == ("png", "", None)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("签到表\r\n张三\r".encode(), "签到表\n张三\n"),
        ("\ufeff签到表".encode(), "签到表"),
        ("签到表".encode("gb18030"), "签到表"),
        (b"\xff\xfe\x00", None),
    ],
)
def test_text_is_utf8_or_gb18030(data: bytes, text: str | None) -> None:
    assert decode_text(data) == text
