"""Accept or refuse an uploaded file, before a byte of it is stored.

The document reader (:mod:`assistant.documents`) decides: the type from the content, never
the name (a PNG named ``scan.pdf`` is accepted as the PNG it is; a program named
``report.pdf`` is refused); ZIP members checked (count, unsafe paths, encryption, bombs);
PDF, DOCX, XLSX and images read in a confined child process. The uploaded name is cleaned
for display and never used as a path.

Refusals are ``EvidenceRejected`` with a stable ``reason`` (see ``RejectReason``) and a
message in Chinese, with English beside it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.documents import EVIDENCE, DocumentRefused, Limits, read_document
from assistant.evidence.formats import IMAGE_FORMATS, MEDIA_TYPES, FileFormat, refused
from assistant.evidence.models import MediaType

if TYPE_CHECKING:
    from assistant.evidence.blobs import BlobStore

__all__ = [
    "MAX_MEMBERS",
    "MAX_NAME_CHARS",
    "MAX_UNPACKED",
    "Upload",
    "accept_upload",
    "display_name",
    "receive_upload",
]

_DEFAULT = Limits()
MAX_UNPACKED = _DEFAULT.max_unpacked  # a DOCX/XLSX may unpack to this much in all
MAX_MEMBERS = _DEFAULT.max_members
MAX_NAME_CHARS = 100


@dataclass(frozen=True)
class Upload:
    """An upload that passed every check. Nothing of it has been written anywhere yet."""

    filename: str  # sanitised, for display only
    format: FileFormat
    media_type: MediaType
    sha256: str
    text: str  # extracted text; empty for images and scans
    title: str | None  # the title the document declares, if any
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.format in IMAGE_FORMATS


def accept_upload(
    filename: str,
    data: bytes,
    *,
    max_bytes: int,
    max_unpacked: int | None = None,
    limits: Limits = _DEFAULT,
) -> Upload:
    """Validate an upload: size, type from the content, structure, readability.

    ``limits`` are the reading caps (``document_limits(settings)``); ``max_bytes`` and
    ``max_unpacked`` override its sizes.
    """
    name = display_name(filename)
    try:
        document = read_document(
            data, name, EVIDENCE, limits.sized(max_bytes=max_bytes, max_unpacked=max_unpacked)
        )
    except DocumentRefused as exc:
        raise refused(exc, name) from None
    return Upload(
        filename=name,
        format=document.format,
        media_type=MEDIA_TYPES[document.format],
        sha256=hashlib.sha256(data).hexdigest(),
        text=document.text,
        title=document.title,
        data=data,
    )


def receive_upload(
    filename: str,
    data: bytes,
    store: BlobStore,
    *,
    max_bytes: int,
    max_unpacked: int | None = None,
    limits: Limits = _DEFAULT,
) -> Upload:
    """Accept the upload, then keep its bytes in ``store``; a refused file leaves no trace."""
    upload = accept_upload(
        filename, data, max_bytes=max_bytes, max_unpacked=max_unpacked, limits=limits
    )
    store.put(upload.data)
    return upload


def display_name(filename: str) -> str:
    """The name without directories, control or invisible characters, capped in length."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = " ".join(re.sub(r"\.{2,}", ".", name).split()).lstrip(". ")
    if not name:
        return "upload"
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and 0 < len(suffix) <= 10:
        return stem[: MAX_NAME_CHARS - len(suffix) - 2] + "…." + suffix
    return name[: MAX_NAME_CHARS - 1] + "…"
