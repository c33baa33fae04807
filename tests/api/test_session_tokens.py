"""Session tokens over HTTP: idle expiry (on an injected clock), signing out with a resume
code, continuing on another device once, and an admin's revocation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import create_app
from assistant.evidence import FileBlobStore
from assistant.interview.runtime import assemble
from assistant.interview.service import InterviewService
from assistant.interview.tokens import TokenPolicy
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.storage import InMemorySessionStore
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import Session, make_settings, start_session
from tests.utils.api import Keys, bearer
from tests.utils.interview import Clock

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$")
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def clock() -> Clock:
    return Clock(START, step=timedelta(0))


@pytest.fixture
def timed_client(
    real_catalog: Catalog,
    real_rules: RuleSet,
    store: SqlSessionStore,
    clock: Clock,
    keys: Keys,
    tmp_path: Path,
) -> Iterator[TestClient]:
    """The app over a service whose clock the test moves; tokens idle out after 30 days."""
    desk = UploadDesk(real_catalog, FileBlobStore(tmp_path / "evidence"), max_bytes=1 << 20)
    service = InterviewService(
        real_catalog,
        real_rules,
        store,
        desk=desk,
        clock=clock,
        token_policy=TokenPolicy(idle=timedelta(days=30)),
    )
    app = create_app(make_settings(tmp_path), service=service)
    with TestClient(app) as client:
        yield client


def read(client: TestClient, session: Session, **headers: str) -> Any:
    return client.get(f"/api/v1/sessions/{session.id}", headers={**session.auth, **headers})


def answer(client: TestClient, session: Session, text: str = "示例服务中心") -> Any:
    return client.post(
        f"/api/v1/sessions/{session.id}/messages", json={"text": text}, headers=session.auth
    )


def turns(store: SqlSessionStore, session: Session) -> int:
    return len(store.turns(session.id))


def sign_out(client: TestClient, session: Session) -> str:
    issued = client.post(f"/api/v1/sessions/{session.id}/resume-code", headers=session.auth)
    assert issued.status_code == 201, issued.text
    out = client.post(f"/api/v1/sessions/{session.id}/sign-out", headers=session.auth)
    assert out.status_code == 200, out.text
    code: str = issued.json()["code"]
    return code


def resume(client: TestClient, code: str) -> Any:
    return client.post("/api/v1/sessions/resume", json={"code": code})


# ---------------------------------------------------------------- idle expiry


def test_a_token_used_within_the_idle_time_keeps_working(
    timed_client: TestClient, clock: Clock
) -> None:
    session = start_session(timed_client)
    for _ in range(3):  # 87 days in all, never 30 in a row without use: idle, not absolute
        clock.current += timedelta(days=29)
        assert read(timed_client, session).status_code == 200


def test_a_token_unused_for_the_idle_time_is_refused_saying_why(
    timed_client: TestClient, clock: Clock, store: SqlSessionStore
) -> None:
    session = start_session(timed_client)
    clock.current += timedelta(days=30)

    zh, en = read(timed_client, session), read(timed_client, session, **ENGLISH)
    sent = answer(timed_client, session)

    assert [zh.status_code, en.status_code, sent.status_code] == [401, 401, 401]
    assert zh.json()["error"]["code"] == "session_token_expired"
    assert "30 天未使用" in zh.json()["error"]["message"]
    assert "恢复码" in zh.json()["error"]["message"]
    assert "not used for 30 days" in en.json()["error"]["message"]
    assert turns(store, session) == 1  # the refused answer wrote nothing


def test_a_read_records_the_use_at_most_hourly(
    timed_client: TestClient, clock: Clock, store: SqlSessionStore
) -> None:
    session = start_session(timed_client)
    clock.current += timedelta(hours=2)
    read(timed_client, session)
    clock.current += timedelta(minutes=10)
    read(timed_client, session)

    assert store.get(session.id).token_seen_at == START + timedelta(hours=2)


# ---------------------------------------------------------------- sign-out and resume


def test_signing_out_stops_the_token_and_the_code_continues_once(
    client: TestClient, store: SqlSessionStore
) -> None:
    session = start_session(client)
    assert answer(client, session).status_code == 200
    last = read(client, session).json()["reply"]
    code = sign_out(client, session)

    refused = read(client, session)
    late = answer(client, session, "另一台电脑上的回答")
    resumed = resume(client, f"  {code.lower().replace('-', ' ')} ")  # as a person types it
    again = resume(client, code)

    assert CODE.match(code), code
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "session_token_revoked"
    assert late.status_code == 401 and turns(store, session) == 2
    assert resumed.status_code == 200, resumed.text
    body = resumed.json()
    assert body["session_id"] == session.id and body["reply"] == last
    assert read(client, Session(session.id, body["token"])).status_code == 200
    assert read(client, session).json()["error"]["code"] == "invalid_session_token"
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "invalid_resume_code"


def test_the_resume_code_is_stored_hashed(client: TestClient, store: SqlSessionStore) -> None:
    session = start_session(client)
    code = sign_out(client, session)

    with store.engine.connect() as conn:
        dumped = "\n".join(str(row) for row in conn.exec_driver_sql("SELECT * FROM resume_codes"))
    assert code not in dumped and code.replace("-", "") not in dumped


def test_a_new_code_replaces_the_earlier_one(client: TestClient) -> None:
    session = start_session(client)
    first = client.post(f"/api/v1/sessions/{session.id}/resume-code", headers=session.auth)
    second = sign_out(client, session)

    assert resume(client, first.json()["code"]).status_code == 401
    assert resume(client, second).status_code == 200


def test_a_code_expires_with_the_idle_time(timed_client: TestClient, clock: Clock) -> None:
    session = start_session(timed_client)
    code = sign_out(timed_client, session)
    clock.current += timedelta(days=30)

    assert resume(timed_client, code).status_code == 401


@pytest.mark.parametrize("code", ["", "x" * 65, "not-a-code", "0000-0000-0000-0000-0000"])
def test_wrong_codes_are_refused_the_same_way(client: TestClient, code: str) -> None:
    response = resume(client, code)

    assert response.status_code in (401, 422)
    assert response.json()["error"]["code"] in ("invalid_resume_code", "validation_error")


def test_another_token_learns_nothing_about_a_signed_out_session(client: TestClient) -> None:
    session, other = start_session(client), start_session(client)
    sign_out(client, session)

    response = client.get(f"/api/v1/sessions/{session.id}", headers=other.auth)

    assert response.json()["error"]["code"] == "invalid_session_token"


# ---------------------------------------------------------------- admin revocation


def test_an_admin_revokes_the_token_and_its_resume_code(
    client: TestClient, keys: Keys, store: SqlSessionStore
) -> None:
    session = start_session(client)
    code = client.post(f"/api/v1/sessions/{session.id}/resume-code", headers=session.auth)
    admin = {"X-API-Key": keys.admin}

    revoked = client.post(f"/api/v1/admin/sessions/{session.id}/revoke", headers=admin)

    assert revoked.status_code == 200
    assert revoked.json()["session_id"] == session.id
    assert read(client, session).json()["error"]["code"] == "session_token_revoked"
    assert resume(client, code.json()["code"]).status_code == 401
    staff = client.get(f"/api/v1/sessions/{session.id}", headers={"X-API-Key": keys.assessor})
    assert staff.status_code == 200  # the session itself is kept
    missing = client.post("/api/v1/admin/sessions/nope/revoke", headers=admin)
    assert missing.status_code == 404


def test_signing_out_twice_is_refused_the_second_time(client: TestClient) -> None:
    session = start_session(client)
    sign_out(client, session)

    again = client.post(f"/api/v1/sessions/{session.id}/sign-out", headers=bearer(session.token))

    assert again.status_code == 401


def test_the_idle_setting_reaches_the_service(tmp_path: Path) -> None:
    parts = assemble(make_settings(tmp_path, session_token_idle_days=7), InMemorySessionStore())

    assert parts.service.tokens.policy.idle == timedelta(days=7)
