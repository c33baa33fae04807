"""The type of a document, from its bytes and never from its name.

``%PDF-`` is a PDF, a ZIP is an Office file (the reading child tells DOCX from XLSX by its
``[Content_Types].xml``), PNG and JPEG by their signatures, and text by
:func:`~assistant.documents.plaintext.text_format`. A PNG named ``scan.pdf`` is the PNG it
is; a program named ``report.pdf`` is refused, saying what it is.
"""

from __future__ import annotations

from typing import Literal

from assistant.documents.plaintext import text_format
from assistant.documents.policy import Policy
from assistant.documents.refusal import DocumentRefused, Reason, encrypted

__all__ = ["Kind", "sniff", "unsupported"]

Kind = Literal["pdf", "zip", "png", "jpeg", "text", "markdown"]

_OLE = b"\xd0\xcf\x11\xe0"
_IMAGES: tuple[tuple[bytes, Kind], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
_KNOWN_BINARIES = (  # (magic, 中文, English) for the refusal message
    (b"MZ", "Windows 可执行文件", "a Windows executable"),
    (b"\x7fELF", "可执行文件", "an executable"),
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (_OLE, "旧版 Office 文件，请另存为 DOCX 或 XLSX", "a legacy Office file; save it as DOCX"),
    (b"{\\rtf", "RTF 文件，请另存为 DOCX", "an RTF file; save it as DOCX"),
    (b"PK", "ZIP 压缩包", "a ZIP archive"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
)


def sniff(data: bytes, name: str, policy: Policy) -> Kind:
    """What ``data`` is, as far as ``policy`` accepts it; ``DocumentRefused`` otherwise."""
    if data.lstrip(b" \t\r\n\x00")[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    for signature, kind in _IMAGES:
        if data.startswith(signature) and kind in policy.formats:
            return kind
    if data.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in data:
        raise encrypted(
            "Office 文件已加密（设置了打开密码）；请提供未加密的文件",
            "the Office file is password-protected; supply an unencrypted copy",
        )
    fmt = text_format(data, name, policy)
    if fmt == "text" or fmt == "markdown":
        return fmt
    raise unsupported(data, policy)


def unsupported(data: bytes, policy: Policy) -> DocumentRefused:
    """The refusal of a type ``policy`` does not take, naming what the content is if known."""
    known = next((entry for entry in _KNOWN_BINARIES if data.startswith(entry[0])), None)
    zh, en = (f"（内容是{known[1]}）", f" (the content is {known[2]})") if known else ("", "")
    return DocumentRefused(
        Reason.UNSUPPORTED_TYPE,
        f"不支持的文件类型{zh}；{policy.supported_zh}",
        f"unsupported file type{en}; {policy.supported_en}",
    )
