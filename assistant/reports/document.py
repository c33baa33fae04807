"""A format-neutral report: parts made of headings, paragraphs, lists, tables and a chart.

The content is built once (``assistant.reports.content``); each renderer only lays it out.
Every text is plain (no markup); a table cell may hold line breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from assistant.session.models import Language

__all__ = [
    "Block",
    "BulletList",
    "Document",
    "Heading",
    "Paragraph",
    "ParagraphStyle",
    "Part",
    "RadarChart",
    "Series",
    "Table",
]


class ParagraphStyle(StrEnum):
    BODY = "body"
    LEAD = "lead"  # a key statement, set larger (the stars)
    NOTE = "note"  # a caveat or disclaimer, set apart
    CAPTION = "caption"  # under a chart or table


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  # 1 = section, 2 = subsection


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: ParagraphStyle = ParagraphStyle.BODY


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths, one per column
    header: bool = True  # False for a key/value table, whose first column names the row

    def __post_init__(self) -> None:
        if len(self.widths) != len(self.columns):
            raise ValueError("one width per column")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row!r} does not have {len(self.columns)} cells")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class RadarChart:
    axes: tuple[str, ...]
    series: tuple[Series, ...]
    maximum: int
    caption: str


Block = Heading | Paragraph | BulletList | Table | RadarChart


@dataclass(frozen=True, slots=True)
class Part:
    """A part starts on a new page and carries its own title."""

    title: str
    blocks: tuple[Block, ...]
    subtitle: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    language: Language
    parts: tuple[Part, ...]
    footer: str = ""  # a short line printed on every page beside the page number
    page_label: str = "{n}"  # the page number's wording, e.g. "第 {n} 页"
    metadata: dict[str, str] = field(default_factory=dict)  # author, subject, …

    def blocks(self) -> tuple[Block, ...]:
        return tuple(block for part in self.parts for block in part.blocks)
