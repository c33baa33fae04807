"""Rate limits per client address and per (site key, client address), in memory and in a real
Redis; preflights counted before anything reads the store; X-Forwarded-For from trusted peers.

In memory the ``limits`` sliding windows are aligned to the clock, so each test starts clear
of a window's edge (``steady_windows``); in Redis a window starts at a key's first hit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from limits import RateLimitItemPerSecond
from pydantic import ValidationError

from api import create_app
from api.middleware import invalidate_allowed_origins
from api.ratelimit import ClientLimits, MemoryCounter, RedisCounter, client_network
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.settings import Settings
from assistant.storage import ApiKeyRecord
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import make_settings
from tests.utils.api import ALLOWED_ORIGIN, Keys, add_keys
from tests.utils.redis_server import RedisServer, redis_fixture

CATALOG = "/api/v1/catalog"
PROXY = ("127.0.0.1", 50000)  # a peer the default SMECMM_TRUSTED_PROXIES trusts
PREFLIGHT = {"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"}


def stored_keys(url: str) -> list[bytes]:
    with redis.Redis.from_url(url) as connection:
        return list(connection.keys("*"))


def clear_of_window_edge(window_s: float, margin_s: float) -> None:
    into = time.time() % window_s
    if into > window_s - margin_s:
        time.sleep(window_s - into + 0.01)


@pytest.fixture(autouse=True)
def steady_windows() -> None:
    clear_of_window_edge(60, 2)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    yield from redis_fixture()


class CountingStore(SqlSessionStore):
    """Counts reads of the keys table, the CORS allow-list's source."""

    key_reads = 0

    def list_keys(self) -> list[ApiKeyRecord]:
        self.key_reads += 1
        return super().list_keys()


@pytest.fixture
def counting_store(tmp_path: Path) -> Iterator[CountingStore]:
    opened = CountingStore(f"sqlite:///{tmp_path / 'counted.db'}")
    yield opened
    opened.close()


@pytest.fixture
def counted_service(
    real_catalog: Catalog, real_rules: RuleSet, counting_store: CountingStore, tmp_path: Path
) -> InterviewService:
    desk = UploadDesk(real_catalog, FileBlobStore(tmp_path / "ev"), max_bytes=1024 * 1024)
    return InterviewService(real_catalog, real_rules, counting_store, desk=desk)


def limited_app(
    service: InterviewService,
    tmp_path: Path,
    per_address: int = 0,
    per_site: int = 0,
    **more: object,
) -> FastAPI:
    settings = make_settings(
        tmp_path, rate_limit_per_minute=per_address, site_rate_limit_per_minute=per_site, **more
    )
    return create_app(settings, service=service)


def statuses(client: TestClient, address: str, count: int, **headers: str) -> list[int]:
    forwarded = {"X-Forwarded-For": address, **headers}
    return [client.get(CATALOG, headers=forwarded).status_code for _ in range(count)]


# Addresses


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("fe80::1%eth0", "fe80::/64"),
        ("testclient", "testclient"),
        ("", "unknown"),
    ],
)
def test_a_client_is_an_ipv4_address_or_an_ipv6_64(address: str, client: str) -> None:
    assert client_network(address) == client


def test_after_the_advertised_wait_a_request_is_allowed_again() -> None:
    limits = ClientLimits(
        MemoryCounter(), per_address=RateLimitItemPerSecond(2), per_site_address=None
    )
    clear_of_window_edge(1, 0.5)

    assert limits.wait("203.0.113.1", None) is None
    assert limits.wait("203.0.113.1", None) is None
    wait = limits.wait("203.0.113.1", None)
    assert wait is not None and 0 < wait <= 1
    assert limits.wait("203.0.113.2", None) is None  # another client is counted apart
    time.sleep(wait + 0.05)
    assert limits.wait("203.0.113.1", None) is None


# Through the app, in memory


def test_too_many_requests_from_one_address_are_429(
    service: InterviewService, tmp_path: Path
) -> None:
    app = limited_app(service, tmp_path, per_address=3)
    with TestClient(app) as client:
        allowed = [client.get(CATALOG).status_code for _ in range(3)]
        refused = client.get(CATALOG, headers={"Accept-Language": "en"})
        refused_zh = client.get(CATALOG)
        page = client.get("/")

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json() == {
        "error": {"code": "rate_limited", "message": refused.json()["error"]["message"]}
    }
    assert refused.json()["error"]["message"].startswith("Too many requests")
    assert refused_zh.json()["error"]["message"].startswith("请求过于频繁")
    seconds = int(refused.headers["retry-after"])
    assert 1 <= seconds <= 60
    assert f"{seconds} s" in refused.json()["error"]["message"]
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert page.status_code == 200  # pages are not limited


