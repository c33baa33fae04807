"""Request and response bodies of the assessor's work: evidence checks, notes, interview and
observation records, sign-offs. The review view itself is the library's model
(``assistant.assessment.review_models.AssessorView``), served as-is."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.assessment.models import (
    MAX_CHECK_NOTE_CHARS,
    MAX_NOTE_CHARS,
    MAX_QUERY_LIMIT,
    MAX_QUERY_TEXT_CHARS,
    MAX_REASON_CHARS,
    AssessorNote,
    SessionQuery,
)
from assistant.assessment.records import MAX_RECORD_CHARS, MAX_RECORD_LINKS
from assistant.assessment.review_models import LockState, SignOffSummary
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import InstitutionType
from assistant.session.state import Stage

__all__ = [
    "CheckRequest",
    "NoteList",
    "NoteRequest",
    "QueueQuery",
    "RecordAdded",
    "RecordRequest",
    "ReopenRequest",
    "SignOffList",
]

IndicatorRef = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=16)
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckRequest(_Body):
    """评估人员对一份证据的核查 / An assessor's check of one file."""

    sampled: bool = Field(description="已抽查 / the assessor sampled this file")
    verified: bool | None = Field(
        default=None,
        description="true 核验属实，false 不予采信，null 尚未判断 / true verified, false "
        "rejected, null not judged yet",
    )
    note: Annotated[str, Field(max_length=MAX_CHECK_NOTE_CHARS)] | None = Field(
        default=None, description="核查说明 / what the check found"
    )


class NoteRequest(_Body):
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE_CHARS)
    ] = Field(description="备注内容 / the note")
    indicator_id: IndicatorRef | None = Field(
        default=None, description="针对某项指标（空：整个评估）/ one indicator (none: the whole)"
    )


class NoteList(_Body):
    session_id: str
    notes: tuple[AssessorNote, ...] = Field(description="最早的在前 / oldest first")


class RecordRequest(_Body):
    """访谈记录或现场查看记录 / An interview or on-site observation record."""

    kind: Literal["interview", "observation"] = Field(
        description="interview 访谈记录，observation 现场查看 / interview or on-site observation"
    )
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_RECORD_CHARS)
    ] = Field(description="记录全文（首行作标题）/ the record (its first line is the title)")
    indicator_ids: Annotated[
        tuple[IndicatorRef, ...], Field(min_length=1, max_length=MAX_RECORD_LINKS)
    ] = Field(description="记录涉及的指标 / the indicators it bears on")
    dated: date = Field(description="访谈或查看的日期 / the day of the interview or visit")


class RecordAdded(_Body):
    evidence: EvidenceRecord = Field(
        description="作为证据保存的记录（已关联、已核验）/ the record kept as evidence (linked, "
        "verified)"
    )


class ReopenRequest(_Body):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REASON_CHARS)
    ] = Field(description="重新开启的理由，必填 / why it is reopened; required")


class SignOffList(_Body):
    session_id: str
    signoffs: tuple[SignOffSummary, ...] = Field(description="按版本排列 / by version")
    lock: LockState


def _queue_query(
    limit: Annotated[int, Query(ge=1, le=MAX_QUERY_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    declared_stars: Annotated[
        int | None, Query(ge=0, le=5, description="申报星级（等于）/ declared stars (exact)")
    ] = None,
    evidenced_stars: Annotated[
        int | None, Query(ge=0, le=5, description="证据星级（等于）/ evidenced stars (exact)")
    ] = None,
    signed: Annotated[
        bool | None,
        Query(description="true 已签署锁定，false 未签署 / true signed off and locked, false not"),
    ] = None,
    stage: Annotated[Stage | None, Query(description="访谈阶段 / interview stage")] = None,
    institution_type: Annotated[
        InstitutionType | None, Query(description="机构类型 / institution type")
    ] = None,
    updated_from: Annotated[
        date | None, Query(description="最后更新不早于（UTC 日）/ updated on or after (UTC day)")
    ] = None,
    updated_to: Annotated[
        date | None, Query(description="最后更新不晚于（UTC 日）/ updated on or before")
    ] = None,
    text: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY_TEXT_CHARS,
            description="机构名称或会话编号中的文字 / text in the institution name or session id",
        ),
    ] = None,
) -> SessionQuery:
    return SessionQuery(
        declared_stars=declared_stars,
        evidenced_stars=evidenced_stars,
        signed=signed,
        stage=stage.value if stage else None,
        institution_type=institution_type,
        updated_from=updated_from,
        updated_to=updated_to,
        text=(text or "").strip() or None,
        limit=limit,
        offset=offset,
    )


QueueQuery = Annotated[SessionQuery, Depends(_queue_query)]
"""The assessor queue's filters and page, from the query string."""
