"""Markdown rendering (GitHub flavour): the chart becomes a table of its values."""

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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>") or " "


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
    return f"{_table(table)}\n\n*{chart.caption}*"


def _paragraph(paragraph: Paragraph) -> str:
    match paragraph.style:
        case ParagraphStyle.LEAD:
            return f"**{paragraph.text}**"
        case ParagraphStyle.NOTE:
            return f"> {paragraph.text}"
        case ParagraphStyle.CAPTION:
            return f"*{paragraph.text}*"
        case _:
            return paragraph.text


def _block(block: Block) -> str:
    match block:
        case Heading():
            return f"{'#' * (block.level + 1)} {block.text}"
        case Paragraph():
            return _paragraph(block)
        case BulletList():
            return "\n".join(f"- {item}" for item in block.items)
        case Table():
            return _table(block)
        case RadarChart():
            return _chart(block)


def render_markdown(document: Document) -> str:
    """The document as Markdown: one ``#`` title per part, sections below it."""
    chunks: list[str] = []
    for part in document.parts:
        chunks.append(f"# {part.title}")
        if part.subtitle:
            chunks.append("  \n".join(f"*{line}*" for line in part.subtitle.split("\n")))
        chunks.extend(_block(block) for block in part.blocks)
    return "\n\n".join(chunks) + "\n"
