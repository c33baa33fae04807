"""POST /sessions/{id}/reassess and GET /sessions/{id}/comparison over HTTP (SQLite store)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.interview.service import InterviewService
from assistant.session.models import UserTurn
from tests.api.conftest import Session, start_session
from tests.utils.api import Keys

PROFILE = {
    "name": "某市示例服务中心",
    "institution_type": "market",
    "service_fields": "政策咨询",
    "smes_served_per_year": 300,
    "target_stars": 2,
}
POLICY = "服务管理制度\n本制度于2026年1月5日经理事会审议通过，自印发之日起施行。".encode()


@pytest.fixture
def signed(client: TestClient, service: InterviewService, keys: Keys) -> Session:
    """A session with one finding backed by a policy (in force: it never ages), signed off."""
    session = start_session(client, profile=PROFILE)
    service.send(session.id, UserTurn(text="修改 SD-2-04 为 满足"))
    service.upload(session.id, "服务管理制度.txt", POLICY)
    service.send(session.id, UserTurn(text="link:SD-2-04"))
    response = client.post(
        f"/api/v1/sessions/{session.id}/signoff", headers={"X-API-Key": keys.assessor}
    )
    assert response.status_code == 201, response.text
    return session


def _reassess(client: TestClient, session_id: str, headers: dict[str, str]) -> Any:
    return client.post(f"/api/v1/sessions/{session_id}/reassess", headers=headers)


def test_the_applicant_starts_a_reassessment_with_its_token(
    client: TestClient, signed: Session
) -> None:
    response = _reassess(client, signed.id, signed.auth)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["previous_session_id"] == signed.id and body["version"] == 1
    assert "SD-2-04" in body["carried_ids"] and body["carried"] == len(body["carried_ids"])
    assert body["carried_evidence"] == 1
    new = Session(body["session_id"], body["token"])
    view = client.get(f"/api/v1/sessions/{new.id}", headers=new.auth).json()
    assert view["findings"]["SD-2-04"]["carried"] is True
    assert view["reply"]["text"] == body["reply"]["text"]
    assert [e["indicator_ids"] for e in view["evidence"]] == [["SD-2-04"]]
    # the old token opens the old session only
    assert client.get(f"/api/v1/sessions/{new.id}", headers=signed.auth).status_code == 401


def test_an_assessor_starts_one_and_the_audit_names_them(
    client: TestClient, signed: Session, keys: Keys
) -> None:
    staff = {"X-API-Key": keys.assessor}

    body = _reassess(client, signed.id, staff).json()

    audit = client.get(f"/api/v1/sessions/{body['session_id']}/audit", headers=staff).json()
    lines = [line for line in audit["changes"] if line["indicator_id"] == "SD-2-04"]
    assert lines and lines[0]["actor"] == "assessor"
    assert "沿用上次签署的评估 v1" in lines[0]["reason"]


def test_the_comparison_is_read_with_the_new_token_or_a_staff_key(
    client: TestClient, signed: Session, keys: Keys
) -> None:
    body = _reassess(client, signed.id, signed.auth).json()
    new = Session(body["session_id"], body["token"])
    path = f"/api/v1/sessions/{new.id}/comparison"

    mine = client.get(path, headers=new.auth)
    staff = client.get(path, headers={"X-API-Key": keys.assessor})

    assert mine.status_code == staff.status_code == 200, mine.text
    result = mine.json()
    assert result["previous_session_id"] == signed.id and result["session_id"] == new.id
    assert len(result["areas"]) == 5
    assert result["totals"]["carried"] == body["carried"]
    assert result["totals"]["evidence_carried"] == 1
    assert client.get(path, headers=signed.auth).status_code == 401


def test_an_unsigned_session_is_refused_in_either_language(
    client: TestClient, session: Session, keys: Keys
) -> None:
    staff = {"X-API-Key": keys.assessor}
    before = client.get("/api/v1/sessions", headers=staff).json()["sessions"]

    zh = _reassess(client, session.id, session.auth)
    en = _reassess(client, session.id, {**session.auth, "Accept-Language": "en"})

    assert zh.status_code == en.status_code == 409
    assert zh.json()["error"]["code"] == "not_signed"
    assert "尚未由评估人员签署" in zh.json()["error"]["message"]
    assert "never signed off" in en.json()["error"]["message"]
    assert client.get("/api/v1/sessions", headers=staff).json()["sessions"] == before


def test_a_session_that_is_not_a_reassessment_has_no_comparison(
    client: TestClient, session: Session
) -> None:
    response = client.get(
        f"/api/v1/sessions/{session.id}/comparison",
        headers={**session.auth, "Accept-Language": "en"},
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_reassessment"
    assert "not a re-assessment" in response.json()["error"]["message"]


def test_the_signed_session_stays_locked_after_a_reassessment(
    client: TestClient, signed: Session
) -> None:
    _reassess(client, signed.id, signed.auth)

    response = client.post(
        f"/api/v1/sessions/{signed.id}/messages", json={"text": "满足"}, headers=signed.auth
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "session_locked"
