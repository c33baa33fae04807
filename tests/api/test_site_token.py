"""Signed site tokens: the format, the checks, and what a valid one does to a new session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.site_token import SiteTokenError, SiteTokenProblem, sign_site_token, verify_site_token
from assistant.interview.service import InterviewService
from tests.api.conftest import make_settings
from tests.utils.api import ALLOWED_ORIGIN, SITE_SECRET, Keys

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
    assert (claims.institution, claims.site, claims.exp) == ("示例服务中心", "k-site", NOW + 300)


def problem(token: str, *, now: float = NOW, secret: str = SITE_SECRET) -> SiteTokenProblem:
    with pytest.raises(SiteTokenError) as caught:
        verify_site_token(token, secret, now=now, max_age_s=600)
    return caught.value.problem


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = sign_site_token("another-secret", institution="甲", site="k-site", exp=NOW + 60)

    assert problem(token) is SiteTokenProblem.BAD_SIGNATURE


def test_a_changed_payload_breaks_the_signature() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW + 60)
    _, signature = token.split(".")
    forged = sign_site_token("x", institution="乙", site="k-site", exp=NOW + 60).split(".")[0]

    assert problem(f"{forged}.{signature}") is SiteTokenProblem.BAD_SIGNATURE


def test_an_expired_token_is_refused() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW - 1)

    assert problem(token) is SiteTokenProblem.EXPIRED


def test_a_token_living_longer_than_allowed_is_refused() -> None:
    token = sign_site_token(SITE_SECRET, institution="甲", site="k-site", exp=NOW + 86_400)

    assert problem(token) is SiteTokenProblem.TOO_LONG_LIVED


def signed(payload: object) -> str:
    part = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    digest = hmac.new(SITE_SECRET.encode(), part.encode(), hashlib.sha256).digest()
    return part + "." + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


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
    ],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert problem(token) in (SiteTokenProblem.MALFORMED, SiteTokenProblem.BAD_SIGNATURE)


def fresh(
    institution: str = "深圳市示例中小企业服务中心", site: str = "k-site", ttl: int = 300
) -> str:
    return sign_site_token(
        SITE_SECRET, institution=institution, site=site, exp=int(time.time()) + ttl
    )


def test_a_valid_token_names_the_owner_and_the_institution(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/sessions",
        json={"profile": {"name": "别的名字", "target_stars": 3}},
        headers={"Origin": ALLOWED_ORIGIN, "X-Site-Key": keys.site, "X-Site-Token": fresh()},
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


def test_the_token_may_come_in_the_body(client: TestClient) -> None:
    response = client.post("/api/v1/sessions", json={"site_token": fresh(institution="乙机构")})

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [
        (lambda: fresh(ttl=-5), 401, "site_token_expired"),
        (lambda: fresh() + "x", 401, "invalid_site_token"),
        (
            lambda: sign_site_token(
                "wrong", institution="甲", site="k-site", exp=int(time.time()) + 60
            ),
            401,
            "invalid_site_token",
        ),
        (lambda: fresh(site="k-other"), 403, "site_token_mismatch"),
    ],
)
def test_bad_tokens_are_refused_over_http(
    client: TestClient, keys: Keys, token: Callable[[], str], status: int, code: str
) -> None:
    response = client.post(
        "/api/v1/sessions",
        headers={"Origin": ALLOWED_ORIGIN, "X-Site-Key": keys.site, "X-Site-Token": token()},
    )

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_without_a_secret_no_token_is_accepted(service: InterviewService, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, site_token_secret=None), service=service)
    with TestClient(app) as client:
        response = client.post("/api/v1/sessions", headers={"X-Site-Token": fresh()})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_site_token"
