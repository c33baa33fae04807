"""The comparison of a re-assessment with the signed assessment it started from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.assessment.carry import carried_records, carry
from assistant.assessment.compare import Comparison, EvidenceFate, NowState, compare
from assistant.interview.rated import rate_session
from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus, RuleSet
from assistant.session.state import Actor, RecordedFinding
from tests.unit.assessment import signed
from tests.unit.assessment.signed import A_YEAR_LATER

NOW = datetime(2027, 6, 30, 9, 0, tzinfo=UTC)
NEW = "new-session"


def _answered(indicator_id: str, status: FindingStatus) -> RecordedFinding:
    return RecordedFinding(indicator_id=indicator_id, status=status, updated_at=NOW)


@pytest.fixture(scope="module")
def now_state(real_catalog: Catalog, real_rules: RuleSet) -> NowState:
    """A year on: SD-1-01 answered again as partly met with a renewed ledger, SS-1-04 met
    again (no new contract yet), one unrelated file uploaded; the rest as carried."""
    then = signed.signoff(real_catalog, real_rules)
    plan = carry(then, real_catalog, A_YEAR_LATER, at=NOW)
    findings = {
        **plan.findings,
        "SD-1-01": _answered("SD-1-01", FindingStatus.PARTLY_MET),
        "SS-1-04": _answered("SS-1-04", FindingStatus.MET),
    }
    renewed = signed.record("ev-ledger", NEW).model_copy(
        update={"id": "ev-ledger-2027", "sha256": "b" * 64, "dated": A_YEAR_LATER}
    )
    other = signed.record("ev-plan", NEW).model_copy(
        update={"id": "ev-other", "sha256": "c" * 64, "indicator_ids": ("SO-1-01",)}
    )
    evidence = (*carried_records(plan, NEW), renewed, other)
    rating = rate_session(real_catalog, real_rules, findings, evidence, A_YEAR_LATER)
    return NowState(
        session_id=NEW, findings=findings, evidence=evidence, rating=rating, confirmed=None
    )


@pytest.fixture(scope="module")
def result(real_catalog: Catalog, real_rules: RuleSet, now_state: NowState) -> Comparison:
    return compare(signed.signoff(real_catalog, real_rules), now_state, real_catalog)


def test_it_names_both_sessions_and_the_version(result: Comparison) -> None:
    assert (result.previous_session_id, result.session_id, result.version) == (
        signed.PREVIOUS,
        NEW,
        1,
    )
    assert result.signed_by == signed.ASSESSOR
    assert (result.as_of_then, result.as_of_now) == (signed.SIGNED_ON, A_YEAR_LATER)


def test_every_area_has_its_levels_then_and_now(
    result: Comparison, real_catalog: Catalog, now_state: NowState
) -> None:
    assert [a.area for a in result.areas] == [spec.code for spec in real_catalog.areas]
    now_levels = {a.area: a.level for a in now_state.rating.evidenced.areas}
    for area in result.areas:
        assert area.evidenced.now == now_levels[area.area]
        assert area.confirmed.now is None  # no confirmed reading given for now
    strategy = next(a for a in result.areas if a.area is AreaCode.SS)
    assert strategy.name_zh == "服务战略"


def test_findings_that_changed_and_the_assessors_ones_are_listed(result: Comparison) -> None:
    rows = {row.indicator_id: row for row in result.findings}

    assert rows["SD-1-01"].status_then is FindingStatus.MET
    assert rows["SD-1-01"].status_now is FindingStatus.PARTLY_MET
    assert not rows["SD-1-01"].carried
    # the assessor's change last year is shown although it was carried unchanged
    overridden = rows["SS-1-01"]
    assert overridden.assessor_then and overridden.carried
    assert overridden.actor_then is Actor.ASSESSOR
    assert overridden.status_then is overridden.status_now is FindingStatus.LARGELY_MET
    # the assessor confirmed SS-1-02; its ledger went stale and nobody answered it again yet
    assert rows["SS-1-02"].status_now is FindingStatus.NOT_RATED
    # unchanged findings carried as they were are not listed
    assert "SS-2-01" not in rows and "SS-1-04" not in rows
    # the applicant's own findings not answered again yet are counted, not listed
    assert "SD-2-01" not in rows and "SD-1-02" not in rows


def test_evidence_is_carried_renewed_expired_or_new(result: Comparison) -> None:
    fates = {(row.fate, row.evidence_id) for row in result.evidence}

    assert {id_ for fate, id_ in fates if fate is EvidenceFate.RENEWED} == {"ev-ledger-2027"}
    assert {id_ for fate, id_ in fates if fate is EvidenceFate.NEW} == {"ev-other"}
    assert {id_ for fate, id_ in fates if fate is EvidenceFate.EXPIRED} == {
        "ev-ledger",
        "ev-contract",
        "ev-ss-ledger",
    }
    assert sum(fate is EvidenceFate.CARRIED for fate, _ in fates) == 2


def test_totals_add_up(result: Comparison) -> None:
    totals = result.totals

    assert totals.findings_then == len(signed.FINDINGS)
    assert totals.carried == 4
    assert totals.awaiting == 3  # SD-2-01, SD-1-02 and the assessor's SS-1-02
    assert totals.worsened == 1  # SD-1-01 met → partly met
    assert totals.improved == 0
    assert (totals.evidence_carried, totals.evidence_renewed) == (2, 1)
    assert (totals.evidence_expired, totals.evidence_new) == (3, 1)
