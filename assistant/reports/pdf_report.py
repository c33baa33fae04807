"""PDF rendering with reportlab: a TrueType CJK font registered and embedded (subset, with a
ToUnicode map so the text can be searched and copied), CJK line wrapping, tables that repeat
their header row, and a page number with the provisional note on every page."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle as Style  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as Para
from reportlab.platypus import Table as Grid
from reportlab.platypus import paragraph as rl_paragraph

from assistant.errors import ReportError
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
from assistant.reports.fonts import PDF_FONTS, FontFile, find_font
from assistant.textnorm import drop_controls

__all__ = ["register_cjk_font", "render_pdf"]

_MARGIN = 1.8 * cm
_TEXT_WIDTH = A4[0] - 2 * _MARGIN
_HEADER_FILL = colors.HexColor("#DCE6F2")
_LABEL_FILL = colors.HexColor("#F2F2F2")
_NOTE_FILL = colors.HexColor("#F4F4F4")
_GRID = colors.HexColor("#A6A6A6")
_MUTED = colors.HexColor("#595959")
_ACCENT = colors.HexColor("#1F4E79")
_HEADING_ROOM = 4 * cm
_KEEP_TOGETHER_ROWS = 12  # a table this short is moved whole to the next page, not split


# Chinese punctuation that must not start a line. reportlab's CJK wrapping keeps a short
# list (mostly Japanese, without "，；：？！”》"), read from module globals at wrap time.
_NO_LINE_START = "，。、；：？！”’》〉）】」』…"


def _teach_line_breaking() -> None:
    for module in (rl_paragraph, rl_textsplit):  # one-fragment and many-fragment wrapping
        missing = "".join(c for c in _NO_LINE_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def register_cjk_font(font: FontFile | None = None) -> str:
    """Register a TrueType CJK font with reportlab once; returns its registered name."""
    chosen = font or find_font(PDF_FONTS)
    name = f"CJK-{chosen.path.stem}-{chosen.subfont}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(chosen.path), subfontIndex=chosen.subfont))
        except Exception as exc:  # reportlab raises bare TTFError/ValueError for bad fonts
            raise ReportError(
                f"字体 {str(chosen.path)!r} 无法嵌入 PDF：{exc}",
                en=f"font {str(chosen.path)!r} cannot be embedded in a PDF: {exc}",
            ) from exc
    return name


class _Styles:
    def __init__(self, font: str, language: str) -> None:
        # CJK wrapping breaks between any two characters, Latin words included; English text
        # wraps at spaces, and a long run of Chinese in it is split where it must.
        wrap = None if language == "en" else "CJK"
        base = Style("body", fontName=font, fontSize=9.5, leading=14.5, wordWrap=wrap)
        self.body = base
        self.title = Style("title", parent=base, fontSize=19, leading=26, textColor=_ACCENT)
        self.subtitle = Style("subtitle", parent=base, fontSize=10.5, textColor=_MUTED)
        self.h1 = Style(
            "h1",
            parent=base,
            fontSize=14,
            leading=20,
            spaceBefore=10,
            spaceAfter=4,
            textColor=_ACCENT,
        )
        self.h2 = Style(
            "h2",
            parent=base,
            fontSize=11.5,
            leading=16,
            spaceBefore=6,
            spaceAfter=3,
        )
        self.lead = Style("lead", parent=base, fontSize=14, leading=20, spaceBefore=4, spaceAfter=4)
        self.note = Style(
            "note",
            parent=base,
            fontSize=8.5,
            leading=12.5,
            textColor=_MUTED,
            backColor=_NOTE_FILL,
            borderPadding=4,
            spaceBefore=4,
            spaceAfter=6,
        )
        self.caption = Style("caption", parent=base, fontSize=8.5, textColor=_MUTED, alignment=1)
        self.cell = Style("cell", parent=base, fontSize=8, leading=11)
        self.bullet = Style(
            "bullet", parent=base, leftIndent=12, bulletIndent=2, bulletFontName=font
        )
        self.font = font


def _markup(text: str) -> str:
    return escape(drop_controls(text)).replace("\n", "<br/>")


def _grid(table: Table, styles: _Styles) -> Grid:
    rows = ((table.columns,) if table.header else ()) + table.rows
    data = [[Para(_markup(value), styles.cell) for value in row] for row in rows]
    total = sum(table.widths)
    widths = [_TEXT_WIDTH * w / total for w in table.widths]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), styles.font),
        ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if table.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), _LABEL_FILL))
    # splitInRow: a cell taller than a page (a 2,000-character reason) splits across pages
    grid = Grid(
        data,
        colWidths=widths,
        repeatRows=1 if table.header else 0,
        hAlign="LEFT",
        splitInRow=1,
    )
    grid.setStyle(TableStyle(commands))
    return grid


def _chart(chart: RadarChart, styles: _Styles) -> list[Any]:
    png = radar_png(chart)
    width_px, height_px = ImageReader(io.BytesIO(png)).getSize()
    width = 12 * cm
    image = Image(io.BytesIO(png), width=width, height=width * height_px / width_px)
    return [image, Para(_markup(chart.caption), styles.caption), Spacer(1, 6)]


def _paragraph(paragraph: Paragraph, styles: _Styles) -> Any:
    style = {
        ParagraphStyle.BODY: styles.body,
        ParagraphStyle.LEAD: styles.lead,
        ParagraphStyle.NOTE: styles.note,
        ParagraphStyle.CAPTION: styles.caption,
    }[paragraph.style]
    return Para(_markup(paragraph.text), style)


def _flowables(block: Block, styles: _Styles) -> list[Any]:
    match block:
        case Heading():
            style = styles.h1 if block.level <= 1 else styles.h2
            # A heading never ends a page: start a new one unless some room is left below.
            return [CondPageBreak(_HEADING_ROOM), Para(_markup(block.text), style)]
        case Paragraph():
            return [_paragraph(block, styles)]
        case BulletList():
            return [Para(_markup(item), styles.bullet, bulletText="•") for item in block.items]
        case Table() if len(block.rows) <= _KEEP_TOGETHER_ROWS:
            return [KeepTogether([_grid(block, styles)]), Spacer(1, 8)]
        case Table():
            return [_grid(block, styles), Spacer(1, 8)]
        case RadarChart():
            return _chart(block, styles)


def _part(part: Part, styles: _Styles) -> list[Any]:
    story: list[Any] = [Para(_markup(part.title), styles.title)]
    if part.subtitle:
        story.append(Para(_markup(part.subtitle), styles.subtitle))
    story.append(Spacer(1, 8))
    for block in part.blocks:
        story.extend(_flowables(block, styles))
    return story


def _footer(document: Document, font: str) -> Any:
    def draw(canvas: Any, template: Any) -> None:
        page = document.page_label.format(n=template.page)
        text = f"{document.footer}　　{page}" if document.footer else page
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(_MUTED)
        canvas.drawCentredString(A4[0] / 2, 1.1 * cm, text)
        canvas.restoreState()

    return draw


def render_pdf(document: Document, *, font: FontFile | None = None) -> bytes:
    name = register_cjk_font(font)
    _teach_line_breaking()
    styles = _Styles(name, document.language)
    story: list[Any] = []
    for index, part in enumerate(document.parts):
        if index:
            story.append(PageBreak())
        story.extend(_part(part, styles))
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=document.metadata.get("title", document.title),
        subject=document.metadata.get("subject", ""),
        creator=document.metadata.get("creator", ""),
        author=document.metadata.get("creator", ""),
        lang="en" if document.language == "en" else "zh-CN",
        invariant=True,
        initialFontName=name,  # no timestamps or random ids: the same report gives the same bytes
    )
    footer = _footer(document, name)
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
