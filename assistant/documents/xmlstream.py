"""One XML part of an Office file, parsed as a stream under caps.

lxml's ``iterparse`` with ``huge_tree`` off (so libxml2 keeps its depth and text-node
limits), no network, no DTD loading and no entity substitution. A part that declares a
DTD is refused at its root element, before anything could expand: Office files never
carry one, and entity tricks (billion laughs, external entities) all need one. The bytes
read and the elements seen are counted, and reading stops at the cap.
"""

from __future__ import annotations

import zipfile
from collections.abc import Generator
from typing import IO, TYPE_CHECKING

from assistant.documents.limits import Limits
from assistant.documents.refusal import DocumentRefused, Reason, corrupt, megabytes, too_complex

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["parse_part", "release"]

_CHUNK = 64 * 1024
_DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


class _Counted:
    """A member's stream that refuses to yield more than ``limit`` bytes in all, or a first
    chunk that declares a DTD (libxml2 would parse the DTD before the root element)."""

    def __init__(self, handle: IO[bytes], limit: int, part: str) -> None:
        self._handle = handle
        self._limit = limit
        self._part = part
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size if size > 0 else _CHUNK)
        if self.count == 0 and any(marker in data for marker in _DOCTYPES):
            raise _dtd(self._part)
        self.count += len(data)
        if self.count > self._limit:
            raise _too_big(self._part, self._limit)
        return data


def _too_big(part: str, limit: int) -> DocumentRefused:
    return too_complex(
        f"{part!r} 超过 {megabytes(limit)} MB", f"{part!r} is over {megabytes(limit)} MB"
    )


def parse_part(
    archive: zipfile.ZipFile, part: str, limits: Limits, *, kind: str, whole: bool = True
) -> Generator[tuple[str, _Element], None, None]:
    """``(event, element)`` for each start and end in ``part``, under ``limits``.

    ``kind`` (``DOCX``, ``XLSX``) names the file in a refusal. A part read ``whole`` is
    refused at once when its declared size is over the cap; otherwise only the bytes
    actually read count (a caller that stops early). The caller releases the elements it
    is done with (:func:`release`), or the part stays in memory.
    """
    from lxml import etree

    info = archive.getinfo(part)
    if whole and info.file_size > limits.max_xml_bytes:
        raise _too_big(part, limits.max_xml_bytes)
    elements = 0
    with archive.open(info) as handle:
        events = etree.iterparse(
            _Counted(handle, limits.max_xml_bytes, part),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        try:
            for event, element in events:
                if event == "start":
                    elements += 1
                    if elements == 1:
                        _refuse_dtd(element, part)
                    elif elements > limits.max_xml_elements:
                        raise too_complex(
                            f"{part!r} 中的 XML 元素超过 {limits.max_xml_elements} 个",
                            f"{part!r} has over {limits.max_xml_elements} XML elements",
                        )
                yield event, element
        except etree.XMLSyntaxError as exc:
            raise _syntax(exc, part, kind) from exc


def _refuse_dtd(root: _Element, part: str) -> None:
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise _dtd(part)


def _dtd(part: str) -> DocumentRefused:
    return DocumentRefused(
        Reason.ZIP_BOMB,
        f"其中 {part!r} 含有 DTD 或实体声明（Office 文件从不包含），疑似实体扩展炸弹，已拒绝",
        f"{part!r} declares a DTD or entities, which Office files never do: refused as a "
        "possible entity-expansion bomb",
    )


def _syntax(exc: Exception, part: str, kind: str) -> DocumentRefused:
    message = str(exc).lower()
    if "amplification" in message or "entity reference loop" in message:
        return _dtd(part)
    if "depth" in message or "huge" in message:  # libxml2's own caps without huge_tree
        return too_complex(
            f"{part!r} 的 XML 嵌套过深或文本节点过大",
            f"{part!r} nests XML too deeply or holds a huge text node",
        )
    return corrupt(kind, exc)


def release(element: _Element) -> None:
    """Free a finished element and the finished siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
