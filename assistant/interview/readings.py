"""The readings of the applicant's answers: which findings each turn recorded, whether each
still stands, and the one that an undo may revert.

A reading is kept in the reply of the turn that recorded it (``Reply.readings``), so the list
is rebuilt from the stored turns and the current findings, never from a page's memory:

- *current*: the finding is still what this turn recorded, and no later turn touched it;
- *changed*: a later answer, a 修改 or an assessor changed it since;
- *undone*: a later undo reverted it (``AnswerReading.undo_of``).

Only a current reading can be undone; its finding then goes back to what it was before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Literal

from pydantic import Field

from assistant.errors import FindingsError
from assistant.knowledge.schema import FindingStatus, StrictModel
from assistant.session.models import AnswerReading
from assistant.session.state import Actor, FindingChange, RecordedFinding
from assistant.storage.base import TurnRecord

__all__ = [
    "ReadingError",
    "ReadingView",
    "readings_of",
    "session_readings",
    "undoable",
    "undo_change",
]

ReadingState = Literal["current", "changed", "undone"]


class ReadingView(StrictModel):
    """One reading as the chat shows it under the applicant's words."""

    turn: int
    indicator_id: str
    status: FindingStatus
    previous: FindingStatus | None = None
    state: ReadingState = Field(
        description="current: still recorded; changed: a later answer changed it; undone"
    )


class ReadingError(FindingsError):
    """No such reading (``reason`` ``not_found``), or it no longer stands (``changed``)."""

    code = "reading_error"

    def __init__(self, message: str, *, en: str, reason: Literal["not_found", "changed"]) -> None:
        super().__init__(message, en=en)
        self.reason = reason


def readings_of(changes: Iterable[FindingChange], turn: int) -> tuple[AnswerReading, ...]:
    """The applicant's changes of one turn as its readings."""
    return tuple(
        AnswerReading(turn=turn, indicator_id=c.indicator_id, status=c.status, previous=c.previous)
        for c in changes
        if c.actor is Actor.APPLICANT
    )


def session_readings(
    turns: Sequence[TurnRecord], findings: Mapping[str, RecordedFinding]
) -> list[ReadingView]:
    """Every reading of the session, oldest first, each with whether it still stands."""
    recorded = [r for turn in turns for r in turn.reply.readings if r.undo_of is None]
    undone = {
        (r.undo_of, r.indicator_id)
        for t in turns
        for r in t.reply.readings
        if r.undo_of is not None
    }
    return [
        ReadingView(
            turn=r.turn,
            indicator_id=r.indicator_id,
            status=r.status,
            previous=r.previous,
            state=_state(r, recorded, undone, findings),
        )
        for r in recorded
    ]


def _state(
    reading: AnswerReading,
    recorded: Sequence[AnswerReading],
    undone: set[tuple[int, str]],
    findings: Mapping[str, RecordedFinding],
) -> ReadingState:
    if (reading.turn, reading.indicator_id) in undone:
        return "undone"
    later = any(r.indicator_id == reading.indicator_id and r.turn > reading.turn for r in recorded)
    finding = findings.get(reading.indicator_id)
    if later or finding is None or finding.status is not reading.status:
        return "changed"
    return "changed" if finding.actor is not Actor.APPLICANT else "current"


def undoable(
    turns: Sequence[TurnRecord],
    findings: Mapping[str, RecordedFinding],
    turn: int,
    indicator_id: str,
) -> AnswerReading:
    """The reading ``turn`` recorded for ``indicator_id``, if it still stands."""
    for view in session_readings(turns, findings):
        if view.turn != turn or view.indicator_id != indicator_id:
            continue
        if view.state != "current":
            raise ReadingError(
                f"{indicator_id} 在这之后已经改过（或已撤销），不能再撤销这一条；"
                f"如需调整，请直接修改，例如“修改 {indicator_id} 部分满足”。",
                en=f"{indicator_id} has changed since (or was undone already), so this reading "
                f"cannot be undone; to adjust it, change it, e.g. “change {indicator_id} "
                "partly met”.",
                reason="changed",
            )
        return AnswerReading(
            turn=view.turn, indicator_id=indicator_id, status=view.status, previous=view.previous
        )
    raise ReadingError(
        f"第 {turn} 轮没有记录 {indicator_id!r} 的判断。",
        en=f"Turn {turn} recorded no reading of {indicator_id!r}.",
        reason="not_found",
    )


def undo_change(
    reading: AnswerReading, at: datetime
) -> tuple[RecordedFinding | None, FindingChange]:
    """The finding an undo leaves (None: not answered again) and its line in the audit trail."""
    note = f"撤销第 {reading.turn} 轮的记录 / undo of turn {reading.turn}"
    restored = (
        None
        if reading.previous is None
        else RecordedFinding(
            indicator_id=reading.indicator_id,
            status=reading.previous,
            reason=note,
            actor=Actor.APPLICANT,
            updated_at=at,
        )
    )
    change = FindingChange(
        indicator_id=reading.indicator_id,
        previous=reading.status,
        status=reading.previous or FindingStatus.NOT_RATED,
        actor=Actor.APPLICANT,
        reason=note,
        at=at,
    )
    return restored, change
