"""CORS from the site keys' allowed origins, and the security headers every response carries.

CORS here only tells browsers what they may read; the server's own check (``api.auth``)
refuses a cross-origin call whose site key does not allow its origin.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import own_origin
from api.errors import error_response, preferred_language

__all__ = ["CorsMiddleware", "SecurityHeadersMiddleware"]

_ALLOW_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Type, If-None-Match, "
    "X-API-Key, X-Site-Key, X-Site-Token"
)
_ALLOW_METHODS = "GET, POST, PUT, OPTIONS"
_EXPOSE_HEADERS = "Content-Disposition, ETag, Retry-After"
_PREFLIGHT_MAX_AGE = "600"


class CorsMiddleware:
    """Answers preflights and adds CORS headers for origins some active site key allows."""

    def __init__(
        self, app: ASGIApp, *, origins: Callable[[], frozenset[str]], prefix: str = "/api/"
    ) -> None:
        self.app = app
        self.origins = origins  # reads the store: called in a thread, once per cross call
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
        allowed = origin in await run_in_threadpool(self.origins)
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
