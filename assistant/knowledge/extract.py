"""Plain text out of an operator-supplied document: PDF, DOCX, Markdown or plain text.

The type is sniffed from the bytes, never trusted from the file name: ``%PDF-`` is a PDF, a ZIP
holding ``word/document.xml`` is a DOCX; only ``.md``/``.txt`` files are read as text, and only
when they decode (UTF-8, or GB18030 for ``.txt``). Everything else is refused with a
``KnowledgeError`` saying why, in Chinese then English.

The text keeps the document's lines, because clause headings are recognised at line starts:

* PDF: each page's text as ``pypdf`` lays it out; pages are separated by a form feed ``\\f``
  so the segmenter can recognise running headers and footers repeated on every page.
* DOCX: one paragraph per block, blocks separated by a blank line (a paragraph is a hard
  break); a Heading-styled paragraph is kept on one line; a table row becomes
  ``| cell | cell |`` and the rows of one table stay together.
* Markdown/text: as written, with line endings normalised.

Nothing is written anywhere; hostile input (zip bombs, truncated or encrypted PDFs, renamed
binaries) is refused before a parser sees more than the bytes it was given.

:func:`read_pdf` and :func:`read_docx` read bytes already in memory (the evidence intake sniffs
more types itself and calls them); their refusals are ``DocumentRefused``, a ``KnowledgeError``
with a stable ``reason`` code and the Chinese and English halves of the message kept apart.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.errors import KnowledgeError

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from pypdf import PdfReader

__all__ = [
    "DocumentKind",
    "DocumentRefused",
    "ExtractedText",
    "extract",
    "extract_text",
    "read_docx",
    "read_pdf",
]

DocumentKind = Literal["pdf", "docx", "markdown", "text"]

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
_MAX_RATIO = 200  # uncompressed / compressed, for ZIP members over _RATIO_FLOOR
_RATIO_FLOOR = 1024 * 1024
_MAX_MEMBERS = 10_000
_MIN_CHARS_PER_PAGE = 20  # fewer visible characters per PDF page: no text layer
_TEXT_SUFFIXES: dict[str, DocumentKind] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
_KNOWN_BINARIES = (  # (magic, 中文, English) for the refusal message
    (b"MZ", "Windows 可执行文件", "a Windows executable"),
    (b"\x7fELF", "可执行文件", "an executable"),
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (
        b"\xd0\xcf\x11\xe0",
        "旧版 Office 文件，请另存为 DOCX",
        "a legacy Office file; save it as DOCX",
    ),
    (b"{\\rtf", "RTF 文件，请另存为 DOCX", "an RTF file; save it as DOCX"),
)
_UNTITLED = {"", "untitled", "无标题"}


class DocumentRefused(KnowledgeError):
    """A document that must not be read. ``reason``: corrupt, encrypted, zip_bomb, no_text or
    unsupported_type; ``zh`` and ``en`` are the message without the file's name."""

    def __init__(self, label: str, zh: str, en: str, *, reason: str) -> None:
        super().__init__(f"{label!r}: {zh} / {en}", en=f"{label!r}: {en}")
        self.reason = reason
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class ExtractedText:
    """What :func:`extract` found: the kind sniffed, the text, and a title the file declares."""

    kind: DocumentKind
    text: str
    title: str | None = None


def extract_text(
    path: Path, *, max_bytes: int = MAX_BYTES, max_unpacked: int = MAX_UNPACKED
) -> str:
    """The document's plain text; ``KnowledgeError`` when it cannot or must not be read."""
    return extract(path, max_bytes=max_bytes, max_unpacked=max_unpacked).text


def extract(
    path: Path, *, max_bytes: int = MAX_BYTES, max_unpacked: int = MAX_UNPACKED
) -> ExtractedText:
    """Like :func:`extract_text`, also saying which kind of file it was and its own title."""
    data = _read_bytes(path, max_bytes)
    kind = _sniff(data, path)
    if kind == "pdf":
        extracted = read_pdf(data, str(path))
    elif kind == "docx":
        extracted = read_docx(data, str(path), max_unpacked=max_unpacked)
    else:
        extracted = ExtractedText(kind, _decode(data, path, kind))
    if not extracted.text.strip():
        raise DocumentRefused(
            str(path), "文件中没有文字", "the document contains no text", reason="no_text"
        )
    return extracted