def test_ten_addresses_cannot_spend_another_addresss_allowance_on_a_site_key(
    service: InterviewService, tmp_path: Path
) -> None:
    keys: Keys = add_keys(service.store)
    app = limited_app(service, tmp_path, per_address=100, per_site=2)
    site = {"X-Site-Key": keys.site}
    with TestClient(app, client=PROXY) as client:
        flood = [statuses(client, f"198.51.100.{n}", 3, **site) for n in range(10)]
        victim = statuses(client, "203.0.113.9", 2, **site)
        other_key = statuses(client, "198.51.100.0", 1, **{"X-Site-Key": keys.bare_site})
        without_key = statuses(client, "198.51.100.0", 1)

    assert flood == [[200, 200, 429]] * 10
    assert victim == [200, 200]
    assert other_key == [200] and without_key == [200]  # the per-address limit is not spent


def test_an_ipv6_64_is_one_client(service: InterviewService, tmp_path: Path) -> None:
    app = limited_app(service, tmp_path, per_address=2)
    with TestClient(app, client=PROXY) as client:
        same_64 = [
            *statuses(client, "2001:db8:1:1::1", 1),
            *statuses(client, "2001:db8:1:1:ffff:ffff:ffff:fffe", 1),
            *statuses(client, "2001:db8:1:1::2", 1),
        ]
        next_64 = statuses(client, "2001:db8:1:2::1", 2)

    assert same_64 == [200, 200, 429]
    assert next_64 == [200, 200]


def test_ipv4_mapped_ipv6_is_the_ipv4_client(service: InterviewService, tmp_path: Path) -> None:
    app = limited_app(service, tmp_path, per_address=1)
    with TestClient(app, client=PROXY) as client:
        answers = [*statuses(client, "203.0.113.5", 1), *statuses(client, "::ffff:203.0.113.5", 1)]

    assert answers == [200, 429]


def test_preflights_are_counted_before_the_store_is_read(
    counted_service: InterviewService, counting_store: CountingStore, tmp_path: Path
) -> None:
    add_keys(counting_store)
    app = limited_app(counted_service, tmp_path, per_address=2)
    with TestClient(app) as client:
        answers = [client.options(CATALOG, headers=PREFLIGHT).status_code for _ in range(3)]
        reads_before = counting_store.key_reads
        invalidate_allowed_origins()  # the next preflight that gets through would read
        refused = client.options(CATALOG, headers=PREFLIGHT)

    assert answers == [204, 204, 429]
    assert reads_before == 1  # the second preflight used the cached allow-list
    assert refused.status_code == 429
    assert counting_store.key_reads == 1  # refused before CORS read anything


def test_a_flood_of_preflights_reads_the_keys_once(
    counted_service: InterviewService, counting_store: CountingStore, tmp_path: Path
) -> None:
    add_keys(counting_store)
    app = limited_app(counted_service, tmp_path, per_address=1)
    with TestClient(app, client=PROXY) as client:
        answers = {
            client.options(
                CATALOG, headers={**PREFLIGHT, "X-Forwarded-For": f"198.51.100.{n}"}
            ).status_code
            for n in range(60)
        }

    assert answers == {204}
    assert counting_store.key_reads == 1


def test_a_refusal_is_readable_by_an_allowed_origin(
    service: InterviewService, tmp_path: Path
) -> None:
    keys = add_keys(service.store)
    app = limited_app(service, tmp_path, per_address=1)
    cross = {"Origin": ALLOWED_ORIGIN, "X-Site-Key": keys.site}
    with TestClient(app) as client:
        first = client.get(CATALOG, headers=cross)
        refused = client.get(CATALOG, headers=cross)
        stranger = client.get(CATALOG, headers={"Origin": "https://evil.example"})

    assert first.status_code == 200
    assert refused.status_code == 429
    assert refused.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "Retry-After" in refused.headers["access-control-expose-headers"]
    assert stranger.status_code == 429
    assert "access-control-allow-origin" not in stranger.headers


# Trusted proxies


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(
    service: InterviewService, tmp_path: Path
) -> None:
    app = limited_app(service, tmp_path, per_address=1)
    with TestClient(app, client=("198.51.100.77", 40000)) as client:
        spoofed = [statuses(client, f"203.0.113.{n}", 1)[0] for n in range(3)]

    assert spoofed == [200, 429, 429]  # counted as the peer, whatever the header says


def test_the_client_is_the_right_most_address_no_trusted_proxy_added(
    service: InterviewService, tmp_path: Path
) -> None:
    app = limited_app(service, tmp_path, per_address=1, trusted_proxies="10.0.0.0/8")
    with TestClient(app, client=("10.1.2.3", 40000)) as proxied:
        # The client wrote the left part; the proxies appended what they saw.
        first = statuses(proxied, "1.1.1.1, 203.0.113.7, 10.0.0.5", 1)
        spoofed_again = statuses(proxied, "2.2.2.2, 203.0.113.7, 10.0.0.5", 1)
    with TestClient(app, client=("203.0.113.7", 40000)) as direct:
        same_client = statuses(direct, "9.9.9.9", 1)
    with TestClient(app, client=PROXY) as loopback:  # no longer trusted under this setting
        loopback_answers = statuses(loopback, "203.0.113.8", 2)

    assert first == [200]
    assert spoofed_again == [429]
    assert same_client == [429]
    assert loopback_answers == [200, 429]


