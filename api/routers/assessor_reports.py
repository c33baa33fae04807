"""The assessor's report of a sign-off and the comparison report of a re-assessment, as PDF or
DOCX, in Chinese or English by ``Accept-Language``.

The assessor's report is made from the sign-off's frozen snapshot only (and the text of its
interview and observation records, read by the SHA-256 the snapshot names): whatever happened
in the session afterwards, the same version gives the same report.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from api.console import ConsoleReadableSession
from api.deps import ServiceDep
from api.errors import ApiError, preferred_language
from api.routers.common import errors
from assistant.assessment.models import SignOff
from assistant.assessment.reassess import NotReassessment, NotSigned, comparison
from assistant.interview.service import InterviewService
from assistant.reports import MEDIA_TYPES, RenderedReport
from assistant.reports.assessor_report import OfficeFormat, render_assessor_report
from assistant.reports.assessor_view import RECORD_KINDS
from assistant.reports.comparison_report import render_comparison_report

__all__ = ["MAX_RECORD_CHARS", "router"]

router = APIRouter(prefix="/sessions", tags=["assessor 评估人员"])

MAX_RECORD_CHARS = 20_000  # an interview or observation record's text shown in the report
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {MEDIA_TYPES["pdf"]: _BINARY, MEDIA_TYPES["docx"]: _BINARY},
        "description": "报告文件 / the report file",
    }
}
FormatQuery = Annotated[OfficeFormat, Query(alias="format", description="pdf | docx")]
AcceptLanguage = Annotated[
    str | None,
    Header(
        alias="Accept-Language",
        description="报告语言：中文（默认）或英文 / the report's language: zh (default) or en",
    ),
]
Version = Annotated[int, Path(ge=1, le=1_000_000, description="签署版本 / sign-off version")]


def _signoff(service: InterviewService, session_id: str, version: int) -> SignOff:
    found = next((s for s in service.store.signoffs(session_id) if s.version == version), None)
    if found is None:
        raise ApiError(
            404,
            "signoff_not_found",
            f"该评估没有第 {version} 版签署。",
            f"This assessment has no sign-off version {version}.",
        )
    return found


def _record_texts(service: InterviewService, signoff: SignOff) -> dict[str, str]:
    """The text of each interview or observation record, when its bytes are still the ones
    the snapshot names (content-addressed: the same hash, the same text)."""
    desk = service.desk
    texts: dict[str, str] = {}
    for record in signoff.snapshot.evidence:
        if desk is None or record.kind not in RECORD_KINDS:
            continue
        try:
            data = desk.read(record.sha256)
        except KeyError:
            continue
        if hashlib.sha256(data).hexdigest() == record.sha256:
            texts[record.id] = data.decode("utf-8", errors="replace")[:MAX_RECORD_CHARS]
    return texts


def _attachment(rendered: RenderedReport) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{rendered.filename}"',
        "Vary": "Accept-Language",
        "Cache-Control": "private, no-store",
    }
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)


@router.get(
    "/{session_id}/signoffs/{version}/report",
    summary="下载评估报告 / Download the assessor's report",
    description=(
        "签署版本 `version` 的评估报告（PDF 或 DOCX），内容全部取自该版本的签署快照：机构、"
        "三种口径的星级、签署人与时间、目录与规则的版本和哈希、快照哈希、各能力域等级与阻碍项、"
        "与申请方自评不一致的认定（列在最前）、逐项认定、抽查证据、访谈与现场查看记录、备注和"
        "签署栏。语言按 `Accept-Language`（默认中文）。评估人员、管理员和本会话的申请机构"
        "（会话令牌）可下载；没有该版本时 404。\n\n"
        "The assessor's report of sign-off `version` (PDF or DOCX), made from that version's "
        "frozen snapshot only: the institution, the stars on the three readings, signer and "
        "time, catalog and rule versions and hashes, the snapshot's hash, each area's level "
        "and blockers, the deviations from the applicant's own reading (first), every "
        "finding, the sampled evidence, interview and observation records, notes and a "
        "signature block. Language by `Accept-Language` (Chinese by default). For assessors, "
        "admins and this session's applicant (session token); 404 when there is no such version."
    ),
    response_class=Response,
    responses={**_FILE, **errors(401, 403, 404, 422, 429)},
)
def download_assessor_report(
    session_id: ConsoleReadableSession,
    service: ServiceDep,
    version: Version,
    fmt: FormatQuery = "pdf",
    accept_language: AcceptLanguage = None,
) -> Response:
    signoff = _signoff(service, session_id, version)
    rendered = render_assessor_report(
        signoff,
        service.catalog,
        preferred_language(accept_language),
        fmt,
        record_texts=_record_texts(service, signoff),
    )
    return _attachment(rendered)


def _conflict(exc: NotReassessment | NotSigned) -> ApiError:
    return ApiError(409, exc.code, exc.message("zh"), exc.message("en"))


@router.get(
    "/{session_id}/comparison/report",
    summary="下载评估对比报告 / Download the comparison report",
    description=(
        "复评会话与其上次评估最新签署版本的对比（PDF 或 DOCX）：三种口径的星级与各能力域等级"
        "（上次 → 本次）、发生变化的认定、证据的更新与过期。语言按 `Accept-Language`。"
        "不是复评的会话 409（`not_reassessment`）。\n\n"
        "The re-assessment against its previous assessment's latest sign-off (PDF or DOCX): "
        "the stars and each area's level on the three readings (then → now), the findings "
        "that changed, the evidence renewed and expired. Language by `Accept-Language`. A "
        "session that is not a re-assessment is 409 (`not_reassessment`)."
    ),
    response_class=Response,
    responses={**_FILE, **errors(401, 403, 404, 409, 422, 429)},
)
def download_comparison_report(
    session_id: ConsoleReadableSession,
    service: ServiceDep,
    fmt: FormatQuery = "pdf",
    accept_language: AcceptLanguage = None,
) -> Response:
    try:
        compared = comparison(service, session_id)
    except (NotReassessment, NotSigned) as exc:
        raise _conflict(exc) from None
    institution = service.store.get(session_id).state.profile.name
    rendered = render_comparison_report(
        compared, preferred_language(accept_language), fmt, institution=institution
    )
    return _attachment(rendered)
