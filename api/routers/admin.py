"""Administration: take in an official document, rebuild the retrieval index."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from api.deps import AdminKey, MaintenanceDep, SettingsDep
from api.routers.common import errors
from api.routers.evidence import read_upload
from api.runtime import IndexSummary
from api.schemas import IndexReport, IngestReport

__all__ = ["router"]

router = APIRouter(prefix="/admin", tags=["admin 管理"])


def _report(summary: IndexSummary) -> IndexReport:
    return IndexReport(rebuilt=summary.rebuilt, chunks=summary.chunks, seconds=summary.seconds)


@router.post(
    "/documents",
    status_code=201,
    summary="导入正式文本 / Ingest an official document",
    description=(
        "上传标准的正式文本（PDF、DOCX、Markdown、TXT），按条款号切分保存并重建检索索引；"
        "此后的回答引用该文本的条款。重建需要约一分钟，期间本请求保持等待。\n\n"
        "Upload the standard's official text (PDF, DOCX, Markdown, TXT): it is split at its "
        "clause numbers, kept, and the retrieval index is rebuilt, so answers cite it from "
        "then on. The rebuild takes about a minute; the request waits for it."
    ),
    responses=errors(401, 403, 413, 422, 429),
)
def ingest_document(
    admin: AdminKey,
    maintenance: MaintenanceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="PDF / DOCX / MD / TXT")],
) -> IngestReport:
    data = read_upload(file, settings.max_upload_mb)
    summary = maintenance.ingest(file.filename or "document", data)
    return IngestReport(
        filename=summary.filename, clauses=summary.clauses, index=_report(summary.index)
    )


@router.post(
    "/reindex",
    summary="重建检索索引 / Rebuild the retrieval index",
    description=(
        "知识内容有变化时重建（否则沿用现有向量），并换上新的索引。\n\n"
        "Rebuilds the index when the knowledge changed (else reuses the stored vectors) and "
        "swaps it in."
    ),
    responses=errors(401, 403, 429),
)
def reindex(admin: AdminKey, maintenance: MaintenanceDep) -> IndexReport:
    return _report(maintenance.reindex())
