"""Markdown rendering (GitHub flavour): the chart becomes a table of its values.

Every text of a ``Document`` is plain, and some of it is the applicant's (the institution's
name, answers, notes, file names): each is escaped so that it reads as typed and can never
become markup. ``<`` ``>`` ``&`` become entities (no raw HTML), inline marks are
backslash-escaped, and what would open a block at the start of a line (a heading, a list, a
rule, a table row) is escaped there.
"""

from __future__ import annotations

from assistant.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Paragraph,
    ParagraphStyle,
    RadarChart,
    Table,
)

__all__ = ["render_markdown"]


_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "[": "\\[",
        "]": "\\]",
        "~": "\\~",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)
_BLOCK_MARKS = "#+-=|"  # at the start of a line: a heading, a list, a rule, a table row
_DIGITS = "0123456789"


def _underscores(text: str) -> str:
    """Escape each ``_`` that could open or close emphasis; one between two letters or
    digits (``scan_0042.pdf``) never does and stays as it is."""
    parts = text.split("_")
    out = [parts[0]]
    for before, after in zip(parts, parts[1:], strict=False):
        inert = before[-1:].isalnum() and after[:1].isalnum()
        out.append("_" if inert else "\\_")
        out.append(after)
    return "".join(out)


def _inline(text: str) -> str:
    return _underscores(text.translate(_INLINE))


def _line_start(line: str) -> str:
    body = line.lstrip(" \t")  # four leading spaces would make a code block
    if body[:1] and body[0] in _BLOCK_MARKS:
        return "\\" + body
    digits = len(body) - len(body.lstrip(_DIGITS))
    if 0 < digits < 10 and body[digits : digits + 1] in (".", ")"):  # an ordered list item
        return f"{body[:digits]}\\{body[digits:]}"
    return body


def _text(text: str) -> str:
    """A text where a block may start: a paragraph, a list item."""
    escaped = _inline(text)
    if "\n" in escaped:  # two lines can make a table
        escaped = escaped.replace("|", "\\|")
    return "\n".join(_line_start(line) for line in escaped.split("\n"))


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|").replace("\n", "<br>") or " "


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(table: Table) -> str:
    header = table.columns if table.header else tuple(" " for _ in table.columns)
    lines = [_row(header), "|" + "|".join("---" for _ in table.columns) + "|"]
    lines.extend(_row(row) for row in table.rows)
    return "\n".join(lines)


def _chart(chart: RadarChart) -> str:
    columns = ("", *(series.name for series in chart.series))
    rows = tuple(
        (axis, *(f"{series.values[i]:g}" for series in chart.series))
        for i, axis in enumerate(chart.axes)
    )
    table = Table(columns, rows, tuple(1.0 for _ in columns))
    return f"{_table(table)}\n\n*{_text(chart.caption)}*"


def _paragraph(paragraph: Paragraph) -> str:
    match paragraph.style:
        case ParagraphStyle.LEAD:
            return f"**{_text(paragraph.text)}**"
        case ParagraphStyle.NOTE:
            return f"> {_text(paragraph.text)}"
        case ParagraphStyle.CAPTION:
            return f"*{_text(paragraph.text)}*"
        case _:
            return _text(paragraph.text)


def _block(block: Block) -> str:
    match block:
        case Heading():
            return f"{'#' * (block.level + 1)} {_inline(block.text)}"
        case Paragraph():
            return _paragraph(block)
        case BulletList():
            return "\n".join(f"- {_text(item)}" for item in block.items)
        case Table():
            return _table(block)
        case RadarChart():
            return _chart(block)


def render_markdown(document: Document) -> str:
    """The document as Markdown: one ``#`` title per part, sections below it."""
    chunks: list[str] = []
    for part in document.parts:
        chunks.append(f"# {_inline(part.title)}")
        if part.subtitle:
            lines = part.subtitle.split("\n")
            chunks.append("  \n".join(f"*{_text(line)}*" for line in lines))
        chunks.extend(_block(block) for block in part.blocks)
    return "\n\n".join(chunks) + "\n"
