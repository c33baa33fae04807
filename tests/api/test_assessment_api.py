"""Sign-off, the lock, reopening, evidence checks, notes and interview records, over HTTP with
a real SQLite store and the real evidence desk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import create_app
from assistant.assessment.lock import LOCKED_EN, LOCKED_ZH
from assistant.assessment.models import SignOff, snapshot_sha256
from assistant.evidence import FileBlobStore
from assistant.interview.manager import Outcome
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog, EvidenceRequirement, FindingStatus, RuleSet
from assistant.session.state import RecordedFinding
from assistant.settings import Settings
from assistant.storage.base import SessionRecord
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import Session, start_session
from tests.api.test_readings import at_first_indicator, send
from tests.utils.api import FakeAnswerer, Keys
from tests.utils.sessions import everything_kept

TEXT_FILE = ("台账.txt", "服务台账 2025年1月 甲公司 融资对接 回访记录".encode())
EN = {"Accept-Language": "en"}


def staff(keys: Keys, **extra: str) -> dict[str, str]:
    return {"X-API-Key": keys.assessor, **extra}


def blob_count(tmp_path: Path) -> int:
    return sum(1 for path in (tmp_path / "evidence").rglob("*") if path.is_file())


def upload(client: TestClient, session: Session) -> str:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence", headers=session.auth, files={"file": TEXT_FILE}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["evidence"]["id"])


def sign(client: TestClient, session: Session, keys: Keys) -> dict[str, Any]:
    response = client.post(f"/api/v1/sessions/{session.id}/signoff", headers=staff(keys))
    assert response.status_code == 201, response.text
    return dict(response.json())


def record_body(**extra: object) -> dict[str, Any]:
    return {
        "kind": "interview",
        "text": "访谈服务部负责人\n近一年回访记录齐全，抽查 5 份属实。",
        "indicator_ids": ["ss-1-01", "SO-1-02"],
        "dated": (date.today() - timedelta(days=1)).isoformat(),
        **extra,
    }


def applicant_writes(session: Session) -> list[tuple[str, str, dict[str, Any]]]:
    """Every way the applicant can change the session: turns of each kind, an upload, undo."""
    base = f"/api/v1/sessions/{session.id}"
    turns = [
        {"text": "日期 2026-03-01 类型 报告"},  # an edit of the uploaded file
        {"answers": {"SS-1-01": "met"}},  # a link of the file
        {"text": "修改 SS-1-01 部分满足"},  # a change of a finding
        {"text": "lang:en"},  # the session's language (its profile)
        {"quick_reply": "skip"},
        {"text": "进度"},
    ]
    calls = [("POST", f"{base}/messages", {"json": turn}) for turn in turns]
    calls.append(("POST", f"{base}/evidence", {"files": {"file": TEXT_FILE}}))
    calls.append(
        ("POST", f"{base}/readings/undo", {"json": {"turn": 1, "indicator_id": "SS-1-01"}})
    )
    calls.append(
        (
            "POST",
            f"{base}/messages",
            {"json": {"text": "满足"}, "headers": {"Accept": "text/event-stream"}},
        )
    )
    return calls


def assessor_writes(session: Session, evidence_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/api/v1/sessions/{session.id}"
    return [
        ("PUT", f"{base}/findings/SS-1-01", {"json": {"status": "met", "reason": "现场复核"}}),
        ("PUT", f"{base}/evidence/{evidence_id}/check", {"json": {"sampled": True}}),
        ("POST", f"{base}/notes", {"json": {"text": "补充说明"}}),
        ("POST", f"{base}/records", {"json": record_body()}),
        ("POST", f"{base}/signoff", {}),
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_signed_off_session_refuses_every_write_and_writes_nothing(
    client: TestClient,
    session: Session,
    keys: Keys,
    store: SqlSessionStore,
    tmp_path: Path,
    language: str,
) -> None:
    evidence_id = upload(client, session)
    signed = sign(client, session, keys)
    assert signed["version"] == 1 and len(signed["snapshot_sha256"]) == 64
    before, blobs = everything_kept(store, session.id), blob_count(tmp_path)
    accept = EN if language == "en" else {}

    calls = [(m, p, kw, session.auth) for m, p, kw in applicant_writes(session)]
    calls += [(m, p, kw, staff(keys)) for m, p, kw in assessor_writes(session, evidence_id)]
    for method, path, kwargs, auth in calls:
        headers = {**auth, **accept, **kwargs.pop("headers", {})}
        response = client.request(method, path, headers=headers, **kwargs)
        assert response.status_code == 409, (path, response.text)
        error = response.json()["error"]
        assert error["code"] == "session_locked", path
        assert error["message"] == (LOCKED_EN if language == "en" else LOCKED_ZH)

    assert everything_kept(store, session.id) == before
    assert blob_count(tmp_path) == blobs  # no refused upload or record left a file


def test_reads_and_downloads_go_on_while_locked(
    client: TestClient, session: Session, keys: Keys
) -> None:
    sign(client, session, keys)
    base = f"/api/v1/sessions/{session.id}"
    for path, params in (
        ("", None),
        ("/rating", None),
        ("/evidence", None),
        ("/readings", None),
        ("/report", {"format": "md"}),
        ("/signoffs", None),
        ("/signoffs/1", None),
    ):
        response = client.get(base + path, headers=session.auth, params=params)
        assert response.status_code == 200, (path, response.text)
    listed = client.get(f"{base}/signoffs", headers=session.auth).json()
    assert listed["lock"]["locked"] is True and listed["lock"]["version"] == 1
    reply = client.get(base, headers=session.auth).json()["reply"]
    assert "已签署" in reply["text"] and reply["question"] is None  # the chat says it, asks nothing


def test_reopen_unlocks_keeps_the_old_signoff_and_the_next_is_version_2(
    client: TestClient, session: Session, keys: Keys
) -> None:
    base = f"/api/v1/sessions/{session.id}"
    first = sign(client, session, keys)
    no_reason = client.post(f"{base}/signoffs/1/reopen", headers=staff(keys), json={"reason": " "})
    assert no_reason.status_code == 422
    by_applicant = client.post(
        f"{base}/signoffs/1/reopen", headers=session.auth, json={"reason": "补充材料"}
    )
    assert by_applicant.status_code == 403

    reopened = client.post(
        f"{base}/signoffs/1/reopen", headers=staff(keys), json={"reason": "机构补充材料"}
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["reopened_by"] == "评估员张三"
    assert reopened.json()["reopen_reason"] == "机构补充材料"
    again = client.post(f"{base}/signoffs/1/reopen", headers=staff(keys), json={"reason": "再次"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "signoff_not_live"

    answered = client.post(
        f"{base}/messages", headers=session.auth, json={"text": "深圳市示例服务中心"}
    )
    assert answered.status_code == 200, answered.text

    old = client.get(f"{base}/signoffs/1", headers=session.auth).json()
    assert old["snapshot_sha256"] == first["snapshot_sha256"]
    assert old["snapshot"] == first["snapshot"] and old["reopened_at"] is not None
    assert snapshot_sha256(SignOff.model_validate(old).snapshot) == first["snapshot_sha256"]

    second = sign(client, session, keys)
    assert second["version"] == 2
    assert second["snapshot"]["profile"]["name"] == "深圳市示例服务中心"
    assert second["snapshot_sha256"] != first["snapshot_sha256"]
    listed = client.get(f"{base}/signoffs", headers=session.auth).json()
    assert [s["version"] for s in listed["signoffs"]] == [1, 2]
    assert listed["lock"] == {
        "locked": True,
        "version": 2,
        "signed_by": "评估员张三",
        "signed_at": second["signed_at"],
    }
    missing = client.get(f"{base}/signoffs/3", headers=staff(keys))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "signoff_not_found"


def test_checks_notes_and_records_round_trip(
    client: TestClient, session: Session, keys: Keys, service: InterviewService
) -> None:
    base = f"/api/v1/sessions/{session.id}"
    evidence_id = upload(client, session)
    checked = client.put(
        f"{base}/evidence/{evidence_id}/check",
        headers=staff(keys),
        json={"sampled": True, "verified": True, "note": "原件已核对"},
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["assessor"] == "评估员张三" and checked.json()["verified"] is True
    unknown = client.put(f"{base}/evidence/nope/check", headers=staff(keys), json={"sampled": True})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "evidence_not_found"

    for body in ({"text": "整体材料较完整"}, {"text": "需补充回访记录", "indicator_id": "so-1-02"}):
        assert client.post(f"{base}/notes", headers=staff(keys), json=body).status_code == 201
    bad = client.post(
        f"{base}/notes", headers=staff(keys), json={"text": "x", "indicator_id": "ZZ"}
    )
    assert bad.status_code == 422
    notes = client.get(f"{base}/notes", headers=staff(keys)).json()["notes"]
    assert [(n["text"], n["indicator_id"]) for n in notes] == [
        ("整体材料较完整", None),
        ("需补充回访记录", "SO-1-02"),
    ]

    added = client.post(f"{base}/records", headers=staff(keys), json=record_body())
    assert added.status_code == 201, added.text
    record = added.json()["evidence"]
    assert record["kind"] == "interview" and record["media_type"] == "text/plain"
    assert record["indicator_ids"] == ["SS-1-01", "SO-1-02"] and record["suggested_ids"] == []
    assert record["dated"] == record_body()["dated"] and record["title"] == "访谈服务部负责人"
    assert service.desk is not None
    assert service.desk.read(record["sha256"]).decode() == record_body()["text"]
    listed = client.get(f"{base}/evidence", headers=session.auth).json()["evidence"]
    assert [e["id"] for e in listed] == [evidence_id, record["id"]]

    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for body in (record_body(dated=tomorrow), record_body(kind="policy"), record_body(text=" ")):
        refused = client.post(f"{base}/records", headers=staff(keys), json=body)
        assert refused.status_code == 422, body

    view = client.get(f"{base}/assessor-view", headers=staff(keys)).json()
    files = {f["evidence"]["id"]: f for f in view["evidence"]}
    assert files[evidence_id]["counted"] is True
    assert files[evidence_id]["check"]["note"] == "原件已核对"
    assert files[record["id"]]["counted"] is True  # a record is verified by its author
    assert [n["text"] for n in view["notes"]] == ["整体材料较完整", "需补充回访记录"]
    line = next(f for f in view["findings"] if f["indicator_id"] == "SO-1-02")
    assert [n["text"] for n in line["notes"]] == ["需补充回访记录"]
    assert [f["evidence"]["id"] for f in line["files"]] == [record["id"]]
    assert line["scoring"]["sample"] and view["lock"] == {
        "locked": False,
        "version": None,
        "signed_by": None,
        "signed_at": None,
    }


def test_the_view_shows_the_applicants_words_and_the_reading(
    client: TestClient, keys: Keys
) -> None:
    session = at_first_indicator(client)
    base = f"/api/v1/sessions/{session.id}"
    words = "我们制定了服务发展规划，明确了服务宗旨和目标，经理事会审议通过后印发执行。"
    reply = send(client, session, text=words)
    if not any(r["indicator_id"] == "SS-1-01" for r in reply["readings"]):
        reply = send(client, session, text="是")  # the reading was put to the applicant first
    assert [r["indicator_id"] for r in reply["readings"]] == ["SS-1-01"]
    tapped = send(client, session, quick_reply="met")  # the next indicator, by a quick reply
    tapped_id = tapped["readings"][0]["indicator_id"]

    view = client.get(f"{base}/assessor-view", headers=staff(keys, **EN)).json()
    findings = {f["indicator_id"]: f for f in view["findings"]}
    reading = findings["SS-1-01"]["reading"]
    assert reading["turn"] == reply["turn"]
    assert words in (reading["words"], reading["asked_words"])
    assert reading["rationale"] and 0 <= reading["confidence"] <= 1
    assert findings["SS-1-01"]["actor"] == "applicant"
    assert findings["SS-1-01"]["requirements"]  # each direct requirement, met or not
    assert all(r["outcome"] == "missing" for r in findings["SS-1-01"]["requirements"])
    assert all(r["missing_zh"] and r["missing_en"] for r in findings["SS-1-01"]["requirements"])
    assert findings[tapped_id]["reading"]["words"] == "met"
    assert findings[tapped_id]["reading"]["via"] == "quick_reply"
    assert findings[tapped_id]["reading"]["rationale"] is None
    assert view["verdict"]["language"] == "en" and view["confirmed_verdict"]["language"] == "en"
    assert findings["SS-1-01"]["scoring"]["met"]  # the scoring guidance of the indicator


# ---------------------------------------------------------------- an interview requirement


@pytest.fixture
def interview_catalog(real_catalog: Catalog) -> Catalog:
    """The real catalog, where SS-1-01 asks for an interview as its one direct evidence."""
    asks = EvidenceRequirement.model_validate(
        {"kind": "interview", "class": "direct", "description": "访谈服务负责人"}
    )
    indicators = tuple(
        i.model_copy(update={"evidence": (asks,)}) if i.id == "SS-1-01" else i
        for i in real_catalog.indicators
    )
    return real_catalog.model_copy(update={"indicators": indicators})


@pytest.fixture
def interview_client(
    interview_catalog: Catalog,
    real_rules: RuleSet,
    store: SqlSessionStore,
    settings: Settings,
    tmp_path: Path,
) -> Iterator[TestClient]:
    desk = UploadDesk(interview_catalog, FileBlobStore(tmp_path / "evidence"), max_bytes=2**20)
    service = InterviewService(interview_catalog, real_rules, store, desk=desk)
    app: FastAPI = create_app(settings, service=service, answerer=FakeAnswerer())
    app.state.test_service = service
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _met(record: SessionRecord, now: datetime) -> Outcome:
    finding = RecordedFinding(indicator_id="SS-1-01", status=FindingStatus.MET, updated_at=now)
    return Outcome(state=record.state, findings={**record.findings, "SS-1-01": finding})


def test_an_interview_record_lifts_the_indicator_in_the_confirmed_reading(
    interview_client: TestClient, keys: Keys
) -> None:
    session = start_session(interview_client)
    service: InterviewService = interview_client.app.state.test_service  # type: ignore[attr-defined]
    service.assessor_turn(session.id, _met)  # the applicant's "met", without the interview
    base = f"/api/v1/sessions/{session.id}"

    def lines() -> tuple[dict[str, Any], dict[str, Any]]:
        view = interview_client.get(f"{base}/assessor-view", headers=staff(keys)).json()
        line = next(f for f in view["findings"] if f["indicator_id"] == "SS-1-01")
        return line["evidenced"], line["confirmed"]

    evidenced, confirmed = lines()
    assert (evidenced["evidenced"], confirmed["evidenced"]) == ("partly_met", "partly_met")
    assert confirmed["evidence"] == "missing"

    body = record_body(indicator_ids=["SS-1-01"])
    assert interview_client.post(f"{base}/records", headers=staff(keys), json=body).is_success

    evidenced, confirmed = lines()
    assert confirmed == {**confirmed, "evidenced": "met", "evidence": "sufficient"}
    assert evidenced["evidenced"] == "partly_met"  # an upload-only reading never counts it
    signed = interview_client.post(f"{base}/signoff", headers=staff(keys)).json()
    frozen = signed["snapshot"]["confirmed"]["indicators"]
    assert next(i for i in frozen if i["indicator_id"] == "SS-1-01")["evidenced"] == "met"


def test_the_queue_filters_and_counts(client: TestClient, keys: Keys) -> None:
    named = start_session(client, profile={"name": "星海中小企业服务中心"})
    other = start_session(client)
    sign(client, named, keys)

    def queue(**params: str) -> dict[str, Any]:
        response = client.get("/api/v1/sessions", headers=staff(keys), params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())

    signed = queue(signed="true")
    assert [s["id"] for s in signed["sessions"]] == [named.id] and signed["total"] == 1
    assert signed["sessions"][0]["locked"] is True
    unsigned = queue(signed="false")
    assert [s["id"] for s in unsigned["sessions"]] == [other.id] and unsigned["total"] == 1
    assert queue(text="星海")["total"] == 1 and queue(text="100%_")["total"] == 0
    paged = queue(limit="1")
    assert len(paged["sessions"]) == 1 and paged["total"] == 2 and paged["limit"] == 1
    for bad in ({"declared_stars": "9"}, {"stage": "nope"}, {"text": "x" * 101}):
        refused = client.get("/api/v1/sessions", headers=staff(keys), params=bad)
        assert refused.status_code == 422, bad


def test_the_signoff_keeps_what_the_applicant_stated_before_the_override(
    client: TestClient, session: Session, keys: Keys
) -> None:
    base = f"/api/v1/sessions/{session.id}"
    stated = client.post(
        f"{base}/messages", headers=session.auth, json={"answers": {"SS-1-01": "met"}}
    )
    assert stated.status_code == 200, stated.text
    overridden = client.put(
        f"{base}/findings/SS-1-01",
        headers=staff(keys),
        json={"status": "partly_met", "reason": "计划未经审批"},
    )
    assert overridden.status_code == 200, overridden.text
    snapshot = sign(client, session, keys)["snapshot"]
    assert snapshot["findings"]["SS-1-01"]["status"] == "partly_met"
    assert snapshot["applicant_statuses"] == {"SS-1-01": "met"}
