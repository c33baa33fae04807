"""A hand-made sign-off for the carry and comparison tests: a few findings on the real catalog,
with evidence that is fresh, too old or out of force a year after signing."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from assistant.assessment.models import SignOff
from assistant.assessment.signoff import build_signoff, signed_snapshot
from assistant.evidence.models import EvidenceRecord
from assistant.interview.rated import rate_session
from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, RuleSet
from assistant.session.models import Profile
from assistant.session.state import Actor, RecordedFinding

SIGNED_AT = datetime(2026, 6, 30, 15, 0, tzinfo=UTC)
SIGNED_ON = SIGNED_AT.date()
A_YEAR_LATER = date(2027, 6, 30)
PREVIOUS = "signed-session"
ASSESSOR = "评估机构甲"

# indicator → (status, actor, assessor_confirmed, reason)
FINDINGS: dict[str, tuple[FindingStatus, Actor, bool, str | None]] = {
    "SD-1-01": (FindingStatus.MET, Actor.APPLICANT, False, None),  # ledger, 12 months: stale
    "SS-2-01": (FindingStatus.MET, Actor.APPLICANT, False, None),  # plan, 36 months: fresh
    "SD-2-04": (FindingStatus.LARGELY_MET, Actor.APPLICANT, False, None),  # policy: in force
    "SS-1-04": (FindingStatus.MET, Actor.APPLICANT, False, None),  # contract: expired
    "SD-2-01": (FindingStatus.PARTLY_MET, Actor.APPLICANT, False, None),  # never carried
    "ST-1-01": (FindingStatus.NOT_APPLICABLE, Actor.APPLICANT, False, "本机构不承担此项"),
    "SS-1-01": (FindingStatus.LARGELY_MET, Actor.ASSESSOR, True, "访谈后改定"),  # no files
    "SS-1-02": (FindingStatus.MET, Actor.ASSESSOR, True, "现场确认"),  # its ledger went stale
    "SD-1-02": (FindingStatus.MET, Actor.APPLICANT, False, None),  # nothing uploaded
}

# id → (kind, dated, valid_until, linked indicator)
EVIDENCE: dict[str, tuple[EvidenceKind, date | None, date | None, str]] = {
    "ev-ledger": (EvidenceKind.LEDGER, date(2026, 5, 1), None, "SD-1-01"),
    "ev-plan": (EvidenceKind.PLAN, date(2026, 5, 1), None, "SS-2-01"),
    "ev-policy": (EvidenceKind.POLICY, date(2025, 1, 6), None, "SD-2-04"),
    "ev-contract": (EvidenceKind.CONTRACT, date(2025, 3, 1), date(2027, 1, 1), "SS-1-04"),
    "ev-ss-ledger": (EvidenceKind.LEDGER, date(2026, 4, 1), None, "SS-1-02"),
}


def finding(indicator_id: str) -> RecordedFinding:
    status, actor, confirmed, reason = FINDINGS[indicator_id]
    return RecordedFinding(
        indicator_id=indicator_id,
        status=status,
        reason=reason,
        actor=actor,
        assessor_confirmed=confirmed,
        updated_at=SIGNED_AT,
    )


def record(evidence_id: str, session_id: str = PREVIOUS) -> EvidenceRecord:
    kind, dated, until, linked = EVIDENCE[evidence_id]
    return EvidenceRecord(
        id=evidence_id,
        session_id=session_id,
        sha256=hashlib.sha256(evidence_id.encode()).hexdigest(),
        filename=f"{evidence_id}.pdf",
        media_type="application/pdf",
        size=1000,
        kind=kind,
        dated=dated,
        valid_until=until,
        indicator_ids=(linked,),
        uploaded_at=SIGNED_AT,
    )


def signoff(catalog: Catalog, rules: RuleSet) -> SignOff:
    findings = {key: finding(key) for key in FINDINGS}
    evidence = [record(key) for key in EVIDENCE]
    rating = rate_session(catalog, rules, findings, evidence, SIGNED_ON)
    snapshot = signed_snapshot(
        profile=Profile(name="某市示例服务中心", target_stars=3),
        findings=findings,
        evidence=evidence,
        checks=(),
        notes=(),
        rating=rating,
        confirmed=rating,
    )
    return build_signoff(
        snapshot, session_id=PREVIOUS, version=1, signed_by=ASSESSOR, signed_at=SIGNED_AT
    )
