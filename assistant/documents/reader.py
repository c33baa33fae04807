"""The one way in for an untrusted document: size, type from the content, then its text.

Text and Markdown are decoded here; PDF, DOCX, XLSX, PNG and JPEG are read by a confined
child process (:mod:`assistant.documents.sandbox`). Nothing is written anywhere.
"""

from __future__ import annotations

from assistant.documents.extracted import Extracted
from assistant.documents.limits import Limits
from assistant.documents.plaintext import read_text
from assistant.documents.policy import Policy
from assistant.documents.refusal import DocumentRefused, Reason, empty, too_large
from assistant.documents.sandbox import read_in_child
from assistant.documents.sniff import sniff
from assistant.documents.worker import Job

__all__ = ["read_document"]

_MIN_CHARS_PER_PAGE = 20  # fewer visible characters per PDF page: no text layer
_DEFAULT = Limits()


def read_document(data: bytes, name: str, policy: Policy, limits: Limits = _DEFAULT) -> Extracted:
    """The document's format, text and declared title; ``DocumentRefused`` saying why not.

    ``name`` is only a hint for text (``.md`` is Markdown); the content decides the type.
    """
    if not data:
        raise empty()
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits.max_bytes)
    kind = sniff(data, name, policy)
    if kind == "text" or kind == "markdown":
        extracted = Extracted(kind, read_text(data, kind, policy))
    else:
        extracted = read_in_child(Job(kind, data, policy, limits.budgeted(len(data))))
    if policy.require_text:
        _require_text(extracted)
    return extracted


def _require_text(extracted: Extracted) -> None:
    if extracted.format == "pdf":
        visible = len("".join(extracted.text.split()))
        if visible < _MIN_CHARS_PER_PAGE * max(extracted.pages, 1):
            raise DocumentRefused(
                Reason.NO_TEXT,
                "PDF 没有可提取的文字层（可能是扫描件），需要先做 OCR 文字识别",
                "the PDF has no extractable text layer (scanned?); run OCR on it first",
            )
    if not extracted.text.strip():
        raise DocumentRefused(Reason.NO_TEXT, "文件中没有文字", "the document contains no text")
