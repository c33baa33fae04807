"""The assessor-confirmed reading and the sign-off record, on hand-made catalogs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.assessment.models import (
    AssessorNote,
    EvidenceCheck,
    SignedSnapshot,
    snapshot_json,
    snapshot_sha256,
)
from assistant.assessment.signoff import (
    applicant_statuses,
    build_signoff,
    confirmed_reading,
    latest_checks,
    signed_snapshot,
    verified_ids,
)
from assistant.evidence.models import EvidenceRecord
from assistant.interview.rated import rate_session
from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus
from assistant.rating.models import EvidenceOutcome, RatingResult
from assistant.session.models import Profile
from assistant.session.state import Actor, FindingChange, RecordedFinding
from tests.utils.builders import AS_OF, catalog, indicator, requirement, rules
from tests.utils.strategies import findings_for, small_catalogs

AT = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
SESSION = "s1"
RULES = rules().model_copy(update={"content_hash": "sha256:rules"})

CATALOG = catalog(
    indicator("SS-1-01", evidence=[requirement("record")]),
    indicator("SS-1-02", evidence=[requirement("interview")]),
    indicator("SS-1-03"),
    areas=("SS",),
)


def record(ident: str, kind: str, *links: str, dated: date = AS_OF) -> EvidenceRecord:
    return EvidenceRecord(
        id=ident,
        session_id=SESSION,
        sha256="0" * 64,
        filename=f"{ident}.txt",
        media_type="text/plain",
        size=10,
        kind=EvidenceKind(kind),
        dated=dated,
        indicator_ids=links,
        uploaded_at=AT,
    )


def found(ident: str, status: str = "met", **extra: object) -> RecordedFinding:
    return RecordedFinding.model_validate(
        {"indicator_id": ident, "status": status, "updated_at": AT, **extra}
    )


def check(evidence_id: str, verified: bool | None, *, minute: int = 0) -> EvidenceCheck:
    return EvidenceCheck(
        session_id=SESSION,
        evidence_id=evidence_id,
        sampled=True,
        verified=verified,
        assessor="评估员甲",
        at=AT.replace(minute=minute),
    )


def result(rating: RatingResult, ident: str) -> tuple[FindingStatus, EvidenceOutcome]:
    line = next(r for r in rating.indicators if r.indicator_id == ident)
    return line.evidenced, line.evidence


FINDINGS = {i: found(i) for i in ("SS-1-01", "SS-1-02", "SS-1-03")}
FILE = record("e1", "record", "SS-1-01")


def confirmed(evidence: list[EvidenceRecord], checks: list[EvidenceCheck]) -> RatingResult:
    return confirmed_reading(CATALOG, RULES, FINDINGS, evidence, checks, AS_OF)


def test_a_verified_file_lifts_the_finding_an_unchecked_one_does_not() -> None:
    evidenced = rate_session(CATALOG, RULES, FINDINGS, [FILE], AS_OF)
    assert result(evidenced, "SS-1-01") == (FindingStatus.MET, EvidenceOutcome.SUFFICIENT)

    unchecked = confirmed([FILE], [])
    assert result(unchecked, "SS-1-01") == (FindingStatus.PARTLY_MET, EvidenceOutcome.MISSING)

    verified = confirmed([FILE], [check("e1", True)])
    assert result(verified, "SS-1-01") == (FindingStatus.MET, EvidenceOutcome.SUFFICIENT)


@pytest.mark.parametrize("verdicts", [[None], [False], [True, False], [True, None]])
def test_a_rejected_undecided_or_later_withdrawn_file_does_not_count(
    verdicts: list[bool | None],
) -> None:
    checks = [check("e1", v, minute=n) for n, v in enumerate(verdicts)]
    assert verified_ids(checks) == frozenset()
    assert result(confirmed([FILE], checks), "SS-1-01")[0] is FindingStatus.PARTLY_MET


def test_the_latest_check_of_a_file_wins_whatever_the_order_given() -> None:
    late, early = check("e1", True, minute=30), check("e1", False, minute=5)
    assert latest_checks([late, early])["e1"] is late
    assert verified_ids([late, early]) == {"e1"}


def test_a_verified_interview_record_meets_an_interview_requirement_only_when_confirmed() -> None:
    interview = record("r1", "interview", "SS-1-02")
    evidenced = rate_session(CATALOG, RULES, FINDINGS, [interview], AS_OF)
    assert result(evidenced, "SS-1-02") == (FindingStatus.PARTLY_MET, EvidenceOutcome.MISSING)

    verified = confirmed([interview], [check("r1", True)])
    assert result(verified, "SS-1-02") == (FindingStatus.MET, EvidenceOutcome.SUFFICIENT)
    assert result(confirmed([interview], []), "SS-1-02")[0] is FindingStatus.PARTLY_MET


def test_an_assessor_confirmed_finding_stays_confirmed_without_evidence() -> None:
    findings = {
        **FINDINGS,
        "SS-1-01": found("SS-1-01", actor=Actor.ASSESSOR, assessor_confirmed=True),
    }
    rating = confirmed_reading(CATALOG, RULES, findings, [], [], AS_OF)
    assert result(rating, "SS-1-01") == (FindingStatus.MET, EvidenceOutcome.CONFIRMED)


def test_every_file_verified_gives_the_evidenced_reading() -> None:
    """With plain uploads only, the confirmed reading can at most equal the evidenced one."""
    files = [FILE, record("e2", "record", "SS-1-01")]
    evidenced = rate_session(CATALOG, RULES, FINDINGS, files, AS_OF)
    all_verified = confirmed(files, [check("e1", True), check("e2", True)])
    assert all_verified.indicators == evidenced.indicators
    assert all_verified.evidenced.stars == evidenced.evidenced.stars


def snapshot(findings: dict[str, RecordedFinding]) -> SignedSnapshot:
    checks = [check("e1", True, minute=1), check("e1", None, minute=0)]
    rating = rate_session(CATALOG, RULES, findings, [FILE], AS_OF)
    note = AssessorNote(id="n1", session_id=SESSION, text="抽查了台账", assessor="评估员甲", at=AT)
    return signed_snapshot(
        profile=Profile(name="某服务机构"),
        findings=findings,
        evidence=[FILE],
        checks=checks,
        notes=[note],
        rating=rating,
        confirmed=confirmed_reading(CATALOG, RULES, findings, [FILE], checks, AS_OF),
    )


def test_the_snapshot_hash_is_the_same_for_the_same_content_in_any_order() -> None:
    forward = snapshot(FINDINGS)
    backward = snapshot(dict(reversed(list(FINDINGS.items()))))
    assert snapshot_sha256(forward) == snapshot_sha256(backward)
    assert len(forward.checks) == 1 and forward.checks[0].verified is True  # the latest only
    again = SignedSnapshot.model_validate_json(snapshot_json(forward))
    assert snapshot_sha256(again) == snapshot_sha256(forward)
    text = snapshot_json(forward)
    data = json.loads(text)
    assert list(data) == sorted(data) and list(data["rating"]) == sorted(data["rating"])
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "某服务机构" in text  # UTF-8, not \u escapes


def test_the_snapshot_hash_changes_with_the_content() -> None:
    changed = {**FINDINGS, "SS-1-03": found("SS-1-03", "largely_met")}
    assert snapshot_sha256(snapshot(changed)) != snapshot_sha256(snapshot(FINDINGS))


def test_a_signoff_carries_the_three_readings_and_the_versions() -> None:
    frozen = snapshot(FINDINGS)
    signed = build_signoff(frozen, session_id=SESSION, version=2, signed_by="甲", signed_at=AT)
    assert (signed.declared_stars, signed.evidenced_stars, signed.confirmed_stars) == (
        frozen.rating.declared.stars,
        frozen.rating.evidenced.stars,
        frozen.confirmed.evidenced.stars,
    )
    assert signed.catalog_version == CATALOG.version == "test"
    assert signed.catalog_hash == CATALOG.content_hash
    assert signed.rules_version == "test" and signed.rules_hash == "sha256:rules"
    assert signed.snapshot_sha256 == snapshot_sha256(frozen) and len(signed.snapshot_sha256) == 64
    assert signed.version == 2 and signed.reopened_at is None


@st.composite
def sessions(
    draw: st.DrawFn,
) -> tuple[Catalog, dict[str, RecordedFinding], list[EvidenceRecord], list[EvidenceCheck]]:
    """A random catalog and findings; each finding's evidence becomes linked files, each file
    checked at random (verified, rejected, undecided or not at all)."""
    cat = draw(small_catalogs())
    findings: dict[str, RecordedFinding] = {}
    files: list[EvidenceRecord] = []
    checks: list[EvidenceCheck] = []
    for n, made in enumerate(draw(findings_for(cat))):
        findings[made.indicator_id] = found(
            made.indicator_id,
            made.status.value,
            reason=made.reason,
            assessor_confirmed=made.assessor_confirmed,
        )
        for m, item in enumerate(made.evidence):
            ident = f"e{n}-{m}"
            kind, dated = item.kind.value, item.dated or AS_OF
            files.append(record(ident, kind, made.indicator_id, dated=dated))
            verdict = draw(st.sampled_from([True, False, None, "unchecked"]))
            if verdict != "unchecked":
                checks.append(check(ident, verdict if isinstance(verdict, bool) else None))
    return cat, findings, files, checks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_confirmed_stars_are_never_above_declared_nor_evidenced(
    drawn: tuple[Catalog, dict[str, RecordedFinding], list[EvidenceRecord], list[EvidenceCheck]],
) -> None:
    cat, findings, files, checks = drawn
    evidenced = rate_session(cat, RULES, findings, files, AS_OF)
    rating = confirmed_reading(cat, RULES, findings, files, checks, AS_OF)
    assert rating.evidenced.stars <= rating.declared.stars
    assert rating.declared == evidenced.declared
    # uploads of ordinary kinds only: fewer files counted can only lower the reading
    assert rating.evidenced.stars <= evidenced.evidenced.stars
    for mine, theirs in zip(rating.indicators, evidenced.indicators, strict=True):
        if mine.evidenced is not theirs.evidenced:  # only ever capped where files were not
            assert theirs.evidenced is theirs.declared
            assert mine.evidenced is RULES.evidence_cap


def test_the_snapshot_keeps_what_the_applicant_stated_before_an_override() -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC)

    def change(indicator: str, status: FindingStatus, actor: Actor) -> FindingChange:
        return FindingChange(
            indicator_id=indicator, previous=None, status=status, actor=actor, at=now
        )

    findings = {
        "SS-1-01": RecordedFinding(
            indicator_id="SS-1-01",
            status=FindingStatus.PARTLY_MET,
            actor=Actor.ASSESSOR,
            updated_at=now,
        ),
        "SS-1-02": RecordedFinding(
            indicator_id="SS-1-02", status=FindingStatus.MET, updated_at=now
        ),
        "SS-1-03": RecordedFinding(
            indicator_id="SS-1-03",
            status=FindingStatus.NOT_MET,
            actor=Actor.ASSESSOR,
            updated_at=now,
        ),
    }
    history = [
        change("SS-1-01", FindingStatus.NOT_MET, Actor.APPLICANT),
        change("SS-1-01", FindingStatus.MET, Actor.APPLICANT),  # the last statement counts
        change("SS-1-01", FindingStatus.PARTLY_MET, Actor.ASSESSOR),
        change("SS-1-02", FindingStatus.MET, Actor.APPLICANT),
        change("SS-1-03", FindingStatus.NOT_MET, Actor.ASSESSOR),  # never stated by the applicant
    ]
    assert applicant_statuses(findings, history) == {"SS-1-01": FindingStatus.MET}
