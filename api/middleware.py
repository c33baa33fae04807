"""CORS from the site keys' allowed origins, and the security headers every response carries.

CORS here only tells browsers what they may read; the server's own check (``api.auth``)
refuses a cross-origin call whose site key does not allow its origin. The allow-list is read
from the store at most once per few seconds per process (``OriginAllowList``), so a flood of
preflights does not read the keys table each time.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import own_origin
from api.errors import error_response, preferred_language

__all__ = [
    "CorsMiddleware",
    "OriginAllowList",
    "SecurityHeadersMiddleware",
    "ServerTimingMiddleware",
    "invalidate_allowed_origins",
]

_ALLOW_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Type, If-None-Match, "
    "X-API-Key, X-Site-Key, X-Site-Token"
)
_ALLOW_METHODS = "GET, POST, PUT, OPTIONS"
_EXPOSE_HEADERS = "Content-Disposition, ETag, Retry-After"
_PREFLIGHT_MAX_AGE = "600"
_ALLOW_LIST_TTL_S = 5.0

_key_changes = 0  # bumped by ``invalidate_allowed_origins``


def invalidate_allowed_origins() -> None:
    """Call after adding or revoking a site key in this process: every allow-list re-reads.

    Changes made by another process (``smecmm keys``) show within the allow-list's TTL; the
    server's own origin check reads the store on every call and is never stale.
    """
    global _key_changes
    _key_changes += 1


class OriginAllowList:
    """The origins some active site key allows, re-read after ``ttl_s`` or a key change."""

    def __init__(
        self,
        read: Callable[[], frozenset[str]],
        *,
        ttl_s: float = _ALLOW_LIST_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read  # reads the store: called in a thread
        self._ttl_s = ttl_s
        self._clock = clock
        self._origins: frozenset[str] = frozenset()
        self._read_at = -math.inf
        self._changes = -1
        self._lock = threading.Lock()

    async def origins(self) -> frozenset[str]:
        if not self._fresh():
            await run_in_threadpool(self._refresh)
        return self._origins

    def known(self, origin: str) -> bool:
        """Whether the last read listed ``origin``; never reads the store."""
        return origin in self._origins

    def invalidate(self) -> None:
        self._read_at = -math.inf

    def _fresh(self) -> bool:
        return self._changes == _key_changes and self._clock() - self._read_at < self._ttl_s

    def _refresh(self) -> None:
        with self._lock:  # one read for a burst of callers; the rest find it fresh
            if self._fresh():
                return
            changes = _key_changes
            self._origins = self._read()
            self._read_at = self._clock()
            self._changes = changes


class CorsMiddleware:
    """Answers preflights and adds CORS headers for origins some active site key allows."""

    def __init__(self, app: ASGIApp, *, origins: OriginAllowList, prefix: str = "/api/") -> None:
        self.app = app
        self.origins = origins
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None or origin.lower() == own_origin(Request(scope)):
            await self.app(scope, receive, send)
            return
        allowed = origin in await self.origins.origins()
        preflight = scope["method"] == "OPTIONS" and "access-control-request-method" in headers
        if preflight:
            response = _preflight(origin, headers) if allowed else _refused(origin, headers)
            await response(scope, receive, send)
            return
        if not allowed:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = origin
                out["Access-Control-Expose-Headers"] = _EXPOSE_HEADERS
                out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _preflight(origin: str, headers: Headers) -> Response:
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": _ALLOW_METHODS,
            "Access-Control-Allow-Headers": _ALLOW_HEADERS,
            "Access-Control-Max-Age": _PREFLIGHT_MAX_AGE,
            "Vary": "Origin",
        },
    )


def _refused(origin: str, headers: Headers) -> Response:
    if preferred_language(headers.get("accept-language")) == "en":
        message = f"Calls from {origin!r} are not allowed: no site key lists this origin."
    else:
        message = f"不允许来自 {origin!r} 的调用：没有站点密钥登记此来源。"
    return error_response(403, "origin_not_allowed", message)


class ServerTimingMiddleware:
    """``Server-Timing: app;dur=12.3``: the milliseconds the server spent until the response
    started (browser devtools show it; the /ask benchmark reads it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent = (time.perf_counter() - started) * 1000
                MutableHeaders(scope=message).append("Server-Timing", f"app;dur={spent:.1f}")
            await send(message)

        await self.app(scope, receive, send_with_timing)


class SecurityHeadersMiddleware:
    """``nosniff`` and a referrer policy everywhere; API answers are never cached unless the
    handler says otherwise (the catalog does)."""

    def __init__(self, app: ASGIApp, *, api_prefix: str = "/api/") -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith(self.api_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.setdefault("X-Content-Type-Options", "nosniff")
                out.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                if api:
                    out.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
