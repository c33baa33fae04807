"""Bringing a database of an earlier schema version up to ``SCHEMA_VERSION`` in place.

``ensure_schema`` calls ``migrate`` inside its one transaction (under PostgreSQL's advisory
lock, or SQLite's ``BEGIN IMMEDIATE``), after ``create_all`` has added the tables that are
new: a step only adds columns and indexes to tables that existed, and fills them. Several
workers starting on an old database migrate it once; the others then find it current.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assistant.storage.tables import SCHEMA_VERSION, api_keys, evidence, schema_version, sessions

__all__ = ["migrate"]

Step = Callable[[Connection], None]


def _add_column(conn: Connection, table: sa.Table, name: str) -> None:
    spec = sa.schema.CreateColumn(table.c[name]).compile(dialect=conn.dialect)
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {spec}")


def _v1_to_v2(conn: Connection) -> None:
    """Token lifetimes and per-site token secrets (resume_codes, used_jtis are new tables)."""
    _add_column(conn, sessions, "token_seen_at")
    _add_column(conn, sessions, "token_revoked_at")
    _add_column(conn, api_keys, "token_secret")
    # A token's idle time counts from the session's last turn, as nothing recorded more.
    conn.execute(sa.update(sessions).values(token_seen_at=sessions.c.updated_at))
    for index in evidence.indexes:
        index.create(conn, checkfirst=True)


def _v2_to_v3(conn: Connection) -> None:
    """An evidence record's end of validity; earlier uploads stay without one (in force)."""
    _add_column(conn, evidence, "valid_until")


def _v3_to_v4(conn: Connection) -> None:
    """The shared index stamp: its table is new (``create_all`` made it), nothing to fill."""


_STEPS: dict[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def migrate(conn: Connection, stored: int) -> bool:
    """Run the steps from ``stored`` to ``SCHEMA_VERSION``; False (nothing done) when there is
    no path, e.g. a database of a newer program."""
    if stored > SCHEMA_VERSION or any(v not in _STEPS for v in range(stored, SCHEMA_VERSION)):
        return False
    for version in range(stored, SCHEMA_VERSION):
        _STEPS[version](conn)
    conn.execute(sa.update(schema_version).values(version=SCHEMA_VERSION))
    return True
