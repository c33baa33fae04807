"""The storage port: one small abstract class, implemented by SQLAlchemy (SQLite/PostgreSQL)
and by an in-memory fake for wiring tests."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from assistant.assessment.models import (
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SessionQuery,
    SignOff,
)
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import InstitutionType, StrictModel
from assistant.rating.models import RatingResult
from assistant.session.models import Reply, UserTurn
from assistant.session.state import FindingChange, InterviewState, RecordedFinding

__all__ = [
    "ApiKeyRecord",
    "DeletedSessions",
    "IndexStamp",
    "KeyRole",
    "SessionHead",
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
    # The token's state, written only by the token methods (``commit_turn`` keeps them):
    # its last use (None: never recorded, read ``updated_at``) and when it was revoked.
    token_seen_at: datetime | None = None
    token_revoked_at: datetime | None = None
    previous_session_id: str | None = None  # the signed session a re-assessment started from


class SessionHead(StrictModel):
    """What the checks before a turn read: the version (turns taken) and the token's state."""

    id: str
    token_hash: str
    updated_at: datetime
    version: int
    token_seen_at: datetime | None = None
    token_revoked_at: datetime | None = None


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
    institution_type: InstitutionType | None = None
    signed_stars: int | None = None  # the confirmed stars of the live sign-off
    locked: bool = False  # a live (not reopened) sign-off exists
    previous_session_id: str | None = None


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
    # Site keys: the HMAC secret of the site tokens their host site signs (kept as given: a
    # verifier needs it; never printed after creation).
    token_secret: str | None = Field(default=None, repr=False)


class IndexStamp(StrictModel):
    """Which retrieval index the workers should serve: bumped by every reindex, read by every
    worker every few seconds (``api.index_watch``)."""

    version: int  # 1 for the first reindex, then one more for each
    content_hash: str  # of the corpus the index was built from
    at: datetime


