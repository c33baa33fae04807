"""The assessor's report as PDF and DOCX, read back with independent readers (pypdf,
python-docx): the institution, the stars, the signer, the hash and the signature block are
there in zh and en, the font is embedded, and user text stays plain text."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pypdf
import pytest

from assistant.assessment.models import SignOff
from assistant.errors import ReportError
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.reports import RenderedReport
from assistant.reports.assessor_report import render_assessor_report
from tests.unit.reports.assessor_snapshot import (
    HOSTILE_NOTE,
    OVERRIDDEN,
    OVERRIDE_REASON,
    RECORD_ID,
    RECORD_TEXT,
    REJECTED,
    sign,
    signed_snapshot,
)

TEXTS = {RECORD_ID: RECORD_TEXT}
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(scope="module")
def signoff(real_catalog: Catalog, real_rules: RuleSet) -> SignOff:
    return sign(signed_snapshot(real_catalog, real_rules))


@pytest.fixture(scope="module")
def zh_rendered(signoff: SignOff, real_catalog: Catalog) -> RenderedReport:
    return render_assessor_report(signoff, real_catalog, "zh", "pdf", record_texts=TEXTS)


@pytest.fixture(scope="module")
def zh_pdf(zh_rendered: RenderedReport) -> bytes:
    return zh_rendered.content


@pytest.fixture(scope="module")
def zh_read(zh_pdf: bytes) -> tuple[pypdf.PdfReader, str]:
    return pdf_text(zh_pdf)


def pdf_text(content: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, "".join(text.split())  # wrapping breaks lines anywhere in CJK text


def compact(text: str) -> str:
    return "".join(CONTROLS.sub("", text).split())


def test_the_chinese_pdf_carries_the_signed_result(
    signoff: SignOff, zh_pdf: bytes, zh_read: tuple[pypdf.PdfReader, str]
) -> None:
    assert zh_pdf.startswith(b"%PDF")
    _, text = zh_read
    name = signoff.snapshot.profile.name
    assert name and compact(name) in text
    assert "申报口径：三星｜证据口径：二星｜评估确认：二星" in text
    assert compact(signoff.signed_by) in text
    assert signoff.snapshot_sha256 in text and signoff.catalog_hash in text
    assert "2026-07-0210:15UTC" in text
    for label in ("九、签署", "评估人员（签字）", "日期", "评估机构盖章", "签字：____"):
        assert label in text
    assert "第1页" in text and signoff.snapshot_sha256[:12] in text  # the footer


def test_user_text_stays_plain_in_the_pdf(zh_read: tuple[pypdf.PdfReader, str]) -> None:
    _, text = zh_read
    for hostile in (OVERRIDE_REASON, HOSTILE_NOTE, RECORD_TEXT):
        assert compact(hostile) in text  # shown as typed: no tag was taken as markup
    assert not CONTROLS.search(text)


def test_the_pdf_embeds_its_fonts(zh_read: tuple[pypdf.PdfReader, str]) -> None:
    reader, _ = zh_read
    fonts: list[Any] = []
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        fonts.extend(ref.get_object() for ref in resources.get("/Font", {}).values())
    assert fonts
    for font in fonts:
        descriptor: Any = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "/ToUnicode" in font


def test_the_pdf_is_named_for_the_session_and_version(zh_rendered: RenderedReport) -> None:
    # the same sign-off giving the same bytes is checked over HTTP (tests/api)
    assert zh_rendered.filename == "assessor-report-3f9c2a7e-v1.pdf"
    assert zh_rendered.media_type == "application/pdf"


def test_the_english_pdf(signoff: SignOff, real_catalog: Catalog) -> None:
    rendered = render_assessor_report(signoff, real_catalog, "en", "pdf")
    _, text = pdf_text(rendered.content)
    assert "Assessmentreport" in text
    assert "Declared:threestars|Evidenced:twostars|Confirmedbytheassessor:twostars" in text
    assert compact(signoff.signed_by) in text and signoff.snapshot_sha256 in text
    for label in ("9.Signatures", "Assessor(signature)", "Sealoftheassessmentbody", "Page1"):
        assert label in text


def test_the_longest_texts_break_across_pages(signoff: SignOff, real_catalog: Catalog) -> None:
    """A reason, a check's note, a note and a record at their longest: no table row taller
    than a page (reportlab refuses one), every text there to its end."""
    snapshot = signoff.snapshot
    record = next(r for r in snapshot.evidence if r.id == RECORD_ID)
    upload = next(r for r in snapshot.evidence if r.id == REJECTED)
    finding = snapshot.findings[OVERRIDDEN].model_copy(update={"reason": "改判" * 999 + "理由完"})
    check = next(c for c in snapshot.checks if c.evidence_id == REJECTED)
    note = snapshot.notes[0].model_copy(update={"text": "备注" * 1999 + "备注完"})
    small = snapshot.model_copy(
        update={
            "findings": {OVERRIDDEN: finding},
            "evidence": (upload, record),
            "checks": (check.model_copy(update={"note": "核验" * 999 + "核验完"}),),
            "notes": (note,),
        }
    )
    long = signoff.model_copy(update={"snapshot": small})
    texts = {RECORD_ID: "访谈内容" * 4999 + "记录完"}
    rendered = render_assessor_report(long, real_catalog, "zh", "pdf", record_texts=texts)
    reader, text = pdf_text(rendered.content)
    assert len(reader.pages) > 10
    for end in ("理由完", "核验完", "备注完", "记录完"):
        assert end in text


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_reads_back(signoff: SignOff, real_catalog: Catalog) -> None:
    # Chinese here; the English DOCX is read back over HTTP (tests/api)
    labels = (
        "申报口径：三星 ｜ 证据口径：二星 ｜ 评估确认：二星",
        "评估机构盖章",
        "评估人员（签字）",
    )
    rendered = render_assessor_report(signoff, real_catalog, "zh", "docx", record_texts=TEXTS)
    assert rendered.filename == "assessor-report-3f9c2a7e-v1.docx"
    text = docx_text(rendered.content)
    name = signoff.snapshot.profile.name
    assert name and name in text
    assert signoff.signed_by in text and signoff.snapshot_sha256 in text
    for label in labels:
        assert label in text
    for hostile in (OVERRIDE_REASON, HOSTILE_NOTE, RECORD_TEXT):
        assert CONTROLS.sub("", hostile) in text
    assert not CONTROLS.search(text)


def test_an_unknown_format_is_refused(signoff: SignOff, real_catalog: Catalog) -> None:
    with pytest.raises(ReportError, match="pdf、docx") as caught:
        render_assessor_report(signoff, real_catalog, "zh", "md")
    assert "choose pdf or docx" in caught.value.message("en")
