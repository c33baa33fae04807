"""The assessor's records in the in-memory store: sign-offs, evidence checks, notes, console
logins, the queue and the dashboard's summaries (a mixin of ``InMemorySessionStore``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

from assistant.assessment.models import (
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SessionQuery,
    SignOff,
)
from assistant.storage.assessment_rules import (
    already_reopened,
    check_console_login,
    check_evidence_check,
    check_note,
    check_reopen,
    check_signoff,
    duplicate_login,
    duplicate_note,
    signoff_not_found,
    signoff_taken,
    unknown_evidence,
)
from assistant.storage.base import SessionSummary
from assistant.storage.memory_entry import Entry, copy, live, matches, summary

__all__ = ["MemoryAssessment"]

_PAGE = 500  # summaries copied per hold of the lock by ``all_summaries``


class MemoryAssessment:
    """Needs the host's lock, sessions and ``_entry`` (``SessionNotFound`` for an unknown id)."""

    _lock: threading.Lock
    _sessions: dict[str, Entry]
    _logins: dict[str, ConsoleLogin]

    def _entry(self, session_id: str) -> Entry:
        raise NotImplementedError

    # -- sign-offs ---------------------------------------------------------------------------

    def add_signoff(self, signoff: SignOff) -> None:
        check_signoff(signoff)
        with self._lock:
            entry = self._entry(signoff.session_id)
            if signoff.version in entry.signoffs:
                raise signoff_taken(signoff.session_id, signoff.version)
            entry.signoffs[signoff.version] = copy(signoff)

    def signoffs(self, session_id: str) -> list[SignOff]:
        with self._lock:
            entry = self._sessions.get(session_id)
            found = {} if entry is None else entry.signoffs
            return [copy(found[version]) for version in sorted(found)]

    def reopen_signoff(
        self, session_id: str, version: int, *, by: str, reason: str, at: datetime
    ) -> SignOff:
        values = check_reopen(by=by, reason=reason, at=at)
        with self._lock:
            entry = self._entry(session_id)
            stored = entry.signoffs.get(version)
            if stored is None:
                raise signoff_not_found(session_id, version)
            if stored.reopened_at is not None:
                raise already_reopened(session_id, version)
            reopened = stored.model_copy(update=values)
            entry.signoffs[version] = reopened
            return copy(reopened)

    def live_signoff(self, session_id: str) -> SignOff | None:
        with self._lock:
            entry = self._sessions.get(session_id)
            found = None if entry is None else live(entry)
            return None if found is None else copy(found)

    # -- evidence checks and notes -----------------------------------------------------------

    def set_evidence_check(self, check: EvidenceCheck) -> None:
        check_evidence_check(check)
        with self._lock:
            entry = self._entry(check.session_id)
            if check.evidence_id not in entry.evidence:
                raise unknown_evidence(check)
            entry.checks[check.evidence_id] = copy(check)

    def evidence_checks(self, session_id: str) -> list[EvidenceCheck]:
        with self._lock:
            entry = self._sessions.get(session_id)
            found = {} if entry is None else entry.checks
            return [copy(found[key]) for key in sorted(found)]

    def add_note(self, note: AssessorNote) -> None:
        check_note(note)
        with self._lock:
            entry = self._entry(note.session_id)
            taken = any(n.id == note.id for e in self._sessions.values() for n in e.notes)
            if taken:
                raise duplicate_note(note.id)
            entry.notes.append(copy(note))

    def notes(self, session_id: str) -> list[AssessorNote]:
        with self._lock:
            entry = self._sessions.get(session_id)
            found = [] if entry is None else entry.notes
            return [copy(n) for n in sorted(found, key=lambda n: (n.at, n.id))]

    # -- the queue and the dashboard ---------------------------------------------------------

    def query_sessions(self, query: SessionQuery) -> tuple[list[SessionSummary], int]:
        with self._lock:
            found = [s for s in map(summary, self._sessions.values()) if matches(s, query)]
        found.sort(key=lambda s: s.id)
        found.sort(key=lambda s: s.updated_at, reverse=True)
        return found[query.offset : query.offset + query.limit], len(found)

    def all_summaries(self) -> Iterator[SessionSummary]:
        after = ""
        while True:
            with self._lock:
                ids = sorted(sid for sid in self._sessions if sid > after)[:_PAGE]
                page = [summary(self._sessions[sid]) for sid in ids]
            yield from page
            if len(page) < _PAGE:
                return
            after = page[-1].id

    # -- console logins ----------------------------------------------------------------------

    def add_console_login(self, login: ConsoleLogin) -> None:
        check_console_login(login)
        with self._lock:
            if login.id_hash in self._logins:
                raise duplicate_login()
            self._logins[login.id_hash] = copy(login)

    def find_console_login(self, id_hash: str) -> ConsoleLogin | None:
        with self._lock:
            found = self._logins.get(id_hash)
            return None if found is None else copy(found)

    def revoke_console_login(self, id_hash: str, at: datetime) -> None:
        with self._lock:
            found = self._logins.get(id_hash)
            if found is not None and found.revoked_at is None:
                self._logins[id_hash] = found.model_copy(update={"revoked_at": at})
