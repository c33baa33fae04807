"""The in-memory store's record of one session, and what it derives from it (its summary,
whether it may be pruned). Shared by ``memory`` and ``memory_assessment``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from pydantic import BaseModel

from assistant.assessment.models import AssessorNote, EvidenceCheck, SessionQuery, SignOff
from assistant.evidence.models import EvidenceRecord
from assistant.rating.models import RatingResult
from assistant.session.state import Actor, FindingChange, Stage
from assistant.storage.base import SessionRecord, SessionSummary, TurnRecord

__all__ = ["Entry", "copy", "idle", "live", "matches", "summary"]

M = TypeVar("M", bound=BaseModel)


def copy(model: M) -> M:
    """A JSON round trip, as through a database: the caller never shares an object."""
    return type(model).model_validate(model.model_dump(mode="json"))


@dataclass
class Entry:
    session: SessionRecord
    answered: int
    turns: dict[int, TurnRecord]
    changes: list[FindingChange] = field(default_factory=list)
    evidence: dict[str, EvidenceRecord] = field(default_factory=dict)
    ratings: list[RatingResult] = field(default_factory=list)
    signoffs: dict[int, SignOff] = field(default_factory=dict)  # by version
    checks: dict[str, EvidenceCheck] = field(default_factory=dict)  # by evidence id
    notes: list[AssessorNote] = field(default_factory=list)  # oldest first


def live(entry: Entry) -> SignOff | None:
    """The latest sign-off unless it was reopened (the lock)."""
    if not entry.signoffs:
        return None
    latest = entry.signoffs[max(entry.signoffs)]
    return latest if latest.reopened_at is None else None


def idle(entry: Entry, before: datetime) -> bool:
    """What ``prunable`` selects (the SQL store's ``sql_tokens._prunable``)."""
    session = entry.session
    seen = session.token_seen_at
    return (
        session.state.stage is not Stage.DONE
        and session.updated_at < before
        and (seen is None or seen < before)
        and all(change.actor is not Actor.ASSESSOR for change in entry.changes)
        and not entry.signoffs
    )


def summary(entry: Entry) -> SessionSummary:
    session = entry.session
    rating = entry.ratings[-1] if entry.ratings else None
    signed = live(entry)
    return SessionSummary(
        id=session.id,
        institution=session.state.profile.name,
        stage=session.state.stage.value,
        created_at=session.created_at,
        updated_at=session.updated_at,
        answered=entry.answered,
        declared_stars=None if rating is None else rating.declared.stars,
        evidenced_stars=None if rating is None else rating.evidenced.stars,
        institution_type=session.state.profile.institution_type,
        signed_stars=None if signed is None else signed.confirmed_stars,
        locked=signed is not None,
        previous_session_id=session.previous_session_id,
    )


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def matches(found: SessionSummary, query: SessionQuery) -> bool:
    """``query``'s filters, as the SQL store's ``sql_queue`` applies them (the text ignores
    the case of ASCII letters, as SQLite's LIKE does)."""
    exact = (
        (query.declared_stars, found.declared_stars),
        (query.evidenced_stars, found.evidenced_stars),
        (query.signed, found.locked),
        (query.stage, found.stage),
        (query.institution_type, found.institution_type),
    )
    if any(wanted is not None and wanted != value for wanted, value in exact):
        return False
    if query.updated_from is not None and found.updated_at < _day_start(query.updated_from):
        return False
    if query.updated_to is not None:
        if found.updated_at >= _day_start(query.updated_to) + timedelta(days=1):
            return False
    if query.text:
        needle = query.text.translate(_ASCII_LOWER)
        names = (found.id, found.institution or "")
        return any(needle in name.translate(_ASCII_LOWER) for name in names)
    return True
