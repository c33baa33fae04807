"""A DOCX's text, read as a stream: one body block (paragraph, table, content control) at a
time, each freed once its text is taken, under the XML caps of :mod:`xmlstream`.

The text is what python-docx gave: one block per paragraph or table, blocks apart by a
blank line; a paragraph's text is its runs' and hyperlinks' (``w:t``, tabs, line breaks,
non-breaking hyphens); a paragraph whose style name starts with Heading/Title/标题 is kept
on one line and is the title unless the core properties name one; a table row becomes
``| cell | cell |``, a cell spanning columns once, a cell merged down repeating the text
of the cell it continues.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.documents.extracted import Extracted, clean_title
from assistant.documents.limits import Limits
from assistant.documents.xmlstream import parse_part, release

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["docx_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_BODY, _P, _TBL, _SDT, _SDT_CONTENT = (_W + t for t in ("body", "p", "tbl", "sdt", "sdtContent"))
_R, _HYPERLINK, _TR, _TC = (_W + t for t in ("r", "hyperlink", "tr", "tc"))
_T, _TAB, _BR, _CR, _PTAB, _NB_HYPHEN = (
    _W + t for t in ("t", "tab", "br", "cr", "ptab", "noBreakHyphen")
)
_VAL = _W + "val"
_HEADINGS = ("heading", "title", "标题")
_RUN_TEXT = {_TAB: "\t", _CR: "\n", _PTAB: "\t", _NB_HYPHEN: "-"}
_ON = ("1", "true", "on")


def docx_text(archive: zipfile.ZipFile, limits: Limits) -> Extracted:
    """The document's text and title from the checked ``archive``."""
    names = set(archive.namelist())
    main = _target(archive, "_rels/.rels", "/officeDocument", "", limits) or "word/document.xml"
    styles_rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main))
    styles = _Styles.read(
        archive, _target(archive, styles_rels + ".rels", "/styles", main, limits), limits
    )
    core = _target(archive, "_rels/.rels", "/metadata/core-properties", "", limits)
    title = _core_title(archive, core, limits) if core in names else ""
    blocks = list(_body_blocks(archive, main, styles, limits))
    heading = next((text for text, is_heading in blocks if is_heading), None)
    text = "\n\n".join(text for text, _ in blocks)
    return Extracted("docx", text, clean_title(title or heading))


# --- package parts ---------------------------------------------------------------------------


def _target(
    archive: zipfile.ZipFile, rels: str, rel_type: str, source: str, limits: Limits
) -> str | None:
    """The part that ``rels`` relates by a type ending in ``rel_type``, if any."""
    if rels not in archive.NameToInfo:
        return None
    found: str | None = None
    for event, element in parse_part(archive, rels, limits, kind="DOCX"):
        if event != "end" or element.tag != _REL:
            continue
        if found is None and (element.get("Type") or "").endswith(rel_type):
            if element.get("TargetMode") != "External":
                found = _resolve(source, element.get("Target") or "")
        release(element)
    return found


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _core_title(archive: zipfile.ZipFile, part: str, limits: Limits) -> str:
    title: str | None = None
    for event, element in parse_part(archive, part, limits, kind="DOCX"):
        if event == "end" and element.tag == _DC_TITLE and title is None:
            parent = element.getparent()
            if parent is not None and parent.getparent() is None:  # a child of the root
                title = element.text or ""
    return title or ""


@dataclass(frozen=True)
class _Styles:
    """Paragraph style names by id, and the default paragraph style's name."""

    names: dict[str, str | None]
    default: str | None

    @classmethod
    def read(cls, archive: zipfile.ZipFile, part: str | None, limits: Limits) -> _Styles:
        if part is None or part not in archive.NameToInfo:
            return cls({}, None)  # python-docx's stand-in styles: "Normal" only, no heading
        names: dict[str, str | None] = {}
        seen: set[str] = set()
        default: str | None = None
        for event, element in parse_part(archive, part, limits, kind="DOCX"):
            if event != "end" or element.tag != _W + "style":
                continue
            style_id, name = element.get(_W + "styleId"), _child_val(element, _W + "name")
            paragraph = element.get(_W + "type") == "paragraph"
            if style_id is not None and style_id not in seen:
                seen.add(style_id)
                if paragraph:
                    names[style_id] = name
            if paragraph and element.get(_W + "default") in _ON:
                default = name  # the last default wins, as the standard says
            release(element)
        return cls(names, default)

    def name(self, style_id: str | None) -> str | None:
        if style_id and style_id in self.names:
            return self.names[style_id]
        return self.default


