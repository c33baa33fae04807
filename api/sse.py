"""Server-sent events for replies and answers.

With ``Accept: text/event-stream`` a message or a question is answered as a stream:

    event: delta
    data: {"text": "**服务运营 · 三星**…"}      (one or more: the Markdown text in pieces)

    event: reply                               (``answer`` for /ask)
    data: {…the whole JSON object, as without streaming…}

    event: done
    data: {}

Every ``data`` line is one line of JSON. The pieces of the ``delta`` events, joined, are the
text of the final object — except when a language model streams an answer that then fails
the citation check: the final object's ``text`` (the extractive answer) replaces the pieces.
Errors found before the stream starts are ordinary JSON error
responses with their status code.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator

from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from assistant.errors import AssistantError
from assistant.interview.ports import Answerer
from assistant.qa.streaming import answer_deltas

__all__ = [
    "EVENT_STREAM",
    "event",
    "markdown_chunks",
    "model_event_response",
    "relayed_response",
    "sse_response",
    "streams_tokens",
    "wants_event_stream",
]

EVENT_STREAM = "text/event-stream"
_BREAKS = re.compile(r"(?<=\n\n)|(?<=[。！？；])|(?<=[.!?;] )")
_PIECES = 6  # about how many deltas a reply is cut into when no model streams


def wants_event_stream(accept: str | None) -> bool:
    return EVENT_STREAM in (accept or "").lower()


def markdown_chunks(text: str, pieces: int = _PIECES) -> list[str]:
    """Cut at paragraph and sentence ends into about ``pieces`` chunks; joined, they are
    ``text`` again."""
    if not text:
        return []
    parts = [part for part in _BREAKS.split(text) if part]
    size = max(1, len(text) // pieces)
    chunks: list[str] = []
    current = ""
    for part in parts:
        current += part
        if len(current) >= size:
            chunks.append(current)
            current = ""
    if current:
        chunks.append(current)
    return chunks


def event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def _events(text: str, name: str, final: BaseModel) -> AsyncIterator[bytes]:
    for chunk in markdown_chunks(text):
        yield event("delta", {"text": chunk})
        await asyncio.sleep(0)  # let the server flush each piece
    yield event(name, final.model_dump(mode="json"))
    yield event("done", {})


def sse_response(text: str, name: str, final: BaseModel) -> StreamingResponse:
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(_events(text, name, final), media_type=EVENT_STREAM, headers=headers)


def _answer_events(answerer: Answerer, question: str, k: int | None) -> Iterator[bytes]:
    from assistant.llm.grounded import AnswerDelta, answer_events

    streamed = False
    for item in answer_events(answerer, question, k=k):
        if isinstance(item, AnswerDelta):
            streamed = True
            yield event("delta", {"text": item.text})
            continue
        if not streamed:  # the model was not used (refusal) or failed before its first token
            yield from (event("delta", {"text": c}) for c in markdown_chunks(item.answer.text))
        yield event("answer", item.answer.model_dump(mode="json"))
    yield event("done", {})


def streams_tokens(answerer: Answerer | None) -> bool:
    """A model-backed answerer writes token by token; the extractive one answers at once."""
    return answerer is not None and type(answerer).__module__.startswith("assistant.llm")


def model_event_response(answerer: Answerer, question: str, k: int | None) -> StreamingResponse:
    """Stream a model's tokens as they come when one is configured; else the answer in pieces.
    The sync generator runs in Starlette's thread pool, so model I/O never blocks the loop."""
    if not streams_tokens(answerer):
        answer = answerer.ask(question, k=k)
        return sse_response(answer.text, "answer", answer)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        _answer_events(answerer, question, k), media_type=EVENT_STREAM, headers=headers
    )


_END = object()
logger = logging.getLogger(__name__)


def _relay(
    run: Callable[[], BaseModel], name: str, text: Callable[[BaseModel], str]
) -> Iterator[bytes]:
    pieces: queue.Queue[object] = queue.Queue()
    outcome: dict[str, object] = {}

    def work() -> None:
        token = answer_deltas.set(pieces.put)
        try:
            outcome["value"] = run()
        except Exception as exc:  # reported as an event: the response has already started
            if not isinstance(exc, AssistantError):
                logger.exception("streamed turn failed")
            outcome["error"] = exc
        finally:
            answer_deltas.reset(token)
            pieces.put(_END)

    threading.Thread(target=work, daemon=True).start()
    streamed = False
    while (piece := pieces.get()) is not _END:
        streamed = True
        yield event("delta", {"text": str(piece)})
    value = outcome.get("value")
    if not isinstance(value, BaseModel):
        error = outcome.get("error")
        code = getattr(error, "code", "internal_error")
        message = (
            error.message() if isinstance(error, AssistantError) else "内部错误 / internal error"
        )
        yield event("error", {"error": {"code": code, "message": message}})
        return
    if not streamed:
        yield from (event("delta", {"text": c}) for c in markdown_chunks(text(value)))
    yield event(name, value.model_dump(mode="json"))
    yield event("done", {})


def relayed_response(
    run: Callable[[], BaseModel], name: str, text: Callable[[BaseModel], str]
) -> StreamingResponse:
    """Run ``run`` in a worker thread and stream what a model writes meanwhile (a question
    asked mid-interview), then the whole object; with no model, the text in pieces."""
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(_relay(run, name, text), media_type=EVENT_STREAM, headers=headers)
