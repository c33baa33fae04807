"""Readings over HTTP: each answer's reading comes back with its turn, is listed for a reloaded
page, and is undone in one call (audited); linking one upload to more than two indicators is
refused until the applicant confirms the list."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.interview.manager import MAX_LINKS_UNCONFIRMED
from tests.api.conftest import Session, start_session

PLAN = "2026年度工作计划\n经主任办公会审议通过。\n一、服务事项、时间安排和责任人。\n".encode()


def send(client: TestClient, session: Session, **turn: object) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages", json=turn, headers=session.auth
    )
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()["reply"]
    return reply


def at_first_indicator(client: TestClient, language: str = "zh") -> Session:
    session = start_session(client, language=language)
    for value in ("星海中小企业服务中心", "type:market", "融资对接", "300", "stars:1"):
        if value.startswith(("type:", "stars:")):
            reply = send(client, session, quick_reply=value)
        else:
            reply = send(client, session, text=value)
    assert reply["question"]["indicators"][0]["id"] == "SS-1-01"
    return session


def readings(client: TestClient, session: Session) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/sessions/{session.id}/readings", headers=session.auth)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()["readings"]
    return listed


def undo(client: TestClient, session: Session, turn: int, indicator_id: str) -> Any:
    return client.post(
        f"/api/v1/sessions/{session.id}/readings/undo",
        json={"turn": turn, "indicator_id": indicator_id},
        headers=session.auth,
    )


def test_a_reading_is_listed_undone_and_audited(client: TestClient) -> None:
    session = at_first_indicator(client)
    reply = send(client, session, quick_reply="met")
    turn = reply["turn"]
    assert reply["readings"] == [
        {
            "turn": turn,
            "indicator_id": "SS-1-01",
            "status": "met",
            "previous": None,
            "undo_of": None,
        }
    ]
    assert [(r["turn"], r["indicator_id"], r["state"]) for r in readings(client, session)] == [
        (turn, "SS-1-01", "current")
    ]

    undone = undo(client, session, turn, "SS-1-01")
    assert undone.status_code == 200, undone.text
    assert "已撤销" in undone.json()["reply"]["text"]
    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    assert "SS-1-01" not in view["findings"]
    assert view["reply"]["question"]["indicators"][0]["id"] == "SS-1-01"  # asked again
    assert readings(client, session)[0]["state"] == "undone"

    again = undo(client, session, turn, "SS-1-01")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "reading_changed"


def test_undo_refusals_are_clear_in_both_languages(client: TestClient) -> None:
    session = at_first_indicator(client, "en")
    missing = undo(client, session, 3, "SS-1-01")
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert error["code"] == "reading_not_found" and "没有记录 'SS-1-01'" in error["message"]
    english = client.post(
        f"/api/v1/sessions/{session.id}/readings/undo",
        json={"turn": 3, "indicator_id": "SS-1-01"},
        headers={**session.auth, "Accept-Language": "en"},
    )
    assert "Turn 3 recorded no reading of 'SS-1-01'" in english.json()["error"]["message"]
    other = start_session(client)
    refused = client.post(
        f"/api/v1/sessions/{session.id}/readings/undo",
        json={"turn": 3, "indicator_id": "SS-1-01"},
        headers=other.auth,
    )
    assert refused.status_code in (401, 403)


def test_readings_need_the_sessions_token(client: TestClient, session: Session) -> None:
    response = client.get(f"/api/v1/sessions/{session.id}/readings")
    assert response.status_code == 401


@pytest.mark.parametrize("how", [{"quick_reply": "link:all"}, {"text": "全部关联"}])
def test_linking_one_file_to_many_indicators_waits_for_a_confirmation(
    client: TestClient, how: dict[str, str]
) -> None:
    session = at_first_indicator(client)
    uploaded = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("2026年度工作计划.txt", PLAN, "text/plain")},
        headers=session.auth,
    ).json()
    offered = [ref["id"] for ref in uploaded["reply"]["question"]["indicators"]]
    assert len(offered) > MAX_LINKS_UNCONFIRMED
    evidence_id = uploaded["evidence"]["id"]

    asked = send(client, session, **how)
    assert asked["question"]["kind"] == "evidence"
    assert asked["question"]["quick_replies"][0]["value"] == "link:confirm"
    assert f"超过 {MAX_LINKS_UNCONFIRMED} 项" in asked["text"]
    assert all(ident in asked["text"] for ident in offered)
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    (record,) = [e for e in listed.json()["evidence"] if e["id"] == evidence_id]
    assert record["indicator_ids"] == []

    send(client, session, quick_reply="link:confirm")
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    (record,) = [e for e in listed.json()["evidence"] if e["id"] == evidence_id]
    assert record["indicator_ids"] == offered


def test_two_indicators_are_linked_at_once(client: TestClient) -> None:
    session = at_first_indicator(client)
    client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("2026年度工作计划.txt", PLAN, "text/plain")},
        headers=session.auth,
    )
    reply = send(client, session, quick_reply="link:SS-1-01,SS-2-02")
    assert "已将该文件关联到：SS-1-01、SS-2-02" in reply["text"]
    assert reply["question"]["indicators"][0]["id"] == "SS-1-01"  # the interview resumes
