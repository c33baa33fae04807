"""Signed site tokens: the format, the checks, per-site secrets, one-time ``jti``, and what a
valid token does to a new session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.site_token import SiteTokenError, SiteTokenProblem, sign_site_token, verify_site_token
from assistant.cli.key_commands import rotate_site_secret
from assistant.interview.service import InterviewService
from assistant.security import hash_token
from assistant.storage import KeyRole, SessionStore
from tests.api.conftest import make_settings
from tests.utils.api import ALLOWED_ORIGIN, OTHER_SITE_SECRET, SITE_SECRET, Keys
from tests.utils.sessions import api_key

NOW = 1_780_000_000


def readme_token(secret: str, institution: str, site: str, exp: int) -> str:
    """The README's five-line example, kept here so the documentation cannot drift."""

    def b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    claims = {"institution": institution, "site": site, "exp": exp}
    payload = b64(json.dumps(claims, ensure_ascii=False).encode())
    return payload + "." + b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def test_the_documented_signing_matches_the_library() -> None:
    token = readme_token(SITE_SECRET, "示例服务中心", "k-site", NOW + 300)

    assert token == sign_site_token(
        SITE_SECRET, institution="示例服务中心", site="k-site", exp=NOW + 300
    )
    claims = verify_site_token(token, SITE_SECRET, now=NOW, max_age_s=600)
    assert (claims.institution, claims.site, claims.exp, claims.jti) == (
        "示例服务中心",
        "k-site",
        NOW + 300,
        None,
    )


def test_a_jti_is_signed_and_read_back() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW + 60, jti="n-1")

    assert verify_site_token(token, SITE_SECRET, now=NOW, max_age_s=600).jti == "n-1"


def problem(token: str, *, now: float = NOW, secret: str = SITE_SECRET) -> SiteTokenProblem:
    with pytest.raises(SiteTokenError) as caught:
        verify_site_token(token, secret, now=now, max_age_s=600)
    return caught.value.problem


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = sign_site_token(OTHER_SITE_SECRET, institution="甲", site="k-site", exp=NOW + 60)

    assert problem(token) is SiteTokenProblem.BAD_SIGNATURE


def test_a_changed_payload_breaks_the_signature() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW + 60)
    _, signature = token.split(".")
    forged = sign_site_token(OTHER_SITE_SECRET, institution="乙", site="k-site", exp=NOW + 60)

    assert problem(f"{forged.split('.')[0]}.{signature}") is SiteTokenProblem.BAD_SIGNATURE


def test_an_expired_token_is_refused() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW - 1)

    assert problem(token) is SiteTokenProblem.EXPIRED


def test_a_token_living_longer_than_allowed_is_refused() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW + 86_400)

    assert problem(token) is SiteTokenProblem.TOO_LONG_LIVED


def signed(payload: object, secret: str = SITE_SECRET) -> str:
    part = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    digest = hmac.new(secret.encode(), part.encode(), hashlib.sha256).digest()
    return part + "." + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.mark.parametrize("secret", ["", " " * 40, "short-secret", "x" * 31])
def test_an_empty_or_short_secret_never_verifies_nor_signs(secret: str) -> None:
    token = signed({"institution": "甲", "site": "k", "exp": NOW + 60}, secret)

    assert problem(token, secret=secret) is SiteTokenProblem.NO_SECRET
    with pytest.raises(SiteTokenError):
        sign_site_token(secret, institution="甲", site="k", exp=NOW + 60)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "no-dot",
        ".",
        "payload.",
        "@@@.@@@",
        signed(["not", "an", "object"]),
        signed({"institution": "", "site": "k", "exp": NOW + 60}),
        signed({"institution": "甲", "site": "k", "exp": "soon"}),
        signed({"institution": "甲", "site": "k", "exp": True}),
        signed({"institution": "甲", "exp": NOW + 60}),
        signed({"institution": "长" * 201, "site": "k", "exp": NOW + 60}),
        signed({"institution": "甲", "site": "k", "exp": NOW + 60, "jti": ""}),
        signed({"institution": "甲", "site": "k", "exp": NOW + 60, "jti": 7}),
        signed({"institution": "甲", "site": "k", "exp": NOW + 60, "jti": "j" * 129}),
    ],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert problem(token) in (SiteTokenProblem.MALFORMED, SiteTokenProblem.BAD_SIGNATURE)


# ---------------------------------------------------------------- over HTTP


def fresh(
    institution: str = "深圳市示例中小企业服务中心",
    site: str = "k-site",
    ttl: int = 300,
    secret: str = SITE_SECRET,
    jti: str | None = None,
) -> str:
    exp = int(time.time()) + ttl
    return sign_site_token(secret, institution=institution, site=site, exp=exp, jti=jti)


def with_key(key: str, token: str) -> dict[str, str]:
    return {"Origin": ALLOWED_ORIGIN, "X-Site-Key": key, "X-Site-Token": token}


def test_a_valid_token_names_the_owner_and_the_institution(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/sessions",
        json={"profile": {"name": "别的名字", "target_stars": 3}},
        headers=with_key(keys.site, fresh()),
    )

    assert response.status_code == 201
    body = response.json()
    view = client.get(
        f"/api/v1/sessions/{body['session_id']}",
        headers={"Authorization": f"Bearer {body['token']}"},
    ).json()
    assert view["owner"] == "深圳市示例中小企业服务中心"
    assert view["profile"]["name"] == "深圳市示例中小企业服务中心"
    assert view["profile"]["target_stars"] == 3
    assert body["reply"]["question"]["field"] == "institution_type"


