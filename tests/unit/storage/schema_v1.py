"""The schema as version 1 of the program created it (frozen here: the migration tests build
an operator's old database from it, whatever ``tables.py`` says today)."""

from __future__ import annotations

import sqlalchemy as sa

from assistant.storage.tables import UtcDateTime

__all__ = ["V1_DDL_TABLES", "metadata_v1"]

metadata_v1 = sa.MetaData()


def _fk() -> sa.ForeignKey:
    return sa.ForeignKey("sessions.id", ondelete="CASCADE")


def _serial() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


sa.Table(
    "schema_version",
    metadata_v1,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
)
sa.Table(
    "sessions",
    metadata_v1,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("token_hash", sa.String, nullable=False),
    sa.Column("owner", sa.Text),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("institution", sa.Text),
    sa.Column("stage", sa.String, nullable=False),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("declared_stars", sa.Integer),
    sa.Column("evidenced_stars", sa.Integer),
)
sa.Table(
    "findings",
    metadata_v1,
    sa.Column("session_id", sa.String, _fk(), primary_key=True),
    sa.Column("indicator_id", sa.String, primary_key=True),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("actor", sa.String, nullable=False),
    sa.Column("assessor_confirmed", sa.Boolean, nullable=False),
    sa.Column("operating_months", sa.Integer),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)
sa.Table(
    "finding_changes",
    metadata_v1,
    sa.Column("seq", _serial(), primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String, _fk(), nullable=False),
    sa.Column("indicator_id", sa.String, nullable=False),
    sa.Column("previous", sa.String),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("actor", sa.String, nullable=False),
    sa.Column("actor_name", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index("ix_finding_changes_session_indicator", "session_id", "indicator_id"),
)
sa.Table(
    "evidence",
    metadata_v1,
    sa.Column("session_id", sa.String, _fk(), primary_key=True),
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("sha256", sa.String, nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("media_type", sa.String, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String),
    sa.Column("dated", sa.Date),
    sa.Column("covers_months", sa.Integer),
    sa.Column("title", sa.Text),
    sa.Column("text_chars", sa.Integer, nullable=False),
    sa.Column("indicator_ids", sa.JSON, nullable=False),
    sa.Column("suggested_ids", sa.JSON, nullable=False),
    sa.Column("uploaded_at", UtcDateTime, nullable=False),
)
sa.Table(
    "turns",
    metadata_v1,
    sa.Column("session_id", sa.String, _fk(), primary_key=True),
    sa.Column("index", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("user", sa.JSON(none_as_null=True)),
    sa.Column("upload_evidence_id", sa.String),
    sa.Column("reply", sa.JSON, nullable=False),
    sa.ForeignKeyConstraint(
        ["session_id", "upload_evidence_id"], ["evidence.session_id", "evidence.id"]
    ),
)
sa.Table(
    "ratings",
    metadata_v1,
    sa.Column("seq", _serial(), primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String, _fk(), nullable=False, index=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("catalog_version", sa.String, nullable=False),
    sa.Column("catalog_hash", sa.String, nullable=False),
    sa.Column("rules_version", sa.String, nullable=False),
    sa.Column("rules_hash", sa.String, nullable=False),
    sa.Column("declared_stars", sa.Integer, nullable=False),
    sa.Column("evidenced_stars", sa.Integer, nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
)
sa.Table(
    "api_keys",
    metadata_v1,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("key_hash", sa.String, nullable=False, unique=True),
    sa.Column("label", sa.Text),
    sa.Column("origins", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
)

V1_DDL_TABLES = frozenset(metadata_v1.tables)
