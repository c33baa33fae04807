"""The evidence desk: an upload checked, stored by hash, read, described and linked."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from assistant.documents import Limits
from assistant.errors import EvidenceRejected, SearchUnavailable
from assistant.evidence import (
    BlobStore,
    EvidenceRecord,
    SearchFn,
    accept_upload,
    describe_upload,
    make_record,
    suggest_indicators,
)
from assistant.knowledge.schema import Catalog, EvidenceKind

__all__ = ["QUOTA_EXCEEDED", "EvidenceQuota", "UploadDesk"]

log = logging.getLogger(__name__)

_SUGGESTIONS = 5
_MB = 1024 * 1024
QUOTA_EXCEEDED = "quota_exceeded"  # ``EvidenceRejected.reason`` of a full session


@dataclass(frozen=True, slots=True)
class EvidenceQuota:
    """How much evidence one session may hold; ``check`` runs before anything is stored."""

    max_files: int
    max_bytes: int

    def check_count(self, existing: Sequence[EvidenceRecord]) -> None:
        """Refuses a further file once the session holds ``max_files``."""
        if len(existing) >= self.max_files:
            raise EvidenceRejected(
                f"本会话的证据已达上限：最多 {self.max_files:,} 个文件，已上传 "
                f"{len(existing):,} 个。请合并或删减后再上传。",
                en=f"This session's evidence is full: at most {self.max_files:,} files, "
                f"{len(existing):,} uploaded. Merge or trim files before uploading more.",
                reason=QUOTA_EXCEEDED,
            )

    def check(self, existing: Sequence[EvidenceRecord], incoming_bytes: int) -> None:
        """Refuses a file that would pass either the count or the total size."""
        self.check_count(existing)
        used = sum(record.size for record in existing)
        if used + incoming_bytes > self.max_bytes:
            limit, spent, size = (_mb(n) for n in (self.max_bytes, used, incoming_bytes))
            raise EvidenceRejected(
                f"本会话的证据总量将超出上限：最多 {limit} MB，已用 {spent} MB，"
                f"本文件 {size} MB。请压缩或删减后再上传。",
                en=f"This file would pass the session's evidence limit: at most {limit} MB, "
                f"{spent} MB used, this file {size} MB. Compress or trim files first.",
                reason=QUOTA_EXCEEDED,
            )


def _mb(size: int) -> str:
    return f"{size / _MB:,.1f}".removesuffix(".0")


class UploadDesk:
    """Implements ``EvidenceDesk``; nothing is written unless every check passed."""

    def __init__(
        self,
        catalog: Catalog,
        blobs: BlobStore,
        *,
        max_bytes: int,
        search: SearchFn | None = None,
        limits: Limits | None = None,
    ) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._max_bytes = max_bytes
        self._search = search
        self._limits = limits or Limits()  # the document reader's caps

    def read(self, sha256: str) -> bytes:
        return self._blobs.read(sha256)

    @property
    def limits(self) -> Limits:
        return self._limits

    def receive(
        self,
        session_id: str,
        filename: str,
        data: bytes,
        *,
        now: datetime,
        context_ids: Sequence[str] = (),
    ) -> EvidenceRecord:
        upload = accept_upload(filename, data, max_bytes=self._max_bytes, limits=self._limits)
        description = describe_upload(upload, today=now.date())
        # ranked by what the file says; the question on screen breaks ties and is offered
        # last when the text points elsewhere (an image or a scan has no text: only it)
        suggested = self._suggest(upload.text, upload.filename, description.kind, context_ids)
        self._blobs.put(upload.data)
        return make_record(
            upload,
            description,
            record_id=uuid.uuid4().hex[:12],
            session_id=session_id,
            uploaded_at=now,
            suggested_ids=suggested,
        )

    def _suggest(
        self, text: str, filename: str, kind: EvidenceKind | None, context: Sequence[str]
    ) -> tuple[str, ...]:
        """The links to offer; without the search when it fails (the upload still counts)."""
        try:
            return suggest_indicators(
                text,
                filename,
                self._catalog,
                self._search,
                kind=kind,
                context=context,
                limit=_SUGGESTIONS,
            )
        except SearchUnavailable:
            log.warning("link suggestions for %r without the search: it is unavailable", filename)
            return suggest_indicators(
                text, filename, self._catalog, None, kind=kind, context=context, limit=_SUGGESTIONS
            )
