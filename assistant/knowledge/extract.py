"""Plain text out of an operator-supplied document: PDF, DOCX, Markdown or plain text.

The document reader (:mod:`assistant.documents`, policy ``OPERATOR``) does the work: the
type from the bytes (``%PDF-`` is a PDF, a ZIP declaring a Word main part is a DOCX; only
``.md``/``.txt`` files are read as text, when they decode), ZIP members checked, PDF and
DOCX read in a confined child process under CPU, memory, time, page, content and XML
caps. A document without text, or a PDF without a text layer, is refused too: there would
be nothing to cite. Refusals are ``DocumentRefused``, a ``KnowledgeError`` with the
reader's stable ``reason`` and a message in Chinese, then English.

The text keeps the document's lines, because clause headings are recognised at line starts:

* PDF: each page's text as ``pypdf`` lays it out; pages are separated by a form feed ``\\f``
  so the segmenter can recognise running headers and footers repeated on every page.
* DOCX: one paragraph per block, blocks separated by a blank line (a paragraph is a hard
  break); a Heading-styled paragraph is kept on one line; a table row becomes
  ``| cell | cell |`` and the rows of one table stay together.
* Markdown/text: as written, with line endings normalised.

Nothing is written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.documents import OPERATOR, Limits, read_document
from assistant.documents import DocumentRefused as Refusal
from assistant.documents.refusal import too_large
from assistant.errors import KnowledgeError

__all__ = [
    "DocumentKind",
    "DocumentRefused",
    "ExtractedText",
    "extract",
    "extract_text",
]

DocumentKind = Literal["pdf", "docx", "markdown", "text"]

MAX_BYTES = 50 * 1024 * 1024
_DEFAULT = Limits()


class DocumentRefused(KnowledgeError):
    """A document that must not be read; ``reason`` is the reader's code (``Reason``), ``zh``
    and ``en`` the message without the file's name."""

    def __init__(self, label: str, zh: str, en: str, *, reason: str) -> None:
        super().__init__(f"{label!r}: {zh} / {en}", en=f"{label!r}: {en}")
        self.reason = reason
        self.zh = zh
        self.en = en

    @classmethod
    def of(cls, label: str, refusal: Refusal) -> DocumentRefused:
        return cls(label, refusal.zh, refusal.en, reason=refusal.reason.value)


@dataclass(frozen=True)
class ExtractedText:
    """What :func:`extract` found: the kind sniffed, the text, and a title the file declares."""

    kind: DocumentKind
    text: str
    title: str | None = None


def extract_text(
    path: Path,
    *,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int | None = None,
    limits: Limits = _DEFAULT,
) -> str:
    """The document's plain text; ``KnowledgeError`` when it cannot or must not be read."""
    return extract(path, max_bytes=max_bytes, max_unpacked=max_unpacked, limits=limits).text


def extract(
    path: Path,
    *,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int | None = None,
    limits: Limits = _DEFAULT,
) -> ExtractedText:
    """Like :func:`extract_text`, also saying which kind of file it was and its own title.

    ``limits`` are the reading caps (``document_limits(settings)``); ``max_bytes`` and
    ``max_unpacked`` override its sizes.
    """
    label = str(path)
    data = _read_bytes(path, max_bytes)
    try:
        extracted = read_document(
            data, path.name, OPERATOR, limits.sized(max_bytes=max_bytes, max_unpacked=max_unpacked)
        )
    except Refusal as exc:
        raise DocumentRefused.of(label, exc) from None
    kind = extracted.format
    assert kind == "pdf" or kind == "docx" or kind == "markdown" or kind == "text"
    return ExtractedText(kind, extracted.text, extracted.title)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise KnowledgeError(f"{str(path)!r}: 文件不存在 / file not found")
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentRefused.of(str(path), too_large(size, max_bytes))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise KnowledgeError(
            f"{str(path)!r}: 文件无法读取 / cannot read the file ({exc.strerror})"
        ) from exc
    if len(data) > max_bytes:  # grew while we looked
        raise DocumentRefused.of(str(path), too_large(len(data), max_bytes))
    return data
