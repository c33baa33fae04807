"""An in-memory ``SessionStore`` for wiring tests, with the SQL store's semantics.

Records go in and come out as JSON round trips (``model_dump(mode="json")`` then
``model_validate``), as they would through a database, so a caller never shares an object
with the store. A commit checks everything before it changes anything.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from datetime import datetime

from assistant.assessment.models import ConsoleLogin
from assistant.evidence.models import EvidenceRecord
from assistant.rating.models import RatingResult
from assistant.session.state import FindingChange
from assistant.storage.base import (
    ApiKeyRecord,
    DeletedSessions,
    IndexStamp,
    SessionRecord,
    SessionStore,
    SessionSummary,
    TurnRecord,
)
from assistant.storage.invariants import (
    check_key,
    check_new_session,
    check_turn,
    concurrent_update,
    duplicate_key,
    duplicate_session,
    session_not_found,
    turn_refused,
    unknown_key,
)
from assistant.storage.memory_assessment import MemoryAssessment
from assistant.storage.memory_entry import Entry as _Entry
from assistant.storage.memory_entry import copy as _copy
from assistant.storage.memory_entry import idle as _idle
from assistant.storage.memory_entry import summary as _summary

__all__ = ["InMemorySessionStore"]


def _stored(session: SessionRecord, **update: object) -> SessionRecord:
    """A copy with the findings in key order, as the SQL store reads them back."""
    findings = dict(sorted(session.findings.items()))
    return _copy(session.model_copy(update={"findings": findings, **update}))


class InMemorySessionStore(MemoryAssessment, SessionStore):
    """Thread-safe; same errors as ``SqlSessionStore`` (see there)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, _Entry] = {}
        self._keys: dict[str, ApiKeyRecord] = {}
        self._codes: dict[str, tuple[str, datetime]] = {}  # session id → (code hash, expiry)
        self._jtis: dict[tuple[str, str], datetime] = {}
        self._stamp: IndexStamp | None = None
        self._logins: dict[str, ConsoleLogin] = {}

    def close(self) -> None:
        """Nothing to release; here so tests can close any store."""

    def _entry(self, session_id: str) -> _Entry:
        entry = self._sessions.get(session_id)
        if entry is None:
            raise session_not_found(session_id)
        return entry

    def create(self, session: SessionRecord, greeting: TurnRecord) -> None:
        check_new_session(session, greeting)
        with self._lock:
            if session.id in self._sessions:
                raise duplicate_session(session.id)
            self._sessions[session.id] = _Entry(
                session=_stored(session),
                answered=greeting.reply.progress.answered,
                turns={0: _copy(greeting)},
            )

    def get(self, session_id: str) -> SessionRecord:
        with self._lock:
            return _copy(self._entry(session_id).session)

    def commit_turn(
        self,
        session: SessionRecord,
        turn: TurnRecord,
        *,
        changes: Sequence[FindingChange] = (),
        evidence: Sequence[EvidenceRecord] = (),
        rating: RatingResult | None = None,
        changed_findings: Collection[str] | None = None,  # the whole record is kept anyway
    ) -> SessionRecord:
        check_turn(session, turn, changes, evidence)
        with self._lock:
            entry = self._entry(session.id)
            if entry.session.version != session.version:
                raise concurrent_update(session.id, session.version)
            _check_turn_fits(entry, turn, evidence)
            kept = {name: getattr(entry.session, name) for name in _KEPT}
            stored = _stored(session, version=session.version + 1, **kept)
            entry.session = stored
            entry.answered = turn.reply.progress.answered
            entry.turns[turn.index] = _copy(turn)
            entry.changes.extend(_copy(change) for change in changes)
            entry.evidence.update((record.id, _copy(record)) for record in evidence)
            if rating is not None:
                entry.ratings.append(_copy(rating))
            return _copy(stored)

    def turns(self, session_id: str) -> list[TurnRecord]:
        with self._lock:
            found = self._entry(session_id).turns
            return [_copy(found[index]) for index in sorted(found)]

    def last_turn(self, session_id: str) -> TurnRecord:
        with self._lock:
            found = self._entry(session_id).turns
            return _copy(found[max(found)])

    def history(self, session_id: str, indicator_id: str | None = None) -> list[FindingChange]:
        with self._lock:
            changes = self._entry(session_id).changes
            return [
                _copy(c) for c in changes if indicator_id is None or c.indicator_id == indicator_id
            ]

    def evidence(self, session_id: str) -> list[EvidenceRecord]:
        with self._lock:
            records = self._entry(session_id).evidence.values()
            return [_copy(r) for r in sorted(records, key=lambda r: (r.uploaded_at, r.id))]

    def latest_rating(self, session_id: str) -> RatingResult | None:
        with self._lock:
            ratings = self._entry(session_id).ratings
            return _copy(ratings[-1]) if ratings else None

    def list_sessions(self, *, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        with self._lock:
            summaries = [_summary(entry) for entry in self._sessions.values()]
        summaries.sort(key=lambda s: s.id)
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return summaries[offset : offset + limit]

    def add_key(self, key: ApiKeyRecord) -> None:
        check_key(key)
        with self._lock:
            if key.id in self._keys or self._find(key.key_hash) is not None:
                raise duplicate_key(key)
            self._keys[key.id] = _copy(key)

    def _find(self, key_hash: str) -> ApiKeyRecord | None:
        return next((k for k in self._keys.values() if k.key_hash == key_hash), None)

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        with self._lock:
            found = self._find(key_hash)
            return None if found is None else _copy(found)

    def list_keys(self) -> list[ApiKeyRecord]:
        with self._lock:
            return sorted(
                (_copy(k) for k in self._keys.values()), key=lambda k: (k.created_at, k.id)
            )

    def revoke_key(self, key_id: str) -> None:
        self._update_key(key_id, revoked=True)

    def set_key_secret(self, key_id: str, secret: str) -> None:
        self._update_key(key_id, token_secret=secret)

    def _update_key(self, key_id: str, **values: object) -> None:
        with self._lock:
            if key_id not in self._keys:
                raise unknown_key(key_id)
            self._keys[key_id] = self._keys[key_id].model_copy(update=values)

    # -- session tokens ----------------------------------------------------------------------

    def _set_token(self, session_id: str, **values: object) -> None:
        entry = self._entry(session_id)
        entry.session = entry.session.model_copy(update=values)

    def touch_token(self, session_id: str, at: datetime) -> None:
        with self._lock:
            seen = self._entry(session_id).session.token_seen_at
            if seen is None or seen < at:
                self._set_token(session_id, token_seen_at=at)

    def revoke_token(self, session_id: str, at: datetime, *, drop_resume_code: bool) -> None:
        with self._lock:
            self._set_token(session_id, token_revoked_at=at)
            if drop_resume_code:
                self._codes.pop(session_id, None)

    def set_resume_code(self, session_id: str, code_hash: str, expires_at: datetime) -> None:
        with self._lock:
            self._entry(session_id)
            self._codes[session_id] = (code_hash, expires_at)

    def redeem_resume_code(self, code_hash: str, token_hash: str, now: datetime) -> str | None:
        with self._lock:
            found = [sid for sid, (h, until) in self._codes.items() if h == code_hash]
            if not found or self._codes[found[0]][1] <= now:
                return None
            del self._codes[found[0]]
            self._set_token(
                found[0], token_hash=token_hash, token_revoked_at=None, token_seen_at=now
            )
            return found[0]

    def claim_jti(self, site: str, jti: str, expires_at: datetime, now: datetime) -> bool:
        with self._lock:
            for key in [key for key, until in self._jtis.items() if until <= now]:
                del self._jtis[key]
            if (site, jti) in self._jtis:
                return False
            self._jtis[(site, jti)] = expires_at
            return True

    def _drop_expired(self, now: datetime) -> int:
        codes = [sid for sid, (_, until) in self._codes.items() if until <= now]
        claims = [key for key, until in self._jtis.items() if until <= now]
        logins = [h for h, login in self._logins.items() if login.expires_at <= now]
        for sid in codes:
            del self._codes[sid]
        for key in claims:
            del self._jtis[key]
        for id_hash in logins:
            del self._logins[id_hash]
        return len(codes) + len(claims) + len(logins)

    def drop_expired(self, now: datetime) -> int:
        with self._lock:
            return self._drop_expired(now)

    # -- the shared index version ------------------------------------------------------------

    def index_stamp(self) -> IndexStamp | None:
        with self._lock:
            return self._stamp

    def bump_index_stamp(self, content_hash: str, at: datetime) -> IndexStamp:
        with self._lock:
            version = 1 if self._stamp is None else self._stamp.version + 1
            self._stamp = IndexStamp(version=version, content_hash=content_hash, at=at)
            return self._stamp

    # -- pruning -----------------------------------------------------------------------------

    def prunable(self, inactive_before: datetime, *, limit: int | None) -> list[SessionSummary]:
        with self._lock:
            found = [_summary(e) for e in self._sessions.values() if _idle(e, inactive_before)]
        found.sort(key=lambda s: (s.updated_at, s.id))
        return found if limit is None else found[:limit]

    def delete_inactive(
        self, session_ids: Collection[str], inactive_before: datetime
    ) -> DeletedSessions:
        with self._lock:
            entries = [self._sessions.get(sid) for sid in sorted(session_ids)]
            gone = [e for e in entries if e is not None and _idle(e, inactive_before)]
            for entry in gone:
                del self._sessions[entry.session.id]
                self._codes.pop(entry.session.id, None)
        return DeletedSessions(
            ids=tuple(e.session.id for e in gone),
            evidence_records=sum(len(e.evidence) for e in gone),
            sha256s=frozenset(r.sha256 for e in gone for r in e.evidence.values()),
        )

    def evidence_in_use(
        self, sha256s: Collection[str], *, besides: Collection[str] = ()
    ) -> set[str]:
        wanted = set(sha256s)
        with self._lock:
            return {
                record.sha256
                for sid, entry in self._sessions.items()
                if sid not in besides
                for record in entry.evidence.values()
                if record.sha256 in wanted
            }


_KEPT = ("created_at", "token_hash", "token_seen_at", "token_revoked_at", "previous_session_id")


def _check_turn_fits(entry: _Entry, turn: TurnRecord, evidence: Sequence[EvidenceRecord]) -> None:
    """What the SQL store's keys refuse: a taken turn index, an upload of unknown evidence."""
    uploads = entry.evidence.keys() | {record.id for record in evidence}
    taken = turn.index in entry.turns
    if taken or (turn.upload_evidence_id is not None and turn.upload_evidence_id not in uploads):
        raise turn_refused(turn)
