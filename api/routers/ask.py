"""Questions about the standard, answered from the clauses with citations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header
from fastapi.responses import StreamingResponse

from api import examples
from api.deps import AnswererDep, PublicCaller
from api.routers.common import SSE_DESCRIPTION, errors, event_stream_content
from api.schemas import AskRequest
from api.sse import model_event_response, wants_event_stream
from assistant.qa.models import Answer

__all__ = ["router"]

router = APIRouter(tags=["ask 标准问答"])


@router.post(
    "/ask",
    response_model=Answer,
    summary="解读标准 / Ask about the standard",
    description=(
        "从标准条款和指标目录检索作答并注明引用的条款号；标准未涉及的问题返回 "
        '`covered: false`；只部分涉及的问题回答涉及的部分，返回 `covered: "partial"`，'
        "未涉及的部分列在 `not_covered`。\n\n"
        "Answers from the standard's clauses and the indicator catalog, citing clause numbers; "
        "a question the standard does not cover returns `covered: false`; one it partly covers "
        'gets that part answered, `covered: "partial"`, and the rest named in `not_covered`.'
        + SSE_DESCRIPTION.format(final="answer")
    ),
    responses={
        200: {
            "content": {
                "application/json": {"example": examples.ANSWER},
                **event_stream_content(examples.SSE_ASK),
            }
        },
        **errors(400, 401, 403, 422, 429, 503),
    },
)
def ask(
    caller: PublicCaller,
    answerer: AnswererDep,
    body: Annotated[AskRequest, Body(openapi_examples=examples.ASK_REQUESTS)],
    accept: Annotated[str | None, Header()] = None,
) -> Answer | StreamingResponse:
    if wants_event_stream(accept):
        return model_event_response(answerer, body.question, body.k)
    return answerer.ask(body.question, k=body.k)
