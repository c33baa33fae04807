"""Evidence: upload a file into the interview, list what was uploaded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from api.deps import ReadableSession, ServiceDep, SettingsDep, WritableSession
from api.errors import ApiError
from api.routers.common import errors
from api.schemas import EvidenceList, EvidenceUploaded

__all__ = ["MULTIPART_OVERHEAD", "read_upload", "router"]

router = APIRouter(prefix="/sessions", tags=["evidence 证据"])

MULTIPART_OVERHEAD = 64 * 1024  # the part headers around the file in a multipart body


def read_upload(file: UploadFile, max_mb: int) -> bytes:
    """The file's bytes, refused with 413 beyond ``max_mb`` (read one byte past the limit)."""
    limit = max_mb * 1024 * 1024
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(
            413,
            "payload_too_large",
            f"文件过大：不得超过 {max_mb} MB。",
            f"The file is too large: at most {max_mb} MB.",
        )
    return data


@router.post(
    "/{session_id}/evidence",
    status_code=201,
    summary="上传证据 / Upload evidence",
    description=(
        "multipart 表单，字段名 `file`。文件类型按内容识别（PDF、DOCX、XLSX、PNG/JPEG、TXT/"
        "Markdown），大小上限见设置 `max_upload_mb`。返回助手的回复（请确认文件支撑哪些指标）"
        "和证据记录。超限 413，类型不支持 415，文件损坏、加密或为空 422（`error.reason` 给出"
        "原因代码）。\n\n"
        "A multipart form with the field `file`. The type is read from the content (PDF, "
        "DOCX, XLSX, PNG/JPEG, TXT/Markdown); the size limit is the `max_upload_mb` setting. "
        "Returns the assistant's reply (asking which indicators the file backs) and the "
        "evidence record. Too large 413, unsupported type 415, corrupt, encrypted or empty "
        "422 (`error.reason` has the code)."
    ),
    responses=errors(401, 403, 404, 409, 413, 415, 422, 429),
)
def upload_evidence(
    session_id: WritableSession,
    service: ServiceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="证据文件 / the evidence file")],
) -> EvidenceUploaded:
    data = read_upload(file, settings.max_upload_mb)
    before = {record.id for record in service.store.evidence(session_id)}
    reply = service.upload(session_id, file.filename or "upload", data)
    new = [record for record in service.store.evidence(session_id) if record.id not in before]
    return EvidenceUploaded(reply=reply, evidence=new[-1] if new else None)


@router.get(
    "/{session_id}/evidence",
    summary="证据列表 / List evidence",
    description=(
        "本会话上传的全部证据，按上传时间排列，含已确认关联的指标和检索建议的指标。\n\n"
        "Every file uploaded in this session, oldest first, with the indicators it is linked "
        "to and those retrieval suggests."
    ),
    responses=errors(401, 403, 404, 429),
)
def list_evidence(session_id: ReadableSession, service: ServiceDep) -> EvidenceList:
    return EvidenceList(evidence=tuple(service.store.evidence(session_id)))
