"""Reports of a guided interview: the self-assessment and the application pack.

``render_report(data, fmt)`` builds the content once (``content.build_report``) and lays it
out as Markdown, JSON, DOCX or PDF. The DOCX, PDF and chart renderers (python-docx,
reportlab, matplotlib) are imported only when such a format is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from assistant.errors import ReportError
from assistant.reports.content import (
    ReportPart,
    build_application_pack,
    build_report,
    build_self_assessment,
)
from assistant.reports.data import ReportData, target_star
from assistant.reports.document import Document
from assistant.reports.summary import ReportSummary, build_summary

__all__ = [
    "MEDIA_TYPES",
    "RenderedReport",
    "ReportData",
    "ReportFormat",
    "ReportPart",
    "ReportSummary",
    "build_application_pack",
    "build_report",
    "build_self_assessment",
    "build_summary",
    "render_report",
    "report_filename",
    "target_star",
]

ReportFormat = Literal["md", "json", "docx", "pdf"]

MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

_STEMS: dict[str, str] = {
    "full": "self-assessment",
    "self_assessment": "self-assessment",
    "application_pack": "application-pack",
}


@dataclass(frozen=True, slots=True)
class RenderedReport:
    content: bytes
    media_type: str
    filename: str


def report_filename(session_id: str, fmt: str, part: str = "full") -> str:
    """An ASCII file name from the session id: ``self-assessment-1a2b3c4d.pdf``."""
    token = re.sub(r"[^A-Za-z0-9]", "", session_id)[:8].lower() or "session"
    return f"{_STEMS.get(part, 'report')}-{token}.{fmt}"


def _layout(document: Document, fmt: str) -> bytes:
    if fmt == "md":
        from assistant.reports.markdown import render_markdown

        return render_markdown(document).encode("utf-8")
    if fmt == "docx":
        from assistant.reports.docx_report import render_docx

        return render_docx(document)
    from assistant.reports.pdf_report import render_pdf

    return render_pdf(document)


def render_report(
    data: ReportData, fmt: ReportFormat, *, part: ReportPart = "full"
) -> RenderedReport:
    """Render the report (both parts, or ``part`` alone) in ``fmt``.

    JSON always carries the whole data and summary: ``part`` only shapes the documents.
    """
    if fmt not in get_args(ReportFormat):
        raise ReportError(
            f"不支持的报告格式 {fmt!r}，可选 md、json、docx、pdf",
            en=f"unsupported report format {fmt!r}; choose md, json, docx or pdf",
        )
    if part not in _STEMS:
        raise ReportError(f"未知的报告部分 {part!r}", en=f"unknown report part {part!r}")
    if fmt == "json":
        from assistant.reports.json_report import render_json

        content = render_json(data).encode("utf-8")
    else:
        content = _layout(build_report(data, part), fmt)
    return RenderedReport(content, MEDIA_TYPES[fmt], report_filename(data.session_id, fmt, part))
