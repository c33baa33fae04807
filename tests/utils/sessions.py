"""Builders for interview sessions, turns and the records stored beside them.

Everything is deterministic: ``scripted_turn(session, n)`` always makes the same n-th turn,
so a test can replay in memory what a killed subprocess committed and compare.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import AreaCode, EvidenceKind, FindingStatus, InstitutionType
from assistant.qa.models import Citation
from assistant.rating.models import (
    Basis,
    Completeness,
    RatingResult,
    Reading,
    Versions,
)
from assistant.session.models import (
    AreaProgress,
    IndicatorRef,
    Profile,
    Progress,
    ProposedFinding,
    Question,
    QuestionKind,
    QuickReply,
    Reply,
    UserTurn,
)
from assistant.session.state import (
    Actor,
    FindingChange,
    InterviewState,
    Pending,
    RecordedFinding,
    Stage,
)
from assistant.storage import SessionStore
from assistant.storage.base import ApiKeyRecord, KeyRole, SessionRecord, TurnRecord

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
INSTITUTION = "深圳市示例中小企业服务中心"
INDICATORS = tuple(
    f"{area}-{level}-{number:02d}"
    for area in ("SS", "SD", "ST", "SO", "CSI")
    for level in (1, 2, 3)
    for number in (1, 2, 3)
)
_QUICK = (
    ("met", "满足"),
    ("largely_met", "基本满足"),
    ("partly_met", "部分满足"),
    ("not_met", "不满足"),
    ("not_applicable", "不适用"),
    ("unsure", "不清楚"),
)
_STATUSES = (
    FindingStatus.MET,
    FindingStatus.LARGELY_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.NOT_MET,
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def token_hash(seed: str) -> str:
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()


def progress(answered: int = 0, total: int = len(INDICATORS)) -> Progress:
    per_area = total // len(AreaCode)
    return Progress(
        answered=answered,
        total=total,
        by_area={
            area: AreaProgress(
                answered=min(per_area, max(0, answered - i * per_area)), total=per_area
            )
            for i, area in enumerate(AreaCode)
        },
    )


def indicator_ref(indicator_id: str) -> IndicatorRef:
    area, level, _ = indicator_id.split("-")
    return IndicatorRef(
        id=indicator_id,
        area=AreaCode(area),
        level=int(level),
        title=f"指标 {indicator_id}：服务台账完整、可追溯",
        core=indicator_id.endswith("01"),
    )


def question(*indicator_ids: str) -> Question:
    kind = QuestionKind.CHECKLIST if len(indicator_ids) > 1 else QuestionKind.INDICATOR
    return Question(
        kind=kind,
        indicators=tuple(indicator_ref(i) for i in indicator_ids),
        quick_replies=tuple(QuickReply(value=v, label=label) for v, label in _QUICK),
    )


def citation(clause: str = "6.4.3") -> Citation:
    return Citation(
        clause=clause,
        title="服务运营 — 数据与台账",
        source="参考文本（本项目编写）",
        text="机构应建立服务台账，记录服务对象、服务内容、服务时间与成效，并定期分析。",
        score=0.91,
    )


def reply(
    session_id: str,
    text: str = "您好！我是中小企业服务机构能力成熟度自评助手。请先告诉我贵机构的名称。",
    *,
    answered: int = 0,
    ask: tuple[str, ...] = (),
    proposed: tuple[ProposedFinding, ...] = (),
    citations: tuple[Citation, ...] = (),
    rating: RatingResult | None = None,
) -> Reply:
    return Reply(
        session_id=session_id,
        language="zh",
        text=text,
        question=question(*ask) if ask else Question(kind=QuestionKind.PROFILE, field="name"),
        proposed_findings=proposed,
        progress=progress(answered),
        rating=rating,
        citations=citations,
    )


def new_session(
    session_id: str = "s-0001", *, created: datetime = T0, owner: str | None = None
) -> tuple[SessionRecord, TurnRecord]:
    """A fresh session (version 0, profile stage) and its greeting, turn 0."""
    session = SessionRecord(
        id=session_id,
        token_hash=token_hash(session_id),
        created_at=created,
        updated_at=created,
        state=InterviewState(pending=Pending(kind=QuestionKind.PROFILE, field="name")),
        owner=owner,
    )
    greeting = TurnRecord(
        session_id=session_id, index=0, at=created, user=None, reply=reply(session_id)
    )
    return session, greeting


def recorded(
    indicator_id: str,
    status: FindingStatus = FindingStatus.MET,
    *,
    when: datetime = T0,
    reason: str | None = None,
    actor: Actor = Actor.APPLICANT,
    assessor_confirmed: bool = False,
    operating_months: int | None = None,
) -> RecordedFinding:
    return RecordedFinding(
        indicator_id=indicator_id,
        status=status,
        reason=reason,
        actor=actor,
        assessor_confirmed=assessor_confirmed,
        operating_months=operating_months,
        updated_at=when,
    )


def change(
    indicator_id: str,
    previous: FindingStatus | None,
    status: FindingStatus,
    *,
    when: datetime = T0,
    actor: Actor = Actor.APPLICANT,
    actor_name: str | None = None,
    reason: str | None = None,
) -> FindingChange:
    return FindingChange(
        indicator_id=indicator_id,
        previous=previous,
        status=status,
        actor=actor,
        actor_name=actor_name,
        reason=reason,
        at=when,
    )


def profiled(session: SessionRecord, name: str = INSTITUTION) -> InterviewState:
    """The session's state with the profile filled in and the interview at the indicators."""
    profile = Profile(
        name=name,
        institution_type=InstitutionType.PUBLIC_SERVICE,
        service_fields="融资对接、政策咨询、数字化转型",
        smes_served_per_year=1200,
        target_stars=3,
    )
    return session.state.model_copy(update={"profile": profile, "stage": Stage.INDICATORS})


