"""The assessor's report of one sign-off as a file: PDF or DOCX, zh or en, with its name.

The renderers (reportlab, python-docx) are imported only when their format is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal, get_args

from assistant.assessment.models import SignOff
from assistant.errors import ReportError
from assistant.knowledge.schema import Catalog
from assistant.reports import MEDIA_TYPES, RenderedReport
from assistant.vocabulary import Language

__all__ = ["OfficeFormat", "check_office_format", "office_filename", "render_assessor_report"]

OfficeFormat = Literal["pdf", "docx"]


def check_office_format(fmt: str) -> OfficeFormat:
    if fmt not in get_args(OfficeFormat):
        raise ReportError(
            f"不支持的报告格式 {fmt!r}，可选 pdf、docx",
            en=f"unsupported report format {fmt!r}; choose pdf or docx",
        )
    return "pdf" if fmt == "pdf" else "docx"


def office_filename(stem: str, session_id: str, fmt: str, suffix: str = "") -> str:
    """An ASCII file name: ``assessor-report-1a2b3c4d-v2.pdf``."""
    token = re.sub(r"[^A-Za-z0-9]", "", session_id)[:8].lower() or "session"
    return f"{stem}-{token}{suffix}.{fmt}"


def render_assessor_report(
    signoff: SignOff,
    catalog: Catalog,
    language: Language,
    fmt: str,
    *,
    record_texts: Mapping[str, str] | None = None,
) -> RenderedReport:
    chosen = check_office_format(fmt)
    if chosen == "pdf":
        from assistant.reports.assessor_pdf import render_assessor_pdf

        content = render_assessor_pdf(signoff, catalog, language, record_texts=record_texts)
    else:
        from assistant.reports.assessor_docx import render_assessor_docx

        content = render_assessor_docx(signoff, catalog, language, record_texts=record_texts)
    name = office_filename("assessor-report", signoff.session_id, chosen, f"-v{signoff.version}")
    return RenderedReport(content, MEDIA_TYPES[chosen], name)
