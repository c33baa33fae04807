"""A refused request is explained in the caller's language, naming the field as a user calls
it and the limit, with no half-English sentence in Chinese and no Chinese in English."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.session.models import MAX_TEXT_CHARS
from tests.api.conftest import Session

PASTED = 20_000
CHINESE_FIRST = "zh-CN,zh;q=0.9,en;q=0.8"
ENGLISH_FIRST = "en-US,en;q=0.9,zh;q=0.5"


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def refused(client: TestClient, session: Session, body: object, language: str) -> dict[str, str]:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        json=body,
        headers={**session.auth, "Accept-Language": language},
    )
    assert response.status_code == 422, response.text
    error: dict[str, str] = response.json()["error"]
    assert error["code"] == "validation_error"
    return error


def test_a_long_paste_is_refused_in_chinese_naming_the_message_and_the_limit(
    client: TestClient, session: Session
) -> None:
    error = refused(client, session, {"text": "长" * PASTED}, CHINESE_FIRST)

    message = error["message"]
    assert error["field"] == "body.text"
    assert message.startswith("消息（body.text）过长")
    assert f"{MAX_TEXT_CHARS:,}" in message and f"{PASTED:,}" in message
    assert "should" not in message and "String" not in message


def test_the_same_paste_in_english_is_all_english(client: TestClient, session: Session) -> None:
    message = refused(client, session, {"text": "长" * PASTED}, ENGLISH_FIRST)["message"]

    assert message.startswith("The message (body.text) is too long")
    assert f"at most {MAX_TEXT_CHARS:,} characters, got {PASTED:,}" in message
    assert not has_cjk(message)


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (CHINESE_FIRST, "三者须且只能填一项", "exactly one"),
        (ENGLISH_FIRST, "exactly one of", "三者"),
    ],
)
def test_a_check_of_our_own_speaks_one_language(
    client: TestClient, session: Session, language: str, expected: str, absent: str
) -> None:
    body = {"text": "满足", "quick_reply": "met"}

    message = refused(client, session, body, language)["message"]

    assert expected in message and absent not in message
    assert "Value error" not in message


@pytest.mark.parametrize(
    ("body", "zh", "en"),
    [
        (
            {"language": "fr"},
            "语言（body.language）的取值无效",
            "The language (body.language) must be",
        ),
        ({"profile": {"name": "名" * 300}}, "机构名称（body.profile.name）过长", "is too long"),
        ({"colour": "blue"}, "不认识的字段 body.colour", "Unknown field body.colour"),
    ],
)
def test_a_session_request_is_explained_in_both_languages(
    client: TestClient, body: dict[str, object], zh: str, en: str
) -> None:
    answers = {
        language: client.post("/api/v1/sessions", json=body, headers={"Accept-Language": language})
        for language in (CHINESE_FIRST, ENGLISH_FIRST)
    }

    assert {r.status_code for r in answers.values()} == {422}
    assert zh in answers[CHINESE_FIRST].json()["error"]["message"]
    english = answers[ENGLISH_FIRST].json()["error"]["message"]
    assert en in english and not has_cjk(english)


def test_a_body_that_is_not_json_is_said_so(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        content=b"{not json",
        headers={**session.auth, "Content-Type": "application/json", "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The request body is not valid JSON."
