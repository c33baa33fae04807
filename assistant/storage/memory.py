"""An in-memory ``SessionStore`` for wiring tests, with the SQL store's semantics.

Records go in and come out as JSON round trips (``model_dump(mode="json")`` then
``model_validate``), as they would through a database, so a caller never shares an object
with the store. A commit checks everything before it changes anything.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from assistant.evidence.models import EvidenceRecord
from assistant.interview.state import FindingChange
from assistant.rating.models import RatingResult
from assistant.storage.base import (
    ApiKeyRecord,
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

__all__ = ["InMemorySessionStore"]

M = TypeVar("M", bound=BaseModel)


def _copy(model: M) -> M:
    return type(model).model_validate(model.model_dump(mode="json"))


def _stored(session: SessionRecord, **update: object) -> SessionRecord:
    """A copy with the findings in key order, as the SQL store reads them back."""
    findings = dict(sorted(session.findings.items()))
    return _copy(session.model_copy(update={"findings": findings, **update}))


@dataclass
class _Entry:
    session: SessionRecord
    answered: int
    turns: dict[int, TurnRecord]
    changes: list[FindingChange] = field(default_factory=list)
    evidence: dict[str, EvidenceRecord] = field(default_factory=dict)
    ratings: list[RatingResult] = field(default_factory=list)


class InMemorySessionStore(SessionStore):
    """Thread-safe; same errors as ``SqlSessionStore`` (see there)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, _Entry] = {}
        self._keys: dict[str, ApiKeyRecord] = {}

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
    ) -> SessionRecord:
        check_turn(session, turn, changes, evidence)
        with self._lock:
            entry = self._entry(session.id)
            if entry.session.version != session.version:
                raise concurrent_update(session.id, session.version)
            _check_turn_fits(entry, turn, evidence)
            stored = _stored(
                session, version=session.version + 1, created_at=entry.session.created_at
            )
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
        with self._lock:
            if key_id not in self._keys:
                raise unknown_key(key_id)
            self._keys[key_id] = self._keys[key_id].model_copy(update={"revoked": True})


def _check_turn_fits(entry: _Entry, turn: TurnRecord, evidence: Sequence[EvidenceRecord]) -> None:
    """What the SQL store's keys refuse: a taken turn index, an upload of unknown evidence."""
    uploads = entry.evidence.keys() | {record.id for record in evidence}
    taken = turn.index in entry.turns
    if taken or (turn.upload_evidence_id is not None and turn.upload_evidence_id not in uploads):
        raise turn_refused(turn)


def _summary(entry: _Entry) -> SessionSummary:
    session = entry.session
    rating = entry.ratings[-1] if entry.ratings else None
    return SessionSummary(
        id=session.id,
        institution=session.state.profile.name,
        stage=session.state.stage.value,
        created_at=session.created_at,
        updated_at=session.updated_at,
        answered=entry.answered,
        declared_stars=None if rating is None else rating.declared.stars,
        evidenced_stars=None if rating is None else rating.evidenced.stars,
    )
