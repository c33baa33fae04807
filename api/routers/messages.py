"""Messages: the applicant's turns in the interview, answered as JSON or as a stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api import examples
from api.deps import ServiceDep
from api.quotas import SessionWithRoom
from api.routers.common import SSE_DESCRIPTION, errors, event_stream_content
from api.schemas import MessageReply
from api.sse import relayed_response, sse_response, streams_tokens, wants_event_stream
from assistant.interview.service import InterviewService
from assistant.session.models import UserTurn

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["messages 对话"])


@router.post(
    "/{session_id}/messages",
    response_model=MessageReply,
    summary="回答 / Send a turn",
    description=(
        "三选一：自由文字 `text`、快捷回复 `quick_reply`（取回复中 `question.quick_replies` 的 "
        "`value`）、清单勾选 `answers`（指标编号 → 状态）。返回助手的下一条回复。每个会话最多 "
        "`session_max_turns` 轮，超出时 409 `turn_limit`。\n\n"
        "Exactly one of: free `text`, a `quick_reply` (a `value` from the reply's "
        "`question.quick_replies`), or checklist `answers` (indicator id → status). Returns "
        "the assistant's next reply. A session takes at most `session_max_turns` turns "
        "(409 `turn_limit` beyond)." + SSE_DESCRIPTION.format(final="reply")
    ),
    responses={
        200: {"content": event_stream_content(examples.SSE_MESSAGE)},
        **errors(400, 401, 403, 404, 409, 422, 429),
    },
)
async def send_message(
    session_id: SessionWithRoom,
    service: ServiceDep,
    turn: Annotated[UserTurn, Body(openapi_examples=examples.MESSAGE_REQUESTS)],
    accept: Annotated[str | None, Header()] = None,
) -> MessageReply | StreamingResponse:
    # One hop to a worker thread for the whole turn: a plain ``def`` handler would take a
    # second one for FastAPI's check of the returned model.
    return await run_in_threadpool(_answer, session_id, service, turn, accept)


def _answer(
    session_id: str, service: InterviewService, turn: UserTurn, accept: str | None
) -> MessageReply | StreamingResponse:
    if wants_event_stream(accept) and streams_tokens(service.answerer):
        return relayed_response(
            lambda: MessageReply(reply=service.send(session_id, turn)),
            "reply",
            lambda result: result.reply.text if isinstance(result, MessageReply) else "",
        )
    reply = service.send(session_id, turn)
    result = MessageReply(reply=reply)
    if wants_event_stream(accept):
        return sse_response(reply.text, "reply", result)
    return result
