"""Server-sent events for replies and answers.

With ``Accept: text/event-stream`` a message or a question is answered as a stream:

    event: delta
    data: {"text": "**服务运营 · 三星**…"}      (one or more: the Markdown text in pieces)

    event: reply                               (``answer`` for /ask)
    data: {…the whole JSON object, as without streaming…}

    event: done
    data: {}

Every ``data`` line is one line of JSON. Without a model the pieces of the ``delta`` events, joined,
are the text of the final object. With a model they are its tokens as written, and the final
object's text replaces them (it adds the sources line, the question to resume, or the
extractive answer when the citation check failed).
Errors found before the stream starts are ordinary JSON error
responses with their status code.
"""

from __future__ import annotations

import asyncio
import itertools
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
    stream = _answer_events(answerer, question, k)
    first = next(stream)  # retrieval errors surface here, with their own status code
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        itertools.chain([first], stream), media_type=EVENT_STREAM, headers=headers
    )


_END = object()
logger = logging.getLogger(__name__)


class _Relay:
    """Runs a turn in a worker thread and hands over what a model writes meanwhile."""

    def __init__(self, run: Callable[[], BaseModel]) -> None:
        self.pieces: queue.Queue[object] = queue.Queue()
        self.outcome: dict[str, object] = {}
        self._run = run
        threading.Thread(target=self._work, daemon=True).start()

    def _work(self) -> None:
        token = answer_deltas.set(self.pieces.put)
        try:
            self.outcome["value"] = self._run()
        except Exception as exc:
            self.outcome["error"] = exc
        finally:
            answer_deltas.reset(token)
            self.pieces.put(_END)

    def first(self) -> object:
        """The first piece, or the end; an error before any piece is raised here, so it gets
        its own status code instead of a 200 stream."""
        piece = self.pieces.get()
        error = self.outcome.get("error")
        if piece is _END and isinstance(error, Exception):
            raise error
        return piece

    def events(self, first: object, name: str, text: Callable[[BaseModel], str]) -> Iterator[bytes]:
        streamed = False
        piece = first
        while piece is not _END:
            streamed = True
            yield event("delta", {"text": str(piece)})
            piece = self.pieces.get()
        value = self.outcome.get("value")
        if not isinstance(value, BaseModel):
            yield self._error_event(self.outcome.get("error"))
            return
        if not streamed:
            yield from (event("delta", {"text": c}) for c in markdown_chunks(text(value)))
        yield event(name, value.model_dump(mode="json"))
        yield event("done", {})

    @staticmethod
    def _error_event(error: object) -> bytes:
        if not isinstance(error, AssistantError):
            logger.error("streamed turn failed after its first piece", exc_info=error is not None)
        code = getattr(error, "code", "internal_error")
        message = (
            error.message() if isinstance(error, AssistantError) else "内部错误 / internal error"
        )
        return event("error", {"error": {"code": code, "message": message}})


def relayed_response(
    run: Callable[[], BaseModel], name: str, text: Callable[[BaseModel], str]
) -> StreamingResponse:
    """Run ``run`` in a worker thread and stream what a model writes meanwhile (a question
    asked mid-interview), then the whole object; with no model, the text in pieces. An error
    before the first piece is raised, so it keeps its status code."""
    relay = _Relay(run)
    first = relay.first()
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        relay.events(first, name, text), media_type=EVENT_STREAM, headers=headers
    )
