"""DOCX rendering with python-docx: styles carry an East Asian font (``w:eastAsia``) so Word
and LibreOffice pick a Chinese face; tables repeat their header row on every page."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle as DocxParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from assistant.reports.chart import radar_png
from assistant.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Paragraph,
    ParagraphStyle,
    Part,
    RadarChart,
    Table,
)
from assistant.textnorm import drop_controls

__all__ = ["EAST_ASIAN_FONT", "LATIN_FONT", "render_docx"]

EAST_ASIAN_FONT = "Microsoft YaHei"  # Word on Windows has it; LibreOffice substitutes a CJK face
LATIN_FONT = "Arial"
_TEXT_WIDTH_CM = 17.0  # A4 less 2 cm margins
_HEADER_FILL = "DCE6F2"
_LABEL_FILL = "F2F2F2"
_NOTE_COLOUR = RGBColor(0x59, 0x59, 0x59)
_KEEP_TOGETHER_ROWS = 13  # a table this short (with its header) is not split across pages
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(rpr_owner: Run | DocxParagraphStyle) -> None:
    """Latin and East Asian font names, with theme fonts removed so they do not override."""
    rpr_owner.font.name = LATIN_FONT
    element = rpr_owner.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)


def _prepare(docx: DocxDocument, document: Document) -> None:
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Caption", "List Bullet"):
        style = docx.styles[name]
        if isinstance(style, DocxParagraphStyle):
            _set_fonts(style)
    normal = docx.styles["Normal"]
    if isinstance(normal, DocxParagraphStyle):
        normal.font.size = Pt(10.5)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-GB" if document.language == "en" else "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
    props = docx.core_properties
    props.title = drop_controls(document.metadata.get("title", document.title))
    props.subject = drop_controls(document.metadata.get("subject", ""))
    props.author = drop_controls(document.metadata.get("creator", ""))
    _footer(docx, document)


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    run = paragraph.add_run()
    _set_fonts(run)
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind is None:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run._r.append(node)


def _footer(docx: DocxDocument, document: Document) -> None:
    paragraph = docx.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = document.page_label.partition("{n}")
    _run(paragraph, f"{document.footer}　　{before}" if document.footer else before, size=8)
    _field(paragraph, "PAGE")
    _run(paragraph, after, size=8)


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor | None = None,
) -> Run:
    """A run per line of ``text``, joined by line breaks; returns the last."""
    runs: list[Run] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            runs[-1].add_break(WD_BREAK.LINE)
        runs.append(paragraph.add_run(drop_controls(line)))  # XML holds no controls
    for run in runs:
        _set_fonts(run)
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    return runs[-1]


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row: _Row, flag: str) -> None:
    """``w:tblHeader`` repeats a row on every page; ``w:cantSplit`` keeps a row whole."""
    marker = OxmlElement(flag)
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _keep_together(grid: DocxTable) -> None:
    """Word's way to keep a table on one page: every row but the last keeps with the next."""
    for row in grid.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _fill_cell(cell: _Cell, text: str, *, bold: bool = False, fill: str | None = None) -> None:
    paragraph = cell.paragraphs[0]
    _run(paragraph, text, size=8.5, bold=bold)
    if fill:
        _shade(cell, fill)


def _table(docx: DocxDocument, table: Table) -> None:
    total = sum(table.widths)
    widths = [Cm(_TEXT_WIDTH_CM * w / total) for w in table.widths]
    rows = ((table.columns,) if table.header else ()) + table.rows
    grid = docx.add_table(rows=len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for index, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        is_header = table.header and index == 0
        _row_flag(row, "w:cantSplit")
        for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[col]
            label = not table.header and col == 0
            fill = _HEADER_FILL if is_header else (_LABEL_FILL if label else None)
            _fill_cell(cell, value, bold=is_header or label, fill=fill)
    if table.header:
        _row_flag(grid.rows[0], "w:tblHeader")
    if len(rows) <= _KEEP_TOGETHER_ROWS:
        _keep_together(grid)
    docx.add_paragraph()


def _chart(docx: DocxDocument, chart: RadarChart) -> None:
    docx.add_picture(io.BytesIO(radar_png(chart)), width=Cm(12))
    picture = docx.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True  # the caption stays under its chart
    caption = docx.add_paragraph(style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(caption, chart.caption)


def _paragraph(docx: DocxDocument, paragraph: Paragraph) -> None:
    match paragraph.style:
        case ParagraphStyle.LEAD:
            _run(docx.add_paragraph(), paragraph.text, size=14, bold=True)
        case ParagraphStyle.NOTE:
            _run(docx.add_paragraph(), paragraph.text, size=9, italic=True, colour=_NOTE_COLOUR)
        case ParagraphStyle.CAPTION:
            _run(docx.add_paragraph(style="Caption"), paragraph.text)
        case _:
            _run(docx.add_paragraph(), paragraph.text)


def _block(docx: DocxDocument, block: Block) -> None:
    match block:
        case Heading():
            _run(docx.add_heading(level=min(block.level, 2)), block.text)
        case Paragraph():
            _paragraph(docx, block)
        case BulletList():
            for item in block.items:
                _run(docx.add_paragraph(style="List Bullet"), item)
        case Table():
            _table(docx, block)
        case RadarChart():
            _chart(docx, block)


def _part(docx: DocxDocument, part: Part, first: bool) -> None:
    if not first:
        docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _run(docx.add_heading(level=0), part.title)
    if part.subtitle:
        _run(docx.add_paragraph(style="Subtitle"), part.subtitle)
    for block in part.blocks:
        _block(docx, block)


def render_docx(document: Document) -> bytes:
    docx = new_docx()
    _prepare(docx, document)
    for index, part in enumerate(document.parts):
        _part(docx, part, first=index == 0)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
