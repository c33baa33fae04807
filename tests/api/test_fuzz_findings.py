"""What the schemathesis run (test_fuzz_openapi.py) found, each pinned by a plain request."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Session
from tests.utils.api import Keys


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    schema: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return schema


def test_a_body_that_cannot_be_parsed_is_a_documented_400(
    client: TestClient, session: Session, document: dict[str, Any]
) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages",
        content=b'{"text": "\xc3\x28"}',  # not UTF-8
        headers={**session.auth, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)


def test_the_json_report_is_documented_as_the_object_it_is(
    client: TestClient, session: Session, document: dict[str, Any]
) -> None:
    response = client.get(
        f"/api/v1/sessions/{session.id}/report", params={"format": "json"}, headers=session.auth
    )
    operation = document["paths"]["/api/v1/sessions/{session_id}/report"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert schema["type"] == "object"
    assert response.json()["schema"] == schema["properties"]["schema"]["const"]


@pytest.mark.parametrize(
    "query", ["limit=5&limit=200", "offset=0&limit=5&offset=10", "limit=5&limit=5"]
)
def test_a_repeated_query_parameter_is_refused_not_guessed(
    client: TestClient, keys: Keys, query: str
) -> None:
    response = client.get(
        f"/api/v1/sessions?{query}",
        headers={"X-API-Key": keys.assessor, "Accept-Language": "en"},
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] in ("query.limit", "query.offset")
    assert "only once" in error["message"]


def test_parameters_a_route_does_not_declare_may_repeat(client: TestClient, keys: Keys) -> None:
    response = client.get(
        "/api/v1/sessions?limit=5&utm=a&utm=b", headers={"X-API-Key": keys.assessor}
    )

    assert response.status_code == 200
    assert response.json()["limit"] == 5


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-1-5", "٢٠٢٦-١٢-٣١"])
def test_a_validity_date_is_only_yyyy_mm_dd(
    client: TestClient, session: Session, value: str
) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("证书.txt", "资质证书".encode(), "text/plain")},
        data={"valid_until": value},
        headers=session.auth,
    )

    assert response.status_code == 422, response.text  # "0" was 1970-01-01
    assert response.json()["error"]["field"] == "body.valid_until"
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    assert listed.json()["evidence"] == []


def test_a_blank_validity_date_means_none(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("证书.txt", "资质证书".encode(), "text/plain")},
        data={"valid_until": ""},
        headers=session.auth,
    )

    assert response.status_code == 201
    assert response.json()["evidence"]["valid_until"] is None
