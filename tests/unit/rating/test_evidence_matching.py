"""Evidence is matched to requirements one to one; in-force and assessor-only kinds."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge.schema import EvidenceKind
from assistant.rating.engine import rate
from assistant.rating.evidence import check_evidence, match_evidence
from assistant.rating.models import EvidenceItem, EvidenceOutcome
from tests.utils.builders import AS_OF, catalog, finding, indicator, item, requirement, rules

RECENT = date(2026, 3, 1)
OLD = date(2020, 1, 1)

TWO_RECORDS = indicator(
    "SS-1-01",
    evidence=[
        requirement("record", description="服务记录", max_age_months=12),
        requirement("record", description="回访记录", max_age_months=12),
    ],
)


def test_one_file_counts_for_one_requirement_only() -> None:
    one = (item("record", dated=RECENT),)
    check = check_evidence(TWO_RECORDS, one, AS_OF)
    assert check.outcome is EvidenceOutcome.MISSING
    [gap] = check.gaps  # the second requirement (回访记录) is the one left open
    assert (gap.requirement, gap.kind, gap.outcome) == (1, EvidenceKind.RECORD, check.outcome)
    assert (gap.min_count, gap.have, gap.max_age_months) == (1, 0, 12)
    two = (item("record", dated=RECENT), item("record", dated=RECENT))
    assert check_evidence(TWO_RECORDS, two, AS_OF).outcome is EvidenceOutcome.SUFFICIENT
    checks = match_evidence(TWO_RECORDS, two, AS_OF)
    assert [c.counted for c in checks] == [(0,), (1,)]


def test_the_matching_is_maximum_not_greedy() -> None:
    """A greedy pass gives the long record to the first requirement and fails the second."""
    target = indicator(
        "SS-1-01",
        evidence=[
            requirement("record", description="任一记录"),
            requirement("record", description="运行记录", operating_months=12),
        ],
    )
    long, short = item("record", covers_months=12), item("record", covers_months=0)
    assert check_evidence(target, (long, short), AS_OF).outcome is EvidenceOutcome.SUFFICIENT
    checks = match_evidence(target, (long, short), AS_OF)
    assert [c.counted for c in checks] == [(1,), (0,)]
    assert check_evidence(target, (short, short), AS_OF).outcome is EvidenceOutcome.MISSING


def test_stale_when_only_the_age_is_wrong() -> None:
    items = (item("record", dated=RECENT), item("record", dated=OLD))
    check = check_evidence(TWO_RECORDS, items, AS_OF)
    assert check.outcome is EvidenceOutcome.STALE
    assert len(check.gaps) == 1


POLICY = indicator("SS-1-02", evidence=[requirement("policy", description="服务制度")])


def test_an_in_force_kind_counts_without_a_date() -> None:
    assert check_evidence(POLICY, (item("policy", dated=OLD),), AS_OF).outcome is (
        EvidenceOutcome.SUFFICIENT
    )
    assert check_evidence(POLICY, (item("policy", dated=None),), AS_OF).outcome is (
        EvidenceOutcome.SUFFICIENT
    )


def test_an_expired_in_force_kind_is_stale() -> None:
    expired = item("policy", valid_until=date(2026, 6, 29))
    check = check_evidence(POLICY, (expired,), AS_OF)
    assert check.outcome is EvidenceOutcome.STALE
    [gap] = check.gaps
    assert (gap.kind, gap.outcome, gap.have, gap.fresh) == (
        EvidenceKind.POLICY,
        EvidenceOutcome.STALE,
        1,
        0,
    )
    current = item("policy", valid_until=AS_OF)
    assert check_evidence(POLICY, (current,), AS_OF).outcome is EvidenceOutcome.SUFFICIENT


VISIT = catalog(
    indicator("SS-1-01", evidence=[requirement("observation", description="服务场所")]),
    indicator("SS-1-02"),
    areas=("SS",),
)


def test_an_upload_never_satisfies_an_assessor_only_requirement() -> None:
    upload = item("observation", dated=RECENT)
    findings = [finding("SS-1-01", "met", upload), finding("SS-1-02", "met")]
    result = rate(VISIT, rules(), findings, AS_OF)
    assert result.indicators[0].evidence is EvidenceOutcome.MISSING
    [gap] = result.indicators[0].evidence_gaps
    assert (gap.kind, gap.outcome) == (EvidenceKind.OBSERVATION, EvidenceOutcome.MISSING)
    assert result.evidenced.stars == 0
    confirmed = [finding("SS-1-01", "met", assessor_confirmed=True), finding("SS-1-02", "met")]
    result = rate(VISIT, rules(), confirmed, AS_OF)
    assert result.indicators[0].evidence is EvidenceOutcome.CONFIRMED
    assert result.evidenced.stars == 5


MIXED = indicator(
    "SS-1-01",
    evidence=[
        requirement("record", min_count=2, max_age_months=12),
        requirement("record", operating_months=6, max_age_months=24),
        requirement("policy"),
        {"kind": "record", "class": "indirect", "description": "旁证"},
    ],
)

_ITEMS = st.lists(
    st.builds(
        EvidenceItem,
        kind=st.sampled_from(["record", "policy", "report"]),
        dated=st.sampled_from([None, RECENT, date(2025, 1, 1), OLD]),
        covers_months=st.sampled_from([None, 0, 6, 12]),
    ),
    max_size=6,
)


@given(_ITEMS, st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_the_order_of_the_items(
    items: list[EvidenceItem], shuffler: object
) -> None:
    shuffled = list(items)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    first = check_evidence(MIXED, tuple(items), AS_OF)
    second = check_evidence(MIXED, tuple(shuffled), AS_OF)
    assert first.outcome is second.outcome


@given(_ITEMS)
def test_no_item_is_counted_twice_and_counted_items_fit(items: list[EvidenceItem]) -> None:
    checks = match_evidence(MIXED, tuple(items), AS_OF)
    counted = [i for check in checks for i in check.counted]
    assert len(counted) == len(set(counted))
    for check in checks:
        assert all(items[i].kind is check.requirement.kind for i in check.shown)
        if check.outcome is EvidenceOutcome.SUFFICIENT:
            assert len(check.counted) == check.requirement.min_count
    sufficient = all(c.outcome is EvidenceOutcome.SUFFICIENT for c in checks)
    assert sufficient == (
        check_evidence(MIXED, tuple(items), AS_OF).outcome is (EvidenceOutcome.SUFFICIENT)
    )


@pytest.mark.parametrize("extra", [0, 1, 3])
def test_more_files_of_the_right_kind_never_hurt(extra: int) -> None:
    base = (item("record", dated=RECENT), item("record", dated=RECENT))
    more = base + tuple(item("record", dated=OLD) for _ in range(extra))
    assert check_evidence(TWO_RECORDS, more, AS_OF).outcome is EvidenceOutcome.SUFFICIENT
