"""A PDF's text, page by page, under a page cap and a content cap.

Each page's text as pypdf lays it out, pages apart by a form feed ``\\f`` (so running
headers and footers can be recognised). Before any page is parsed, the pages are counted
and their decompressed content streams measured, page by page: pages that all draw one
large shared stream count it once each, as parsing them would cost, and a file whose pages
mostly repeat content drawn before is refused outright. A PDF locked only
against editing is opened; one that needs a password is refused.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from assistant.documents.extracted import Extracted, clean_title
from assistant.documents.limits import Limits
from assistant.documents.refusal import (
    DocumentRefused,
    Reason,
    corrupt,
    encrypted,
    megabytes,
    too_complex,
)

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

__all__ = ["pdf_text"]

# Honest PDFs give each page its own content; pages that all draw one stream are built to
# make the extractor repeat work (a 4 KB file that costs minutes).
_SHARED_FLOOR = 1024 * 1024
_SHARED_RATIO = 4


def pdf_text(data: bytes, limits: Limits) -> Extracted:
    """The text of every page, ``\\f`` between pages, and the title the file declares."""
    if b"%%EOF" not in data[-2048:]:
        raise DocumentRefused(
            Reason.CORRUPT,
            "PDF 文件不完整（缺少结束标记，可能被截断）",
            "incomplete PDF (no end-of-file marker; truncated?)",
        )
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _unlock(reader)
        pages = _pages(reader, limits)
        texts = [page.extract_text() or "" for page in pages]
        title = reader.metadata.title if reader.metadata else None
    except DocumentRefused:
        raise
    except MemoryError:  # the child answers that it ran out
        raise
    except LimitReachedError as exc:  # pypdf's own caps (page tree, stream sizes)
        raise too_complex(str(exc), str(exc)) from exc
    except Exception as exc:  # a parser fed hostile bytes can fail in any way
        raise corrupt("PDF", exc) from exc
    text = "\f".join(_clean_page(page) for page in texts)
    return Extracted("pdf", text, clean_title(title), pages=len(pages))


def _pages(reader: PdfReader, limits: Limits) -> list[PageObject]:
    count = len(reader.pages)
    if count > limits.max_pages:
        raise too_complex(
            f"共 {count} 页，上限 {limits.max_pages} 页",
            f"{count} pages; the limit is {limits.max_pages}",
        )
    pages = list(reader.pages)
    counted, unique = _content_bytes(pages, limits)
    if counted > _SHARED_FLOOR and counted > _SHARED_RATIO * unique:
        raise too_complex(
            f"各页反复引用同一段内容：共 {megabytes(counted)} MB，其中不同的只有 "
            f"{megabytes(unique)} MB",
            f"the pages draw the same content again and again: {megabytes(counted)} MB "
            f"drawn, {megabytes(unique)} MB of it distinct",
        )
    return pages


def _content_bytes(pages: list[PageObject], limits: Limits) -> tuple[int, int]:
    """Decompressed page content counted page by page, and counted once per stream."""
    counted = unique = 0
    seen: set[tuple[int, int]] = set()
    for page in pages:
        stream = page.get_contents()
        size = len(stream.get_data()) if stream is not None else 0
        counted += size
        if counted > limits.max_content_bytes:
            limit = megabytes(limits.max_content_bytes)
            raise too_complex(
                f"页面内容解压后超过 {limit} MB（多页共用的内容按页计算）",
                f"the page content decompresses to over {limit} MB (content that pages "
                "share counted once per page)",
            )
        keys = _content_references(page)
        if not keys or not keys <= seen:
            unique += size
        seen |= keys
    return counted, unique


def _content_references(page: PageObject) -> set[tuple[int, int]]:
    """The objects a page's content comes from (one stream, or an array of them)."""
    from pypdf.generic import ArrayObject, IndirectObject

    if "/Contents" not in page:
        return set()
    contents = page.raw_get("/Contents")
    if isinstance(contents, IndirectObject):
        target = contents.get_object()
        parts = list(target) if isinstance(target, ArrayObject) else []
        keys = {(contents.idnum, contents.generation)}
    else:
        parts = list(contents) if isinstance(contents, ArrayObject) else []
        keys = set()
    keys |= {(part.idnum, part.generation) for part in parts if isinstance(part, IndirectObject)}
    return keys


def _unlock(reader: PdfReader) -> None:
    """Open a PDF encrypted without an opening password (permissions only); refuse others."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    try:
        unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError as exc:  # AES needs a crypto backend pypdf does not bundle
        raise encrypted(
            "PDF 使用 AES 加密，读取它需要先安装 cryptography（pip install cryptography）",
            "the PDF is AES-encrypted; reading it needs the 'cryptography' package "
            "(pip install cryptography)",
        ) from exc
    except Exception:  # unsupported algorithm, broken encryption dictionary
        unlocked = False
    if not unlocked:
        raise encrypted(
            "PDF 已加密，需要密码才能打开；请提供未加密的文件",
            "the PDF is encrypted and needs a password; supply an unencrypted copy",
        )


def _clean_page(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")
