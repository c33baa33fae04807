"""The file formats an upload may have, their media types, and the refusal reasons.

Formats and reasons are the document reader's (:mod:`assistant.documents`); this module
names them for the evidence side and words a refusal with the file's name.
"""

from __future__ import annotations

from assistant.documents import IMAGE_FORMATS, DocumentRefused
from assistant.documents import Format as FileFormat
from assistant.documents import Reason as RejectReason
from assistant.errors import EvidenceRejected
from assistant.evidence.models import MediaType

__all__ = ["IMAGE_FORMATS", "MEDIA_TYPES", "FileFormat", "RejectReason", "refused", "rejected"]

MEDIA_TYPES: dict[FileFormat, MediaType] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "text": "text/plain",
    "markdown": "text/markdown",
}


def rejected(reason: RejectReason, name: str, zh: str, en: str) -> EvidenceRejected:
    """The refusal, naming the (sanitised) file: Chinese message, English beside it."""
    return EvidenceRejected(f"{name!r}：{zh}", en=f"{name!r}: {en}", reason=reason.value)


def refused(exc: DocumentRefused, name: str) -> EvidenceRejected:
    """The document reader's refusal of ``name`` as an evidence refusal."""
    return rejected(exc.reason, name, exc.zh, exc.en)
