"""Assessors override findings with a reason kept in the audit trail; admins maintain the index."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.storage import SessionStore
from tests.api.conftest import Session
from tests.utils.api import FakeMaintenance, Keys


def staff(key: str, **headers: str) -> dict[str, str]:
    return {"X-API-Key": key, **headers}


def test_an_override_is_rated_audited_and_shown_to_the_applicant(
    client: TestClient, session: Session, keys: Keys
) -> None:
    response = client.put(
        f"/api/v1/sessions/{session.id}/findings/SO-1-02",
        json={"status": "largely_met", "reason": "  现场核验台账，3 月缺两笔。 "},
        headers=staff(keys.assessor),
    )

    assert response.status_code == 200
    rating = response.json()
    result = next(r for r in rating["indicators"] if r["indicator_id"] == "SO-1-02")
    assert result["declared"] == "largely_met"

    audit = client.get(f"/api/v1/sessions/{session.id}/audit", headers=staff(keys.assessor))
    assert audit.status_code == 200
    change = audit.json()["changes"][-1]
    assert change["indicator_id"] == "SO-1-02"
    assert change["status"] == "largely_met"
    assert change["previous"] is None
    assert change["actor"] == "assessor"
    assert change["actor_name"] == "评估员张三"
    assert change["reason"] == "现场核验台账，3 月缺两笔。"

    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    assert view["findings"]["SO-1-02"]["assessor_confirmed"] is True
    assert "评估员张三" in view["reply"]["text"]


def test_the_audit_filters_by_indicator(client: TestClient, session: Session, keys: Keys) -> None:
    for indicator, status in (
        ("SO-1-02", "met"),
        ("SS-1-01", "not_met"),
        ("SO-1-02", "partly_met"),
    ):
        client.put(
            f"/api/v1/sessions/{session.id}/findings/{indicator}",
            json={"status": status, "reason": "复核"},
            headers=staff(keys.admin),
        )

    audit = client.get(
        f"/api/v1/sessions/{session.id}/audit",
        params={"indicator_id": "SO-1-02"},
        headers=staff(keys.assessor),
    ).json()

    assert [(c["previous"], c["status"]) for c in audit["changes"]] == [
        (None, "met"),
        ("met", "partly_met"),
    ]
    assert {c["actor_name"] for c in audit["changes"]} == {"管理员"}


def test_an_override_needs_a_reason(client: TestClient, session: Session, keys: Keys) -> None:
    for body, field in (
        ({"status": "met"}, "body.reason"),
        ({"status": "met", "reason": "  "}, "body.reason"),
    ):
        response = client.put(
            f"/api/v1/sessions/{session.id}/findings/SO-1-02",
            json=body,
            headers=staff(keys.assessor),
        )
        assert response.status_code == 422
        assert response.json()["error"]["field"] == field


def test_an_override_of_an_unknown_indicator_or_session_is_refused(
    client: TestClient, session: Session, keys: Keys
) -> None:
    unknown_indicator = client.put(
        f"/api/v1/sessions/{session.id}/findings/SO-9-99",
        json={"status": "met", "reason": "复核"},
        headers=staff(keys.assessor),
    )
    unknown_session = client.put(
        "/api/v1/sessions/nope/findings/SO-1-02",
        json={"status": "met", "reason": "复核"},
        headers=staff(keys.assessor),
    )

    assert unknown_indicator.status_code == 422
    assert unknown_indicator.json()["error"]["code"] == "findings_error"
    assert unknown_session.status_code == 404


def test_assessors_list_sessions_newest_first(client: TestClient, keys: Keys) -> None:
    ids = [client.post("/api/v1/sessions").json()["session_id"] for _ in range(3)]

    response = client.get("/api/v1/sessions", params={"limit": 2}, headers=staff(keys.assessor))

    assert response.status_code == 200
    body = response.json()
    assert (body["limit"], body["offset"]) == (2, 0)
    assert [s["id"] for s in body["sessions"]] == ids[::-1][:2]
    assert body["sessions"][0]["stage"] == "profile"


def test_assessors_read_any_session_but_do_not_answer_for_it(
    client: TestClient, session: Session, keys: Keys
) -> None:
    read = client.get(f"/api/v1/sessions/{session.id}", headers=staff(keys.assessor))
    write = client.post(
        f"/api/v1/sessions/{session.id}/messages", json={"text": "x"}, headers=staff(keys.assessor)
    )

    assert read.status_code == 200
    assert write.status_code == 403


def test_admins_reindex(client: TestClient, keys: Keys, maintenance: FakeMaintenance) -> None:
    response = client.post("/api/v1/admin/reindex", headers=staff(keys.admin))

    assert response.status_code == 200
    assert response.json() == {"rebuilt": True, "chunks": 345, "seconds": 1.5}
    assert maintenance.reindexed == 1


def test_admins_ingest_a_document(
    client: TestClient, keys: Keys, maintenance: FakeMaintenance
) -> None:
    response = client.post(
        "/api/v1/admin/documents",
        files={"file": ("标准正式文本.md", "## 6.3 服务平台\n\n机构应……".encode())},
        headers=staff(keys.admin),
    )

    assert response.status_code == 201
    assert response.json()["clauses"] == 12
    assert response.json()["index"]["chunks"] == 345
    assert maintenance.ingested == [("标准正式文本.md", "## 6.3 服务平台\n\n机构应……".encode())]


def test_assessors_do_not_maintain_the_index(
    client: TestClient, keys: Keys, maintenance: FakeMaintenance
) -> None:
    response = client.post("/api/v1/admin/reindex", headers=staff(keys.assessor))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_role"
    assert maintenance.reindexed == 0


def test_a_revoked_or_unknown_key_is_401(
    client: TestClient, keys: Keys, store: SessionStore
) -> None:
    before = client.get("/api/v1/sessions", headers=staff(keys.assessor))
    store.revoke_key("k-assessor")

    revoked = client.get("/api/v1/sessions", headers=staff(keys.assessor))
    unknown = client.get("/api/v1/sessions", headers=staff("smecmm_admin_guess"))
    site_as_staff = client.get("/api/v1/sessions", headers=staff(keys.site))

    assert before.status_code == 200
    assert revoked.status_code == 401
    assert unknown.status_code == 401
    assert unknown.json()["error"]["code"] == "invalid_api_key"
    assert site_as_staff.status_code == 401
