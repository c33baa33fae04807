"""The OpenAPI document: complete, bilingual, with examples that are valid bodies."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api import examples
from api.schemas import AskRequest, FindingOverride, SessionCreate, SessionCreated
from assistant.qa.models import Answer
from assistant.session.models import Reply, UserTurn


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return document


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


# The health check stays at the root, where load balancers look, outside the rate limits;
# the console's sign-in sits beside the console pages (its cookie has Path=/).
UNVERSIONED = {"/healthz", "/console/login", "/console/me", "/console/logout"}


def test_every_path_is_versioned_and_pages_are_left_out(schema: dict[str, Any]) -> None:
    assert schema["paths"]
    assert all(path.startswith("/api/v1/") for path in set(schema["paths"]) - UNVERSIONED)


def test_every_operation_has_a_bilingual_summary_and_error_responses(
    schema: dict[str, Any],
) -> None:
    for method, path, operation in operations(schema):
        summary = operation["summary"]
        assert " / " in summary, (method, path)
        assert any("\u4e00" <= char <= "\u9fff" for char in summary), (method, path)
        errors = [status for status in operation["responses"] if status.startswith(("4", "5"))]
        # no input and no rate limit: only its own 503
        assert {"422", "429"} <= set(errors) or path in UNVERSIONED, (method, path)
        assert errors, (method, path)
        for status in errors:
            assert "ErrorResponse" in str(operation["responses"][status]), (method, path, status)


def test_streaming_is_documented(schema: dict[str, Any]) -> None:
    for path in ("/api/v1/sessions/{session_id}/messages", "/api/v1/ask"):
        operation = schema["paths"][path]["post"]
        content = operation["responses"]["200"]["content"]
        assert "text/event-stream" in content
        assert "event: done" in content["text/event-stream"]["example"]
        assert "`delta`" in operation["description"]


def test_credentials_are_declared(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]

    assert schemes["SessionToken"]["scheme"] == "bearer"
    assert schemes["StaffKey"]["name"] == "X-API-Key"
    assert schemes["SiteKey"]["name"] == "X-Site-Key"


def test_request_examples_are_shown(schema: dict[str, Any]) -> None:
    body = schema["paths"]["/api/v1/sessions/{session_id}/messages"]["post"]["requestBody"]
    shown = body["content"]["application/json"]["examples"]

    assert set(shown) == {"quick_reply", "text", "answers"}


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (SessionCreate, [e["value"] for e in examples.SESSION_REQUESTS.values()]),
        (UserTurn, [e["value"] for e in examples.MESSAGE_REQUESTS.values()]),
        (AskRequest, [e["value"] for e in examples.ASK_REQUESTS.values()]),
        (FindingOverride, [e["value"] for e in examples.OVERRIDE_REQUESTS.values()]),
        (SessionCreated, [examples.SESSION_CREATED]),
        (Reply, [examples.REPLY]),
        (Answer, [examples.ANSWER]),
    ],
)
def test_examples_are_valid_bodies(model: type[BaseModel], values: list[dict[str, Any]]) -> None:
    for value in values:
        model.model_validate(value)
