"""``GET /healthz``: open to anyone, never rate limited, 503 when the database does not answer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api import create_app
from assistant.interview.service import InterviewService
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import make_settings
from tests.utils.api import FakeAnswerer


def test_it_reports_the_served_and_the_latest_index_version(
    client: TestClient, store: SqlSessionStore
) -> None:
    first = client.get("/healthz")
    store.bump_index_stamp("sha256:aaa", datetime.now(UTC))  # another worker's reindex
    second = client.get("/healthz")

    assert first.status_code == 200 and second.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    assert first.json()["status"] == "ok" and first.json()["database"] == "ok"
    assert (first.json()["index_version"], first.json()["index_latest"]) == (None, None)
    assert (second.json()["index_version"], second.json()["index_latest"]) == (None, 1)
    assert second.json()["retrieval"] is True


def test_it_is_neither_rate_limited_nor_behind_a_key(
    service: InterviewService, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, rate_limit_per_minute=2, require_key_for_public=True)
    app = create_app(settings, service=service, answerer=FakeAnswerer())
    with TestClient(app) as client:
        statuses = {client.get("/healthz").status_code for _ in range(5)}
        limited = [client.get("/api/v1/catalog").status_code for _ in range(3)]

    assert statuses == {200}
    assert limited == [401, 401, 429]  # the API beside it is keyed and limited


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh", "数据库无法访问"), ("en", "The database does not answer")],
)
def test_it_answers_503_when_the_database_does_not(
    client: TestClient,
    store: SqlSessionStore,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    message: str,
) -> None:
    def unreachable() -> None:
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(store, "index_stamp", unreachable)

    response = client.get("/healthz", headers={"Accept-Language": language})

    assert response.status_code == 503
    assert response.json() == {"error": {"code": "storage_unavailable", "message": message}}


def test_the_openapi_documents_it(client: TestClient) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/healthz"]["get"]
    assert set(operation["responses"]) >= {"200", "503"}
    assert "security" not in operation and "parameters" not in operation
