"""The assessor's report and the comparison report over HTTP: an assessment signed through the
API, its report downloaded by the assessor and by the applicant, unchanged when the session
changes afterwards, and refused clearly when it does not exist."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import docx
import pypdf
from fastapi.testclient import TestClient

from assistant.assessment.models import AssessorNote, EvidenceCheck
from assistant.interview.service import InterviewService
from tests.api.conftest import Session, start_session
from tests.utils.api import Keys

NAME = "深圳市<b>示例</b>中小企业服务中心"
RECORD = "访谈负责人\n台账<i>按月</i>更新，抽查三个月均齐全"
REASON = "现场查看：<script>制度</script>未发布"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return "".join("".join(page.extract_text() for page in pages).split())


def _sign(client: TestClient, keys: Keys, session: Session) -> dict[str, object]:
    """Upload, override, check, record, note, sign: each step through the API."""
    staff = {"X-API-Key": keys.assessor}
    upload = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        headers=session.auth,
        files={"file": ("服务台账.txt", "服务台账 2026年 融资对接 甲公司".encode())},
    )
    assert upload.status_code == 201, upload.text
    evidence_id = upload.json()["evidence"]["id"]
    steps = [
        ("PUT", "findings/SS-1-01", {"status": "not_met", "reason": REASON}),
        ("PUT", f"evidence/{evidence_id}/check", {"sampled": True, "verified": False}),
        (
            "POST",
            "records",
            {
                "kind": "interview",
                "text": RECORD,
                "indicator_ids": ["SS-1-02"],
                "dated": datetime.now(UTC).date().isoformat(),
            },
        ),
        ("POST", "notes", {"text": "整体：材料基本齐全"}),
    ]
    for method, path, body in steps:
        answer = client.request(
            method, f"/api/v1/sessions/{session.id}/{path}", headers=staff, json=body
        )
        assert answer.status_code in (200, 201), answer.text
    signed = client.post(f"/api/v1/sessions/{session.id}/signoff", headers=staff)
    assert signed.status_code == 201, signed.text
    result: dict[str, object] = signed.json()
    return result


def test_the_signed_report_downloads_and_stays_what_was_signed(
    client: TestClient, keys: Keys, service: InterviewService, other_session: Session
) -> None:
    session = start_session(client, profile={"name": NAME})
    signoff = _sign(client, keys, session)
    path = f"/api/v1/sessions/{session.id}/signoffs/1/report"
    staff = {"X-API-Key": keys.assessor}

    pdf = client.get(path, headers=staff)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == PDF
    token = re.sub(r"[^a-z0-9]", "", session.id)[:8]
    assert pdf.headers["content-disposition"] == (
        f'attachment; filename="assessor-report-{token}-v1.pdf"'
    )
    text = _text(pdf.content)
    for expected in (NAME, "评估员张三", str(signoff["snapshot_sha256"]), "评估机构盖章"):
        assert expected in text
    assert "".join(RECORD.split()) in text and "".join(REASON.split()) in text

    # the session changes behind the lock: the report of version 1 does not
    at = datetime.now(UTC)
    service.store.add_note(
        AssessorNote(id="late", session_id=session.id, text="签署后的备注", assessor="x", at=at)
    )
    evidence = service.store.evidence(session.id)[0]
    service.store.set_evidence_check(
        EvidenceCheck(
            session_id=session.id,
            evidence_id=evidence.id,
            sampled=True,
            verified=True,
            assessor="x",
            at=at,
        )
    )
    assert client.get(path, headers=staff).content == pdf.content

    english = client.get(
        path, params={"format": "docx"}, headers={**session.auth, "Accept-Language": "en"}
    )
    assert english.status_code == 200 and english.headers["content-type"] == DOCX
    document = docx.Document(io.BytesIO(english.content))
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Seal of the assessment body" in cells and NAME in cells

    assert client.get(path, headers=other_session.auth).status_code == 401
    assert client.get(path).status_code == 401


def test_missing_versions_and_formats_are_refused(
    client: TestClient, keys: Keys, session: Session
) -> None:
    staff = {"X-API-Key": keys.assessor, "Accept-Language": "en"}
    missing = client.get(f"/api/v1/sessions/{session.id}/signoffs/1/report", headers=staff)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "signoff_not_found"
    assert missing.json()["error"]["message"] == "This assessment has no sign-off version 1."
    bad = client.get(
        f"/api/v1/sessions/{session.id}/signoffs/1/report",
        params={"format": "xlsx"},
        headers=staff,
    )
    assert bad.status_code == 422
    nowhere = client.get("/api/v1/sessions/nope/signoffs/1/report", headers=staff)
    assert nowhere.status_code == 404


def test_the_comparison_report(client: TestClient, keys: Keys) -> None:
    staff = {"X-API-Key": keys.assessor}
    session = start_session(client, profile={"name": NAME})
    _sign(client, keys, session)
    refused = client.get(f"/api/v1/sessions/{session.id}/comparison/report", headers=staff)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_reassessment"

    started = client.post(f"/api/v1/sessions/{session.id}/reassess", headers=staff)
    assert started.status_code == 201, started.text
    new_id = started.json()["session_id"]
    changed = client.put(
        f"/api/v1/sessions/{new_id}/findings/SS-1-01",
        headers=staff,
        json={"status": "met", "reason": "制度已发布"},
    )
    assert changed.status_code == 200, changed.text
    report = client.get(
        f"/api/v1/sessions/{new_id}/comparison/report",
        headers={**staff, "Accept-Language": "en"},
    )
    assert report.status_code == 200, report.text
    assert report.headers["content-type"] == PDF
    text = _text(report.content)
    assert "Comparisonoftwoassessments" in text
    assert "SS-1-01" in text and "Notmet" in text and "Met" in text
