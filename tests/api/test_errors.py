"""One error shape, in Chinese or English, with the status each failure deserves."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.errors import preferred_language
from assistant.interview.service import InterviewService
from assistant.rating import RatingResult
from tests.api.conftest import Session, make_settings


def assert_error(response_json: object, code: str) -> str:
    assert isinstance(response_json, dict)
    assert set(response_json) == {"error"}
    error = response_json["error"]
    assert error["code"] == code
    assert set(error) <= {"code", "message", "field", "reason"}
    message = error["message"]
    assert isinstance(message, str) and message
    return message


def test_an_unknown_session_is_404_in_chinese_by_default(
    client: TestClient, session: Session
) -> None:
    response = client.get("/api/v1/sessions/no-such-session", headers=session.auth)

    assert response.status_code == 404
    message = assert_error(response.json(), "session_not_found")
    assert "找不到会话" in message and "'no-such-session'" in message


def test_accept_language_english_gives_english_messages(
    client: TestClient, session: Session
) -> None:
    headers = {**session.auth, "Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}

    response = client.get("/api/v1/sessions/no-such-session", headers=headers)

    assert response.status_code == 404
    assert assert_error(response.json(), "session_not_found").startswith("No interview session")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en", "en"),
        ("en-US", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.5,zh;q=0.8", "zh"),
        ("fr,en;q=0.5", "en"),
        ("fr,de", "zh"),
        ("en;q=0", "zh"),
        ("en;q=bad", "zh"),
    ],
)
def test_the_language_follows_accept_language(header: str | None, language: str) -> None:
    assert preferred_language(header) == language


def test_a_bad_body_is_422_naming_the_field(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        json={"text": "长" * 4001},
        headers={**session.auth, "Accept-Language": "en"},
    )

    assert response.status_code == 422
    body = response.json()
    assert_error(body, "validation_error")
    assert body["error"]["field"] == "body.text"
    assert "body.text" in body["error"]["message"]


def test_a_turn_with_two_answers_is_422(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        json={"text": "满足", "quick_reply": "met"},
        headers=session.auth,
    )

    assert response.status_code == 422
    assert "三者须且只能填一项" in assert_error(response.json(), "validation_error")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.question"),
        ({"question": ""}, "body.question"),
        ({"question": "问", "k": 99}, "body.k"),
        ({"question": "问", "extra": 1}, "body.extra"),
    ],
)
def test_ask_validation_names_the_field(client: TestClient, body: object, field: str) -> None:
    response = client.post("/api/v1/ask", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/ask", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert_error(response.json(), "validation_error")


def test_unknown_addresses_and_methods_use_the_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    wrong_method = client.delete("/api/v1/catalog")

    assert missing.status_code == 404
    assert_error(missing.json(), "not_found")
    assert wrong_method.status_code == 405
    assert_error(wrong_method.json(), "method_not_allowed")


def test_a_large_json_body_is_413_before_it_is_read(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": "问" * 600_000})

    assert response.status_code == 413
    assert "1 MB" in assert_error(response.json(), "payload_too_large")


def test_a_large_chunked_body_is_counted_and_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(40):
            yield b"x" * 64 * 1024
        yield b'"}'

    response = client.post(
        "/api/v1/ask", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert_error(response.json(), "payload_too_large")


class BrokenService(InterviewService):
    def rating(self, session_id: str, *, as_of: date | None = None) -> RatingResult:
        raise RuntimeError("secret detail at /srv/smecmm/internal.py line 42")


def test_an_unexpected_error_is_a_generic_500_and_is_logged(
    service: InterviewService, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = BrokenService(service.catalog, service.rules, service.store)
    app = create_app(make_settings(tmp_path), service=broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        started = client.post("/api/v1/sessions").json()
        with caplog.at_level(logging.ERROR, logger="api"):
            response = client.get(
                f"/api/v1/sessions/{started['session_id']}/rating",
                headers={"Authorization": f"Bearer {started['token']}", "Accept-Language": "en"},
            )

    assert response.status_code == 500
    message = assert_error(response.json(), "internal_error")
    assert message == "Internal server error; try again."
    assert "secret" not in response.text and "Traceback" not in response.text
    assert any(
        "secret detail" in str(record.exc_info[1]) for record in caplog.records if record.exc_info
    )


def test_retrieval_unavailable_is_503(service: InterviewService, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), service=service)
    with TestClient(app) as client:
        response = client.post("/api/v1/ask", json={"question": "四星对数据有什么要求？"})

    assert response.status_code == 503
    assert_error(response.json(), "retrieval_unavailable")


def test_api_responses_are_not_cached_and_not_sniffed(client: TestClient, session: Session) -> None:
    response = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth)

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
