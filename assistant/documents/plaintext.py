"""Plain text and Markdown: which bytes count as text, and decoding them.

Evidence text is anything that decodes as UTF-8 or GB18030 without control characters and
is not HTML, SVG or XML. The operator's texts are read only from a ``.md``/``.txt`` name:
Markdown as UTF-8, plain text as UTF-8 or GB18030.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from assistant.documents.policy import Format, Policy
from assistant.documents.refusal import DocumentRefused, Reason

__all__ = ["TEXT_SUFFIXES", "decode_text", "read_text", "text_format"]

TEXT_SUFFIXES: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
_ENCODINGS = ("utf-8-sig", "gb18030")
_MARKUP_START = ("<!doctype", "<html", "<?xml", "<svg", "<head", "<body", "<script", "<iframe")
_MARKUP_ANYWHERE = re.compile(r"<\s*(?:script|iframe|object|embed)\b", re.IGNORECASE)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")
_SNIFF_BYTES = 8192


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without a BOM), else GB18030, line endings normalised; None if neither."""
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _lines(text)
    return None


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_format(data: bytes, name: str, policy: Policy) -> Format | None:
    """``text`` or ``markdown`` when ``data`` is text by ``policy``; None when it is not.

    Raises ``DocumentRefused`` for markup (HTML, SVG, XML) offered as evidence text.
    """
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if policy.text_by_suffix:
        named = TEXT_SUFFIXES.get(suffix)
        return named if named is not None and b"\x00" not in data[:_SNIFF_BYTES] else None
    if b"\x00" in data:
        return None
    text = decode_text(data)
    if text is None or any(_is_control(c) for c in text):
        return None
    head = text.lstrip("\ufeff \t\n").lower()
    if head.startswith(_MARKUP_START) or _MARKUP_ANYWHERE.search(text):
        raise DocumentRefused(
            Reason.UNSUPPORTED_TYPE,
            f"不支持的文件类型（内容是HTML/XML 网页或标记文件）；{policy.supported_zh}",
            f"unsupported file type (the content is HTML/XML markup); {policy.supported_en}",
        )
    return "markdown" if suffix in (".md", ".markdown") else "text"


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS


def read_text(data: bytes, fmt: Format, policy: Policy) -> str:
    """The text of ``data`` sniffed as ``fmt``; operator Markdown must be UTF-8."""
    strict = policy.text_by_suffix and fmt == "markdown"
    for encoding in _ENCODINGS[:1] if strict else _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return _lines(text)
    expected = ("UTF-8", "UTF-8") if strict else ("UTF-8 或 GB18030", "UTF-8 or GB18030")
    raise DocumentRefused(
        Reason.UNSUPPORTED_TYPE,
        f"不是可读的文本（应为 {expected[0]} 编码）",
        f"not readable text (expected {expected[1]})",
    )
