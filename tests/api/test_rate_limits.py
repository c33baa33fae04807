"""Sliding-window rate limits per client address and per site key."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api import create_app
from api.ratelimit import SlidingWindowLimiter
from assistant.interview.service import InterviewService
from tests.api.conftest import make_settings
from tests.utils.api import ALLOWED_ORIGIN, Keys, add_keys


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, window_s=60, clock=clock)

    assert limiter.hit("a") == 0
    clock.now += 10
    assert limiter.hit("a") == 0
    assert limiter.hit("a") == 50  # the first hit leaves the window in 50 s
    assert limiter.hit("b") == 0  # keys are counted apart
    clock.now += 50
    assert limiter.hit("a") == 0
    assert limiter.hit("a") == 10


def test_a_zero_limit_allows_everything() -> None:
    limiter = SlidingWindowLimiter(0)

    assert all(limiter.hit("a") == 0 for _ in range(1000))


def test_too_many_requests_from_one_address_are_429(
    service: InterviewService, tmp_path: Path
) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=3), service=service)
    with TestClient(app) as client:
        statuses = [client.get("/api/v1/catalog").status_code for _ in range(3)]
        refused = client.get("/api/v1/catalog", headers={"Accept-Language": "en"})
        page = client.get("/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"]["message"].startswith("Too many requests")
    assert page.status_code == 200  # pages are not limited


def test_a_site_key_has_its_own_limit(service: InterviewService, tmp_path: Path) -> None:
    keys: Keys = add_keys(service.store)
    settings = make_settings(tmp_path, site_rate_limit_per_minute=2)
    app = create_app(settings, service=service)
    headers = {"Origin": ALLOWED_ORIGIN, "X-Site-Key": keys.site}
    with TestClient(app) as client:
        statuses = [client.get("/api/v1/catalog", headers=headers).status_code for _ in range(3)]
        without_key = client.get("/api/v1/catalog")

    assert statuses == [200, 200, 429]
    assert without_key.status_code == 200


def test_preflights_are_not_counted(service: InterviewService, tmp_path: Path) -> None:
    add_keys(service.store)
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=1), service=service)
    preflight = {"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "GET"}
    with TestClient(app) as client:
        answers = [
            client.options("/api/v1/catalog", headers=preflight).status_code for _ in range(3)
        ]
        first = client.get("/api/v1/catalog")

    assert answers == [204, 204, 204]
    assert first.status_code == 200
