"""The assessor's report as DOCX: the shared python-docx layout (East Asian font names,
repeated table headers, the footer with the snapshot's hash and a page field)."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.assessment.models import SignOff
from assistant.knowledge.schema import Catalog
from assistant.reports.assessor_content import build_assessor_report
from assistant.reports.docx_report import render_docx
from assistant.vocabulary import Language

__all__ = ["render_assessor_docx"]


def render_assessor_docx(
    signoff: SignOff,
    catalog: Catalog,
    language: Language,
    *,
    record_texts: Mapping[str, str] | None = None,
) -> bytes:
    document = build_assessor_report(signoff, catalog, language, record_texts=record_texts)
    return render_docx(document)
