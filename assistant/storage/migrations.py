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

from assistant.knowledge.schema import InstitutionType
from assistant.storage.tables import (
    SCHEMA_VERSION,
    api_keys,
    evidence,
    findings,
    schema_version,
    sessions,
)

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


_FILL_PAGE = 500  # sessions read per statement while filling the institution type


def _v4_to_v5(conn: Connection) -> None:
    """Re-assessments and the assessor queue (the signoffs, evidence_checks, assessor_notes and
    console_logins tables are new): earlier findings are not carried, earlier sessions have no
    previous session, and their institution type is read from their stored profile."""
    _add_column(conn, sessions, "institution_type")
    _add_column(conn, sessions, "previous_session_id")
    _add_column(conn, findings, "carried")
    for column in ("institution_type", "previous_session_id"):
        for index in sessions.indexes:
            if column in index.columns:
                index.create(conn, checkfirst=True)
    _fill_institution_types(conn)


def _fill_institution_types(conn: Connection) -> None:
    after = ""
    while True:
        page = conn.execute(
            sa.select(sessions.c.id, sessions.c.state)
            .where(sessions.c.id > after)
            .order_by(sessions.c.id)
            .limit(_FILL_PAGE)
        ).all()
        filled = [
            {"row_id": row.id, "kind": kind}
            for row in page
            if (kind := _institution_type(row.state)) is not None
        ]
        if filled:
            conn.execute(
                sa.update(sessions)
                .where(sessions.c.id == sa.bindparam("row_id"))
                .values(institution_type=sa.bindparam("kind")),
                filled,
            )
        if len(page) < _FILL_PAGE:
            return
        after = page[-1].id


def _institution_type(state: object) -> str | None:
    """The stored profile's institution type, if it names a known one (else None)."""
    profile = state.get("profile") if isinstance(state, dict) else None
    kind = profile.get("institution_type") if isinstance(profile, dict) else None
    known = {member.value for member in InstitutionType}
    return kind if isinstance(kind, str) and kind in known else None


_STEPS: dict[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5}


def migrate(conn: Connection, stored: int) -> bool:
    """Run the steps from ``stored`` to ``SCHEMA_VERSION``; False (nothing done) when there is
    no path, e.g. a database of a newer program."""
    if stored > SCHEMA_VERSION or any(v not in _STEPS for v in range(stored, SCHEMA_VERSION)):
        return False
    for version in range(stored, SCHEMA_VERSION):
        _STEPS[version](conn)
    conn.execute(sa.update(schema_version).values(version=SCHEMA_VERSION))
    return True
