"""The file formats an upload may have, their media types, and the refusal reasons."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from assistant.errors import EvidenceRejected
from assistant.evidence.models import MediaType

__all__ = [
    "IMAGE_FORMATS",
    "MEDIA_TYPES",
    "SUPPORTED_EN",
    "SUPPORTED_ZH",
    "FileFormat",
    "RejectReason",
    "rejected",
]

FileFormat = Literal["pdf", "docx", "xlsx", "png", "jpeg", "text", "markdown"]

MEDIA_TYPES: dict[FileFormat, MediaType] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "text": "text/plain",
    "markdown": "text/markdown",
}

IMAGE_FORMATS: frozenset[FileFormat] = frozenset({"png", "jpeg"})

SUPPORTED_ZH = "支持 PDF、Word（DOCX）、Excel（XLSX）、PNG/JPEG 图片和文本（TXT/Markdown）"
SUPPORTED_EN = "PDF, Word (DOCX), Excel (XLSX), PNG/JPEG images and text (TXT/Markdown)"


class RejectReason(StrEnum):
    """``EvidenceRejected.reason``: stable codes the API and the chat can branch on."""

    TOO_LARGE = "too_large"
    EMPTY = "empty"
    UNSUPPORTED_TYPE = "unsupported_type"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"  # would unpack or decode to an absurd size (archive or image)
    ENCRYPTED = "encrypted"


def rejected(reason: RejectReason, name: str, zh: str, en: str) -> EvidenceRejected:
    """The refusal, naming the (sanitised) file: Chinese message, English beside it."""
    return EvidenceRejected(f"{name!r}：{zh}", en=f"{name!r}: {en}", reason=reason.value)
