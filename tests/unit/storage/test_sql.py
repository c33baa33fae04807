"""What only the SQL store has: URLs, engine settings, the schema and its version."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.errors import ConfigurationError
from assistant.storage import InMemorySessionStore, default_database_url, open_store
from assistant.storage.engine import parse_url
from assistant.storage.sql import SqlSessionStore
from assistant.storage.tables import SCHEMA_VERSION, metadata, schema_version
from tests.utils.sessions import new_session

TABLES = {
    "schema_version",
    "sessions",
    "findings",
    "finding_changes",
    "turns",
    "evidence",
    "ratings",
    "api_keys",
    "resume_codes",
    "used_jtis",
    "index_stamps",
    "signoffs",
    "evidence_checks",
    "assessor_notes",
    "console_logins",
}


def test_sqlite_connections_are_wal_full_sync_with_foreign_keys(tmp_path: Path) -> None:
    store = SqlSessionStore(f"sqlite:///{tmp_path / 'a.db'}")
    with store.engine.connect() as conn:
        pragmas = [
            conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys")
        ]
    store.close()
    assert pragmas == ["wal", 2, 1]  # synchronous 2 = FULL


def test_the_schema_is_created_once_and_versioned(database: str) -> None:
    first = SqlSessionStore(database)
    first.create(*new_session())
    first.close()
    again = SqlSessionStore(database)  # opening an existing database keeps its data

    assert set(sa.inspect(again.engine).get_table_names()) == TABLES
    with again.engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    assert again.get("s-0001").version == 0
    again.close()


def test_workers_starting_together_create_the_schema_once(database: str) -> None:
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_one() -> None:
        barrier.wait()
        try:
            SqlSessionStore(database).close()
        except BaseException as error:  # reported below, with the backend's message
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.db'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema_version).values(version=SCHEMA_VERSION + 1))
    engine.dispose()

    with pytest.raises(ConfigurationError) as raised:
        SqlSessionStore(url)
    assert f"结构版本为 {SCHEMA_VERSION + 1}" in raised.value.message("zh")
    assert "schema version" in raised.value.message("en")


def test_timestamps_are_stored_as_utc(tmp_path: Path) -> None:
    beijing = timezone(timedelta(hours=8))
    store = SqlSessionStore(f"sqlite:///{tmp_path / 'a.db'}")
    store.create(*new_session(created=datetime(2026, 3, 2, 17, 30, tzinfo=beijing)))
    with store.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT created_at FROM sessions").scalar()
    store.close()
    assert raw == "2026-03-02 09:30:00.000000"


def test_json_is_stored_readable_not_escaped(tmp_path: Path) -> None:
    store = SqlSessionStore(f"sqlite:///{tmp_path / 'a.db'}")
    store.create(*new_session())
    with store.engine.connect() as conn:
        raw = str(conn.exec_driver_sql("SELECT reply FROM turns").scalar())
    store.close()
    assert "中小企业" in raw and raw.startswith('{"session_id":"s-0001"')


def test_in_memory_sqlite_keeps_one_database(tmp_path: Path) -> None:
    store = open_store("sqlite://")
    assert isinstance(store, SqlSessionStore)
    store.create(*new_session())
    assert store.get("s-0001").version == 0
    store.close()


def test_default_url_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "var" / "new"
    url = default_database_url(data_dir)
    assert url == f"sqlite:///{data_dir.absolute()}/assistant.db"

    store = open_store(url)  # the missing directories are made
    assert isinstance(store, SqlSessionStore)
    store.close()
    assert (data_dir / "assistant.db").is_file()


def test_open_store_picks_the_fake_by_name() -> None:
    assert isinstance(open_store("memory://"), InMemorySessionStore)


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@db/x", "postgresql+psycopg"),
        ("postgres://u@db/x", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg"),
        ("sqlite:///a.db", "sqlite"),
    ],
)
def test_postgres_urls_use_psycopg_3(given: str, driver: str) -> None:
    assert parse_url(given).drivername == driver


@pytest.mark.parametrize("url", ["", "   ", "mysql://u@db/x", "not a url", "redis://cache"])
def test_unusable_urls_raise_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        open_store(url)
    assert raised.value.message("zh") != raised.value.message("en")
    assert "SMECMM_DATABASE_URL" in raised.value.message("en")


def test_an_unreachable_server_is_a_configuration_error_without_the_password() -> None:
    with pytest.raises(ConfigurationError) as raised:
        open_store("postgresql://smecmm:s3cret@127.0.0.1:1/assistant")
    for language in ("zh", "en"):
        text = raised.value.message(language)
        assert "127.0.0.1:1" in text and "s3cret" not in text