# --- bytes and type --------------------------------------------------------------------------


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise KnowledgeError(f"{str(path)!r}: 文件不存在 / file not found")
    size = path.stat().st_size
    if size > max_bytes:
        raise KnowledgeError(
            f"{str(path)!r}: 文件过大（{size} 字节，上限 {max_bytes} 字节） / "
            f"file too large ({size} bytes, limit {max_bytes})"
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise KnowledgeError(
            f"{str(path)!r}: 文件无法读取 / cannot read the file ({exc.strerror})"
        ) from exc
    if len(data) > max_bytes:  # grew while we looked
        raise KnowledgeError(f"{str(path)!r}: 文件过大 / file too large")
    return data


def _sniff(data: bytes, path: Path) -> DocumentKind:
    if data.lstrip(b" \t\r\n\x00")[:5] == b"%PDF-":
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    suffix_kind = _TEXT_SUFFIXES.get(path.suffix.lower())
    known = next((entry for entry in _KNOWN_BINARIES if data.startswith(entry[0])), None)
    if suffix_kind is not None and known is None and b"\x00" not in data[:8192]:
        return suffix_kind
    zh, en = (f"（内容是{known[1]}）", f" (the content is {known[2]})") if known else ("", "")
    raise KnowledgeError(
        f"{str(path)!r}: 不支持的文件类型{zh}，仅支持 PDF、DOCX、Markdown（.md）和文本（.txt） / "
        f"unsupported file type{en}; PDF, DOCX, Markdown (.md) and text (.txt) are supported"
    )


def _decode(data: bytes, path: Path, kind: DocumentKind) -> str:
    encodings = ("utf-8-sig", "gb18030") if kind == "text" else ("utf-8-sig",)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text.replace("\r\n", "\n").replace("\r", "\n")
    expected = "UTF-8 or GB18030" if kind == "text" else "UTF-8"
    raise KnowledgeError(
        f"{str(path)!r}: 不是可读的文本（应为 {expected.replace(' or ', ' 或 ')} 编码） / "
        f"not readable text (expected {expected})"
    )


# --- PDF -------------------------------------------------------------------------------------


def read_pdf(data: bytes, label: str, *, require_text_layer: bool = True) -> ExtractedText:
    """A PDF's text, pages separated by ``\\f``; ``label`` names the file in messages.

    Without ``require_text_layer`` a scan comes back with whatever little text it has.
    """
    if b"%%EOF" not in data[-2048:]:
        raise DocumentRefused(
            label,
            "PDF 文件不完整（缺少结束标记，可能被截断）",
            "incomplete PDF (no end-of-file marker; truncated?)",
            reason="corrupt",
        )
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # a parser fed hostile bytes can fail in any way
        raise _corrupt(label, "PDF", exc) from exc
    if encrypted:
        _unlock(reader, label)
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except Exception as exc:  # as above
        raise _corrupt(label, "PDF", exc) from exc
    if require_text_layer:
        _require_text_layer(pages, label)
    return ExtractedText("pdf", "\f".join(_clean_page(p) for p in pages), _title(title))


def _unlock(reader: PdfReader, label: str) -> None:
    """Open a PDF encrypted without an opening password (permissions only); refuse others."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    try:
        unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError as exc:  # AES needs a crypto backend pypdf does not bundle
        raise DocumentRefused(
            label,
            "PDF 使用 AES 加密，读取它需要先安装 cryptography（pip install cryptography）",
            "the PDF is AES-encrypted; reading it needs the 'cryptography' package "
            "(pip install cryptography)",
            reason="encrypted",
        ) from exc
    except Exception:  # unsupported algorithm, broken encryption dictionary
        unlocked = False
    if not unlocked:
        raise DocumentRefused(
            label,
            "PDF 已加密，需要密码才能打开；请提供未加密的文件",
            "the PDF is encrypted and needs a password; supply an unencrypted copy",
            reason="encrypted",
        )


def _require_text_layer(pages: list[str], label: str) -> None:
    visible = sum(len("".join(page.split())) for page in pages)
    if visible < _MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise DocumentRefused(
            label,
            "PDF 没有可提取的文字层（可能是扫描件），需要先做 OCR 文字识别",
            "the PDF has no extractable text layer (scanned?); run OCR on it first",
            reason="no_text",
        )


def _clean_page(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _corrupt(label: str, kind: str, exc: Exception) -> DocumentRefused:
    return DocumentRefused(
        label,
        f"{kind} 文件已损坏或无法解析（{type(exc).__name__}）",
        f"corrupt or unreadable {kind} file ({type(exc).__name__}: {exc})",
        reason="corrupt",
    )


def _title(value: object) -> str | None:
    title = str(value).strip() if value is not None else ""
    return None if title.lower() in _UNTITLED else title


# --- DOCX ------------------------------------------------------------------------------------


def read_docx(data: bytes, label: str, *, max_unpacked: int = MAX_UNPACKED) -> ExtractedText:
    """A DOCX's paragraphs and tables as text; ``label`` names the file in messages."""
    _check_zip(data, label, max_unpacked)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document.element.body, document))
        title = document.core_properties.title
    except Exception as exc:  # a parser fed hostile bytes can fail in any way
        raise _corrupt(label, "DOCX", exc) from exc
    heading = next((text for text, is_heading in blocks if is_heading), None)
    text = "\n\n".join(text for text, _ in blocks)
    return ExtractedText("docx", text, _title(title or heading))


