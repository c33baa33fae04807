"""A preview of one uploaded file: a PDF page or an image as a picture, office files as text.

Drawing and reading run in a confined child with the upload's document limits
(``assistant.evidence.preview``, ``assistant.documents``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api.console import ConsoleReadableSession
from api.deps import ServiceDep
from api.errors import ApiError
from api.routers.common import errors
from assistant.documents import EVIDENCE, DocumentRefused, Limits, read_document
from assistant.documents.sniff import sniff
from assistant.errors import EvidenceRejected
from assistant.evidence.models import EvidenceRecord
from assistant.evidence.preview import PageOutOfRange, draw_picture
from assistant.interview.service import EvidenceDesk, InterviewService

__all__ = ["MAX_TEXT_CHARS", "EvidenceTextPreview", "router"]

router = APIRouter(prefix="/sessions", tags=["evidence 证据"])

MAX_TEXT_CHARS = 200_000
PAGE_COUNT = "X-Page-Count"
_INTEGER = {"type": "integer"}
_PICTURE = {"schema": {"type": "string", "format": "binary"}}

TextFormat = Literal["docx", "xlsx", "text", "markdown"]
_TEXT_FORMATS: dict[str, TextFormat] = {
    "docx": "docx",
    "xlsx": "xlsx",
    "text": "text",
    "markdown": "markdown",
}

EvidenceId = Annotated[str, Path(description="证据编号 / evidence id", max_length=64)]


class EvidenceTextPreview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: TextFormat
    text: str = Field(description="提取的文字（纯文本）/ the extracted text, plain")
    title: str | None = None
    truncated: bool = Field(description=f"文字超过 {MAX_TEXT_CHARS} 字被截断 / cut at that length")


def _not_found(evidence_id: str) -> ApiError:
    return ApiError(
        404,
        "evidence_not_found",
        f"本会话没有编号为 {evidence_id!r} 的证据文件。",
        f"This session has no evidence file {evidence_id!r}.",
    )


def _file(
    service: InterviewService, session_id: str, evidence_id: str
) -> tuple[bytes, str, Limits]:
    record: EvidenceRecord | None = next(
        (e for e in service.store.evidence(session_id) if e.id == evidence_id), None
    )
    desk: EvidenceDesk | None = service.desk
    if record is None or desk is None:
        raise _not_found(evidence_id)
    try:
        return desk.read(record.sha256), record.filename, desk.limits
    except KeyError:
        raise _not_found(evidence_id) from None


def _refused(exc: DocumentRefused) -> EvidenceRejected:
    return EvidenceRejected(
        f"无法预览：{exc.zh}", en=f"Cannot preview: {exc.en}", reason=exc.reason
    )


@router.get(
    "/{session_id}/evidence/{evidence_id}/preview",
    summary="预览证据 / Preview evidence",
    description=(
        "PDF：第 `page` 页（从 1 起）绘制为 PNG，最长边不超过 1400 像素，响应头 "
        f"`{PAGE_COUNT}` 给出总页数，页码超出 404；图片：重新编码后的图片（同样限制像素）；"
        "DOCX、XLSX、文本：提取的文字（JSON）。其他类型 415，损坏或超出读取限制 422（"
        "`error.reason`），读取程序繁忙 503。申请机构（本会话令牌）、评估人员、管理员可用。\n\n"
        f"PDF: page `page` (from 1) drawn as a PNG at most 1400 pixels on its longest side, "
        f"with the page count in `{PAGE_COUNT}`; a page past the end is 404. Images: "
        "re-encoded, within the same pixel limit. DOCX, XLSX, text: the extracted text as "
        "JSON. Other types 415; corrupt or past the reader's limits 422 (`error.reason`); "
        "every reader busy 503. For the applicant (this session's token), assessors, admins."
    ),
    response_model=EvidenceTextPreview,
    responses={
        200: {
            "description": "图片或文字 / a picture or the text",
            "content": {"image/png": _PICTURE, "image/jpeg": _PICTURE},
            "headers": {
                PAGE_COUNT: {"description": "总页数 / pages", "schema": {"type": "integer"}}
            },
        },
        **errors(401, 403, 404, 415, 422, 503),
    },
)
def preview_evidence(
    session_id: ConsoleReadableSession,
    service: ServiceDep,
    evidence_id: EvidenceId,
    page: Annotated[int, Query(ge=1, le=100_000, description="页码，从 1 起 / page, from 1")] = 1,
) -> Response | EvidenceTextPreview:
    data, filename, limits = _file(service, session_id, evidence_id)
    try:
        kind = sniff(data, filename, EVIDENCE)
        if kind in ("pdf", "png", "jpeg"):
            picture = draw_picture(data, kind, page, limits)
        else:
            return _text(data, filename, limits)
    except PageOutOfRange as exc:
        raise ApiError(
            404,
            "page_not_found",
            f"该文件共 {exc.pages} 页，没有第 {exc.page} 页。",
            f"The file has {exc.pages} pages; there is no page {exc.page}.",
            headers={PAGE_COUNT: str(exc.pages)},
        ) from None
    except DocumentRefused as exc:
        raise _refused(exc) from None
    headers = {PAGE_COUNT: str(picture.pages), "Cache-Control": "private, no-store"}
    return Response(picture.data, media_type=picture.media_type, headers=headers)


def _text(data: bytes, filename: str, limits: Limits) -> EvidenceTextPreview:
    extracted = read_document(data, filename, EVIDENCE, limits)
    fmt = _TEXT_FORMATS.get(extracted.format)
    if fmt is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            "此类文件不能预览。",
            "This kind of file cannot be previewed.",
        )
    text = extracted.text
    return EvidenceTextPreview(
        format=fmt,
        text=text[:MAX_TEXT_CHARS],
        title=extracted.title,
        truncated=len(text) > MAX_TEXT_CHARS,
    )