def next_turn(
    session: SessionRecord,
    *,
    findings: dict[str, RecordedFinding] | None = None,
    state: InterviewState | None = None,
    user: UserTurn | None = None,
    upload: str | None = None,
    when: datetime | None = None,
    text: str = "好的，已记录。下一题：贵机构是否建立了服务台账？",
    rating: RatingResult | None = None,
) -> tuple[SessionRecord, TurnRecord]:
    """The session as the interview would write it after one more turn (version still the
    one read), and that turn."""
    index = session.version + 1  # as the interview numbers turns
    when = when or at(index)
    base = state or session.state
    kept = session.findings if findings is None else findings
    updated = session.model_copy(
        update={
            "state": base,
            "findings": kept,
            "updated_at": when,
        }
    )
    if user is None and upload is None:
        user = UserTurn(quick_reply="met")
    turn = TurnRecord(
        session_id=session.id,
        index=index,
        at=when,
        user=user,
        upload_evidence_id=upload,
        reply=reply(session.id, text, answered=len(kept), ask=INDICATORS[:1], rating=rating),
    )
    return updated, turn


def evidence_record(
    session_id: str,
    evidence_id: str = "ev-1",
    *,
    when: datetime = T0,
    indicator_ids: tuple[str, ...] = (),
    suggested_ids: tuple[str, ...] = ("SO-3-01", "SO-2-02"),
    title: str | None = "2025 年度服务台账（节选）",
) -> EvidenceRecord:
    return EvidenceRecord(
        id=evidence_id,
        session_id=session_id,
        sha256=hashlib.sha256(evidence_id.encode()).hexdigest(),
        filename="服务台账-2025.pdf",
        media_type="application/pdf",
        size=48_213,
        kind=EvidenceKind.LEDGER,
        dated=date(2025, 12, 31),
        covers_months=12,
        title=title,
        text_chars=5_120,
        indicator_ids=indicator_ids,
        suggested_ids=suggested_ids,
        uploaded_at=when,
    )


def _reading(basis: Basis, stars: int) -> Reading:
    return Reading(basis=basis, stars=stars, areas=(), next_star=None)


def rating(declared: int = 3, evidenced: int = 2, *, rules_version: str = "2026.1") -> RatingResult:
    return RatingResult(
        declared=_reading(Basis.DECLARED, declared),
        evidenced=_reading(Basis.EVIDENCED, evidenced),
        indicators=(),
        completeness=Completeness(rated=30, total=45, by_area={AreaCode.SS: (6, 9)}),
        versions=Versions(
            standard="T/ZXGJXH 002—2023",
            catalog_version="2026.1",
            catalog_hash="sha256:catalog",
            rules_version=rules_version,
            rules_hash="sha256:rules",
        ),
        as_of=date(2026, 3, 2),
    )


def api_key(
    key_id: str = "key-1",
    role: KeyRole = KeyRole.ASSESSOR,
    *,
    when: datetime = T0,
    origins: tuple[str, ...] = (),
    label: str | None = "评估机构甲",
) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=key_id,
        role=role,
        key_hash=token_hash(f"key:{key_id}"),
        label=label,
        origins=origins,
        created_at=when,
    )


def scripted_turn(
    session: SessionRecord, index: int
) -> tuple[SessionRecord, TurnRecord, list[FindingChange]]:
    """The deterministic ``index``-th turn after ``session``: one finding set or changed per
    turn, and every seventh turn the oldest finding withdrawn."""
    indicator_id = INDICATORS[index % len(INDICATORS)]
    status = _STATUSES[index % len(_STATUSES)]
    previous = session.findings.get(indicator_id)
    findings = dict(session.findings)
    findings[indicator_id] = recorded(indicator_id, status, when=at(index), reason=f"第 {index} 轮")
    changes = [change(indicator_id, previous.status if previous else None, status, when=at(index))]
    if index % 7 == 0 and len(findings) > 1:
        withdrawn = min(k for k in findings if k != indicator_id)
        del findings[withdrawn]
    updated, turn = next_turn(
        session, findings=findings, user=UserTurn(text=f"第 {index} 题：{status.value}")
    )
    return updated, turn, changes


def everything_kept(store: SessionStore, session_id: str) -> tuple[Any, ...]:
    """Everything a store keeps of one session: equal before and after a refused write."""
    return (
        store.get(session_id),
        store.turns(session_id),
        store.evidence(session_id),
        store.history(session_id),
        store.evidence_checks(session_id),
        store.notes(session_id),
        store.signoffs(session_id),
        store.latest_rating(session_id),
    )
