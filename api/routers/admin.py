"""Administration: take in an official document, rebuild the retrieval index, revoke a
session's token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from api.deps import AdminKey, MaintenanceDep, ServiceDep, SessionId, SettingsDep
from api.routers.common import errors
from api.routers.evidence import read_upload
from api.runtime import IndexSummary
from api.schemas import IndexReport, IngestReport
from api.token_schemas import SessionRevoked

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


@router.post(
    "/sessions/{session_id}/revoke",
    summary="停用会话令牌 / Revoke a session's token",
    description=(
        "立即停用申请机构的会话令牌及其未用的恢复码（例如令牌泄露时）。会话内容保留，评估人员"
        "仍可读取；申请机构此后无法再以旧令牌访问。同 `smecmm sessions revoke ID`。\n\n"
        "Stops the applicant's session token and its unused resume code at once (say, when the "
        "token leaked). The session is kept and staff still read it; the old token opens "
        "nothing any more. Same as `smecmm sessions revoke ID`."
    ),
    responses=errors(401, 403, 404, 429),
)
def revoke_session(admin: AdminKey, service: ServiceDep, session_id: SessionId) -> SessionRevoked:
    return SessionRevoked(session_id=session_id, revoked_at=service.tokens.revoke(session_id))
