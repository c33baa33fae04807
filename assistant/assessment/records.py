"""Interview and on-site observation records: an assessor's text kept as evidence.

A record is an ``EvidenceRecord`` of kind ``interview`` or ``observation`` whose file is the
text (UTF-8 ``text/plain``, received through the evidence desk like any upload, so it lands in
the same blob store), linked to the indicators named, dated the day of the interview or visit,
and verified by the assessor who wrote it (an ``EvidenceCheck``), so it counts in the
assessor-confirmed reading.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from datetime import date, datetime

from assistant.assessment.lock import ensure_unlocked
from assistant.assessment.models import EvidenceCheck
from assistant.assessment.problems import AssessmentError
from assistant.errors import FindingsError
from assistant.evidence.models import EvidenceRecord
from assistant.interview.manager import Outcome
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import ASSESSOR_KINDS, EvidenceKind
from assistant.storage.base import SessionRecord
from assistant.vocabulary import kind_label

__all__ = ["MAX_RECORD_CHARS", "MAX_RECORD_LINKS", "add_record", "record_links", "record_notice"]

MAX_RECORD_CHARS = 20_000
MAX_RECORD_LINKS = 20
_TITLE_CHARS = 100


def _invalid(zh: str, en: str) -> AssessmentError:
    return AssessmentError(zh, en=en, problem="invalid")


def record_links(
    kind: EvidenceKind,
    text: str,
    indicator_ids: Sequence[str],
    dated: date,
    *,
    known: Container[str],
    today: date,
) -> tuple[str, ...]:
    """The record's indicators, checked with the rest of the request (refused: nothing kept)."""
    if kind not in ASSESSOR_KINDS:
        raise _invalid(
            "记录的类型只能是访谈记录（interview）或现场查看（observation）。",
            "A record is an interview or an observation.",
        )
    if not text.strip() or len(text) > MAX_RECORD_CHARS:
        raise _invalid(
            f"记录内容须为 1 至 {MAX_RECORD_CHARS:,} 个字符。",
            f"A record takes 1 to {MAX_RECORD_CHARS:,} characters.",
        )
    ids = tuple(dict.fromkeys(i.strip().upper() for i in indicator_ids))
    if not ids or len(ids) > MAX_RECORD_LINKS:
        raise _invalid(
            f"请列出记录涉及的指标（1 至 {MAX_RECORD_LINKS} 项）。",
            f"Name the indicators the record bears on (1 to {MAX_RECORD_LINKS}).",
        )
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise FindingsError(f"未知指标 {unknown[0]!r}", en=f"unknown indicator {unknown[0]!r}")
    if dated > today:
        raise _invalid(
            f"访谈或现场查看的日期 {dated.isoformat()} 晚于今天。",
            f"The interview or visit date {dated.isoformat()} is after today.",
        )
    return ids


def record_notice(
    kind: EvidenceKind, ids: Sequence[str], dated: date, assessor: str
) -> tuple[str, str]:
    """What the session's chat says of a new record, zh and en."""
    label = kind_label(kind, "zh")
    zh = f"评估人员 {assessor} 添加了{label}（{dated.isoformat()}），关联 {'、'.join(ids)}。"
    en = (
        f"Assessor {assessor} added an {kind_label(kind, 'en', inline=True)} "
        f"({dated.isoformat()}) for {', '.join(ids)}."
    )
    return zh, en


def add_record(
    interview: InterviewService,
    session_id: str,
    kind: EvidenceKind,
    text: str,
    indicator_ids: Sequence[str],
    dated: date,
    assessor: str,
) -> EvidenceRecord:
    """Keep the record's text, link it, verify it; one turn of the session says so."""
    now = interview.now()
    ids = record_links(
        kind, text, indicator_ids, dated, known=interview.scope.by_id, today=now.date()
    )
    desk = interview.desk
    if desk is None:
        raise FindingsError("未配置证据存储", en="evidence storage is not configured")
    interview.store.head(session_id)  # SessionNotFound before anything is stored
    ensure_unlocked(interview.store, session_id)  # before a byte is stored
    body = text.strip()
    name = f"{kind_label(kind, 'zh')}-{dated.isoformat()}.txt"
    received = desk.receive(session_id, name, body.encode("utf-8"), now=now)
    record = received.model_copy(
        update={
            "kind": kind,
            "dated": dated,
            "valid_until": None,
            "covers_months": None,
            "title": body.splitlines()[0][:_TITLE_CHARS],
            "indicator_ids": ids,
            "suggested_ids": (),
        }
    )
    zh, en = record_notice(kind, ids, dated, assessor)

    def step(stored: SessionRecord, _now: datetime) -> Outcome:
        message = zh if stored.state.language == "zh" else en
        return Outcome(
            state=stored.state, findings=stored.findings, messages=[message], show_rating=True
        )

    interview.assessor_turn(session_id, step, new_evidence=record)
    check = EvidenceCheck(
        session_id=session_id,
        evidence_id=record.id,
        sampled=True,
        verified=True,
        assessor=assessor,
        at=now,
    )
    interview.store.set_evidence_check(check)
    return record
