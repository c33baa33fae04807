"""A real PostgreSQL server for the cross-engine restores (started once per test session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.utils.postgres import PostgresServer, postgres_fixture


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    yield from postgres_fixture()
