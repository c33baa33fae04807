"""The evidence desk: an upload checked, stored by hash, read, described and linked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from assistant.evidence import (
    BlobStore,
    EvidenceRecord,
    SearchFn,
    accept_upload,
    describe_upload,
    make_record,
    suggest_indicators,
)
from assistant.knowledge.schema import Catalog

__all__ = ["UploadDesk"]

_SUGGESTIONS = 5


class UploadDesk:
    """Implements ``EvidenceDesk``; nothing is written unless every check passed."""

    def __init__(
        self,
        catalog: Catalog,
        blobs: BlobStore,
        *,
        max_bytes: int,
        search: SearchFn | None = None,
    ) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._max_bytes = max_bytes
        self._search = search

    def receive(
        self,
        session_id: str,
        filename: str,
        data: bytes,
        *,
        now: datetime,
        context_ids: Sequence[str] = (),
    ) -> EvidenceRecord:
        upload = accept_upload(filename, data, max_bytes=self._max_bytes)
        description = describe_upload(upload, today=now.date())
        suggested = list(context_ids)
        if self._search is not None and upload.text:
            suggested += suggest_indicators(
                upload.text, upload.filename, self._catalog, self._search, kind=description.kind
            )
        self._blobs.put(upload.data)
        return make_record(
            upload,
            description,
            record_id=uuid.uuid4().hex[:12],
            session_id=session_id,
            uploaded_at=now,
            suggested_ids=tuple(dict.fromkeys(suggested))[: _SUGGESTIONS + len(context_ids)],
        )
