"""The records of an assessor's work: evidence checks, notes, sign-offs, console logins, and
the assessor queue's filters. Every field is bounded (DESIGN §9)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import FindingStatus, InstitutionType, StrictModel
from assistant.rating.models import RatingResult
from assistant.session.models import Profile
from assistant.session.state import RecordedFinding

__all__ = [
    "MAX_ASSESSOR_CHARS",
    "MAX_CHECK_NOTE_CHARS",
    "MAX_NOTE_CHARS",
    "MAX_QUERY_LIMIT",
    "MAX_QUERY_TEXT_CHARS",
    "MAX_REASON_CHARS",
    "AssessorNote",
    "ConsoleLogin",
    "EvidenceCheck",
    "SessionQuery",
    "SignOff",
    "SignedSnapshot",
    "snapshot_json",
    "snapshot_sha256",
]

MAX_CHECK_NOTE_CHARS = 2000
MAX_NOTE_CHARS = 4000
MAX_REASON_CHARS = 2000
MAX_QUERY_TEXT_CHARS = 100
MAX_QUERY_LIMIT = 200
_ID = 64  # session ids, evidence ids, uuid hex
MAX_ASSESSOR_CHARS = 200  # an assessor's key label or key id
_HASH = 128  # hex digests (sha256: 64)
_VERSION = 64  # catalog / rules versions
_STAGE = 32

Id = Annotated[str, Field(min_length=1, max_length=_ID)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_ASSESSOR_CHARS)]
Hash = Annotated[str, Field(min_length=1, max_length=_HASH)]
Stars = Annotated[int, Field(ge=0, le=5)]


class EvidenceCheck(StrictModel):
    """One per (session, evidence): the latest wins."""

    session_id: Id
    evidence_id: Id
    sampled: bool  # the assessor sampled this file
    verified: bool | None = None  # True verified, False rejected, None not judged yet
    note: Annotated[str, Field(max_length=MAX_CHECK_NOTE_CHARS)] | None = None
    assessor: Name  # key label or key id
    at: datetime


class AssessorNote(StrictModel):
    id: Id  # uuid4 hex
    session_id: Id
    indicator_id: Annotated[str, Field(min_length=1, max_length=16)] | None = None  # None: whole
    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]
    assessor: Name
    at: datetime


class SignedSnapshot(StrictModel):
    """The frozen content of one sign-off (JSON in the database)."""

    profile: Profile
    findings: dict[str, RecordedFinding]
    evidence: tuple[EvidenceRecord, ...]
    checks: tuple[EvidenceCheck, ...]
    notes: tuple[AssessorNote, ...]
    rating: RatingResult  # declared + evidenced readings
    confirmed: RatingResult  # the confirmed reading (its .evidenced is the one shown)
    # For each finding an assessor set: what the applicant had last stated (from the audit
    # trail), so the assessor's report can show the deviation; absent if it never stated one.
    applicant_statuses: dict[str, FindingStatus] = {}


def snapshot_json(snapshot: SignedSnapshot) -> str:
    """The snapshot's canonical JSON (keys sorted, no whitespace; the same text for the same
    content, whatever order its dictionaries were built in): what ``snapshot_sha256`` hashes
    and what the stores keep, byte for byte."""
    data = snapshot.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_sha256(snapshot: SignedSnapshot) -> str:
    """The hex SHA-256 of ``snapshot_json`` (UTF-8): ``SignOff.snapshot_sha256``."""
    return hashlib.sha256(snapshot_json(snapshot).encode("utf-8")).hexdigest()


class SignOff(StrictModel):
    session_id: Id
    version: Annotated[int, Field(ge=1, le=1_000_000)]  # 1, 2, … per session
    signed_by: Name
    signed_at: datetime
    declared_stars: Stars
    evidenced_stars: Stars
    confirmed_stars: Stars
    catalog_version: Annotated[str, Field(max_length=_VERSION)]
    catalog_hash: Hash
    rules_version: Annotated[str, Field(max_length=_VERSION)]
    rules_hash: Hash
    snapshot_sha256: Hash  # sha256 of the snapshot's canonical JSON
    snapshot: SignedSnapshot
    reopened_at: datetime | None = None  # set once, by reopen; the snapshot never changes
    reopened_by: Name | None = None
    reopen_reason: Annotated[str, Field(max_length=MAX_REASON_CHARS)] | None = None


class ConsoleLogin(StrictModel):
    """A signed-in console cookie, server side."""

    id_hash: Hash  # sha256 of the cookie value (never the value)
    key_id: Id  # the api key that signed in
    csrf_hash: Hash  # sha256 of the CSRF token
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


class SessionQuery(StrictModel):
    """The assessor queue's filters; every one optional, all of them ANDed."""

    declared_stars: Stars | None = None  # exact
    evidenced_stars: Stars | None = None
    signed: bool | None = None  # True: has a live (not reopened) sign-off
    stage: Annotated[str, Field(max_length=_STAGE)] | None = None
    institution_type: InstitutionType | None = None
    updated_from: date | None = None  # inclusive, UTC days
    updated_to: date | None = None  # inclusive
    text: Annotated[str, Field(max_length=MAX_QUERY_TEXT_CHARS)] | None = None  # name or id
    limit: Annotated[int, Field(ge=1, le=MAX_QUERY_LIMIT)] = 50
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0
