"""DOCX and PDF: each opened with an independent reader (python-docx, pypdf)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from assistant.errors import ReportError
from assistant.reports import ReportData, render_report
from assistant.reports.chart import radar_png
from assistant.reports.document import RadarChart, Series
from assistant.reports.docx_report import EAST_ASIAN_FONT
from assistant.reports.fonts import FontFile, find_font

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def zh_docx(zh_data: ReportData) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_report(zh_data, "docx").content))


@pytest.fixture(scope="module")
def zh_pdf_bytes(zh_data: ReportData) -> bytes:
    return render_report(zh_data, "pdf").content


@pytest.fixture(scope="module")
def zh_pdf(zh_pdf_bytes: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(zh_pdf_bytes))


def _fonts(reader: pypdf.PdfReader) -> list[Any]:
    fonts = []
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            fonts.append(ref.get_object())
    return fonts


# ---------------------------------------------------------------- DOCX


def test_docx_has_the_chinese_headings(zh_docx: docx.document.Document) -> None:
    headings = [
        p.text
        for p in zh_docx.paragraphs
        if p.style and str(p.style.name).startswith(("Heading", "Title"))
    ]
    for text in (
        "第一部分　自评估报告",
        "二、评级结果",
        "三、阻碍因素与提升计划",
        "第二部分　申请材料清单",
    ):
        assert text in headings


def test_docx_embeds_the_radar_chart(zh_docx: docx.document.Document) -> None:
    assert len(zh_docx.inline_shapes) == 1
    blobs = [part.blob for part in zh_docx.part.package.parts if "image" in part.content_type]
    assert blobs and blobs[0].startswith(PNG_SIGNATURE)


def test_docx_runs_name_an_east_asian_font(zh_docx: docx.document.Document) -> None:
    runs = [r for p in zh_docx.paragraphs for r in p.runs if r.text.strip()]
    assert runs
    for run in runs:
        fonts: Any = run._r.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == EAST_ASIAN_FONT


def test_docx_tables_repeat_their_header(zh_docx: docx.document.Document) -> None:
    tables = zh_docx.tables
    assert len(tables) > 10
    area_table = next(t for t in tables if t.rows[0].cells[0].text == "能力域")
    assert len(area_table.rows) == 6
    header: Any = area_table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None


def test_docx_footer_has_a_page_field(zh_docx: docx.document.Document) -> None:
    footer = zh_docx.sections[0].footer.paragraphs[0]
    assert "自评结果仅供参考" in footer.text
    assert "PAGE" in footer._p.xml


# ---------------------------------------------------------------- PDF


def test_pdf_is_a_pdf_with_pages(zh_pdf_bytes: bytes, zh_pdf: pypdf.PdfReader) -> None:
    assert zh_pdf_bytes.startswith(b"%PDF")
    assert len(zh_pdf.pages) > 10


def test_pdf_text_extracts_as_chinese(zh_pdf: pypdf.PdfReader) -> None:
    first = zh_pdf.pages[0].extract_text()
    assert "第一部分" in first and "自评估报告" in first
    assert "自评结果仅供参考，以评估机构评定为准" in first
    assert "第 1 页" in first
    assert "申请材料清单" in "".join(p.extract_text() for p in zh_pdf.pages)


def test_pdf_embeds_every_font_as_truetype(zh_pdf: pypdf.PdfReader) -> None:
    fonts = _fonts(zh_pdf)
    assert fonts
    for font in fonts:
        descriptor: Any = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "/ToUnicode" in font


def test_pdf_shows_the_chart_as_an_image(zh_pdf: pypdf.PdfReader) -> None:
    assert len(zh_pdf.pages[0].images) == 1


def test_pdf_in_english_has_english_headings(en_data: ReportData) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_report(en_data, "pdf").content))
    first = reader.pages[0].extract_text()
    assert "Part 1 Self-assessment" in first or "Part 1  Self-assessment" in first
    assert "Institution profile" in first and "Page 1" in first


def test_pdf_is_the_same_for_the_same_input(zh_data: ReportData, zh_pdf_bytes: bytes) -> None:
    assert render_report(zh_data, "pdf").content == zh_pdf_bytes


def test_a_missing_font_names_the_package_to_install(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="apt-get install fonts-wqy-microhei") as caught:
        find_font((FontFile(tmp_path / "none.ttc"),))
    assert "apt-get install fonts-wqy-microhei" in caught.value.message("en")


# ---------------------------------------------------------------- chart


def test_radar_png_is_a_png() -> None:
    chart = RadarChart(
        axes=("服务战略", "服务设计", "服务转化", "服务运营", "服务持续改进"),
        series=(Series("申报", (3, 3, 3, 3, 3)), Series("证据", (3, 2, 3, 2, 3))),
        maximum=5,
        caption="图",
    )
    png = radar_png(chart, dpi=50)
    assert png.startswith(PNG_SIGNATURE)
    width = int.from_bytes(png[16:20], "big")
    assert 150 < width < 600
