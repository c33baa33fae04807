"""Every storage test runs against the three backends: the in-memory fake, a SQLite file and a
real PostgreSQL server (started once per test session; see tests/utils/postgres.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.storage import MEMORY_URL, InMemorySessionStore
from assistant.storage.sql import SqlSessionStore
from tests.utils.postgres import PostgresServer, postgres_fixture

Store = InMemorySessionStore | SqlSessionStore


def open_test_store(url: str) -> Store:
    return InMemorySessionStore() if url == MEMORY_URL else SqlSessionStore(url)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    yield from postgres_fixture()


def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    if backend == "memory":
        return MEMORY_URL
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'assistant.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_url(request, request.param, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a real database (no fake): for reopening, crashes and racing writers."""
    return database_url(request, request.param, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_test_store(store_url)
    yield opened
    opened.close()
