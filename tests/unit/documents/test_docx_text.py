"""The streaming DOCX reader gives what python-docx gave: checked against the reading the
project did with python-docx before (kept here as the reference), on real and hand-built
files: headings, tables with merged cells, content controls, runs with tabs and breaks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.documents import Limits
from assistant.documents.docx_text import docx_text
from assistant.documents.extracted import clean_title
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.reports import render_report
from tests.utils.documents import write_docx
from tests.utils.evidence_files import W_NS, docx_of
from tests.utils.report_data import three_star_report_data

# --- the reference: python-docx, as assistant/knowledge/extract.py used it -------------------


def reference(data: bytes) -> tuple[str, str | None]:
    document = docx.Document(io.BytesIO(data))
    blocks = list(_blocks(document.element.body, document))
    heading = next((text for text, is_heading in blocks if is_heading), None)
    text = "\n\n".join(text for text, _ in blocks)
    title = document.core_properties.title
    if "docProps/core.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist():
        # without core properties python-docx made up its own ("Word Document"); the
        # reader now falls back to the first heading, as for an untitled document
        assert title == "Word Document"
        title = ""
    return text, clean_title(title or heading)


def _blocks(container: object, document: object) -> Iterator[tuple[str, bool]]:
    for element in container.iterchildren():  # type: ignore[attr-defined]
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)  # type: ignore[arg-type]
            name = paragraph.style.name if paragraph.style is not None else None
            heading = (name or "").lower().startswith(("heading", "title", "标题"))
            text = paragraph.text.strip()
            text = " ".join(text.split()) if heading else text
            if text:
                yield text, heading
        elif element.tag == qn("w:tbl"):
            rows = _rows(Table(element, document))  # type: ignore[arg-type]
            if rows:
                yield "\n".join(rows), False
        elif element.tag == qn("w:sdt"):
            for content in element.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, document)


def _rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell is not previous:
                cells.append(" ".join(cell.text.split()).replace("|", "｜"))
                previous = cell
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def streamed(data: bytes) -> tuple[str, str | None]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        extracted = docx_text(archive, Limits())
    return extracted.text, extracted.title


# --- files -----------------------------------------------------------------------------------


def _merged_tables() -> bytes:
    document = docx.Document()
    document.add_heading("服务台账", level=1)
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1))  # across
    table.cell(1, 2).merge(table.cell(3, 2))  # down three rows
    table.cell(2, 0).merge(table.cell(3, 1))  # a block
    document.add_paragraph("表后说明 | 含竖线")
    document.core_properties.title = "年度服务台账"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _runs_and_controls() -> bytes:
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>甲 </w:t><w:tab/><w:t>乙</w:t><w:br/>"
        "<w:t>丙</w:t><w:br w:type='page'/><w:t>丁</w:t><w:noBreakHyphen/><w:cr/>"
        "<w:ptab/><w:t>戊</w:t></w:r><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
        "<w:ins><w:r><w:t>修订不计</w:t></w:r></w:ins></w:p>"
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件内段落</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>控件内表格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:pPr><w:pStyle w:val='Heading2'/></w:pPr><w:r><w:t>6.3</w:t><w:br/>"
        "<w:t>服务平台</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr><w:tc><w:p><w:r><w:t>A"
        "</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr><w:p><w:r>"
        "<w:t>B</w:t></w:r></w:p><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
        "<w:p/></w:tc><w:tc><w:tcPr><w:gridSpan w:val='2'/><w:vMerge w:val='continue'/>"
        "</w:tcPr><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
        "<w:sectPr/>"
    )
    return docx_of(f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def _chinese_styles() -> bytes:
    styles = (
        f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>'
        '</w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="标题 1"/>'
        '</w:style><w:style w:type="character" w:styleId="2"><w:name w:val="heading char"/>'
        "</w:style></w:styles>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    )
    body = (
        "<w:p><w:pPr><w:pStyle w:val='2'/></w:pPr><w:r><w:t>字符样式不算标题</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='1'/></w:pPr><w:r><w:t>第一章  总 则</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='missing'/></w:pPr><w:r><w:t>未知样式</w:t></w:r></w:p>"
    )
    return docx_of(
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
        **{"word/styles.xml": styles, "word/_rels/document.xml.rels": rels},
    )


def _written(tmp: Path) -> bytes:
    return write_docx(
        tmp / "a.docx",
        [
            ("title", "评估办法"),
            ("h1", "第一章 总则"),
            ("p", "第一条 为规范评估，\n制定本办法。"),
            ("table", [["序号", "材料"], ["1", "营业执照|副本"], ["", ""]]),
            ("h2", "6.3\n服务平台"),
            ("p", "   "),
            ("p", "第二条 本办法自发布之日起施行。"),
        ],
    ).read_bytes()


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(_written, id="python-docx-headings-tables"),
        pytest.param(lambda tmp: _merged_tables(), id="merged-cells-core-title"),
        pytest.param(lambda tmp: _runs_and_controls(), id="runs-controls-grid-no-styles"),
        pytest.param(lambda tmp: _chinese_styles(), id="chinese-heading-style"),
    ],
)
def test_the_stream_reads_what_python_docx_read(tmp_path: Path, build: object) -> None:
    data = build(tmp_path)  # type: ignore[operator]
    expected = reference(data)
    assert expected[0]  # the case has text to compare
    assert streamed(data) == expected


def test_merged_cells_read_once_across_and_repeat_down() -> None:
    text, title = streamed(_merged_tables())
    assert title == "年度服务台账"
    assert text.splitlines()[2:6] == [
        "| r0c0 r0c1 | r0c2 |",
        "| r1c0 | r1c1 | r1c2 r2c2 r3c2 |",
        "| r2c0 r2c1 r3c0 r3c1 | r1c2 r2c2 r3c2 |",
        "| r2c0 r2c1 r3c0 r3c1 | r1c2 r2c2 r3c2 |",
    ]


def test_a_chinese_heading_style_titles_the_document() -> None:
    text, title = streamed(_chinese_styles())
    assert title == "第一章 总 则"
    assert text == "字符样式不算标题\n\n第一章 总 则\n\n未知样式"


def test_the_projects_own_report_reads_the_same(real_catalog: Catalog, real_rules: RuleSet) -> None:
    data = render_report(three_star_report_data(real_catalog, real_rules), "docx").content
    text, title = reference(data)
    assert text.count("\n| ") > 20  # tables with many rows, styled headings
    assert streamed(data) == (text, title)
