"""The assessor's methods of ``SqlSessionStore`` (a mixin): each opens one transaction and
runs the statements of ``sql_assessment`` or ``sql_queue`` in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy.engine import Connection

from assistant.assessment.models import (
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SessionQuery,
    SignOff,
)
from assistant.storage import sql_assessment as statements
from assistant.storage import sql_queue
from assistant.storage.assessment_rules import (
    check_console_login,
    check_evidence_check,
    check_note,
    check_reopen,
    check_signoff,
)
from assistant.storage.base import SessionSummary
from assistant.storage.invariants import session_not_found

__all__ = ["SqlAssessment"]


class SqlAssessment:
    """Needs the host's ``_transaction(write=...)``."""

    def _transaction(self, *, write: bool) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    # -- sign-offs ---------------------------------------------------------------------------

    def add_signoff(self, signoff: SignOff) -> None:
        check_signoff(signoff)
        with self._transaction(write=True) as conn:
            statements.add_signoff(conn, signoff, session_not_found(signoff.session_id))

    def signoffs(self, session_id: str) -> list[SignOff]:
        with self._transaction(write=False) as conn:
            return statements.read_signoffs(conn, session_id)

    def reopen_signoff(
        self, session_id: str, version: int, *, by: str, reason: str, at: datetime
    ) -> SignOff:
        values = check_reopen(by=by, reason=reason, at=at)
        with self._transaction(write=True) as conn:
            return statements.reopen_signoff(conn, session_id, version, values)

    def live_signoff(self, session_id: str) -> SignOff | None:
        with self._transaction(write=False) as conn:
            return statements.live_signoff(conn, session_id)

    # -- evidence checks and notes -----------------------------------------------------------

    def set_evidence_check(self, check: EvidenceCheck) -> None:
        check_evidence_check(check)
        with self._transaction(write=True) as conn:
            statements.set_evidence_check(conn, check, session_not_found(check.session_id))

    def evidence_checks(self, session_id: str) -> list[EvidenceCheck]:
        with self._transaction(write=False) as conn:
            return statements.read_checks(conn, session_id)

    def add_note(self, note: AssessorNote) -> None:
        check_note(note)
        with self._transaction(write=True) as conn:
            statements.add_note(conn, note, session_not_found(note.session_id))

    def notes(self, session_id: str) -> list[AssessorNote]:
        with self._transaction(write=False) as conn:
            return statements.read_notes(conn, session_id)

    # -- the queue and the dashboard ---------------------------------------------------------

    def query_sessions(self, query: SessionQuery) -> tuple[list[SessionSummary], int]:
        with self._transaction(write=False) as conn:  # the page and its total: one snapshot
            return sql_queue.query_sessions(conn, query)

    def all_summaries(self) -> Iterator[SessionSummary]:
        return sql_queue.iterate(self._summary_page)

    def _summary_page(self, after: str | None) -> list[SessionSummary]:
        with self._transaction(write=False) as conn:
            return sql_queue.summary_page(conn, after)

    # -- console logins ----------------------------------------------------------------------

    def add_console_login(self, login: ConsoleLogin) -> None:
        check_console_login(login)
        with self._transaction(write=True) as conn:
            statements.add_console_login(conn, login)

    def find_console_login(self, id_hash: str) -> ConsoleLogin | None:
        with self._transaction(write=False) as conn:
            return statements.find_console_login(conn, id_hash)

    def revoke_console_login(self, id_hash: str, at: datetime) -> None:
        with self._transaction(write=True) as conn:
            statements.revoke_console_login(conn, id_hash, at)
