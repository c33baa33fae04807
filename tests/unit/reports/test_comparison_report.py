"""The comparison report: a re-assessment against the sign-off it started from."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime

import docx
import pypdf
import pytest

from assistant.assessment.compare import Comparison, NowState, compare
from assistant.interview.rated import rate_session
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.reports.assessor_text import tr
from assistant.reports.comparison_report import build_comparison_report, render_comparison_report
from assistant.reports.document import Document, Heading, Table
from assistant.session.state import Actor, RecordedFinding
from tests.unit.reports.assessor_snapshot import OVERRIDDEN, sign, signed_snapshot

NOW = datetime(2027, 7, 1, 9, 0, tzinfo=UTC)
CHANGED = "CSI-4-01"  # partly met last year, met now
EXPIRED = "ev-SS-1-01-1"  # not carried: renewed by a new file of its kind
INSTITUTION = "某市数字化转型服务有限公司（示例）"


@pytest.fixture(scope="module")
def comparison(real_catalog: Catalog, real_rules: RuleSet) -> Comparison:
    signoff = sign(signed_snapshot(real_catalog, real_rules))
    then = signoff.snapshot
    findings = {
        key: finding.model_copy(update={"carried": key != OVERRIDDEN})
        for key, finding in then.findings.items()
    }
    findings[CHANGED] = RecordedFinding(
        indicator_id=CHANGED, status=FindingStatus.MET, actor=Actor.APPLICANT, updated_at=NOW
    )
    old = next(r for r in then.evidence if r.id == EXPIRED)
    renewed = old.model_copy(
        update={
            "id": "ev-new-1",
            "sha256": hashlib.sha256(b"renewed").hexdigest(),
            "filename": "2027年度<b>服务</b>计划.pdf",
            "dated": date(2027, 5, 1),
        }
    )
    evidence = (*(r for r in then.evidence if r.id != EXPIRED), renewed)
    now = NowState(
        session_id="7d1e0b6a-aaaa-bbbb-cccc-000000000001",
        findings=findings,
        evidence=evidence,
        rating=rate_session(real_catalog, real_rules, findings, evidence, NOW.date()),
    )
    return compare(signoff, now, real_catalog)


@pytest.fixture(scope="module")
def zh(comparison: Comparison) -> Document:
    return build_comparison_report(comparison, "zh", institution=INSTITUTION)


def table_after(document: Document, heading: str) -> Table:
    blocks = document.blocks()
    start = blocks.index(Heading(heading))
    return next(b for b in blocks[start:] if isinstance(b, Table))


def test_the_changed_finding_is_listed_then_and_now(zh: Document) -> None:
    rows = {row[0]: row for row in table_after(zh, tr("cmp_h_findings", "zh")).rows}
    assert rows[CHANGED][2:4] == ("部分满足", "满足")
    assert rows[CHANGED][4].startswith("申请方 → 申请方")
    # the finding the assessor set last year is listed too, and said to be so
    assert tr("cmp_assessor_then", "zh") in rows[OVERRIDDEN][4]


def test_stars_and_areas_then_and_now(comparison: Comparison, zh: Document) -> None:
    stars = table_after(zh, tr("cmp_h_areas", "zh")).rows
    assert stars[0] == ("申报等级", f"三星 → {_star(comparison.declared.now)}")
    assert stars[2] == ("评估确认等级", "二星 → —（尚无）")  # the new session is not signed
    blocks = zh.blocks()
    areas = [b for b in blocks if isinstance(b, Table)][1]
    assert [row[0] for row in areas.rows][0] == "服务战略（SS）"
    assert len(areas.rows) == len(comparison.areas) == 5


def _star(stars: int | None) -> str:
    return {0: "未达一星", 1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}[stars or 0]


def test_the_evidence_renewed_and_expired(zh: Document) -> None:
    rows = table_after(zh, tr("cmp_h_evidence", "zh")).rows
    fates = {row[1]: row[0] for row in rows}
    assert fates["2027年度<b>服务</b>计划.pdf"] == "已更新"
    assert "已过期、待更新" in fates.values()
    assert all(fate in ("已更新", "已过期、待更新") for fate in fates.values())


def test_the_comparison_as_pdf_and_docx(comparison: Comparison) -> None:
    pdf = render_comparison_report(comparison, "zh", "pdf", institution=INSTITUTION)
    assert pdf.filename == "comparison-report-7d1e0b6a.pdf"
    text = "".join(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "评估对比报告" in text and CHANGED in text and "2027年度<b>服务</b>计划.pdf" in text
    english = render_comparison_report(comparison, "en", "docx")
    document = docx.Document(io.BytesIO(english.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert CHANGED in cells and "Comparison of two assessments" in [
        p.text for p in document.paragraphs
    ]
    assert "Partly met" in cells and "Renewed" in cells
