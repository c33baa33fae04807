"""One error shape for every failure, in Chinese or English by ``Accept-Language``.

    {"error": {"code": "session_not_found", "message": "找不到会话 …"}}

``field`` names the offending request field (422) and ``reason`` the refusal code of an
evidence upload or of a document an ingest refused. No stack trace ever reaches a client: an
unexpected exception is logged and answered with a generic 500 (``CatchAllMiddleware``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.validation import error_field, validation_message
from assistant.errors import (
    AssistantError,
    ConcurrentUpdate,
    ConfigurationError,
    EvidenceRejected,
    FindingsError,
    KnowledgeError,
    ReportError,
    SessionLocked,
    SessionNotFound,
    StorageUnavailable,
)
from assistant.session.models import Language

__all__ = [
    "ApiError",
    "CatchAllMiddleware",
    "error_response",
    "install_error_handlers",
    "preferred_language",
]

log = logging.getLogger("api")

_STATUS: dict[type[AssistantError], int] = {
    SessionNotFound: 404,
    ConcurrentUpdate: 409,
    SessionLocked: 409,
    FindingsError: 422,
    ReportError: 422,
    KnowledgeError: 422,
    ConfigurationError: 503,
    StorageUnavailable: 503,
}
# EvidenceRejected.reason → status; any other reason is 422.
_EVIDENCE_STATUS = {
    "too_large": 413,
    "quota_exceeded": 413,
    "unsupported_type": 415,
    "busy": 503,  # every document reader is taken; try again shortly
}

# Texts for HTTP errors that carry no message of their own.
_HTTP_TEXTS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求无法处理。", "The request cannot be processed."),
    404: ("not_found", "没有这个地址。", "No such address."),
    405: ("method_not_allowed", "该地址不支持此请求方法。", "Method not allowed here."),
    406: ("not_acceptable", "无法按所要求的格式作答。", "Cannot answer in the asked format."),
    413: ("payload_too_large", "请求内容过大。", "The request body is too large."),
    415: ("unsupported_media_type", "不支持的内容类型。", "Unsupported content type."),
}
_INTERNAL = ("internal_error", "服务器内部错误，请稍后重试。", "Internal server error; try again.")


class ApiError(HTTPException):
    """An HTTP-level refusal (credentials, role, origin, rate, size) with both languages."""

    def __init__(
        self,
        status_code: int,
        code: str,
        zh: str,
        en: str,
        *,
        headers: dict[str, str] | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=en, headers=headers)
        self.code = code
        self.zh = zh
        self.en = en
        self.field = field

    def message(self, language: Language) -> str:
        return self.en if language == "en" else self.zh


def preferred_language(accept_language: str | None) -> Language:
    """``zh`` unless English ranks above Chinese in ``Accept-Language`` (q-values honoured)."""
    best: tuple[float, Language] = (-1.0, "zh")
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        quality = _quality(params)
        # An earlier tag wins a tie, as browsers list the favourite first.
        score = quality - position * 1e-6
        if quality > 0 and score > best[0]:
            best = (score, "en" if primary == "en" else "zh")
    return best[1]


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: str | None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({key: value for key, value in extra.items() if value is not None})
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _language(request: Request) -> Language:
    return preferred_language(request.headers.get("accept-language"))


def _assistant_status(error: AssistantError) -> int:
    if isinstance(error, EvidenceRejected):
        return _EVIDENCE_STATUS.get(error.reason, 422)
    for kind in type(error).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 400


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status_code,
        exc.code,
        exc.message(_language(request)),
        headers=exc.headers,
        field=exc.field,
    )


async def _on_assistant_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    # evidence refusals, and documents an admin's ingest refused (the same reader's codes)
    reason = getattr(exc, "reason", None)
    status = _assistant_status(exc)
    return error_response(status, exc.code, exc.message(_language(request)), reason=reason)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code, zh, en = _HTTP_TEXTS.get(
        exc.status_code, ("http_error", "请求无法处理。", str(exc.detail))
    )
    message = en if _language(request) == "en" else zh
    return error_response(exc.status_code, code, message, headers=exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
    field = error_field(first.get("loc", ()))
    message = validation_message(first, _language(request))
    return error_response(422, "validation_error", message, field=field or None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(AssistantError, _on_assistant_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)


class CatchAllMiddleware:
    """Logs an unexpected exception and answers a generic 500 in the one error shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if _passes_through(exc):
                raise
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                return  # the body was under way; the client sees a cut stream
            headers = dict(scope.get("headers") or [])
            language = preferred_language(headers.get(b"accept-language", b"").decode("latin-1"))
            code, zh, en = _INTERNAL
            response = error_response(500, code, en if language == "en" else zh)
            await response(scope, receive, send)


def _passes_through(exc: Exception) -> bool:
    """HTTP errors, and Starlette's body-limit signals, which its outer middleware answers."""
    return (
        isinstance(exc, HTTPException) or type(exc).__module__ == "starlette.middleware.body_limit"
    )
