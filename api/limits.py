"""Request body limits, answered in the one error shape.

A declared ``Content-Length`` over the limit is refused before a byte of the body is read;
a body without one (chunked) is counted as it arrives and refused once it passes the limit.
Uploads (evidence, admin documents) may be ``max_upload_mb`` plus the multipart framing;
every other body 1 MB.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError, error_response, preferred_language

__all__ = ["BodyLimitMiddleware", "too_large"]

_MB = 1024 * 1024


def too_large(limit_bytes: int) -> ApiError:
    mb = max(1, limit_bytes // _MB)
    return ApiError(
        413,
        "payload_too_large",
        f"请求内容过大：不得超过 {mb} MB。",
        f"The request is too large: at most {mb} MB.",
    )


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        default_bytes: int,
        upload_bytes: int,
        upload_paths: tuple[re.Pattern[str], ...],
    ) -> None:
        self.app = app
        self.default_bytes = default_bytes
        self.upload_bytes = upload_bytes
        self.upload_paths = upload_paths

    def _limit(self, path: str) -> int:
        if any(pattern.fullmatch(path) for pattern in self.upload_paths):
            return self.upload_bytes
        return self.default_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self._limit(scope["path"])
        language = preferred_language(headers.get("accept-language"))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(too_large(limit), language, scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException: FastAPI's body parsing lets it through to the handlers.
                    raise too_large(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except ApiError as error:  # raised where no handler caught it
            if started or error.status_code != 413:
                raise
            await _refuse(error, language, scope, receive, send)


async def _refuse(
    error: ApiError, language: str, scope: Scope, receive: Receive, send: Send
) -> None:
    message = error.message("en" if language == "en" else "zh")
    response = error_response(
        error.status_code, error.code, message, headers={"Connection": "close"}
    )
    await response(scope, receive, send)
