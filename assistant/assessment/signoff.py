"""The assessor-confirmed reading and the frozen record of a sign-off. Pure functions: no
store, no clock, no model.

The confirmed reading is the rating engine over the session's findings (assessor overrides
included) where only evidence the assessor verified counts: files whose latest check says
``verified``, and the interview and observation records the assessor wrote (verified when
written). An assessor-confirmed finding stays confirmed, as in every reading. Nothing else
differs from the evidenced reading, so the confirmed stars are normally at most the evidenced
ones (not forced: a verified interview record can satisfy an interview requirement that no
upload can).

A sign-off keeps a ``SignedSnapshot`` of the session and the SHA-256 of its canonical JSON
(``assistant.assessment.models.snapshot_json``: keys sorted, no whitespace, UTF-8): anyone
holding the snapshot can recompute the hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from assistant.assessment.models import (
    AssessorNote,
    EvidenceCheck,
    SignedSnapshot,
    SignOff,
    snapshot_sha256,
)
from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import evidence_items
from assistant.interview.rated import rate_session
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating.models import EvidenceItem, RatingResult
from assistant.session.models import Profile
from assistant.session.state import Actor, FindingChange, RecordedFinding

__all__ = [
    "build_signoff",
    "confirmed_reading",
    "latest_checks",
    "signed_notice",
    "signed_snapshot",
    "verified_ids",
]


def latest_checks(checks: Iterable[EvidenceCheck]) -> dict[str, EvidenceCheck]:
    """Evidence id → its latest check (by time; of equal times, the later one given)."""
    latest: dict[str, EvidenceCheck] = {}
    for check in checks:
        kept = latest.get(check.evidence_id)
        if kept is None or check.at >= kept.at:
            latest[check.evidence_id] = check
    return latest


def verified_ids(checks: Iterable[EvidenceCheck]) -> frozenset[str]:
    """The evidence whose latest check says verified (True; not rejected, not undecided)."""
    return frozenset(
        evidence_id for evidence_id, check in latest_checks(checks).items() if check.verified
    )


def _verified_items(
    records: Sequence[EvidenceRecord], indicator_id: str
) -> tuple[EvidenceItem, ...]:
    return tuple(
        item.model_copy(update={"assessor_verified": True})
        for item in evidence_items(records, indicator_id)
    )


def confirmed_reading(
    catalog: Catalog,
    rules: RuleSet,
    findings: Mapping[str, RecordedFinding],
    evidence: Sequence[EvidenceRecord],
    checks: Iterable[EvidenceCheck],
    as_of: date,
) -> RatingResult:
    """The rating with only assessor-verified evidence counted (its ``evidenced`` reading is
    the confirmed one; its ``declared`` reading is the applicant's, as always)."""
    verified = verified_ids(checks)
    counted = [record for record in evidence if record.id in verified]
    return rate_session(catalog, rules, findings, counted, as_of, items=_verified_items)


def signed_snapshot(
    *,
    profile: Profile,
    findings: Mapping[str, RecordedFinding],
    evidence: Sequence[EvidenceRecord],
    checks: Sequence[EvidenceCheck],
    notes: Sequence[AssessorNote],
    rating: RatingResult,
    confirmed: RatingResult,
    history: Sequence[FindingChange] = (),
) -> SignedSnapshot:
    """The content a sign-off freezes; findings by indicator id, checks by evidence id;
    ``history`` (the audit trail, oldest first) gives what the applicant stated before an
    assessor set a finding."""
    return SignedSnapshot(
        profile=profile,
        findings={key: findings[key] for key in sorted(findings)},
        evidence=tuple(evidence),
        checks=tuple(sorted(latest_checks(checks).values(), key=lambda c: c.evidence_id)),
        notes=tuple(notes),
        rating=rating,
        confirmed=confirmed,
        applicant_statuses=applicant_statuses(findings, history),
    )


def applicant_statuses(
    findings: Mapping[str, RecordedFinding], history: Sequence[FindingChange]
) -> dict[str, FindingStatus]:
    """For every finding an assessor set: the applicant's last statement before it."""
    set_by_assessor = {k for k, f in findings.items() if f.actor is Actor.ASSESSOR}
    stated: dict[str, FindingStatus] = {}
    for change in history:
        if change.indicator_id in set_by_assessor and change.actor is Actor.APPLICANT:
            stated[change.indicator_id] = change.status
    return dict(sorted(stated.items()))


def build_signoff(
    snapshot: SignedSnapshot,
    *,
    session_id: str,
    version: int,
    signed_by: str,
    signed_at: datetime,
) -> SignOff:
    """The sign-off of ``snapshot``: the three stars, the versions and hashes the rating ran
    on, and the snapshot's hash."""
    versions = snapshot.rating.versions
    return SignOff(
        session_id=session_id,
        version=version,
        signed_by=signed_by,
        signed_at=signed_at,
        declared_stars=snapshot.rating.declared.stars,
        evidenced_stars=snapshot.rating.evidenced.stars,
        confirmed_stars=snapshot.confirmed.evidenced.stars,
        catalog_version=versions.catalog_version,
        catalog_hash=versions.catalog_hash,
        rules_version=versions.rules_version,
        rules_hash=versions.rules_hash,
        snapshot_sha256=snapshot_sha256(snapshot),
        snapshot=snapshot,
    )


def signed_notice(signoff: SignOff) -> tuple[str, str]:
    """What the session's chat says of a sign-off, zh and en."""
    zh = (
        f"评估人员 {signoff.signed_by} 已签署本评估（第 {signoff.version} 版）："
        f"申报 {signoff.declared_stars} 星，证据 {signoff.evidenced_stars} 星，"
        f"评估人员确认 {signoff.confirmed_stars} 星。评估已锁定，只能查看和下载。"
    )
    en = (
        f"Assessor {signoff.signed_by} signed this assessment off (version {signoff.version}): "
        f"declared {signoff.declared_stars} stars, evidenced {signoff.evidenced_stars}, "
        f"confirmed by the assessor {signoff.confirmed_stars}. It is locked: read and "
        "download only."
    )
    return zh, en
