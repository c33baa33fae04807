"""The assessor's report as PDF: the shared reportlab layout (embedded TrueType CJK font,
CJK line wrapping, repeated table headers, the footer with the snapshot's hash on every page)."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.assessment.models import SignOff
from assistant.knowledge.schema import Catalog
from assistant.reports.assessor_content import build_assessor_report
from assistant.reports.fonts import FontFile
from assistant.reports.pdf_report import render_pdf
from assistant.vocabulary import Language

__all__ = ["render_assessor_pdf"]


def render_assessor_pdf(
    signoff: SignOff,
    catalog: Catalog,
    language: Language,
    *,
    record_texts: Mapping[str, str] | None = None,
    font: FontFile | None = None,
) -> bytes:
    """The same sign-off gives the same bytes (reportlab runs in its invariant mode)."""
    document = build_assessor_report(signoff, catalog, language, record_texts=record_texts)
    return render_pdf(document, font=font)
