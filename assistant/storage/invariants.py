"""What every ``SessionStore`` backend checks and says the same way.

The errors a user can see (unknown session, a turn that lost a race) are built here so the
SQL store and the in-memory fake word them identically. Arguments that break the contract
(a turn of another session, a finding filed under another indicator's key, a naive datetime)
are programming errors: ``ValueError``, raised before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from assistant.errors import ConcurrentUpdate, SessionNotFound
from assistant.evidence.models import EvidenceRecord
from assistant.session.state import FindingChange
from assistant.storage.base import ApiKeyRecord, SessionRecord, TurnRecord

__all__ = [
    "check_key",
    "check_new_session",
    "check_turn",
    "concurrent_update",
    "duplicate_key",
    "duplicate_session",
    "session_not_found",
    "turn_refused",
    "unknown_key",
]


def session_not_found(session_id: str) -> SessionNotFound:
    return SessionNotFound(
        f"找不到会话 {session_id!r}：链接可能已失效，请重新开始评估。",
        en=f"No interview session {session_id!r}: the link may be out of date; start again.",
    )


def concurrent_update(session_id: str, version: int) -> ConcurrentUpdate:
    return ConcurrentUpdate(
        f"会话 {session_id!r} 已被另一个请求更新（所读的第 {version} 版已过时），"
        "本次回答未保存，请刷新后重试。",
        en=f"Session {session_id!r} was changed by another request (version {version}, "
        "which this turn read, is out of date); this answer was not saved, reload and retry.",
    )


def duplicate_session(session_id: str) -> ValueError:
    return ValueError(f"session {session_id!r} already exists")


def duplicate_key(key: ApiKeyRecord) -> ValueError:
    return ValueError(f"API key {key.id!r} (or its hash) is already stored")


def turn_refused(turn: TurnRecord) -> ValueError:
    return ValueError(
        f"turn {turn.index} of session {turn.session_id!r} not stored: the index is taken "
        f"or the upload {turn.upload_evidence_id!r} is not stored evidence"
    )


def unknown_key(key_id: str) -> ValueError:
    return ValueError(f"no API key {key_id!r}")


def _aware(what: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} is a naive datetime ({value!r}); the store keeps aware UTC")


def _check_session(session: SessionRecord) -> None:
    _aware("session.created_at", session.created_at)
    _aware("session.updated_at", session.updated_at)
    for key, finding in session.findings.items():
        if key != finding.indicator_id:
            raise ValueError(f"finding {finding.indicator_id!r} filed under key {key!r}")
        _aware(f"finding {key!r} updated_at", finding.updated_at)


def _check_turn_record(session: SessionRecord, turn: TurnRecord) -> None:
    if turn.session_id != session.id:
        raise ValueError(f"turn of session {turn.session_id!r} given for {session.id!r}")
    _aware(f"turn {turn.index} at", turn.at)


def check_new_session(session: SessionRecord, greeting: TurnRecord) -> None:
    _check_session(session)
    _check_turn_record(session, greeting)
    if greeting.index != 0 or greeting.upload_evidence_id is not None:
        raise ValueError("the greeting is turn 0 and names no upload")


def check_turn(
    session: SessionRecord,
    turn: TurnRecord,
    changes: Iterable[FindingChange],
    evidence: Sequence[EvidenceRecord],
) -> None:
    _check_session(session)
    _check_turn_record(session, turn)
    for change in changes:
        _aware(f"change of {change.indicator_id!r} at", change.at)
    for record in evidence:
        if record.session_id != session.id:
            raise ValueError(f"evidence {record.id!r} belongs to session {record.session_id!r}")
        _aware(f"evidence {record.id!r} uploaded_at", record.uploaded_at)


def check_key(key: ApiKeyRecord) -> None:
    _aware(f"key {key.id!r} created_at", key.created_at)
