"""Evidence: upload a file into the interview, list what was uploaded."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BeforeValidator, WithJsonSchema

from api.deps import ReadableSession, ServiceDep, SettingsDep
from api.errors import ApiError
from api.quotas import SessionWithRoom, evidence_quota
from api.routers.common import errors
from api.schemas import EvidenceList, EvidenceUploaded

__all__ = ["MULTIPART_OVERHEAD", "read_upload", "router"]

router = APIRouter(prefix="/sessions", tags=["evidence 证据"])

MULTIPART_OVERHEAD = 64 * 1024  # the part headers around the file in a multipart body
MAX_FILENAME_CHARS = 255  # what file systems allow; the name is shown cut to 100 characters
# A form's blank date input sends ``valid_until=``, which FastAPI reads as not given: the
# document says so, rather than calling the empty value invalid.
_FORM_DATE = WithJsonSchema(
    {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic alone would read ``0`` as a Unix time, 1970-01-01."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("a date as YYYY-MM-DD / 日期应写作 YYYY-MM-DD")
    return value


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


def upload_name(file: UploadFile) -> str:
    """The uploaded file's name, refused (422) beyond ``MAX_FILENAME_CHARS``."""
    name = file.filename or "upload"
    if len(name) > MAX_FILENAME_CHARS:
        raise ApiError(
            422,
            "validation_error",
            f"文件名过长：最多 {MAX_FILENAME_CHARS} 个字符（收到 {len(name):,} 个）。",
            f"The file name is too long: at most {MAX_FILENAME_CHARS} characters "
            f"(got {len(name):,}).",
            field="file.filename",
        )
    return name


@router.post(
    "/{session_id}/evidence",
    status_code=201,
    summary="上传证据 / Upload evidence",
    description=(
        "multipart 表单，字段名 `file`，可选 `valid_until`（YYYY-MM-DD，制度、证书、合同的"
        "有效期截止日）。文件类型按内容识别（PDF、DOCX、XLSX、PNG/JPEG、TXT/"
        "Markdown），大小上限见设置 `max_upload_mb`。返回助手的回复（请确认文件支撑哪些指标）"
        "和证据记录。超限 413，类型不支持 415，文件损坏、加密或为空 422（`error.reason` 给出"
        "原因代码）。每个会话的证据有文件数和总大小上限（设置 `evidence_max_files_per_session`、"
        "`evidence_max_mb_per_session`），超出时 413，`error.reason` 为 `quota_exceeded`。\n\n"
        "A multipart form with the field `file` and, optionally, `valid_until` (YYYY-MM-DD, "
        "a policy's, certificate's or contract's end of validity). The type is read from the "
        "content (PDF, "
        "DOCX, XLSX, PNG/JPEG, TXT/Markdown); the size limit is the `max_upload_mb` setting. "
        "Returns the assistant's reply (asking which indicators the file backs) and the "
        "evidence record. Too large 413, unsupported type 415, corrupt, encrypted or empty "
        "422 (`error.reason` has the code). A session holds at most "
        "`evidence_max_files_per_session` files and `evidence_max_mb_per_session` MB in all; "
        "beyond either, 413 with `error.reason` `quota_exceeded`."
    ),
    responses=errors(400, 401, 403, 404, 409, 413, 415, 422, 429),
)
def upload_evidence(
    session_id: SessionWithRoom,
    service: ServiceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="证据文件 / the evidence file")],
    valid_until: Annotated[
        date | None,
        _FORM_DATE,
        BeforeValidator(_iso_date),
        Form(
            description="制度、证书、合同的有效期截止日（可选，覆盖从文件中读出的日期）/ end of "
            "validity of a policy, certificate or contract (optional; overrides what the file says)"
        ),
    ] = None,
) -> EvidenceUploaded:
    name = upload_name(file)
    quota = evidence_quota(settings)
    existing = service.store.evidence(session_id)
    quota.check_count(existing)  # before a byte is read
    data = read_upload(file, settings.max_upload_mb)
    quota.check(existing, len(data))
    before = {record.id for record in existing}
    reply = service.upload(session_id, name, data, valid_until=valid_until)
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
