"""Cross-origin calls, the pages' security headers and frame-ancestors per site key."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from api.middleware import OriginAllowList, invalidate_allowed_origins
from assistant.cli.key_commands import issue_key
from assistant.settings import Settings
from assistant.storage import KeyRole
from assistant.storage.sql import SqlSessionStore
from tests.utils.api import ALLOWED_ORIGIN, OTHER_ORIGIN, Keys

PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, x-site-key",
}


def test_a_preflight_from_an_allowed_origin_is_answered(client: TestClient, keys: Keys) -> None:
    response = client.options("/api/v1/sessions", headers={"Origin": ALLOWED_ORIGIN, **PREFLIGHT})

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "x-site-key" in allowed and "authorization" in allowed
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["vary"] == "Origin"


@pytest.mark.parametrize("origin", [OTHER_ORIGIN, "null", "https://sme.example.org.evil.com"])
def test_a_preflight_from_another_origin_is_refused(
    client: TestClient, keys: Keys, origin: str
) -> None:
    response = client.options("/api/v1/sessions", headers={"Origin": origin, **PREFLIGHT})

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert response.json()["error"]["code"] == "origin_not_allowed"


def test_a_revoked_keys_origins_are_not_allowed(client: TestClient, keys: Keys) -> None:
    # OTHER_ORIGIN is listed only by the revoked key.
    response = client.options("/api/v1/ask", headers={"Origin": OTHER_ORIGIN, **PREFLIGHT})

    assert response.status_code == 403


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_allow_list_is_read_once_per_ttl_or_key_change() -> None:
    reads: list[float] = []
    clock = Clock()

    def read() -> frozenset[str]:
        reads.append(clock.now)
        return frozenset({f"https://site{len(reads)}.example"})

    allow_list = OriginAllowList(read, ttl_s=5, clock=clock)

    async def origins_at(*moments: float) -> list[frozenset[str]]:
        seen = []
        for moment in moments:
            clock.now = moment
            seen.append(await allow_list.origins())
        return seen

    first = asyncio.run(origins_at(100, 101, 104.9))
    assert reads == [100] and len(set(first)) == 1
    assert allow_list.known("https://site1.example") and not allow_list.known(OTHER_ORIGIN)
    asyncio.run(origins_at(105, 106))
    assert reads == [100, 105]
    invalidate_allowed_origins()
    assert asyncio.run(origins_at(106.5)) == [frozenset({"https://site3.example"})]
    assert reads == [100, 105, 106.5]


def test_a_key_added_in_this_process_is_allowed_after_the_invalidation(
    client: TestClient, store: SqlSessionStore
) -> None:
    new_origin = "https://partner.example.net"
    headers = {"Origin": new_origin, **PREFLIGHT}
    before = client.options("/api/v1/sessions", headers=headers)
    issue_key(store, KeyRole.SITE, label="新网站", origins=(new_origin,))
    cached = client.options("/api/v1/sessions", headers=headers)
    invalidate_allowed_origins()
    after = client.options("/api/v1/sessions", headers=headers)

    assert (before.status_code, cached.status_code, after.status_code) == (403, 403, 204)
    assert after.headers["access-control-allow-origin"] == new_origin


def test_a_cross_origin_call_with_its_site_key_is_readable(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/sessions", headers={"Origin": ALLOWED_ORIGIN, "X-Site-Key": keys.site}
    )

    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "Retry-After" in response.headers["access-control-expose-headers"]


def test_the_server_refuses_a_cross_origin_call_without_a_site_key(
    client: TestClient, keys: Keys
) -> None:
    response = client.post("/api/v1/sessions", headers={"Origin": ALLOWED_ORIGIN})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "site_key_required"
    # The allow-origin header is there so the widget can read the refusal.
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_a_site_key_used_from_an_origin_it_does_not_list_is_403(
    client: TestClient, keys: Keys
) -> None:
    response = client.post(
        "/api/v1/sessions",
        headers={"Origin": "http://localhost:3000", "X-Site-Key": keys.bare_site},
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"


def test_same_origin_calls_need_no_key(client: TestClient) -> None:
    response = client.post("/api/v1/sessions", headers={"Origin": "http://testserver"})

    assert response.status_code == 201
    assert "access-control-allow-origin" not in response.headers


def test_the_chat_page_carries_a_strict_policy(client: TestClient) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def frame_ancestors(client: TestClient, **params: str) -> str:
    response = client.get("/embed", params=params)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    return policy.rsplit("frame-ancestors ", 1)[1]


def test_the_embed_page_may_be_framed_only_by_the_keys_origins(
    client: TestClient, keys: Keys
) -> None:
    assert frame_ancestors(client, site_key=keys.site) == f"{ALLOWED_ORIGIN} http://localhost:3000"
    assert frame_ancestors(client, site_key=keys.bare_site) == "'self'"
    assert frame_ancestors(client, site_key=keys.revoked_site) == "'none'"
    assert frame_ancestors(client, site_key=keys.assessor) == "'none'"
    assert frame_ancestors(client, site_key="smecmm_site_unknown") == "'none'"
    assert frame_ancestors(client) == "'none'"


def test_the_widget_script_is_javascript_and_cacheable(client: TestClient) -> None:
    response = client.get("/widget.js")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "etag" in response.headers


def test_static_files_are_served(client: TestClient) -> None:
    response = client.get("/static/chat.css")
    missing = client.get("/static/none.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert missing.status_code == 404


def test_a_missing_page_file_is_404(client: TestClient, settings: Settings) -> None:
    (settings.web_dir / "embed.html").unlink()

    response = client.get("/embed")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_documentation_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/catalog", "/", "/api/v1/nothing-here"])
def test_every_response_says_how_long_the_server_spent(client: TestClient, path: str) -> None:
    timing = client.get(path).headers["Server-Timing"]
    name, _, duration = timing.partition(";dur=")
    assert name == "app" and float(duration) >= 0
