"""Evidence metadata: what is stored about an uploaded file (the bytes live on disk by hash)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from assistant.knowledge.schema import EvidenceKind, StrictModel

__all__ = ["EvidenceRecord", "MediaType"]

MediaType = str  # e.g. "application/pdf"; sniffed from the content, never from the name


class EvidenceRecord(StrictModel):
    id: str = Field(description="A stable id for this upload in this session")
    session_id: str
    sha256: str
    filename: str = Field(description="The uploaded name, sanitised; display only")
    media_type: MediaType
    size: Annotated[int, Field(ge=0)]
    kind: EvidenceKind | None = None
    dated: date | None = Field(default=None, description="The document's own date")
    valid_until: date | None = Field(
        default=None,
        description="有效期截止日（制度、证书、合同）/ End of validity of a policy, certificate "
        "or contract: after it, the file no longer counts",
    )
    covers_months: Annotated[int, Field(ge=0)] | None = None
    title: str | None = None
    text_chars: int = Field(default=0, description="Characters of extracted text (0 for images)")
    indicator_ids: tuple[str, ...] = Field(default=(), description="Confirmed links")
    suggested_ids: tuple[str, ...] = Field(default=(), description="Retrieval's suggestions")
    uploaded_at: datetime
