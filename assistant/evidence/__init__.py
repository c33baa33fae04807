"""Evidence for the guided interview: accept an upload, keep its bytes, read and describe it,
suggest the indicators it backs, and list what is still missing.

    upload = accept_upload(name, data, max_bytes=...)       # refuses hostile files; writes nothing
    store.put(upload.data)                                   # FileBlobStore(root): by SHA-256
    description = describe_upload(upload, today=today)       # kind, own date, months covered
    suggested = suggest_indicators(upload.text, upload.filename, catalog, search,
                                   kind=description.kind)
    record = make_record(upload, description, record_id=..., session_id=..., uploaded_at=...,
                         suggested_ids=suggested)
    items = evidence_items(records, indicator_id)            # what the rating reads
    lines = materials_checklist(catalog, ids, records, as_of=today)
"""

from assistant.evidence.blobs import BlobStore, FileBlobStore, MemoryBlobStore, open_blob_store
from assistant.evidence.describe import (
    Description,
    covers_months,
    describe_upload,
    document_date,
    find_dates,
    guess_kind,
    guess_title,
    make_record,
)
from assistant.evidence.formats import MEDIA_TYPES, FileFormat, RejectReason
from assistant.evidence.intake import Upload, accept_upload, display_name, receive_upload
from assistant.evidence.linking import SearchFn, searcher_suggester, suggest_indicators
from assistant.evidence.models import EvidenceRecord, MediaType
from assistant.evidence.sufficiency import (
    MaterialLine,
    UploadedMaterial,
    evidence_items,
    indicator_materials,
    materials_checklist,
)

__all__ = [
    "MEDIA_TYPES",
    "BlobStore",
    "Description",
    "EvidenceRecord",
    "FileBlobStore",
    "FileFormat",
    "MaterialLine",
    "MediaType",
    "MemoryBlobStore",
    "RejectReason",
    "SearchFn",
    "Upload",
    "UploadedMaterial",
    "accept_upload",
    "covers_months",
    "describe_upload",
    "display_name",
    "document_date",
    "evidence_items",
    "find_dates",
    "guess_kind",
    "guess_title",
    "indicator_materials",
    "make_record",
    "materials_checklist",
    "open_blob_store",
    "receive_upload",
    "searcher_suggester",
    "suggest_indicators",
]
