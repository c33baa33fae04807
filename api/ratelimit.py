"""Rate limits per client address and per site key: a small in-process sliding window.

The windows live in this process's memory, so with several workers (``--workers N``, or
several machines behind a load balancer) each worker counts on its own and a client gets up
to N times the limit; a shared limiter (Redis, the proxy in front) is needed to hold the
limit exactly across workers.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response, preferred_language

__all__ = ["RateLimitMiddleware", "SlidingWindowLimiter"]

_SWEEP_EVERY = 10_000  # hits between sweeps of idle keys, so memory follows active clients


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any ``window_s`` seconds; ``limit=0`` allows all."""

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._count = 0

    def hit(self, key: str) -> float:
        """Count a hit: 0 when allowed, else the seconds until one would be."""
        if self.limit <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window_s - now
            hits.append(now)
            self._count += 1
            if self._count % _SWEEP_EVERY == 0:
                self._sweep(now)
            return 0.0

    def _sweep(self, now: float) -> None:
        idle = [
            key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window_s
        ]
        for key in idle:
            del self._hits[key]


class RateLimitMiddleware:
    """429 with ``Retry-After`` for API requests over either limit (preflights are free)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_address: SlidingWindowLimiter,
        per_site: SlidingWindowLimiter,
        prefix: str = "/api/",
    ) -> None:
        self.app = app
        self.per_address = per_address
        self.per_site = per_site
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        wait = self._wait(scope, headers)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        language = preferred_language(headers.get(b"accept-language", b"").decode("latin-1"))
        seconds = max(1, math.ceil(wait))
        message = (
            f"Too many requests; try again in {seconds} s."
            if language == "en"
            else f"请求过于频繁，请 {seconds} 秒后再试。"
        )
        response = error_response(
            429, "rate_limited", message, headers={"Retry-After": str(seconds)}
        )
        await response(scope, receive, send)

    def _wait(self, scope: Scope, headers: dict[bytes, bytes]) -> float:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        wait = self.per_address.hit(address)
        site_key = headers.get(b"x-site-key")
        if wait <= 0 and site_key:
            # Keyed by a digest: the raw key never sits in memory longer than the request.
            wait = self.per_site.hit(hashlib.sha256(site_key).hexdigest())
        return wait
