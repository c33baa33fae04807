"""The provisional rating of a session and its downloadable reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import ReadableSession, ServiceDep
from api.routers.common import errors
from api.schemas import RatingPublic
from assistant.reports import MEDIA_TYPES, ReportFormat, ReportPart
from assistant.reports.json_report import JSON_SCHEMA_ID

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["ratings 评级与报告"])

# What each format's body is: PDF and DOCX are files, Markdown is text and JSON the report's
# data as one object (``format=json`` carries the whole data, whatever ``part`` says).
_REPORT_SCHEMAS: dict[str, dict[str, Any]] = {
    "pdf": {"type": "string", "format": "binary"},
    "docx": {"type": "string", "format": "binary"},
    "md": {"type": "string"},
    "json": {
        "type": "object",
        "required": ["schema", "session_id"],
        "properties": {"schema": {"const": JSON_SCHEMA_ID}, "session_id": {"type": "string"}},
    },
}


@router.get(
    "/{session_id}/rating",
    summary="临时星级 / Provisional rating",
    description=(
        "由已确认的发现按版本化规则计算，给出申报口径与证据口径两种结果、各能力域达到的星级、"
        "升星的阻碍项和所用的目录与规则版本；`verdict` 以会话语言给出同一结果的文字说明"
        "（得分与门槛、按统一顺序排列的阻碍项、未回答项数）。\n\n"
        "Computed from the confirmed findings by the versioned rules: the declared and the "
        "evidenced reading, each area's level, what blocks the next star, and the catalog and "
        "rule versions used; `verdict` says the same in the session's language (scores and "
        "pass marks, the blockers in the one order, how many items are still unanswered)."
    ),
    responses=errors(401, 403, 404, 429),
)
def read_rating(session_id: ReadableSession, service: ServiceDep) -> RatingPublic:
    rating = service.rating(session_id)
    verdict = service.verdict(session_id, rating)
    return RatingPublic(**dict(rating), verdict=verdict)


@router.get(
    "/{session_id}/report",
    summary="下载报告 / Download the report",
    description=(
        "自评报告与申报材料清单，`format` 为 docx、pdf、md 或 json；`part` 可只取其中一部分。"
        "以附件（Content-Disposition: attachment）返回。\n\n"
        "The self-assessment report and the application pack as docx, pdf, md or json; "
        "`part` picks one of the two. Sent as an attachment."
    ),
    response_class=Response,
    responses={
        200: {
            "content": {
                media: {"schema": _REPORT_SCHEMAS[fmt]} for fmt, media in MEDIA_TYPES.items()
            },
            "description": "报告文件 / the report file",
        },
        **errors(401, 403, 404, 422, 429),
    },
)
def download_report(
    session_id: ReadableSession,
    service: ServiceDep,
    fmt: Annotated[
        ReportFormat, Query(alias="format", description="docx | pdf | md | json")
    ] = "pdf",
    part: Annotated[
        ReportPart, Query(description="full | self_assessment | application_pack")
    ] = "full",
) -> Response:
    rendered = service.report(session_id, fmt, part=part)
    disposition = f'attachment; filename="{rendered.filename}"'
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": disposition},
    )
