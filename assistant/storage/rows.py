"""Pydantic records to table rows and back.

Rows are built from ``model_dump(mode="json")`` (enums as their codes, tuples as lists) with
the date and datetime fields put back as Python objects for their typed columns; records are
rebuilt with ``model_validate``, so a stored value is checked again on the way out.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from assistant.evidence.models import EvidenceRecord
from assistant.rating.models import RatingResult
from assistant.session.models import Reply, UserTurn
from assistant.session.state import FindingChange, InterviewState, RecordedFinding
from assistant.storage.base import ApiKeyRecord, SessionRecord, SessionSummary, TurnRecord

__all__ = [
    "change_from_row",
    "change_row",
    "evidence_from_row",
    "evidence_row",
    "finding_from_row",
    "finding_row",
    "key_from_row",
    "key_row",
    "rating_row",
    "session_from_row",
    "session_row",
    "summary_from_row",
    "turn_from_row",
    "turn_row",
]

Row = dict[str, Any]
Stored = Mapping[Any, Any]  # a result row (SQLAlchemy RowMapping is keyed by name or column)
M = TypeVar("M", bound=BaseModel)


def _flat(model: BaseModel, *typed: str) -> Row:
    """JSON-mode dump, with the named date/datetime fields kept as Python objects."""
    row = model.model_dump(mode="json")
    for name in typed:
        row[name] = getattr(model, name)
    return row


@functools.cache
def _fields(cls: type[BaseModel]) -> frozenset[str]:
    # ``cls.model_fields`` goes through a descriptor on every access: asked per column, it
    # was the largest cost of reading a session's findings.
    return frozenset(cls.model_fields)


def _record(cls: type[M], row: Stored) -> M:
    """Validate the row's columns that are fields of ``cls`` (keys like session_id dropped)."""
    fields = _fields(cls)
    return cls.model_validate({k: v for k, v in row.items() if k in fields})


def session_row(session: SessionRecord, answered: int) -> Row:
    """The sessions row, without the rating columns (set only when a rating is stored)."""
    return {
        "id": session.id,
        "token_hash": session.token_hash,
        "owner": session.owner,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "version": session.version,
        "state": session.state.model_dump(mode="json"),
        "institution": session.state.profile.name,
        "institution_type": _kind(session),
        "stage": session.state.stage.value,
        "answered": answered,
        "token_seen_at": session.token_seen_at,
        "token_revoked_at": session.token_revoked_at,
        "previous_session_id": session.previous_session_id,
    }


def _kind(session: SessionRecord) -> str | None:
    kind = session.state.profile.institution_type
    return None if kind is None else kind.value


def session_from_row(row: Stored, findings: list[RecordedFinding]) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        token_hash=row["token_hash"],
        owner=row["owner"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        state=InterviewState.model_validate(row["state"]),
        findings={f.indicator_id: f for f in findings},
        token_seen_at=row["token_seen_at"],
        token_revoked_at=row["token_revoked_at"],
        previous_session_id=row["previous_session_id"],
    )


def summary_from_row(row: Stored) -> SessionSummary:
    """From a row of ``sql_queue.summary_select`` (``signed_stars`` is None unless locked)."""
    return _record(SessionSummary, {**row, "locked": row["signed_stars"] is not None})


def finding_row(session_id: str, finding: RecordedFinding) -> Row:
    return {"session_id": session_id, **_flat(finding, "updated_at")}


def finding_from_row(row: Stored) -> RecordedFinding:
    return _record(RecordedFinding, row)


def change_row(session_id: str, change: FindingChange) -> Row:
    return {"session_id": session_id, **_flat(change, "at")}


def change_from_row(row: Stored) -> FindingChange:
    return _record(FindingChange, row)


def turn_row(turn: TurnRecord) -> Row:
    return {
        "session_id": turn.session_id,
        "index": turn.index,
        "at": turn.at,
        "user": turn.user.model_dump(mode="json") if turn.user is not None else None,
        "upload_evidence_id": turn.upload_evidence_id,
        "reply": turn.reply.model_dump(mode="json"),
    }


def turn_from_row(row: Stored) -> TurnRecord:
    user = row["user"]
    return TurnRecord(
        session_id=row["session_id"],
        index=row["index"],
        at=row["at"],
        user=UserTurn.model_validate(user) if user is not None else None,
        upload_evidence_id=row["upload_evidence_id"],
        reply=Reply.model_validate(row["reply"]),
    )


def evidence_row(record: EvidenceRecord) -> Row:
    return _flat(record, "dated", "valid_until", "uploaded_at")


def evidence_from_row(row: Stored) -> EvidenceRecord:
    return _record(EvidenceRecord, row)


def rating_row(session_id: str, at: datetime, rating: RatingResult) -> Row:
    versions = rating.versions
    return {
        "session_id": session_id,
        "at": at,
        "catalog_version": versions.catalog_version,
        "catalog_hash": versions.catalog_hash,
        "rules_version": versions.rules_version,
        "rules_hash": versions.rules_hash,
        "declared_stars": rating.declared.stars,
        "evidenced_stars": rating.evidenced.stars,
        "result": rating.model_dump(mode="json"),
    }


def key_row(key: ApiKeyRecord) -> Row:
    return _flat(key, "created_at")


def key_from_row(row: Stored) -> ApiKeyRecord:
    return _record(ApiKeyRecord, row)
