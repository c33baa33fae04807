"""The app over a real SQLite store, the real catalog and rules, the real evidence desk; a
hand-written answerer and knowledge maintenance stand in for retrieval."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import create_app
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.settings import Settings
from assistant.storage.sql import SqlSessionStore
from tests.utils.api import (
    FakeAnswerer,
    FakeMaintenance,
    Keys,
    add_keys,
    bearer,
    write_web_dir,
)


@dataclass(frozen=True)
class Session:
    id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.token)


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "web_dir": write_web_dir(tmp_path / "web"),
        "max_upload_mb": 1,
        "rate_limit_per_minute": 0,
        "site_rate_limit_per_minute": 0,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlSessionStore]:
    opened = SqlSessionStore(f"sqlite:///{tmp_path / 'assistant.db'}")
    yield opened
    opened.close()


@pytest.fixture
def service(
    real_catalog: Catalog, real_rules: RuleSet, store: SqlSessionStore, tmp_path: Path
) -> InterviewService:
    desk = UploadDesk(real_catalog, FileBlobStore(tmp_path / "evidence"), max_bytes=1024 * 1024)
    return InterviewService(real_catalog, real_rules, store, desk=desk)


@pytest.fixture
def answerer() -> FakeAnswerer:
    return FakeAnswerer()


@pytest.fixture
def maintenance() -> FakeMaintenance:
    return FakeMaintenance()


@pytest.fixture
def keys(store: SqlSessionStore) -> Keys:
    return add_keys(store)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(
    settings: Settings,
    service: InterviewService,
    answerer: FakeAnswerer,
    maintenance: FakeMaintenance,
) -> FastAPI:
    return create_app(settings, service=service, answerer=answerer, maintenance=maintenance)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def start_session(client: TestClient, **body: object) -> Session:
    response = client.post("/api/v1/sessions", json=body or None)
    assert response.status_code == 201, response.text
    data = response.json()
    return Session(data["session_id"], data["token"])


@pytest.fixture
def session(client: TestClient) -> Session:
    return start_session(client)


@pytest.fixture
def other_session(client: TestClient) -> Session:
    return start_session(client)
