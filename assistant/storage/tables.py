"""The relational schema of the session store (SQLAlchemy Core, portable SQLite/PostgreSQL).

Big structured values (interview state, replies, rating results) are JSON columns written with
``model_dump(mode="json")`` and read back with ``model_validate``; the columns beside them are
denormalised copies for listing and filtering. The ``json`` type is chosen over ``jsonb`` on
PostgreSQL on purpose: nothing queries inside these documents, and ``json`` keeps them as
written (key order included), so a stored reply is served exactly as it was first sent.

Every timestamp is stored in UTC (``UtcDateTime``); SQLite keeps them as fixed-width text, so
ordering by them stays chronological.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = [
    "SCHEMA_VERSION",
    "UtcDateTime",
    "api_keys",
    "assessor_notes",
    "console_logins",
    "evidence",
    "evidence_checks",
    "finding_changes",
    "findings",
    "index_stamps",
    "metadata",
    "ratings",
    "resume_codes",
    "schema_version",
    "sessions",
    "signoffs",
    "turns",
    "used_jtis",
]

# 2: session-token lifetimes (token_seen_at, token_revoked_at, resume_codes), per-site token
# secrets (api_keys.token_secret), one-time site tokens (used_jtis).
# 3: an evidence record's end of validity (evidence.valid_until), for policies, certificates and
# contracts, which count while in force.
# 4: the shared retrieval-index stamp (index_stamps), so every worker serves the latest reindex.
# 5: the assessor's work (signoffs, evidence_checks, assessor_notes, console_logins),
# re-assessments (sessions.previous_session_id, findings.carried) and the queue's filter
# on the institution type (sessions.institution_type).
# migrations.py brings older databases up to date.
SCHEMA_VERSION = 5


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware datetime, stored as UTC and read back as UTC.

    A naive datetime is refused: its meaning would depend on the server's clock settings.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no offset: what it holds was written as UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _serial() -> sa.types.TypeEngine[int]:
    # SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigserial.
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _session_fk() -> sa.ForeignKey:
    return sa.ForeignKey("sessions.id", ondelete="CASCADE")


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("token_hash", sa.String, nullable=False),
    sa.Column("owner", sa.Text),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("state", sa.JSON, nullable=False),
    # Denormalised for listing: the profile's name, the stage, the latest reply's progress
    # and the stars of the latest stored rating.
    sa.Column("institution", sa.Text),
    sa.Column("stage", sa.String, nullable=False),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("declared_stars", sa.Integer),
    sa.Column("evidenced_stars", sa.Integer),
    sa.Column("token_seen_at", UtcDateTime),
    sa.Column("token_revoked_at", UtcDateTime),
    # Schema 5: the profile's institution type (denormalised, as the name) and the signed
    # session a re-assessment started from.
    sa.Column("institution_type", sa.String, index=True),
    sa.Column("previous_session_id", sa.String, index=True),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("session_id", sa.String, _session_fk(), primary_key=True),
    sa.Column("indicator_id", sa.String, primary_key=True),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("actor", sa.String, nullable=False),
    sa.Column("assessor_confirmed", sa.Boolean, nullable=False),
    sa.Column("operating_months", sa.Integer),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("carried", sa.Boolean, nullable=False, server_default=sa.false()),
)

finding_changes = sa.Table(
    "finding_changes",
    metadata,
    sa.Column("seq", _serial(), primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String, _session_fk(), nullable=False),
    sa.Column("indicator_id", sa.String, nullable=False),
    sa.Column("previous", sa.String),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("actor", sa.String, nullable=False),
    sa.Column("actor_name", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index("ix_finding_changes_session_indicator", "session_id", "indicator_id"),
)

evidence = sa.Table(
    "evidence",
    metadata,
    sa.Column("session_id", sa.String, _session_fk(), primary_key=True),
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("sha256", sa.String, nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("media_type", sa.String, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String),
    sa.Column("dated", sa.Date),
    sa.Column("valid_until", sa.Date),
    sa.Column("covers_months", sa.Integer),
    sa.Column("title", sa.Text),
    sa.Column("text_chars", sa.Integer, nullable=False),
    sa.Column("indicator_ids", sa.JSON, nullable=False),
    sa.Column("suggested_ids", sa.JSON, nullable=False),
    sa.Column("uploaded_at", UtcDateTime, nullable=False),
    sa.Index("ix_evidence_sha256", "sha256"),  # is a blob still used by another session?
)

turns = sa.Table(
    "turns",
    metadata,
    sa.Column("session_id", sa.String, _session_fk(), primary_key=True),
    sa.Column("index", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("user", sa.JSON(none_as_null=True)),
    sa.Column("upload_evidence_id", sa.String),
    sa.Column("reply", sa.JSON, nullable=False),
    # An upload turn names evidence stored in the same session (by this commit or before).
    sa.ForeignKeyConstraint(
        ["session_id", "upload_evidence_id"], ["evidence.session_id", "evidence.id"]
    ),
)

ratings = sa.Table(
    "ratings",
    metadata,
    sa.Column("seq", _serial(), primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String, _session_fk(), nullable=False, index=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("catalog_version", sa.String, nullable=False),
    sa.Column("catalog_hash", sa.String, nullable=False),
    sa.Column("rules_version", sa.String, nullable=False),
    sa.Column("rules_hash", sa.String, nullable=False),
    sa.Column("declared_stars", sa.Integer, nullable=False),
    sa.Column("evidenced_stars", sa.Integer, nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("key_hash", sa.String, nullable=False, unique=True),
    sa.Column("label", sa.Text),
    sa.Column("origins", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
    sa.Column("token_secret", sa.Text),
)

# One live resume code per session, stored as the SHA-256 of its normalised text.
resume_codes = sa.Table(
    "resume_codes",
    metadata,
    sa.Column("session_id", sa.String, _session_fk(), primary_key=True),
    sa.Column("code_hash", sa.String, nullable=False, unique=True),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
)

# The ``jti`` of one-time site tokens already used, until the token's own expiry.
used_jtis = sa.Table(
    "used_jtis",
    metadata,
    sa.Column("site", sa.String, primary_key=True),
    sa.Column("jti", sa.String, primary_key=True),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
)

# One row per index (today only "retrieval"): the version every worker should serve.
index_stamps = sa.Table(
    "index_stamps",
    metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.String, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)

# One row per sign-off: (session, version) never changes once written, except the reopened_*
# columns, set once. ``snapshot`` is the canonical JSON text that ``snapshot_sha256`` hashes
# (text, not JSON: it is kept byte for byte).
signoffs = sa.Table(
    "signoffs",
    metadata,
    sa.Column("session_id", sa.String, _session_fk(), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("signed_by", sa.Text, nullable=False),
    sa.Column("signed_at", UtcDateTime, nullable=False),
    sa.Column("declared_stars", sa.Integer, nullable=False),
    sa.Column("evidenced_stars", sa.Integer, nullable=False),
    sa.Column("confirmed_stars", sa.Integer, nullable=False),
    sa.Column("catalog_version", sa.String, nullable=False),
    sa.Column("catalog_hash", sa.String, nullable=False),
    sa.Column("rules_version", sa.String, nullable=False),
    sa.Column("rules_hash", sa.String, nullable=False),
    sa.Column("snapshot_sha256", sa.String, nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False),
    sa.Column("reopened_at", UtcDateTime),
    sa.Column("reopened_by", sa.Text),
    sa.Column("reopen_reason", sa.Text),
)

# The assessor's latest check of one evidence record of a session.
evidence_checks = sa.Table(
    "evidence_checks",
    metadata,
    sa.Column("session_id", sa.String, _session_fk(), primary_key=True),
    sa.Column("evidence_id", sa.String, primary_key=True),
    sa.Column("sampled", sa.Boolean, nullable=False),
    sa.Column("verified", sa.Boolean),
    sa.Column("note", sa.Text),
    sa.Column("assessor", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.ForeignKeyConstraint(["session_id", "evidence_id"], ["evidence.session_id", "evidence.id"]),
)

assessor_notes = sa.Table(
    "assessor_notes",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("session_id", sa.String, _session_fk(), nullable=False),
    sa.Column("indicator_id", sa.String),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("assessor", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index("ix_assessor_notes_session_at", "session_id", "at"),
)

# A signed-in console cookie: only hashes of the cookie and of its CSRF token are kept.
console_logins = sa.Table(
    "console_logins",
    metadata,
    sa.Column("id_hash", sa.String, primary_key=True),
    sa.Column("key_id", sa.String, nullable=False, index=True),
    sa.Column("csrf_hash", sa.String, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
    sa.Column("revoked_at", UtcDateTime),
)
