"""What several routers declare: error responses for OpenAPI, streaming content, tags."""

from __future__ import annotations

from typing import Any

from api.schemas import ErrorResponse

__all__ = ["SSE_DESCRIPTION", "errors", "event_stream_content"]

_ERROR_TEXTS: dict[int, str] = {
    400: "请求体无法解析（如非 UTF-8 的 JSON、损坏的 multipart）/ the body cannot be parsed "
    "(JSON not in UTF-8, a broken multipart form)",
    401: "缺少或无效的凭据 / missing or invalid credentials",
    403: "凭据的角色或来源不符 / wrong role or origin",
    404: "会话不存在 / no such session",
    409: "会话已被另一请求更新，或已由评估人员签署锁定（`session_locked`）/ the session changed "
    "under this request, or an assessor signed it off and it is locked (`session_locked`)",
    413: "请求或文件过大 / too large",
    415: "不支持的文件类型 / unsupported file type",
    422: "请求内容有误，或证据/报告被拒 / invalid request, refused evidence or report",
    429: "请求过于频繁（见 Retry-After）/ rate limited (see Retry-After)",
    503: "检索或存储暂时不可用，可稍后重试 / retrieval or storage unavailable for now; try again",
}

SSE_DESCRIPTION = (
    "\n\n以 `Accept: text/event-stream` 请求时按 SSE 流式返回 / With `Accept: text/event-stream` "
    "the answer streams as server-sent events: one or more `delta` events "
    '(`data: {{"text": "…"}}`, pieces of the Markdown text that join to the whole), then one '
    "`{final}` event whose `data` is the same JSON object as the non-streaming response, then "
    "`done` (`data: {{}}`). Each `data` is a single line of JSON. Errors found before the "
    "stream starts come as ordinary JSON error responses."
)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses, all in the one error shape; 422
    (replacing FastAPI's own validation error schema) and 429 are always there."""
    return {
        status: {"model": ErrorResponse, "description": _ERROR_TEXTS.get(status, "error")}
        for status in sorted({*statuses, 422, 429})
    }


def event_stream_content(example: str) -> dict[str, Any]:
    return {"text/event-stream": {"schema": {"type": "string"}, "example": example}}
