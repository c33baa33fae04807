"""The SQL of the assessor's records (sign-offs, evidence checks, notes, console logins), each
function run inside the caller's transaction (``SqlSessionStore`` opens it).

A sign-off's snapshot is stored as its canonical JSON text and checked against its hash when
read back. Reopening is one conditional UPDATE (``reopened_at IS NULL``), so of two assessors
reopening the same version at once one wins and the other is refused.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from assistant.assessment.models import (
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SignedSnapshot,
    SignOff,
    snapshot_json,
)
from assistant.storage.assessment_rules import (
    already_reopened,
    duplicate_login,
    duplicate_note,
    signoff_not_found,
    signoff_taken,
    unknown_evidence,
)
from assistant.storage.tables import (
    assessor_notes,
    console_logins,
    evidence,
    evidence_checks,
    sessions,
    signoffs,
)

__all__ = [
    "add_console_login",
    "add_note",
    "add_signoff",
    "find_console_login",
    "live_signoff",
    "read_checks",
    "read_notes",
    "read_signoffs",
    "reopen_signoff",
    "revoke_console_login",
    "set_evidence_check",
]

Row = dict[str, Any]


def _session_exists(conn: Connection, session_id: str) -> bool:
    found = conn.execute(sa.select(sessions.c.id).where(sessions.c.id == session_id)).first()
    return found is not None


# -- sign-offs ------------------------------------------------------------------------------


def _signoff_row(signoff: SignOff) -> Row:
    row = {name: getattr(signoff, name) for name in SignOff.model_fields if name != "snapshot"}
    row["snapshot"] = snapshot_json(signoff.snapshot)
    return row


def _signoff_from_row(row: Any) -> SignOff:
    values = dict(row)
    text = values.pop("snapshot")
    # The stored text is checked, not a dump of it: a later program's models may dump it
    # differently, and the signed bytes are what the hash vouches for.
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != values["snapshot_sha256"]:
        # The stored text was changed behind the store's back: never serve it as signed.
        raise ValueError(
            f"sign-off {values['version']} of {values['session_id']!r}: the stored snapshot "
            "does not match its hash"
        )
    snapshot = SignedSnapshot.model_validate_json(text)
    return SignOff.model_validate({**values, "snapshot": snapshot})


def add_signoff(conn: Connection, signoff: SignOff, missing: Exception) -> None:
    if not _session_exists(conn, signoff.session_id):
        raise missing
    taken = sa.select(signoffs.c.version).where(
        signoffs.c.session_id == signoff.session_id, signoffs.c.version == signoff.version
    )
    if conn.execute(taken).first() is not None:
        raise signoff_taken(signoff.session_id, signoff.version)
    try:
        conn.execute(sa.insert(signoffs), _signoff_row(signoff))
    except IntegrityError:  # a concurrent sign-off of the same version committed first
        raise signoff_taken(signoff.session_id, signoff.version) from None


def read_signoffs(conn: Connection, session_id: str) -> list[SignOff]:
    query = (
        sa.select(signoffs).where(signoffs.c.session_id == session_id).order_by(signoffs.c.version)
    )
    return [_signoff_from_row(r._mapping) for r in conn.execute(query)]


def live_signoff(conn: Connection, session_id: str) -> SignOff | None:
    query = (
        sa.select(signoffs)
        .where(signoffs.c.session_id == session_id)
        .order_by(signoffs.c.version.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None or row.reopened_at is not None:
        return None
    return _signoff_from_row(row._mapping)


def reopen_signoff(
    conn: Connection, session_id: str, version: int, values: dict[str, Any]
) -> SignOff:
    key = (signoffs.c.session_id == session_id, signoffs.c.version == version)
    done = conn.execute(
        sa.update(signoffs)
        .where(*key, signoffs.c.reopened_at.is_(None))
        .values(values)
        .returning(signoffs.c.version)
    ).first()
    if done is None:
        if conn.execute(sa.select(signoffs.c.version).where(*key)).first() is None:
            raise signoff_not_found(session_id, version)
        raise already_reopened(session_id, version)
    row = conn.execute(sa.select(signoffs).where(*key)).one()
    return _signoff_from_row(row._mapping)


# -- evidence checks and notes -------------------------------------------------------------


def set_evidence_check(conn: Connection, check: EvidenceCheck, missing: Exception) -> None:
    if not _session_exists(conn, check.session_id):
        raise missing
    named = sa.select(evidence.c.id).where(
        evidence.c.session_id == check.session_id, evidence.c.id == check.evidence_id
    )
    if conn.execute(named).first() is None:
        raise unknown_evidence(check)
    row = check.model_dump()
    conn.execute(_upsert_check(conn.dialect.name), row)


@functools.cache
def _upsert_check(dialect: str) -> Any:
    insert = (sqlite if dialect == "sqlite" else postgresql).insert(evidence_checks)
    keys = ("session_id", "evidence_id")
    rest = {c.name: insert.excluded[c.name] for c in evidence_checks.c if c.name not in keys}
    return insert.on_conflict_do_update(index_elements=list(keys), set_=rest)


def read_checks(conn: Connection, session_id: str) -> list[EvidenceCheck]:
    query = (
        sa.select(evidence_checks)
        .where(evidence_checks.c.session_id == session_id)
        .order_by(evidence_checks.c.evidence_id)
    )
    return [EvidenceCheck.model_validate(dict(r._mapping)) for r in conn.execute(query)]


def add_note(conn: Connection, note: AssessorNote, missing: Exception) -> None:
    if not _session_exists(conn, note.session_id):
        raise missing
    taken = sa.select(assessor_notes.c.id).where(assessor_notes.c.id == note.id)
    if conn.execute(taken).first() is not None:
        raise duplicate_note(note.id)
    conn.execute(sa.insert(assessor_notes), note.model_dump())


def read_notes(conn: Connection, session_id: str) -> list[AssessorNote]:
    query = (
        sa.select(assessor_notes)
        .where(assessor_notes.c.session_id == session_id)
        .order_by(assessor_notes.c.at, assessor_notes.c.id)
    )
    return [AssessorNote.model_validate(dict(r._mapping)) for r in conn.execute(query)]


# -- console logins --------------------------------------------------------------------------


def add_console_login(conn: Connection, login: ConsoleLogin) -> None:
    taken = sa.select(console_logins.c.id_hash).where(console_logins.c.id_hash == login.id_hash)
    if conn.execute(taken).first() is not None:
        raise duplicate_login()
    conn.execute(sa.insert(console_logins), login.model_dump())


def find_console_login(conn: Connection, id_hash: str) -> ConsoleLogin | None:
    query = sa.select(console_logins).where(console_logins.c.id_hash == id_hash)
    row = conn.execute(query).first()
    return None if row is None else ConsoleLogin.model_validate(dict(row._mapping))


def revoke_console_login(conn: Connection, id_hash: str, at: datetime) -> None:
    conn.execute(
        sa.update(console_logins)
        .where(console_logins.c.id_hash == id_hash, console_logins.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
