"""Rate limits per client address and per client address through one site key.

Counted by the ``limits`` library with its sliding-window-counter strategy: two counters per
key (this window's and the last one's, the last weighted by how much of it still overlaps),
so memory and Redis work per key stay constant however high a limit is set. The moving
window would be exact but keeps one timestamp per allowed hit, and every address an
attacker adds is a new key; the fixed window forgets everything at each boundary, so two
full limits fit in a moment around it. The counter assumes the last window's hits were
spread evenly: at worst twice the limit within one window's span, and the rate over time
holds.

The counts live in this process's memory by default, or in Redis (``SMECMM_REDIS_URL``) so
every worker and machine shares them. When Redis fails (down, full, too slow) the limits
fall back to this process's memory, a warning is logged, and Redis is tried again a few
seconds later: refusing everyone (failing closed) would turn a Redis outage, or an attacker
who overwhelms Redis, into an outage of the whole service, and dropping the limits (failing
open) would remove the flood protection exactly when things are strained. Per-process
counts are what a single worker always had.

Keys: a client is an IPv4 address or an IPv6 /64 (what one subscriber usually gets; an
IPv4-mapped IPv6 address is its IPv4 address), as given by ``scope["client"]`` after the
trusted-proxy step (``api.app``). There is no limit per site key alone: site keys are
public, so anyone could spend a partner's allowance and lock its widget out. Site keys are
kept only as salted digests.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import SlidingWindowCounterRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response, preferred_language
from assistant.settings import Settings

__all__ = [
    "ClientLimits",
    "HitCounter",
    "MemoryCounter",
    "RateLimitMiddleware",
    "RedisCounter",
    "client_limits",
    "client_network",
    "site_digest",
]

log = logging.getLogger("api.ratelimit")

_REDIS_PREFIX = "smecmm-rate"
_DIGEST_SALT = b"smecmm rate-limit key\x00"


def client_network(address: str) -> str:
    """The unit a client is counted by: an IPv4 address or an IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address.partition("%")[0])  # without an IPv6 zone
    except ValueError:
        return address[:64] or "unknown"  # a unix socket, a test client
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def site_digest(site_key: str) -> str:
    """What the limiter keeps of a site key: a salted digest, never the key."""
    return hashlib.sha256(_DIGEST_SALT + site_key.encode("latin-1")).hexdigest()[:32]


class HitCounter:
    """Counts hits per key in one ``limits`` storage (sliding-window counter)."""

    shared = False  # True: the counts live elsewhere, so a hit waits on the network

    def __init__(self, storage: Storage) -> None:
        self._strategy = SlidingWindowCounterRateLimiter(storage)

    def hit(self, rule: RateLimitItem, key: str) -> float | None:
        """Count one hit: ``None`` when allowed, else the seconds until one would be."""
        if self._strategy.hit(rule, key):
            return None
        reset = self._strategy.get_window_stats(rule, key).reset_time
        return max(reset - time.time(), 0.0)


class MemoryCounter(HitCounter):
    """This process's memory: each worker counts on its own."""

    def __init__(self) -> None:
        super().__init__(MemoryStorage())


class RedisCounter(HitCounter):
    """Redis, shared by every worker; this process's memory while Redis fails."""

    shared = True

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = 0.5,
        retry_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        storage = RedisStorage(
            url,
            key_prefix=_REDIS_PREFIX,
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
        )
        super().__init__(storage)
        self._errors = storage.base_exceptions
        self._fallback = MemoryCounter()
        self._retry_s = retry_s
        self._clock = clock
        self._down_until = -math.inf

    @property
    def degraded(self) -> bool:
        """True while the counts are kept in memory because Redis failed."""
        return self._clock() < self._down_until

    def hit(self, rule: RateLimitItem, key: str) -> float | None:
        if not self.degraded:
            try:
                return super().hit(rule, key)
            except self._errors as error:
                self._down_until = self._clock() + self._retry_s
                log.warning(
                    "Redis rate-limit store failed (%s: %s); counting in this process's memory, "
                    "retrying Redis in %.0f s",
                    type(error).__name__,
                    error,
                    self._retry_s,
                )
        return self._fallback.hit(rule, key)


class ClientLimits:
    """The policy: one limit per client address, one per client address and site key."""

    def __init__(
        self,
        counter: HitCounter,
        *,
        per_address: RateLimitItem | None,
        per_site_address: RateLimitItem | None,
    ) -> None:
        self.counter = counter
        self.per_address = per_address
        self.per_site_address = per_site_address

    def wait(self, address: str, site_key: str | None) -> float | None:
        """Count a request: ``None`` when allowed, else the seconds to wait."""
        network = client_network(address)
        if self.per_address is not None:
            wait = self.counter.hit(self.per_address, f"address:{network}")
            if wait is not None:
                return wait
        if site_key and self.per_site_address is not None:
            return self.counter.hit(
                self.per_site_address, f"site:{site_digest(site_key)}:{network}"
            )
        return None


def client_limits(settings: Settings) -> ClientLimits:
    """The limits the settings name, counted in Redis when ``redis_url`` is set."""
    counter = RedisCounter(settings.redis_url) if settings.redis_url else MemoryCounter()

    def per_minute(limit: int) -> RateLimitItem | None:
        return RateLimitItemPerMinute(limit) if limit > 0 else None

    return ClientLimits(
        counter,
        per_address=per_minute(settings.rate_limit_per_minute),
        per_site_address=per_minute(settings.site_rate_limit_per_minute),
    )


class RateLimitMiddleware:
    """429 with ``Retry-After`` for API requests over a limit, preflights included.

    Runs before CORS and everything that reads the store. ``readable_by`` says, without
    reading the store, whether a cross-origin caller may read the refusal.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: ClientLimits,
        readable_by: Callable[[str], bool] = lambda origin: False,
        prefix: str = "/api/",
    ) -> None:
        self.app = app
        self.limits = limits
        self.readable_by = readable_by
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        client = scope.get("client")
        address = client[0] if client else ""
        site_key = headers.get("x-site-key")
        if self.limits.counter.shared:
            wait = await run_in_threadpool(self.limits.wait, address, site_key)
        else:
            wait = self.limits.wait(address, site_key)
        if wait is None:
            await self.app(scope, receive, send)
            return
        response = _too_many(wait, headers)
        origin = headers.get("origin")
        if origin is not None and self.readable_by(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After"
            response.headers.add_vary_header("Origin")
        await response(scope, receive, send)


def _too_many(wait: float, headers: Headers) -> Response:
    seconds = max(1, math.ceil(wait))
    if preferred_language(headers.get("accept-language")) == "en":
        message = f"Too many requests; try again in {seconds} s."
    else:
        message = f"请求过于频繁，请 {seconds} 秒后再试。"
    return error_response(429, "rate_limited", message, headers={"Retry-After": str(seconds)})
