"""A signed assessment for the assessor's report tests: the three-star example, one finding
overridden, files verified, one rejected, one sampled and not judged, an interview record,
notes; user texts carry markup and control characters."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from assistant.assessment.models import AssessorNote, EvidenceCheck, SignedSnapshot, SignOff
from assistant.assessment.signoff import build_signoff, confirmed_reading
from assistant.assessment.signoff import signed_snapshot as build_snapshot
from assistant.evidence.models import EvidenceRecord
from assistant.interview.rated import rate_session
from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, RuleSet
from assistant.session.state import Actor, FindingChange, RecordedFinding
from tests.utils.report_data import SESSION_ID, three_star_report_data

SIGNED_AT = datetime(2026, 7, 2, 10, 15, tzinfo=UTC)
AS_OF = date(2026, 6, 30)
ASSESSOR = "评估员 王<b>芳</b>"
OVERRIDDEN = "SO-3-07"
OVERRIDE_REASON = "现场查看：<b>台账</b>不全\x07 & <script>alert(1)</script>"
REJECTED = "ev-SD-3-07-1"  # SD-3-07 needs its three files: with one rejected it falls
OPEN = "ev-SO-2-04-1"  # sampled, not judged yet
RECORD_ID = "rec-interview-1"
RECORD_TEXT = "访谈服务部负责人：<i>台账</i>按月更新。\x1b[31m"
HOSTILE_NOTE = "整体意见：<font size=40>材料齐全</font>\x00，**注意**"
REJECT_NOTE = "扫描件日期被涂改 <b>x</b>"


def _interview() -> EvidenceRecord:
    text = RECORD_TEXT.encode()
    return EvidenceRecord(
        id=RECORD_ID,
        session_id=SESSION_ID,
        sha256=hashlib.sha256(text).hexdigest(),
        filename="interview-2026-06-20.txt",
        media_type="text/plain",
        size=len(text),
        kind=EvidenceKind.INTERVIEW,
        dated=date(2026, 6, 20),
        title="与服务部负责人访谈",
        indicator_ids=(OVERRIDDEN,),
        uploaded_at=SIGNED_AT,
    )


def _check(
    evidence_id: str, *, sampled: bool, verified: bool | None, note: str | None = None
) -> EvidenceCheck:
    return EvidenceCheck(
        session_id=SESSION_ID,
        evidence_id=evidence_id,
        sampled=sampled,
        verified=verified,
        note=note,
        assessor=ASSESSOR,
        at=SIGNED_AT,
    )


def _checks(evidence: tuple[EvidenceRecord, ...]) -> tuple[EvidenceCheck, ...]:
    checks = []
    for n, record in enumerate(r for r in evidence if r.kind is not EvidenceKind.INTERVIEW):
        if record.id == REJECTED:
            checks.append(_check(record.id, sampled=True, verified=False, note=REJECT_NOTE))
        elif record.id == OPEN:
            checks.append(_check(record.id, sampled=True, verified=None))
        elif record.indicator_ids and record.kind is not None:
            checks.append(_check(record.id, sampled=n % 5 == 0, verified=True))
    return tuple(checks)


def _notes() -> tuple[AssessorNote, ...]:
    return (
        AssessorNote(
            id="n1", session_id=SESSION_ID, text=HOSTILE_NOTE, assessor=ASSESSOR, at=SIGNED_AT
        ),
        AssessorNote(
            id="n2",
            session_id=SESSION_ID,
            indicator_id=OVERRIDDEN,
            text="台账缺 3 个月",
            assessor=ASSESSOR,
            at=SIGNED_AT,
        ),
    )


def signed_snapshot(catalog: Catalog, rules: RuleSet) -> SignedSnapshot:
    data = three_star_report_data(catalog, rules)
    findings = dict(data.findings)
    findings[OVERRIDDEN] = RecordedFinding(
        indicator_id=OVERRIDDEN,
        status=FindingStatus.PARTLY_MET,
        reason=OVERRIDE_REASON,
        actor=Actor.ASSESSOR,
        assessor_confirmed=True,
        updated_at=SIGNED_AT,
    )
    evidence = (*data.evidence, _interview())
    checks = (*_checks(evidence), _check(RECORD_ID, sampled=False, verified=True))
    return build_snapshot(
        profile=data.profile,
        findings=findings,
        evidence=evidence,
        checks=checks,
        notes=_notes(),
        rating=rate_session(catalog, rules, findings, evidence, AS_OF),
        confirmed=confirmed_reading(catalog, rules, findings, evidence, checks, AS_OF),
        history=_audit_trail(),
    )


def _audit_trail() -> tuple[FindingChange, ...]:
    """The applicant stated met, then the assessor set partly met."""
    stated = FindingChange(
        indicator_id=OVERRIDDEN,
        previous=None,
        status=FindingStatus.MET,
        actor=Actor.APPLICANT,
        at=SIGNED_AT - timedelta(days=30),
    )
    overridden = FindingChange(
        indicator_id=OVERRIDDEN,
        previous=FindingStatus.MET,
        status=FindingStatus.PARTLY_MET,
        actor=Actor.ASSESSOR,
        actor_name=ASSESSOR,
        reason=OVERRIDE_REASON,
        at=SIGNED_AT,
    )
    return (stated, overridden)


def sign(snapshot: SignedSnapshot, *, version: int = 1) -> SignOff:
    return build_signoff(
        snapshot,
        session_id=SESSION_ID,
        version=version,
        signed_by=ASSESSOR,
        signed_at=SIGNED_AT,
    )
