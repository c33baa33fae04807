"""The console's cookie sign-in: who may sign in, the cookie's flags, and when the cookie
stops authorising (CSRF, another origin, sign-out, a revoked key, an expired login)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.console import COOKIE, CSRF_HEADER, sign_in
from assistant.interview.service import InterviewService
from assistant.security import hash_token
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import Session, make_settings
from tests.utils.api import ALLOWED_ORIGIN, FakeAnswerer, Keys

OWN_ORIGIN = "http://testserver"
OVERRIDE = {"status": "met", "reason": "现场复核"}


def login(client: TestClient, key: str, **headers: str) -> str:
    response = client.post("/console/login", json={"key": key}, headers=headers)
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def override(client: TestClient, session: Session, headers: dict[str, str]) -> int:
    path = f"/api/v1/sessions/{session.id}/findings/SO-1-02"
    return client.put(path, json=OVERRIDE, headers=headers).status_code


def test_an_assessor_key_signs_in_with_a_strict_httponly_cookie(
    client: TestClient, keys: Keys, store: SqlSessionStore
) -> None:
    response = client.post("/console/login", json={"key": keys.assessor})

    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "assessor"
    assert body["label"] == "评估员张三"
    cookie = response.headers["set-cookie"]
    value = cookie.split(";")[0].removeprefix(f"{COOKIE}=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags
    assert "secure" not in flags  # plain http here; https below
    assert len(value) >= 43  # 32 random bytes, base64
    stored = store.find_console_login(hash_token(value))
    assert stored is not None and stored.key_id == "k-assessor"
    assert stored.csrf_hash == hash_token(body["csrf_token"])  # never the token itself
    assert stored.expires_at - stored.created_at == timedelta(hours=8)
    me = client.get("/console/me").json()
    assert me["csrf_token"] == body["csrf_token"] and me["role"] == "assessor"


def test_the_cookie_is_secure_behind_an_https_proxy(client: TestClient, keys: Keys) -> None:
    # The test client's peer is "testclient", not a trusted proxy: its X-Forwarded-Proto is
    # ignored; a request that is itself https gets the Secure flag.
    plain = client.post(
        "/console/login", json={"key": keys.admin}, headers={"X-Forwarded-Proto": "https"}
    )
    secure = client.post("https://testserver/console/login", json={"key": keys.admin})

    assert "secure" not in plain.headers["set-cookie"].lower()
    assert "; secure" in secure.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("language", "fragment"), [("zh-CN", "密钥无效"), ("en", "Invalid or revoked key")]
)
def test_a_wrong_key_is_refused_in_the_callers_language(
    client: TestClient, store: SqlSessionStore, language: str, fragment: str
) -> None:
    response = client.post(
        "/console/login", json={"key": "not-a-key"}, headers={"Accept-Language": language}
    )

    assert response.status_code == 401
    assert fragment in response.json()["error"]["message"]
    assert COOKIE not in response.cookies


def test_a_site_key_cannot_sign_in(client: TestClient, keys: Keys) -> None:
    response = client.post("/console/login", json={"key": keys.site})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_role"
    assert "set-cookie" not in response.headers


def test_signing_in_from_another_origin_is_refused(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/console/login", json={"key": keys.assessor}, headers={"Origin": ALLOWED_ORIGIN}
    )

    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_the_cookie_authorises_reads_and_with_csrf_writes(
    client: TestClient, keys: Keys, session: Session
) -> None:
    csrf = login(client, keys.assessor)

    assert client.get("/api/v1/sessions").status_code == 200
    assert override(client, session, {CSRF_HEADER: csrf, "Origin": OWN_ORIGIN}) == 200
    audit = client.get(f"/api/v1/sessions/{session.id}/audit").json()
    assert "评估员张三" in str(audit["changes"])


@pytest.mark.parametrize(
    ("language", "fragment"), [("zh", "X-CSRF-Token 请求头"), ("en", "X-CSRF-Token header")]
)
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_write_without_the_right_csrf_token_is_refused(
    client: TestClient,
    keys: Keys,
    session: Session,
    language: str,
    fragment: str,
    token: str | None,
) -> None:
    login(client, keys.assessor)
    headers = {"Accept-Language": language}
    if token is not None:
        headers[CSRF_HEADER] = token
    path = f"/api/v1/sessions/{session.id}/findings/SO-1-02"

    response = client.put(path, json=OVERRIDE, headers=headers)

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "csrf_failed" and fragment in error["message"]
    assert client.get(f"/api/v1/sessions/{session.id}/audit").json()["changes"] == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": ALLOWED_ORIGIN},  # a site key's origin, with that site key
        {"Referer": "https://elsewhere.example.com/page"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_the_cookie_is_refused_for_a_request_from_another_origin(
    client: TestClient, keys: Keys, session: Session, headers: dict[str, str]
) -> None:
    csrf = login(client, keys.assessor)
    if "Origin" in headers:
        headers = {**headers, "X-Site-Key": keys.site}

    read = client.get("/api/v1/sessions", headers=headers)
    write = override(client, session, {**headers, CSRF_HEADER: csrf})

    assert read.status_code == 403 and read.json()["error"]["code"] == "cross_origin_cookie"
    assert write == 403
    assert "access-control-allow-credentials" not in read.headers


def test_another_origin_without_a_site_key_is_refused_before_the_cookie(
    client: TestClient, keys: Keys
) -> None:
    login(client, keys.assessor)

    response = client.get("/api/v1/sessions", headers={"Origin": "https://evil.example"})

    assert response.status_code == 401
    assert "access-control-allow-origin" not in response.headers


def test_after_signing_out_the_cookie_is_refused(
    client: TestClient, keys: Keys, store: SqlSessionStore
) -> None:
    csrf = login(client, keys.assessor)
    value = client.cookies[COOKIE]

    assert client.post("/console/logout").status_code == 403  # sign-out needs the token too
    response = client.post("/console/logout", headers={CSRF_HEADER: csrf})

    assert response.status_code == 200
    assert "max-age=0" in response.headers["set-cookie"].lower()
    stored = store.find_console_login(hash_token(value))
    assert stored is not None and stored.revoked_at is not None
    client.cookies.set(COOKIE, value)  # a copy kept by whoever stole it
    refused = client.get("/api/v1/sessions")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "console_signed_out"
    assert client.get("/console/me").status_code == 401


def test_revoking_the_key_ends_its_console_sign_in(
    client: TestClient, keys: Keys, store: SqlSessionStore
) -> None:
    login(client, keys.assessor)
    assert client.get("/api/v1/sessions").status_code == 200

    store.revoke_key("k-assessor")

    assert client.get("/api/v1/sessions").status_code == 401
    assert client.get("/console/me").status_code == 401


def test_an_expired_login_is_refused(
    client: TestClient, keys: Keys, store: SqlSessionStore
) -> None:
    key = store.find_key(hash_token(keys.assessor))
    assert key is not None
    old = sign_in(store, key, 8, now=datetime.now(UTC) - timedelta(hours=9))
    client.cookies.set(COOKIE, old.cookie)

    response = client.get("/api/v1/sessions", headers={"Accept-Language": "en"})

    assert response.status_code == 401
    assert "sign in again" in response.json()["error"]["message"]


def test_an_assessor_cookie_is_not_an_admin(client: TestClient, keys: Keys) -> None:
    csrf = login(client, keys.assessor)

    response = client.post("/api/v1/admin/reindex", headers={CSRF_HEADER: csrf})

    assert response.status_code == 401  # admin routes read keys only, never the cookie


def test_the_console_lifetime_setting_is_honoured(
    service: InterviewService, keys: Keys, store: SqlSessionStore, tmp_path: Path
) -> None:
    app = create_app(
        make_settings(tmp_path, console_hours=2), service=service, answerer=FakeAnswerer()
    )
    with TestClient(app) as client:
        response = client.post("/console/login", json={"key": keys.admin})

    value = response.cookies[COOKIE]
    stored = store.find_console_login(hash_token(value))
    assert stored is not None
    assert stored.expires_at - stored.created_at == timedelta(hours=2)
    assert "max-age=7200" in response.headers["set-cookie"].lower()


def test_console_sign_in_counts_against_the_rate_limit(
    service: InterviewService, tmp_path: Path
) -> None:
    app = create_app(
        make_settings(tmp_path, rate_limit_per_minute=3), service=service, answerer=FakeAnswerer()
    )
    with TestClient(app) as client:
        statuses = [
            client.post("/console/login", json={"key": f"guess-{n}"}).status_code for n in range(5)
        ]

    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


def test_the_assessor_page_cannot_be_framed_and_runs_no_inline_script(
    service: InterviewService, tmp_path: Path
) -> None:
    web = Path(__file__).resolve().parents[2] / "web"
    app = create_app(make_settings(tmp_path, web_dir=web), service=service, answerer=FakeAnswerer())
    with TestClient(app) as client:
        response = client.get("/assessor")

    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    scripts = response.text.count("<script")
    assert scripts == response.text.count('<script type="module" src="static/console/')