def test_trusted_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMECMM_TRUSTED_PROXIES", " 10.0.0.0/8 , 2001:db8::1 ,")
    assert Settings().trusted_proxies == "10.0.0.0/8,2001:db8::1/128"

    monkeypatch.setenv("SMECMM_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal")
    with pytest.raises(ValidationError, match="proxy.internal"):
        Settings()

    monkeypatch.setenv("SMECMM_TRUSTED_PROXIES", "")
    assert Settings().trusted_proxies == ""


# Redis, for real


def test_two_apps_sharing_one_redis_share_the_limit(
    service: InterviewService, tmp_path: Path, redis_server: RedisServer
) -> None:
    keys = add_keys(service.store)
    apps = [
        limited_app(service, tmp_path / str(n), per_address=3, redis_url=redis_server.url)
        for n in range(2)
    ]
    site = {"X-Site-Key": keys.site}
    with TestClient(apps[0], client=PROXY) as one, TestClient(apps[1], client=PROXY) as two:
        answers = [
            *statuses(one, "203.0.113.1", 1, **site),
            *statuses(two, "203.0.113.1", 1, **site),
            *statuses(one, "203.0.113.1", 1, **site),
            *statuses(two, "203.0.113.1", 1, **site),
            *statuses(one, "203.0.113.1", 1, **site),
        ]
        elsewhere = statuses(two, "203.0.113.2", 1)

    assert answers == [200, 200, 200, 429, 429]
    assert elsewhere == [200]
    stored = stored_keys(redis_server.url)
    assert stored, "the counts live in Redis"
    assert not any(keys.site.encode() in key for key in stored)  # only digests are kept


def test_when_redis_goes_away_the_limits_hold_in_memory(
    service: InterviewService,
    tmp_path: Path,
    redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = limited_app(service, tmp_path, per_address=2, redis_url=redis_server.url)
    with TestClient(app, client=PROXY) as client, caplog.at_level(logging.WARNING, "api"):
        before = statuses(client, "203.0.113.1", 1)
        redis_server.stop()
        started = time.monotonic()
        after = statuses(client, "203.0.113.1", 3)
        seconds = time.monotonic() - started

    assert before == [200]
    assert after == [200, 200, 429]  # fails soft: this process's own counts, not open
    assert seconds < 5
    warnings = [record for record in caplog.records if record.name == "api.ratelimit"]
    assert len(warnings) == 1 and "Redis" in warnings[0].getMessage()


def test_a_frozen_redis_costs_one_request_its_timeout(
    service: InterviewService, tmp_path: Path, redis_server: RedisServer
) -> None:
    app = limited_app(service, tmp_path, per_address=5, redis_url=redis_server.url)
    with TestClient(app, client=PROXY) as client:
        assert statuses(client, "203.0.113.1", 1) == [200]  # the connection is open
        redis_server.pause()
        try:
            started = time.monotonic()
            first = statuses(client, "203.0.113.1", 1)
            first_s = time.monotonic() - started
            started = time.monotonic()
            next_ones = statuses(client, "203.0.113.1", 3)
            next_s = time.monotonic() - started
        finally:
            redis_server.resume()

    assert first == [200] and next_ones == [200, 200, 200]
    assert first_s < 3  # the 0.5 s socket timeout, with a generous margin
    assert next_s < 1  # then memory, without waiting on Redis


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_redis_is_used_again_once_it_is_back(redis_server: RedisServer) -> None:
    clock = Clock()
    counter = RedisCounter(redis_server.url, retry_s=5, clock=clock)
    limits = ClientLimits(
        counter, per_address=RateLimitItemPerSecond(100, 60), per_site_address=None
    )

    assert limits.wait("203.0.113.1", None) is None and stored_keys(redis_server.url)
    redis_server.stop()
    assert limits.wait("203.0.113.1", None) is None
    assert counter.degraded
    redis_server.start()
    assert (
        stored_keys(redis_server.url) == []
    )  # a fresh server: nothing counted there while it was away
    assert limits.wait("203.0.113.1", None) is None
    assert stored_keys(redis_server.url) == []  # still in memory until the retry time
    clock.now += 5
    assert limits.wait("203.0.113.1", None) is None
    assert not counter.degraded
    assert stored_keys(redis_server.url)


def test_smecmm_serve_leaves_forwarded_headers_to_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from assistant.cli.serve_commands import serve

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: calls.append(options))

    serve(host="127.0.0.1", port=8123, workers=2, log_level="warning")

    assert calls and calls[0]["proxy_headers"] is False  # one place: SMECMM_TRUSTED_PROXIES
    assert calls[0]["workers"] == 2
