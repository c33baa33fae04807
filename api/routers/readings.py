"""Readings: the findings the applicant's answers recorded, shown under their words, and the
one-tap undo of one of them."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ReadableSession, ServiceDep
from api.errors import ApiError
from api.quotas import SessionWithRoom
from api.reading_schemas import ReadingList, UndoRequest
from api.routers.common import errors
from api.schemas import MessageReply
from assistant.interview.readings import ReadingError

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["messages 对话"])


@router.get(
    "/{session_id}/readings",
    summary="已记下的判断 / Recorded readings",
    description=(
        "申请机构每次回答记下的判断（哪一轮、哪项指标、记为什么、之前是什么），以及它现在的"
        "状态：current 仍然有效，changed 之后已被修改，undone 已撤销。页面刷新后据此在用户的"
        "回答下方重新显示“SS-1-01 记为 满足”。\n\n"
        "The findings the applicant's answers recorded (which turn, which indicator, the status "
        "and the one before) and where each stands: current, changed since, or undone. A "
        "reloaded page shows them again under the user's words."
    ),
    responses=errors(401, 403, 404, 429),
)
def list_readings(session_id: ReadableSession, service: ServiceDep) -> ReadingList:
    return ReadingList(readings=tuple(service.readings(session_id)))


@router.post(
    "/{session_id}/readings/undo",
    summary="撤销一项判断 / Undo a reading",
    description=(
        "把某一轮记下的判断撤销：该指标恢复为那一轮之前的状态（之前未回答则恢复为未评估），"
        "记入审计记录，并再次询问该指标。该判断之后已被修改或已撤销时 409 `reading_changed`，"
        "找不到时 404 `reading_not_found`。返回助手的回复。\n\n"
        "Undo what one turn recorded: the indicator goes back to its state before that turn "
        "(not rated if it was unanswered), the audit trail keeps the undo, and the interview "
        "asks that indicator again. 409 `reading_changed` when it changed or was undone since, "
        "404 `reading_not_found` when there is no such reading. Returns the assistant's reply."
    ),
    responses=errors(400, 401, 403, 404, 409, 422, 429),
)
def undo_reading(
    session_id: SessionWithRoom, service: ServiceDep, body: UndoRequest
) -> MessageReply:
    try:
        reply = service.undo(session_id, body.turn, body.indicator_id.strip().upper())
    except ReadingError as error:
        status = 404 if error.reason == "not_found" else 409
        raise ApiError(status, f"reading_{error.reason}", str(error), error.message("en")) from None
    return MessageReply(reply=reply)