def test_the_token_may_come_in_the_body_beside_its_site_key(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/sessions",
        json={"site_token": fresh(institution="乙机构")},
        headers={"X-Site-Key": keys.site},
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"X-Site-Token": "TOKEN"}, None),
        ({}, {"site_token": "TOKEN"}),
    ],
)
def test_a_token_without_its_site_key_is_refused(
    client: TestClient, store: SessionStore, headers: dict[str, str], body: object
) -> None:
    token = fresh()
    sent_headers = {name: value.replace("TOKEN", token) for name, value in headers.items()}
    sent_body = json.loads(json.dumps(body).replace("TOKEN", token)) if body else None

    response = client.post("/api/v1/sessions", headers=sent_headers, json=sent_body)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "site_key_required"
    assert store.list_sessions() == []  # nothing written


@pytest.mark.parametrize(
    ("key", "token", "status", "code"),
    [
        ("site", lambda: fresh(ttl=-5), 401, "site_token_expired"),
        ("site", lambda: fresh() + "x", 401, "invalid_site_token"),
        ("site", lambda: fresh(secret=OTHER_SITE_SECRET), 401, "invalid_site_token"),
        # A token for site A (signed with A's secret) sent with site B's key:
        ("bare_site", lambda: fresh(), 401, "invalid_site_token"),
        # B signs a token naming A: the signature holds, the site does not.
        ("site", lambda: fresh(site="k-bare"), 403, "site_token_mismatch"),
        ("bare_site", lambda: fresh(site="k-site", secret=OTHER_SITE_SECRET), 403,
         "site_token_mismatch"),
    ],
)  # fmt: skip
def test_bad_tokens_are_refused_over_http(
    client: TestClient,
    keys: Keys,
    store: SessionStore,
    key: str,
    token: Callable[[], str],
    status: int,
    code: str,
) -> None:
    headers = with_key(getattr(keys, key), token())
    if key == "bare_site":
        del headers["Origin"]  # k-bare allows no origin; called from the server's own

    response = client.post("/api/v1/sessions", headers=headers)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert store.list_sessions() == []


def test_each_site_key_verifies_with_its_own_secret(client: TestClient, keys: Keys) -> None:
    token = fresh(site="k-bare", secret=OTHER_SITE_SECRET)

    response = client.post(
        "/api/v1/sessions", headers={"X-Site-Key": keys.bare_site, "X-Site-Token": token}
    )

    assert response.status_code == 201


def test_a_site_key_without_a_secret_accepts_no_token(
    client: TestClient, store: SessionStore
) -> None:
    key = "smecmm_site_legacy-secret-value"  # made before site keys had secrets
    legacy = api_key("k-legacy", KeyRole.SITE).model_copy(update={"key_hash": hash_token(key)})
    store.add_key(legacy)

    response = client.post(
        "/api/v1/sessions",
        headers={"X-Site-Key": key, "X-Site-Token": fresh(site="k-legacy")},
    )

    assert response.status_code == 401
    body = response.json()["error"]
    assert body["code"] == "site_token_secret_missing"
    assert "smecmm keys rotate-secret k-legacy" in body["message"]


def test_a_one_time_token_is_refused_the_second_time(
    client: TestClient, keys: Keys, store: SessionStore
) -> None:
    once = fresh(jti="login-7f3a")
    again = fresh(jti="login-7f3a", institution="另一个机构")  # a new token, the same jti

    first = client.post("/api/v1/sessions", headers=with_key(keys.site, once))
    replayed = client.post("/api/v1/sessions", headers=with_key(keys.site, once))
    reused = client.post("/api/v1/sessions", headers=with_key(keys.site, again))

    assert first.status_code == 201
    assert [r.status_code for r in (replayed, reused)] == [401, 401]
    assert replayed.json()["error"]["code"] == "site_token_replayed"
    assert len(store.list_sessions()) == 1


def test_a_token_without_jti_may_be_used_again(client: TestClient, keys: Keys) -> None:
    token = fresh()

    statuses = [
        client.post("/api/v1/sessions", headers=with_key(keys.site, token)).status_code
        for _ in range(2)
    ]

    assert statuses == [201, 201]


def test_a_rotated_secret_stops_the_old_tokens_at_once(
    client: TestClient, keys: Keys, store: SessionStore
) -> None:
    old = fresh()
    secret = rotate_site_secret(store, keys.site_id)

    refused = client.post("/api/v1/sessions", headers=with_key(keys.site, old))
    accepted = client.post("/api/v1/sessions", headers=with_key(keys.site, fresh(secret=secret)))

    assert refused.status_code == 401 and accepted.status_code == 201
    assert secret != SITE_SECRET and len(secret) >= 43


def test_the_retired_global_secret_is_named_at_start_up_and_verifies_nothing(
    service: InterviewService, keys: Keys, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    global_secret = "the-retired-global-secret-0123456789"
    app = create_app(make_settings(tmp_path, site_token_secret=global_secret), service=service)
    with caplog.at_level(logging.WARNING, logger="api.upkeep"), TestClient(app) as client:
        response = client.post(
            "/api/v1/sessions", headers=with_key(keys.site, fresh(secret=global_secret))
        )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_site_token"
    [notice] = [r.getMessage() for r in caplog.records if "SMECMM_SITE_TOKEN_SECRET" in r.message]
    assert "已停用" in notice and "is retired" in notice and "rotate-secret" in notice