@dataclass(frozen=True, slots=True)
class DeletedSessions:
    """What ``delete_inactive`` removed: the sessions, and the SHA-256 of their evidence."""

    ids: tuple[str, ...]
    evidence_records: int
    sha256s: frozenset[str]


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
        changed_findings: Collection[str] | None = None,
    ) -> SessionRecord:
        """Write the new state, findings, turn, audit lines, upserted evidence and the rating.

        ``session.version`` is the version that was read; the write fails with
        ``ConcurrentUpdate`` if the stored one moved on. Returns the record as stored
        (version + 1). ``changed_findings``, when given, names every indicator whose finding
        differs from the record read at that version (set, changed or removed), so a store
        may write only those; None: the store makes its findings equal the record's.
        """

    def head(self, session_id: str) -> SessionHead:
        """The session without its state and findings (``SessionNotFound`` for an unknown id):
        a store may read it more cheaply than ``get``."""
        record = self.get(session_id)
        return SessionHead.model_validate(
            {name: getattr(record, name) for name in SessionHead.model_fields}
        )

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

    # -- the assessor's work (sign-offs, evidence checks, notes) ------------------------------

    @abstractmethod
    def add_signoff(self, signoff: SignOff) -> None:
        """Keep a new sign-off: ``SessionNotFound`` for an unknown session, ``ConcurrentUpdate``
        if that (session, version) exists already (two assessors signing at once)."""

    @abstractmethod
    def signoffs(self, session_id: str) -> list[SignOff]:
        """Every sign-off of the session, version ascending (none for an unknown id)."""

    @abstractmethod
    def reopen_signoff(
        self, session_id: str, version: int, *, by: str, reason: str, at: datetime
    ) -> SignOff:
        """Mark a sign-off reopened, once: returns it as stored. ``SessionNotFound`` for an
        unknown session or version; ``ConcurrentUpdate`` if it was reopened already (nothing
        is written). The snapshot never changes."""

    @abstractmethod
    def live_signoff(self, session_id: str) -> SignOff | None:
        """The latest sign-off if it was not reopened (the session's lock), else None (also
        for an unknown id)."""

    def locked(self, session_id: str) -> bool:
        """Whether a live sign-off locks the session (read before every write of a turn): a
        store may answer it more cheaply than ``live_signoff``."""
        return self.live_signoff(session_id) is not None

    @abstractmethod
    def set_evidence_check(self, check: EvidenceCheck) -> None:
        """Keep the check of one (session, evidence), replacing an earlier one
        (``SessionNotFound`` for an unknown session, ``ValueError`` for evidence the session
        does not hold)."""

    @abstractmethod
    def evidence_checks(self, session_id: str) -> list[EvidenceCheck]:
        """The session's checks, one per evidence, by evidence id (none for an unknown id)."""

    @abstractmethod
    def add_note(self, note: AssessorNote) -> None:
        """Keep a note (``SessionNotFound`` for an unknown session, ``ValueError`` for a taken
        note id)."""

    @abstractmethod
    def notes(self, session_id: str) -> list[AssessorNote]:
        """The session's notes, oldest first (then by id; none for an unknown id)."""

    # -- the assessor queue and the dashboard ------------------------------------------------

    @abstractmethod
    def query_sessions(self, query: SessionQuery) -> tuple[list[SessionSummary], int]:
        """One page of the sessions matching every filter of ``query`` (most recently updated
        first, then by id), and how many match in all."""

    @abstractmethod
    def all_summaries(self) -> Iterator[SessionSummary]:
        """Every session's summary, by id, read in pages (never all rows at once)."""

    # -- console logins ----------------------------------------------------------------------

    @abstractmethod
    def add_console_login(self, login: ConsoleLogin) -> None:
        """Keep a signed-in console cookie (``ValueError`` for a taken id hash)."""

    @abstractmethod
    def find_console_login(self, id_hash: str) -> ConsoleLogin | None:
        """The login of that cookie hash, revoked or expired ones included (the caller
        judges); None if unknown."""

    @abstractmethod
    def revoke_console_login(self, id_hash: str, at: datetime) -> None:
        """Stop a login; an unknown or already revoked one is left as it is."""

    # -- api keys ----------------------------------------------------------------------------

    @abstractmethod
    def add_key(self, key: ApiKeyRecord) -> None: ...

    @abstractmethod
    def find_key(self, key_hash: str) -> ApiKeyRecord | None: ...

    @abstractmethod
    def list_keys(self) -> list[ApiKeyRecord]: ...

    @abstractmethod
    def revoke_key(self, key_id: str) -> None: ...

    @abstractmethod
    def set_key_secret(self, key_id: str, secret: str) -> None:
        """Replace a key's site-token secret (``ValueError`` for an unknown id)."""

    # -- session tokens ----------------------------------------------------------------------

    @abstractmethod
    def touch_token(self, session_id: str, at: datetime) -> None:
        """Record a use of the session's token; ``token_seen_at`` never moves back."""

    @abstractmethod
    def revoke_token(self, session_id: str, at: datetime, *, drop_resume_code: bool) -> None:
        """Stop the session's token at once (``SessionNotFound`` for an unknown id); with
        ``drop_resume_code`` its unredeemed resume code stops too."""

    @abstractmethod
    def set_resume_code(self, session_id: str, code_hash: str, expires_at: datetime) -> None:
        """Keep the session's one resume code (its hash), replacing any earlier one."""

    @abstractmethod
    def redeem_resume_code(self, code_hash: str, token_hash: str, now: datetime) -> str | None:
        """Once, atomically: an unexpired stored code is deleted and its session gets the new
        token (not revoked, seen ``now``); returns the session id. Otherwise ``None``, and
        nothing is written."""

    @abstractmethod
    def claim_jti(self, site: str, jti: str, expires_at: datetime, now: datetime) -> bool:
        """True the first time ``(site, jti)`` is claimed; False while an earlier claim has
        not expired. Claims expired by ``now`` are dropped first."""

    # -- pruning -----------------------------------------------------------------------------

    @abstractmethod
    def prunable(self, inactive_before: datetime, *, limit: int | None) -> list[SessionSummary]:
        """Unfinished sessions neither written nor opened since ``inactive_before``, without
        an assessor's change in their audit trail and never signed off; least recently active
        first."""

    @abstractmethod
    def delete_inactive(
        self, session_ids: Collection[str], inactive_before: datetime
    ) -> DeletedSessions:
        """Delete those of ``session_ids`` that are still prunable, with their turns, findings,
        audit, ratings, evidence records, evidence checks, notes and resume code, in one
        transaction (a signed session is never prunable)."""

    @abstractmethod
    def evidence_in_use(
        self, sha256s: Collection[str], *, besides: Collection[str] = ()
    ) -> set[str]:
        """Which of ``sha256s`` some session's evidence names (sessions in ``besides`` aside)."""

    @abstractmethod
    def drop_expired(self, now: datetime) -> int:
        """Delete expired resume codes, site-token claims and console logins; returns how
        many."""

    # -- the shared index version ------------------------------------------------------------

    @abstractmethod
    def index_stamp(self) -> IndexStamp | None:
        """The latest reindex's stamp, or None before the first (one small read)."""

    @abstractmethod
    def bump_index_stamp(self, content_hash: str, at: datetime) -> IndexStamp:
        """Record a reindex, atomically: the version is one more than the stored one (two
        workers reindexing at once get two versions)."""
