"""A whole interview over HTTP: start, answer, reload, rate, download the report."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Session, start_session
from tests.utils.api import parse_sse


def send(client: TestClient, session: Session, **body: object) -> Any:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages", json=body, headers=session.auth
    )
    assert response.status_code == 200, response.text
    return response.json()["reply"]


def answer_profile(client: TestClient, session: Session, target: str = "stars:1") -> Any:
    send(client, session, text="深圳市示例中小企业服务中心")
    send(client, session, quick_reply="type:public_service")
    send(client, session, quick_reply="skip")
    send(client, session, quick_reply="skip")
    return send(client, session, quick_reply=target)


def test_a_new_session_greets_and_asks_the_institution_name(client: TestClient) -> None:
    response = client.post("/api/v1/sessions")

    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) >= 40
    assert body["reply"]["session_id"] == body["session_id"]
    assert body["reply"]["language"] == "zh"
    assert body["reply"]["question"] == {
        "kind": "profile",
        "field": "name",
        "indicators": [],
        "quick_replies": [{"value": "skip", "label": "跳过"}],
    }


def test_a_session_may_start_in_english_with_a_known_profile(client: TestClient) -> None:
    body = {"language": "en", "profile": {"name": "Example Centre", "target_stars": 2}}

    response = client.post("/api/v1/sessions", json=body)

    assert response.status_code == 201
    reply = response.json()["reply"]
    assert reply["language"] == "en"
    assert reply["question"]["field"] == "institution_type"  # the name is known already


def test_reading_a_session_shows_the_last_reply_for_a_reloaded_page(
    client: TestClient, session: Session
) -> None:
    last = answer_profile(client, session)

    response = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth)

    assert response.status_code == 200
    view = response.json()
    assert view["reply"] == last
    assert view["stage"] == "indicators"
    assert view["profile"]["name"] == "深圳市示例中小企业服务中心"
    assert view["profile"]["target_stars"] == 1
    assert view["owner"] is None


def test_quick_replies_and_checklist_answers_record_findings(
    client: TestClient, session: Session
) -> None:
    first = answer_profile(client, session)
    question = first["question"]
    assert question["kind"] == "indicator"
    indicator = question["indicators"][0]["id"]

    after = send(client, session, quick_reply="met")
    while after["question"]["kind"] != "checklist":
        after = send(client, session, quick_reply="partly_met")
    listed = [ref["id"] for ref in after["question"]["indicators"]]
    send(client, session, answers={listed[0]: "not_met", listed[1]: "largely_met"})

    findings = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()["findings"]
    assert findings[indicator]["status"] == "met"
    assert findings[listed[0]]["status"] == "not_met"
    assert findings[listed[1]]["status"] == "largely_met"


def complete_interview(client: TestClient, session: Session) -> Any:
    reply = answer_profile(client, session)
    for _ in range(40):
        question = reply["question"]
        if question["kind"] == "done":
            return reply
        if question["kind"] == "checklist":
            reply = send(client, session, answers={r["id"]: "met" for r in question["indicators"]})
        else:
            reply = send(client, session, quick_reply="met")
    raise AssertionError("the one-star interview did not end in 40 turns")


def test_a_completed_interview_is_rated_and_reported(client: TestClient, session: Session) -> None:
    last = complete_interview(client, session)
    assert last["rating"] is not None

    rating = client.get(f"/api/v1/sessions/{session.id}/rating", headers=session.auth)

    assert rating.status_code == 200
    assert rating.json()["declared"]["stars"] == 1
    assert rating.json()["versions"]["catalog_version"]
    assert rating.json()["completeness"]["rated"] == 26


@pytest.mark.parametrize(
    ("fmt", "media_type", "magic"),
    [
        ("md", "text/markdown; charset=utf-8", b"# "),
        ("json", "application/json", b"{"),
        ("pdf", "application/pdf", b"%PDF-"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
    ],
)
def test_the_report_downloads_as_an_attachment(
    client: TestClient, session: Session, fmt: str, media_type: str, magic: bytes
) -> None:
    answer_profile(client, session)

    response = client.get(
        f"/api/v1/sessions/{session.id}/report", params={"format": fmt}, headers=session.auth
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="self-assessment-{session.id[:8]}.{fmt}"'
    assert response.content.startswith(magic)
    if fmt == "json":
        assert json.loads(response.content)["session_id"] == session.id
    if fmt == "docx":
        assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    if fmt == "md":
        assert "深圳市示例中小企业服务中心" in response.text


def test_one_part_of_the_report_can_be_asked_for(client: TestClient, session: Session) -> None:
    response = client.get(
        f"/api/v1/sessions/{session.id}/report",
        params={"format": "md", "part": "application_pack"},
        headers=session.auth,
    )

    assert response.status_code == 200
    assert "application-pack" in response.headers["content-disposition"]


def test_a_reply_streams_as_server_sent_events(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        json={"text": "深圳市示例中小企业服务中心"},
        headers={**session.auth, "Accept": "text/event-stream"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[-2:] == ["reply", "done"]
    assert set(names[:-2]) == {"delta"}
    final: Any = events[-2][1]
    deltas = "".join(data["text"] for name, data in events if name == "delta")
    assert deltas == final["reply"]["text"]
    assert final["reply"]["question"]["field"] == "institution_type"
    # The streamed turn was stored like any other.
    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    assert view["reply"] == final["reply"]


def test_sessions_are_kept_apart(client: TestClient) -> None:
    first = start_session(client)
    second = start_session(client)
    send(client, first, text="甲机构")

    view = client.get(f"/api/v1/sessions/{second.id}", headers=second.auth).json()

    assert view["profile"]["name"] is None
    assert first.token != second.token
