"""What both stores check and say the same way about the assessor's records.

A sign-off that lost a race, or one reopened twice, is ``ConcurrentUpdate``; an unknown
sign-off is ``SessionNotFound`` (the API's 404); arguments that break the contract (a naive
datetime, a snapshot whose hash does not match, a reused note id) are ``ValueError``.
"""

from __future__ import annotations

from datetime import datetime

from assistant.assessment.models import (
    MAX_ASSESSOR_CHARS,
    MAX_REASON_CHARS,
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SignOff,
    snapshot_sha256,
)
from assistant.errors import ConcurrentUpdate, SessionNotFound

__all__ = [
    "already_reopened",
    "check_console_login",
    "check_evidence_check",
    "check_note",
    "check_reopen",
    "check_signoff",
    "duplicate_login",
    "duplicate_note",
    "signoff_not_found",
    "signoff_taken",
    "unknown_evidence",
]


def signoff_taken(session_id: str, version: int) -> ConcurrentUpdate:
    return ConcurrentUpdate(
        f"会话 {session_id!r} 的第 {version} 版签署已存在（可能另一位评估人员刚刚签署），"
        "本次签署未保存，请刷新后查看。",
        en=f"Sign-off version {version} of session {session_id!r} exists already (another "
        "assessor may have just signed); this sign-off was not saved, reload to see it.",
    )


def already_reopened(session_id: str, version: int) -> ConcurrentUpdate:
    return ConcurrentUpdate(
        f"会话 {session_id!r} 的第 {version} 版签署已被重新开启，不能再次开启；请刷新后查看。",
        en=f"Sign-off version {version} of session {session_id!r} was reopened already and "
        "cannot be reopened again; reload to see it.",
    )


def signoff_not_found(session_id: str, version: int) -> SessionNotFound:
    return SessionNotFound(
        f"会话 {session_id!r} 没有第 {version} 版签署。",
        en=f"Session {session_id!r} has no sign-off version {version}.",
    )


def unknown_evidence(check: EvidenceCheck) -> ValueError:
    return ValueError(f"no evidence {check.evidence_id!r} in session {check.session_id!r} to check")


def duplicate_note(note_id: str) -> ValueError:
    return ValueError(f"assessor note {note_id!r} already exists")


def duplicate_login() -> ValueError:
    return ValueError("a console login with that id hash already exists")


def _aware(what: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{what} is a naive datetime ({value!r}); the store keeps aware UTC")


def check_signoff(signoff: SignOff) -> None:
    _aware("signoff.signed_at", signoff.signed_at)
    _aware("signoff.reopened_at", signoff.reopened_at)
    if snapshot_sha256(signoff.snapshot) != signoff.snapshot_sha256:
        raise ValueError(
            f"sign-off {signoff.version} of {signoff.session_id!r}: snapshot_sha256 is not "
            "the hash of its snapshot"
        )


def check_reopen(*, by: str, reason: str, at: datetime) -> dict[str, object]:
    """The columns a reopen sets, within the model's bounds; ``ValueError`` otherwise."""
    _aware("reopened_at", at)
    if not 0 < len(by) <= MAX_ASSESSOR_CHARS:
        raise ValueError(f"reopened_by must have 1 to {MAX_ASSESSOR_CHARS} characters")
    if not 0 < len(reason) <= MAX_REASON_CHARS:
        raise ValueError(f"reopen_reason must have 1 to {MAX_REASON_CHARS} characters")
    return {"reopened_at": at, "reopened_by": by, "reopen_reason": reason}


def check_evidence_check(check: EvidenceCheck) -> None:
    _aware("check.at", check.at)


def check_note(note: AssessorNote) -> None:
    _aware("note.at", note.at)


def check_console_login(login: ConsoleLogin) -> None:
    for name in ("created_at", "expires_at", "revoked_at"):
        _aware(f"login.{name}", getattr(login, name))
