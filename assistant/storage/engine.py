"""SQLAlchemy engines for the session store, and the schema they are opened with.

SQLite (the embedded default) is opened in WAL mode with ``synchronous=FULL`` and foreign
keys on. WAL with ``synchronous=NORMAL`` already keeps every committed turn through a killed
process; ``FULL`` also syncs the log at each commit, so a committed turn survives a power cut
or an OS crash too. A turn is written once per human answer, so the extra sync (about a
millisecond on an SSD, see tests/benchmarks/storage_benchmark.py) is cheap insurance.

SQLAlchemy, not the ``sqlite3`` module, emits BEGIN: the module's legacy mode starts no
transaction for SELECT, so a read of several tables could mix two commits. Writes take
``BEGIN IMMEDIATE`` so that concurrent writers queue on the busy timeout instead of failing
when a read lock cannot be upgraded.

PostgreSQL (several API workers) gets a pool with pre-ping; reads run in REPEATABLE READ (one
snapshot for the session row and its findings), writes in READ COMMITTED, where the
version-guarded UPDATE waits for a concurrent writer and then matches no row.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from assistant.errors import ConfigurationError
from assistant.storage.migrations import migrate
from assistant.storage.tables import SCHEMA_VERSION, metadata, schema_version

__all__ = [
    "TransactionOptions",
    "ensure_schema",
    "make_engine",
    "parse_url",
    "redacted",
    "statement_options",
    "transaction_options",
]

TransactionOptions = dict[str, Any]

_WRITE = "smecmm_write"
_SINGLE = "smecmm_single"  # one read statement, atomic on its own: no BEGIN or COMMIT
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)
_SQLITE_BUSY_SECONDS = 30.0
_SCHEMA_LOCK = 0x534D45434D4D  # pg_advisory_xact_lock key: workers create tables one at a time
_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def redacted(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _unsupported(url: str) -> ConfigurationError:
    return ConfigurationError(
        f"不支持的数据库地址 {url!r}：请使用 sqlite:///路径/assistant.db 或 "
        "postgresql+psycopg://用户@主机/库名（环境变量 SMECMM_DATABASE_URL）。",
        en=f"Unsupported database URL {url!r}: use sqlite:///path/to/assistant.db or "
        "postgresql+psycopg://user@host/dbname (environment variable SMECMM_DATABASE_URL).",
    )


def parse_url(url: str) -> URL:
    """Parse and normalise: ``postgres://`` and ``postgresql://`` use the psycopg 3 driver."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise _unsupported(url) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise _unsupported(redacted(parsed))
    return parsed


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa.create_engine(
        parsed,
        json_serializer=_json,
        pool_size=5,
        max_overflow=10,
        pool_pre_ping=True,  # a worker outlives database restarts and idle-connection reaping
        pool_recycle=1800,
        connect_args={"connect_timeout": 10},
    )


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        engine = sa.create_engine(
            url,
            json_serializer=_json,
            poolclass=StaticPool,  # one connection, or every checkout is a new empty database
            connect_args={"check_same_thread": False},
        )
    else:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, json_serializer=_json, connect_args={"timeout": _SQLITE_BUSY_SECONDS}
        )
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        _execute_pragma(cursor, pragma)
    cursor.close()


def _execute_pragma(cursor: Any, pragma: str) -> None:
    """Switching a new file to WAL takes an exclusive lock and SQLite does not call its busy
    handler for it: workers opening one new database together retry instead of failing."""
    deadline = time.monotonic() + _SQLITE_BUSY_SECONDS
    while True:
        try:
            cursor.execute(pragma)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    if options.get(_SINGLE, False):
        return  # the module runs the statement in autocommit (isolation_level None)
    if options.get(_WRITE, False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # may wait for a lock, and fail as SQLAlchemy's
        return
    # A deferred BEGIN takes no lock, so it never waits: straight to the driver, as SQLAlchemy's
    # execution path costs more than the statement.
    dbapi: Any = conn.connection.dbapi_connection
    dbapi.execute("BEGIN")


def transaction_options(engine: Engine) -> tuple[TransactionOptions, TransactionOptions]:
    """Execution options of a (read, write) transaction on this engine."""
    if engine.dialect.name == "sqlite":
        return {}, {_WRITE: True}
    return {"isolation_level": "REPEATABLE READ"}, {}


def statement_options(engine: Engine) -> TransactionOptions:
    """Execution options of a read of one statement (a turn's token and quota checks): one
    statement sees one snapshot without a transaction, which would cost a BEGIN and a COMMIT
    (on PostgreSQL two round trips)."""
    if engine.dialect.name == "sqlite":
        return {_SINGLE: True}
    return {"isolation_level": "AUTOCOMMIT"}


def ensure_schema(engine: Engine, write: TransactionOptions) -> None:
    """Create missing tables, migrate an older schema in place (see ``migrations``) and check
    the stored schema version, in one transaction."""
    with engine.connect() as conn:
        conn.execution_options(**write)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
            metadata.create_all(conn)
            stored = conn.scalar(sa.select(sa.func.max(schema_version.c.version)))
            if stored is None:
                conn.execute(sa.insert(schema_version).values(version=SCHEMA_VERSION))
            elif stored != SCHEMA_VERSION and not migrate(conn, stored):
                raise _schema_mismatch(engine.url, stored)


def _schema_mismatch(url: URL, stored: int) -> ConfigurationError:
    return ConfigurationError(
        f"数据库 {redacted(url)!r} 的结构版本为 {stored}，本程序使用第 {SCHEMA_VERSION} 版："
        "请使用与之匹配的程序版本，或另指定一个数据库。",
        en=f"Database {redacted(url)!r} has schema version {stored}; this program uses "
        f"version {SCHEMA_VERSION}: run the matching program version or name another database.",
    )