def _check_zip(data: bytes, label: str, max_unpacked: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt(label, "DOCX/ZIP", exc) from exc
    if not any(member.filename == "word/document.xml" for member in members):
        raise DocumentRefused(
            label,
            "是 ZIP 压缩包但不是 DOCX 文档（缺少 word/document.xml）",
            "a ZIP archive but not a DOCX document (no word/document.xml)",
            reason="unsupported_type",
        )
    total = sum(member.file_size for member in members)
    if total > max_unpacked or len(members) > _MAX_MEMBERS:
        raise DocumentRefused(
            label,
            f"DOCX 解压后过大（{total} 字节，{len(members)} 个文件，上限 {max_unpacked} 字节），"
            "疑似压缩炸弹，已拒绝",
            f"the DOCX unpacks to {total} bytes in {len(members)} files (limit {max_unpacked} "
            "bytes): refused as a possible zip bomb",
            reason="zip_bomb",
        )
    dense = next((member for member in members if _bomb_member(member)), None)
    if dense is not None:
        raise DocumentRefused(
            label,
            f"DOCX 中的 {dense.filename!r} 压缩比异常（{dense.file_size} 字节压缩为 "
            f"{dense.compress_size} 字节），疑似压缩炸弹，已拒绝",
            f"{dense.filename!r} in the DOCX has an absurd compression ratio ({dense.file_size} "
            f"bytes packed into {dense.compress_size}): refused as a possible zip bomb",
            reason="zip_bomb",
        )


def _bomb_member(member: zipfile.ZipInfo) -> bool:
    if member.file_size <= _RATIO_FLOOR:
        return False
    return member.file_size > _MAX_RATIO * max(member.compress_size, 1)


def _docx_blocks(container: BaseOxmlElement, document: Document) -> Iterator[tuple[str, bool]]:
    """``(text, is_heading)`` per paragraph and table, in order, entering content controls."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in container.iterchildren():
        if element.tag == qn("w:p"):
            text, heading = _paragraph_text(Paragraph(element, document))
            if text:
                yield text, heading
        elif element.tag == qn("w:tbl"):
            rows = _table_rows(Table(element, document))
            if rows:
                yield "\n".join(rows), False
        elif element.tag == qn("w:sdt"):
            for content in element.iterchildren(qn("w:sdtContent")):
                yield from _docx_blocks(content, document)


def _paragraph_text(paragraph: Paragraph) -> tuple[str, bool]:
    """A Heading-styled paragraph is kept on one line; others keep their soft line breaks."""
    name = paragraph.style.name if paragraph.style is not None else None
    heading = (name or "").lower().startswith(("heading", "title", "标题"))
    text = paragraph.text.strip()
    return (" ".join(text.split()) if heading else text), heading


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell is not previous:  # a merged cell repeats across the columns it spans
                cells.append(" ".join(cell.text.split()).replace("|", "｜"))
                previous = cell
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows
