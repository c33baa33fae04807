"""The formats a document may have, and what each way in accepts.

Applicants' evidence (``EVIDENCE``) may be any of the formats; a scan without text is kept.
The operator's official texts (``OPERATOR``) are PDF, DOCX, Markdown or plain text, read as
text only when named ``.md``/``.txt``, and must have text to cite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["EVIDENCE", "IMAGE_FORMATS", "OFFICE_FORMATS", "OPERATOR", "Format", "Policy"]

Format = Literal["pdf", "docx", "xlsx", "png", "jpeg", "text", "markdown"]

IMAGE_FORMATS: frozenset[Format] = frozenset({"png", "jpeg"})
OFFICE_FORMATS: frozenset[Format] = frozenset({"docx", "xlsx"})


@dataclass(frozen=True, slots=True)
class Policy:
    """What a way in accepts, and how its refusals list what is supported."""

    formats: frozenset[Format]
    supported_zh: str
    supported_en: str
    text_by_suffix: bool  # text only from a .md/.txt name (else from any decodable content)
    require_text: bool  # refuse a document without text, and a PDF without a text layer

    @property
    def office_formats(self) -> frozenset[Format]:
        return self.formats & OFFICE_FORMATS


EVIDENCE = Policy(
    formats=frozenset({"pdf", "docx", "xlsx", "png", "jpeg", "text", "markdown"}),
    supported_zh="支持 PDF、Word（DOCX）、Excel（XLSX）、PNG/JPEG 图片和文本（TXT/Markdown）",
    supported_en="PDF, Word (DOCX), Excel (XLSX), PNG/JPEG images and text (TXT/Markdown) "
    "are accepted",
    text_by_suffix=False,
    require_text=False,
)

OPERATOR = Policy(
    formats=frozenset({"pdf", "docx", "text", "markdown"}),
    supported_zh="仅支持 PDF、DOCX、Markdown（.md）和文本（.txt）",
    supported_en="PDF, DOCX, Markdown (.md) and text (.txt) are supported",
    text_by_suffix=True,
    require_text=True,
)
