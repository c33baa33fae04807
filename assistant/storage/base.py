"""The storage port: one small abstract class, implemented by SQLAlchemy (SQLite/PostgreSQL)
and by an in-memory fake for wiring tests."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from assistant.evidence.models import EvidenceRecord
from assistant.interview.models import Reply, UserTurn
from assistant.interview.state import FindingChange, InterviewState, RecordedFinding
from assistant.knowledge.schema import StrictModel
from assistant.rating.models import RatingResult

__all__ = [
    "ApiKeyRecord",
    "KeyRole",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "TurnRecord",
]


class SessionRecord(StrictModel):
    """The interview aggregate: what a turn reads and writes back."""

    id: str
    token_hash: str
    created_at: datetime
    updated_at: datetime
    version: int = 0  # bumped by every committed turn (optimistic concurrency)
    state: InterviewState
    findings: dict[str, RecordedFinding] = {}
    owner: str | None = None  # an institution named by a host site's signed token


class TurnRecord(StrictModel):
    session_id: str
    index: int  # 0 = the greeting at session start
    at: datetime
    user: UserTurn | None  # None for the greeting and for uploads
    upload_evidence_id: str | None = None
    reply: Reply


class SessionSummary(StrictModel):
    id: str
    institution: str | None
    stage: str
    created_at: datetime
    updated_at: datetime
    answered: int
    declared_stars: int | None
    evidenced_stars: int | None


class KeyRole(StrEnum):
    ASSESSOR = "assessor"
    ADMIN = "admin"
    SITE = "site"


class ApiKeyRecord(StrictModel):
    id: str
    role: KeyRole
    key_hash: str  # never the key itself
    label: str | None = None
    origins: tuple[str, ...] = ()  # for site keys: the allowed embedding origins
    created_at: datetime
    revoked: bool = False


class SessionStore(ABC):
    """Every write of a turn happens in one transaction: a kill between turns loses nothing."""

    @abstractmethod
    def create(self, session: SessionRecord, greeting: TurnRecord) -> None: ...

    @abstractmethod
    def get(self, session_id: str) -> SessionRecord:
        """Raise ``SessionNotFound`` for an unknown id."""

    @abstractmethod
    def commit_turn(
        self,
        session: SessionRecord,
        turn: TurnRecord,
        *,
        changes: Sequence[FindingChange] = (),
        evidence: Sequence[EvidenceRecord] = (),
        rating: RatingResult | None = None,
    ) -> SessionRecord:
        """Write the new state, findings, turn, audit lines, upserted evidence and the rating.

        ``session.version`` is the version that was read; the write fails with
        ``ConcurrentUpdate`` if the stored one moved on. Returns the record as stored
        (version + 1).
        """

    @abstractmethod
    def turns(self, session_id: str) -> list[TurnRecord]: ...

    @abstractmethod
    def last_turn(self, session_id: str) -> TurnRecord:
        """The latest turn: what the user was looking at (every session has its greeting)."""

    @abstractmethod
    def history(self, session_id: str, indicator_id: str | None = None) -> list[FindingChange]: ...

    @abstractmethod
    def evidence(self, session_id: str) -> list[EvidenceRecord]: ...

    @abstractmethod
    def latest_rating(self, session_id: str) -> RatingResult | None: ...

    @abstractmethod
    def list_sessions(self, *, limit: int = 50, offset: int = 0) -> list[SessionSummary]: ...

    @abstractmethod
    def add_key(self, key: ApiKeyRecord) -> None: ...

    @abstractmethod
    def find_key(self, key_hash: str) -> ApiKeyRecord | None: ...

    @abstractmethod
    def list_keys(self) -> list[ApiKeyRecord]: ...

    @abstractmethod
    def revoke_key(self, key_id: str) -> None: ...