def _child_val(element: _Element, tag: str) -> str | None:
    child = element.find(tag)
    return None if child is None else child.get(_VAL)


# --- the body --------------------------------------------------------------------------------


def _body_blocks(
    archive: zipfile.ZipFile, part: str, styles: _Styles, limits: Limits
) -> Iterator[tuple[str, bool]]:
    """``(text, is_heading)`` per block of the body, each freed once read."""
    depth = 0
    for event, element in parse_part(archive, part, limits, kind="DOCX"):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        parent = element.getparent()
        if depth == 2 and parent is not None and parent.tag == _BODY:
            yield from _blocks_of(element, styles)
            release(element)


def _blocks_of(element: _Element, styles: _Styles) -> Iterator[tuple[str, bool]]:
    if element.tag == _P:
        text, heading = _paragraph(element, styles)
        if text:
            yield text, heading
    elif element.tag == _TBL:
        rows = _table_rows(element)
        if rows:
            yield "\n".join(rows), False
    elif element.tag == _SDT:
        for content in element.iterchildren(_SDT_CONTENT):
            for child in content.iterchildren():
                yield from _blocks_of(child, styles)


def _paragraph(p: _Element, styles: _Styles) -> tuple[str, bool]:
    """A Heading-styled paragraph is kept on one line; others keep their soft line breaks."""
    properties = p.find(_W + "pPr")
    style_id = None if properties is None else _child_val(properties, _W + "pStyle")
    heading = (styles.name(style_id) or "").lower().startswith(_HEADINGS)
    text = _paragraph_text(p).strip()
    return (" ".join(text.split()) if heading else text), heading


def _paragraph_text(p: _Element) -> str:
    parts: list[str] = []
    for child in p.iterchildren(_R, _HYPERLINK):
        for run in [child] if child.tag == _R else child.iterchildren(_R):
            parts.extend(_run_text(run))
    return "".join(parts)


def _run_text(run: _Element) -> Iterator[str]:
    for item in run.iterchildren(_T, _TAB, _BR, _CR, _PTAB, _NB_HYPHEN):
        if item.tag == _T:
            yield item.text or ""
        elif item.tag == _BR:
            yield "\n" if item.get(_W + "type", "textWrapping") == "textWrapping" else ""
        else:
            yield _RUN_TEXT[str(item.tag)]


# --- tables ----------------------------------------------------------------------------------


def _table_rows(table: _Element) -> list[str]:
    """One ``| a | b |`` line per row with any text; merged cells resolved row by row."""
    lines: list[str] = []
    above: dict[int, _Element] = {}  # grid offset → the cell (root of a merge) starting there
    for tr in table.iterchildren(_TR):
        here: dict[int, _Element] = {}
        offset = _int_val(tr.find(_W + "trPr"), _W + "gridBefore", 0)
        cells: list[str] = []
        for tc in tr.iterchildren(_TC):
            properties = tc.find(_W + "tcPr")
            root = tc
            if _continues(properties):
                if offset not in above:  # python-docx failed here too: no cell to continue
                    raise ValueError(f"no table cell above grid offset {offset}")
                root = above[offset]
            here[offset] = root
            span = _int_val(properties, _W + "gridSpan", 1)
            if _int_val(root.find(_W + "tcPr"), _W + "gridSpan", 1) > 0:
                cells.append(_cell_text(root))
            offset += span
        above = here
        if any(cells):
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _continues(properties: _Element | None) -> bool:
    merge = None if properties is None else properties.find(_W + "vMerge")
    return merge is not None and merge.get(_VAL, "continue") == "continue"


def _int_val(properties: _Element | None, tag: str, default: int) -> int:
    value = None if properties is None else _child_val(properties, tag)
    return default if value is None else int(value)


def _cell_text(tc: _Element) -> str:
    text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(_P))
    return " ".join(text.split()).replace("|", "｜")
