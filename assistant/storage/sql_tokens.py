"""The SQL of session-token lifetimes and pruning, each function run inside the caller's
transaction (``SqlSessionStore`` opens it).

Redeeming a resume code and claiming a ``jti`` are single conditional statements, so two
workers racing for the same code or token get one success between them: PostgreSQL makes the
second ``DELETE`` or ``INSERT`` wait for the first and then find nothing to do; SQLite
serialises writers with ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from assistant.session.state import Actor, Stage
from assistant.storage.base import DeletedSessions
from assistant.storage.tables import (
    assessor_notes,
    console_logins,
    evidence,
    evidence_checks,
    finding_changes,
    findings,
    ratings,
    resume_codes,
    sessions,
    signoffs,
    turns,
    used_jtis,
)

__all__ = [
    "claim_jti",
    "delete_inactive",
    "drop_expired",
    "evidence_in_use",
    "prunable_query",
    "redeem_resume_code",
    "set_resume_code",
]


def _insert(conn: Connection, table: sa.Table) -> Any:
    return (sqlite if conn.dialect.name == "sqlite" else postgresql).insert(table)


def set_resume_code(
    conn: Connection, session_id: str, code_hash: str, expires_at: datetime
) -> None:
    statement = _insert(conn, resume_codes).values(
        session_id=session_id, code_hash=code_hash, expires_at=expires_at
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["session_id"],
            set_={"code_hash": code_hash, "expires_at": expires_at},
        )
    )


def redeem_resume_code(
    conn: Connection, code_hash: str, token_hash: str, now: datetime
) -> str | None:
    taken = (
        sa.delete(resume_codes)
        .where(resume_codes.c.code_hash == code_hash, resume_codes.c.expires_at > now)
        .returning(resume_codes.c.session_id)
    )
    session_id: str | None = conn.execute(taken).scalar_one_or_none()
    if session_id is None:
        return None
    conn.execute(
        sa.update(sessions)
        .where(sessions.c.id == session_id)
        .values(token_hash=token_hash, token_revoked_at=None, token_seen_at=now)
    )
    return session_id


def claim_jti(conn: Connection, site: str, jti: str, expires_at: datetime, now: datetime) -> bool:
    conn.execute(sa.delete(used_jtis).where(used_jtis.c.expires_at <= now))
    statement = _insert(conn, used_jtis).values(site=site, jti=jti, expires_at=expires_at)
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT run through SQLAlchemy.
    claimed = statement.on_conflict_do_nothing().returning(used_jtis.c.jti)
    return conn.execute(claimed).first() is not None


def drop_expired(conn: Connection, now: datetime) -> int:
    codes = conn.execute(sa.delete(resume_codes).where(resume_codes.c.expires_at <= now))
    claims = conn.execute(sa.delete(used_jtis).where(used_jtis.c.expires_at <= now))
    logins = conn.execute(sa.delete(console_logins).where(console_logins.c.expires_at <= now))
    return int(codes.rowcount + claims.rowcount + logins.rowcount)


def _prunable(inactive_before: datetime) -> sa.ColumnElement[bool]:
    seen = sessions.c.token_seen_at
    assessed = sa.exists().where(
        finding_changes.c.session_id == sessions.c.id,
        finding_changes.c.actor == Actor.ASSESSOR.value,
    )
    signed = sa.exists().where(signoffs.c.session_id == sessions.c.id)  # never pruned
    return sa.and_(
        sessions.c.stage != Stage.DONE.value,
        sessions.c.updated_at < inactive_before,
        sa.or_(seen.is_(None), seen < inactive_before),
        ~assessed,
        ~signed,
    )


def prunable_query(inactive_before: datetime, columns: list[Any]) -> sa.Select[Any]:
    return (
        sa.select(*columns)
        .where(_prunable(inactive_before))
        .order_by(sessions.c.updated_at, sessions.c.id)
    )


def delete_inactive(
    conn: Connection, session_ids: Collection[str], inactive_before: datetime
) -> DeletedSessions:
    """Re-check each session under a row lock (PostgreSQL), then delete child rows first."""
    chosen = (
        sa.select(sessions.c.id)
        .where(sessions.c.id.in_(sorted(session_ids)), _prunable(inactive_before))
        .with_for_update()
    )
    ids = tuple(conn.execute(chosen).scalars())
    if not ids:
        return DeletedSessions(ids=(), evidence_records=0, sha256s=frozenset())
    shas = conn.execute(
        sa.select(evidence.c.sha256).where(evidence.c.session_id.in_(ids)).distinct()
    ).scalars()
    found = frozenset(shas)
    for table in (turns, finding_changes, findings, ratings, resume_codes, *_ASSESSED):
        conn.execute(sa.delete(table).where(table.c.session_id.in_(ids)))
    records = conn.execute(sa.delete(evidence).where(evidence.c.session_id.in_(ids))).rowcount
    conn.execute(sa.delete(sessions).where(sessions.c.id.in_(ids)))
    return DeletedSessions(ids=ids, evidence_records=int(records), sha256s=found)


# Rows of the assessor's work (a session with a sign-off is never pruned, but its checks and
# notes may precede the sign-off), deleted before the evidence they name.
_ASSESSED = (evidence_checks, assessor_notes, signoffs)


def evidence_in_use(
    conn: Connection, sha256s: Collection[str], besides: Collection[str]
) -> set[str]:
    if not sha256s:
        return set()
    query = sa.select(evidence.c.sha256).where(evidence.c.sha256.in_(sorted(sha256s)))
    if besides:
        query = query.where(evidence.c.session_id.not_in(sorted(besides)))
    return set(conn.execute(query.distinct()).scalars())
