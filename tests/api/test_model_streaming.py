"""SSE with a language model writing: its tokens stream as ``delta`` events, then the final
object, whose text replaces them (api/sse.py, assistant/llm/grounded.py).

The answerer is the real ``GroundedAnswerer`` around a canned extractive answer, with a
scripted chat model that streams its reply four characters at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import create_app
from assistant.errors import AssistantError, ConfigurationError
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.llm.grounded import GroundedAnswerer
from assistant.qa.models import Answer
from assistant.settings import Settings
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import Session, start_session
from tests.utils.api import FakeMaintenance, parse_sse
from tests.utils.fake_chat import (
    SAMPLE_ANSWER,
    SAMPLE_PROSE,
    SAMPLE_QUESTION,
    Broken,
    CannedAnswerer,
    ScriptedChatModel,
)
from tests.utils.interview import FlakyStore

STREAM = {"Accept": "text/event-stream"}
# Fluent, but it cites a clause that retrieval did not return: the check refuses it.
UNGROUNDED = "四星要求把数据当作资产来管理【7.1】，并编制数据资源目录【SO-4-05】。"
UNCOVERED = Answer(
    question="今天天气怎么样？", language="zh", covered=False, text="标准未涉及此问题。"
)


@pytest.fixture
def chat() -> ScriptedChatModel:
    return ScriptedChatModel()


class _Retrieval(CannedAnswerer):
    """The extractive answerer: the canned answer, or ``error`` when retrieval is down."""

    error: AssistantError | None = None

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        if self.error is not None:
            raise self.error
        return super().ask(question, k=k)


@pytest.fixture
def base() -> _Retrieval:
    return _Retrieval(SAMPLE_ANSWER)


@pytest.fixture
def answerer(chat: ScriptedChatModel, base: _Retrieval) -> GroundedAnswerer:
    return GroundedAnswerer(chat, base)


@pytest.fixture
def service(
    real_catalog: Catalog,
    real_rules: RuleSet,
    store: SqlSessionStore,
    tmp_path: Path,
    answerer: GroundedAnswerer,
) -> InterviewService:
    desk = UploadDesk(real_catalog, FileBlobStore(tmp_path / "evidence"), max_bytes=1024 * 1024)
    return InterviewService(real_catalog, real_rules, store, desk=desk, answerer=answerer)


def _events(client: TestClient, path: str, body: dict[str, Any], **headers: str) -> list[Any]:
    response = client.post(path, json=body, headers={**STREAM, **headers})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return parse_sse(response.text)


def _ask(client: TestClient, question: str = SAMPLE_QUESTION) -> list[Any]:
    return _events(client, "/api/v1/ask", {"question": question})


def _deltas(events: list[Any]) -> list[str]:
    return [data["text"] for name, data in events if name == "delta"]


def _final(events: list[Any], name: str) -> dict[str, Any]:
    assert [event for event, _ in events][-2:] == [name, "done"], events
    final: dict[str, Any] = events[-2][1]
    return final


# ------------------------------------------------------------------ /ask


def test_ask_streams_the_models_tokens_before_the_answer(
    client: TestClient, chat: ScriptedChatModel
) -> None:
    chat.enqueue(SAMPLE_PROSE)

    events = _ask(client)

    deltas = _deltas(events)
    final = _final(events, "answer")
    assert len(deltas) >= 5
    assert {name for name, _ in events[: len(deltas)]} == {"delta"}
    assert "".join(deltas) == SAMPLE_PROSE  # the model's own tokens, as written
    # The final text replaces the deltas: the same prose, then the sources line.
    assert final["text"].startswith(SAMPLE_PROSE) and final["text"] != SAMPLE_PROSE
    assert "9.4" in final["text"].removeprefix(SAMPLE_PROSE)
    assert final["citations"] == [c.model_dump(mode="json") for c in SAMPLE_ANSWER.citations]
    assert len(chat.calls) == 1


def test_the_streamed_and_the_plain_answer_agree(
    client: TestClient, chat: ScriptedChatModel
) -> None:
    chat.enqueue(SAMPLE_PROSE, SAMPLE_PROSE)

    streamed = _final(_ask(client), "answer")
    plain = client.post("/api/v1/ask", json={"question": SAMPLE_QUESTION})

    assert plain.status_code == 200
    assert plain.json() == streamed


def test_prose_citing_a_clause_not_retrieved_gives_the_extractive_answer(
    client: TestClient, chat: ScriptedChatModel
) -> None:
    chat.enqueue(UNGROUNDED)

    events = _ask(client)

    deltas = _deltas(events)
    final = _final(events, "answer")
    assert "".join(deltas) == UNGROUNDED  # already streamed before the check could run
    assert final["text"] == SAMPLE_ANSWER.text  # documented: the final text replaces them
    assert final["text"] != "".join(deltas)
    assert "7.1" not in final["text"]


def test_a_model_failing_mid_stream_ends_with_the_extractive_answer(
    client: TestClient, chat: ScriptedChatModel
) -> None:
    chat.enqueue(Broken(SAMPLE_PROSE[:12], TimeoutError("read timed out")))

    events = _ask(client)

    assert "".join(_deltas(events)) == SAMPLE_PROSE[:12]
    assert _final(events, "answer")["text"] == SAMPLE_ANSWER.text


def test_a_model_failing_before_its_first_token_streams_the_extractive_answer(
    client: TestClient, chat: ScriptedChatModel
) -> None:
    chat.enqueue(ConnectionError("refused"))

    events = _ask(client)

    deltas = _deltas(events)
    assert len(deltas) >= 2
    assert "".join(deltas) == _final(events, "answer")["text"] == SAMPLE_ANSWER.text


def test_an_uncovered_question_never_reaches_the_model(
    client: TestClient, chat: ScriptedChatModel, base: _Retrieval
) -> None:
    base.answer = UNCOVERED

    events = _ask(client, UNCOVERED.question)

    final = _final(events, "answer")
    assert final["covered"] is False and final["citations"] == []
    assert "".join(_deltas(events)) == final["text"] == UNCOVERED.text
    assert chat.calls == []


# ------------------------------------------------------------------ /sessions/{id}/messages


def _message(client: TestClient, session: Session, text: str) -> list[Any]:
    return _events(
        client, f"/api/v1/sessions/{session.id}/messages", {"text": text}, **session.auth
    )


def test_a_question_mid_interview_streams_the_models_tokens(
    client: TestClient, session: Session, chat: ScriptedChatModel, base: _Retrieval
) -> None:
    chat.enqueue(SAMPLE_PROSE)

    events = _message(client, session, SAMPLE_QUESTION)

    deltas = _deltas(events)
    reply = _final(events, "reply")["reply"]
    assert base.asked == [SAMPLE_QUESTION]
    assert len(deltas) >= 5 and "".join(deltas) == SAMPLE_PROSE
    assert SAMPLE_PROSE in reply["text"]  # the reply's text replaces the deltas
    assert [c["clause"] for c in reply["citations"]] == ["9.4.5", "9.4"]
    assert reply["question"]["kind"] == "profile"  # the interview resumes where it was


def test_a_mid_interview_answer_failing_the_check_is_replaced_in_the_reply(
    client: TestClient, session: Session, chat: ScriptedChatModel
) -> None:
    chat.enqueue(UNGROUNDED)

    events = _message(client, session, SAMPLE_QUESTION)

    reply = _final(events, "reply")["reply"]
    assert "".join(_deltas(events)) == UNGROUNDED
    assert "7.1" not in reply["text"] and UNGROUNDED not in reply["text"]


def test_an_ordinary_turn_streams_the_reply_text_in_pieces(
    client: TestClient, session: Session, chat: ScriptedChatModel
) -> None:
    events = _message(client, session, "深圳市示例中小企业服务中心")

    deltas = _deltas(events)
    reply = _final(events, "reply")["reply"]
    assert len(deltas) >= 1 and "".join(deltas) == reply["text"]
    assert chat.calls == []


def test_the_streamed_turn_is_stored_like_a_plain_one(
    client: TestClient, session: Session, chat: ScriptedChatModel
) -> None:
    chat.enqueue(SAMPLE_PROSE)
    streamed = _final(_message(client, session, SAMPLE_QUESTION), "reply")["reply"]

    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth)

    assert view.status_code == 200
    assert view.json()["reply"] == streamed


# ------------------------------------------------------------------ errors


RETRIEVAL_DOWN = ConfigurationError("检索服务暂不可用", en="retrieval is unavailable")


def test_retrieval_down_mid_interview_is_said_in_the_reply(
    client: TestClient, session: Session, chat: ScriptedChatModel, base: _Retrieval
) -> None:
    base.error = RETRIEVAL_DOWN

    events = _message(client, session, SAMPLE_QUESTION)

    reply = _final(events, "reply")["reply"]
    assert "检索服务暂不可用" in reply["text"]
    assert "".join(_deltas(events)) == reply["text"]
    assert chat.calls == []


def test_ask_with_retrieval_down_keeps_its_status_code(
    client: TestClient, base: _Retrieval
) -> None:
    base.error = RETRIEVAL_DOWN

    response = client.post("/api/v1/ask", json={"question": SAMPLE_QUESTION}, headers=STREAM)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "configuration_error"


@pytest.fixture
def flaky_client(
    real_catalog: Catalog,
    real_rules: RuleSet,
    store: SqlSessionStore,
    settings: Settings,
    answerer: GroundedAnswerer,
) -> Iterator[tuple[TestClient, FlakyStore]]:
    flaky = FlakyStore(store, failures=0)
    service = InterviewService(real_catalog, real_rules, flaky, answerer=answerer)
    app: FastAPI = create_app(
        settings, service=service, answerer=answerer, maintenance=FakeMaintenance()
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client, flaky


def test_a_turn_that_fails_after_the_stream_started_ends_with_an_error_event(
    flaky_client: tuple[TestClient, FlakyStore], chat: ScriptedChatModel
) -> None:
    client, flaky = flaky_client
    session = start_session(client)
    flaky.failures = 3  # every retry of the turn loses the race
    chat.enqueue(SAMPLE_PROSE, SAMPLE_PROSE, SAMPLE_PROSE)

    response = client.post(  # a question: the model streams its answer, then the commit fails
        f"/api/v1/sessions/{session.id}/messages",
        json={"text": SAMPLE_QUESTION},
        headers={**STREAM, **session.auth},
    )

    assert response.status_code == 200
    events = parse_sse(response.text)
    assert events[0][0] == "delta"
    assert events[-1][0] == "error"
    assert events[-1][1]["error"]["code"] == "concurrent_update"
    assert "done" not in [name for name, _ in events]


def test_a_turn_failing_before_any_token_keeps_its_status_code(
    flaky_client: tuple[TestClient, FlakyStore],
) -> None:
    client, flaky = flaky_client
    session = start_session(client)
    flaky.failures = 3

    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        json={"text": "深圳市示例中小企业服务中心"},
        headers={**STREAM, **session.auth},
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "concurrent_update"
