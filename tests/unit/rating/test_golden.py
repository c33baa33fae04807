"""Hand-computed ratings on small catalogs: every figure below was worked out on paper."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import FindingsError
from assistant.knowledge.schema import FindingStatus
from assistant.rating import LevelState, ReasonCode, rate
from assistant.rating.evidence import months_between
from assistant.rating.models import EvidenceOutcome
from tests.utils.builders import AS_OF, catalog, finding, indicator, item, requirement, rules

# SS: level 1 = SS-1-01 (core, weight 2), SS-1-02, SS-1-03; level 2 = SS-2-01 (core) .. SS-2-04
# SD: level 1 = SD-1-01, SD-1-02; level 2 = SD-2-01, SD-2-02 (may be not applicable)
# No indicators at levels 3–5, so those levels pass trivially.
SMALL = catalog(
    indicator("SS-1-01", core=True, weight=2.0),
    indicator("SS-1-02"),
    indicator("SS-1-03"),
    indicator("SS-2-01", core=True),
    indicator("SS-2-02"),
    indicator("SS-2-03"),
    indicator("SS-2-04"),
    indicator("SD-1-01"),
    indicator("SD-1-02"),
    indicator("SD-2-01"),
    indicator("SD-2-02", na_allowed=True),
)
ALL_IDS = [i.id for i in SMALL.indicators]


def all_met(**overrides: str) -> list:
    return [finding(i, overrides.get(i.replace("-", "_"), "met")) for i in ALL_IDS]


def test_all_met_reaches_five_stars_because_empty_levels_pass() -> None:
    result = rate(SMALL, rules(), all_met(), AS_OF)
    assert result.declared.stars == 5
    assert result.declared.next_star is None
    assert all(a.blockers == () for a in result.declared.areas)


def test_core_knock_out_stops_the_area_even_with_a_high_score() -> None:
    # SS level 2: 3 of 4 met -> 0.75; the core SS-2-01 fails outright.
    result = rate(SMALL, rules(), all_met(SS_2_01="not_met"), AS_OF)
    ss = result.declared.areas[0]
    assert (result.declared.stars, ss.level, ss.next_level) == (1, 1, 2)
    assert ss.next_state is LevelState.FAILED
    assert [(b.indicator_id, b.code) for b in ss.blockers] == [("SS-2-01", ReasonCode.CORE_NOT_MET)]
    assert result.declared.next_star is not None
    assert result.declared.next_star.areas == (ss.area,)


def test_core_largely_met_passes_the_knock_out() -> None:
    # SS level 2: (0.75 + 1 + 1 + 1) / 4 = 0.9375 >= 0.8, core largely met is enough.
    result = rate(SMALL, rules(), all_met(SS_2_01="largely_met"), AS_OF)
    assert result.declared.areas[0].level == 5
    assert result.declared.areas[0].levels[1].score == pytest.approx(0.9375)


def test_threshold_miss_lists_every_indicator_below_met() -> None:
    # SD level 1: (0.5 + 0.75) / 2 = 0.625 < 0.8; no core indicator involved.
    result = rate(SMALL, rules(), all_met(SD_1_01="partly_met", SD_1_02="largely_met"), AS_OF)
    sd = result.declared.areas[1]
    assert (result.declared.stars, sd.level) == (0, 0)
    assert sd.levels[0].score == pytest.approx(0.625)
    assert [(b.indicator_id, b.code) for b in sd.blockers] == [
        ("SD-1-01", ReasonCode.BELOW_THRESHOLD),
        ("SD-1-02", ReasonCode.BELOW_THRESHOLD),
    ]


def test_weighted_score_exactly_at_threshold_attains_despite_float_rounding() -> None:
    # 0.1 + 0.7 is 0.7999999999999999 in floats; the rule means 0.8, which attains.
    exact = catalog(
        indicator("SS-1-01", weight=0.1),
        indicator("SS-1-02", weight=0.7),
        indicator("SS-1-03", weight=0.2),
        areas=("SS",),
    )
    findings = [finding("SS-1-01", "met"), finding("SS-1-02", "met"), finding("SS-1-03", "not_met")]
    result = rate(exact, rules(), findings, AS_OF)
    assert result.declared.areas[0].level == 5


def test_not_applicable_is_left_out_of_the_score() -> None:
    # SD level 2 without SD-2-02: 1 / 1 = 1.0. Counted as not met it would be 0.5.
    findings = all_met()
    findings[-1] = finding("SD-2-02", "not_applicable", reason="本机构不收费")
    assert rate(SMALL, rules(), findings, AS_OF).declared.stars == 5
    findings[-1] = finding("SD-2-02", "not_met")
    assert rate(SMALL, rules(), findings, AS_OF).declared.areas[1].level == 1


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [("not_applicable", None, "须说明理由"), ("not_applicable", "无此业务", "不允许")],
)
def test_not_applicable_needs_permission_and_a_reason(
    status: str, reason: str | None, message: str
) -> None:
    target = "SD-2-02" if message == "须说明理由" else "SD-2-01"
    findings = [f for f in all_met() if f.indicator_id != target]
    findings.append(finding(target, status, reason=reason))
    with pytest.raises(FindingsError, match=message):
        rate(SMALL, rules(), findings, AS_OF)


def test_unknown_and_duplicate_indicators_are_refused_together() -> None:
    findings = [*all_met(), finding("SS-1-01", "met"), finding("SO-1-01", "met")]
    with pytest.raises(FindingsError) as raised:
        rate(SMALL, rules(), findings, AS_OF)
    assert "'SS-1-01'" in str(raised.value) and "'SO-1-01'" in str(raised.value)


def test_unrated_indicator_that_could_tip_the_level_makes_it_not_rated() -> None:
    # SS level 2 without SS-2-03: at worst 3/4 = 0.75, at best 4/4 -> undecided.
    findings = [f for f in all_met() if f.indicator_id != "SS-2-03"]
    result = rate(SMALL, rules(), findings, AS_OF)
    ss = result.declared.areas[0]
    assert (ss.level, ss.next_state) == (1, LevelState.NOT_RATED)
    assert ss.levels[1].score == pytest.approx(0.75)
    assert ss.levels[1].best_possible == pytest.approx(1.0)
    assert [(b.indicator_id, b.code) for b in ss.blockers] == [("SS-2-03", ReasonCode.NOT_RATED)]
    assert result.declared.next_star is not None
    assert result.declared.next_star.state is LevelState.NOT_RATED
    assert result.completeness.rated == len(ALL_IDS) - 1


def test_unrated_indicator_that_cannot_tip_the_level_lets_it_fail() -> None:
    # SS level 2 without SS-2-03 and with SS-2-04 not met: at best 3/4 < 0.8 -> failed.
    findings = [f for f in all_met(SS_2_04="not_met") if f.indicator_id != "SS-2-03"]
    ss = rate(SMALL, rules(), findings, AS_OF).declared.areas[0]
    assert ss.next_state is LevelState.FAILED
    assert {b.code for b in ss.blockers} == {ReasonCode.NOT_RATED, ReasonCode.BELOW_THRESHOLD}


def test_unrated_core_indicator_keeps_the_level_open_even_above_threshold() -> None:
    heavy = catalog(
        indicator("SS-1-01", core=True),
        indicator("SS-1-02", weight=9.0),
        areas=("SS",),
    )
    result = rate(heavy, rules(), [finding("SS-1-02", "met")], AS_OF)
    assert result.declared.areas[0].levels[0].state is LevelState.NOT_RATED


FRESH = catalog(
    indicator("SS-1-01", evidence=[requirement("record", max_age_months=12)]),
    indicator("SS-1-02"),
    areas=("SS",),
)


def test_stale_evidence_caps_the_evidenced_reading_only() -> None:
    old = item("record", dated=date(2024, 12, 1))  # 18 months before AS_OF
    findings = [finding("SS-1-01", "met", old), finding("SS-1-02", "met")]
    result = rate(FRESH, rules(), findings, AS_OF)
    assert (result.declared.stars, result.evidenced.stars) == (5, 0)
    only = result.indicators[0]
    assert (only.evidenced.value, only.evidence) == ("partly_met", EvidenceOutcome.STALE)
    blockers = result.evidenced.areas[0].blockers
    assert [(b.indicator_id, b.code) for b in blockers] == [("SS-1-01", ReasonCode.EVIDENCE_STALE)]
    [gap] = blockers[0].gaps
    assert (gap.outcome, gap.have, gap.fresh, gap.max_age_months) == (
        EvidenceOutcome.STALE,
        1,
        0,
        12,
    )
    assert blockers[0].declared is FindingStatus.MET


def test_fresh_evidence_counts_and_undated_evidence_is_stale() -> None:
    fresh = [
        finding("SS-1-01", "met", item("record", dated=date(2025, 7, 1))),
        finding("SS-1-02", "met"),
    ]
    assert rate(FRESH, rules(), fresh, AS_OF).evidenced.stars == 5
    undated = [finding("SS-1-01", "met", item("record", dated=None)), finding("SS-1-02", "met")]
    assert rate(FRESH, rules(), undated, AS_OF).indicators[0].evidence is EvidenceOutcome.STALE


def test_assessor_confirmation_stands_in_for_missing_evidence() -> None:
    findings = [finding("SS-1-01", "met", assessor_confirmed=True), finding("SS-1-02", "met")]
    result = rate(FRESH, rules(), findings, AS_OF)
    assert result.evidenced.stars == 5
    assert result.indicators[0].evidence is EvidenceOutcome.CONFIRMED


COUNTED = catalog(
    indicator("SS-1-01", evidence=[requirement("case", min_count=3)]),
    indicator("SS-1-02", evidence=[requirement("record", operating_months=12)]),
    areas=("SS",),
)


@pytest.mark.parametrize(
    ("cases", "covers", "expected"),
    [
        (3, 12, (EvidenceOutcome.SUFFICIENT, EvidenceOutcome.SUFFICIENT)),
        (2, 12, (EvidenceOutcome.MISSING, EvidenceOutcome.SUFFICIENT)),
        (3, 6, (EvidenceOutcome.SUFFICIENT, EvidenceOutcome.MISSING)),
    ],
)
def test_min_count_and_operating_months(cases: int, covers: int, expected: tuple) -> None:
    findings = [
        finding("SS-1-01", "largely_met", *[item("case") for _ in range(cases)]),
        finding("SS-1-02", "met", item("record", covers_months=covers)),
    ]
    result = rate(COUNTED, rules(), findings, AS_OF)
    assert tuple(r.evidence for r in result.indicators) == expected


def test_evidence_of_another_kind_does_not_count() -> None:
    findings = [finding("SS-1-01", "met", item("policy")), finding("SS-1-02", "met")]
    result = rate(FRESH, rules(), findings, AS_OF)
    assert result.indicators[0].evidence is EvidenceOutcome.MISSING
    assert result.evidenced.areas[0].blockers[0].code is ReasonCode.EVIDENCE_MISSING


def test_partly_met_findings_need_no_evidence() -> None:
    findings = [finding("SS-1-01", "partly_met"), finding("SS-1-02", "met")]
    result = rate(FRESH, rules(), findings, AS_OF)
    assert result.indicators[0].evidence is EvidenceOutcome.NOT_REQUIRED
    assert result.evidenced.stars == result.declared.stars == 0


def test_result_names_the_versions_it_was_computed_with() -> None:
    result = rate(SMALL, rules(), all_met(), AS_OF)
    versions = result.versions
    assert (versions.catalog_version, versions.catalog_hash) == ("test", "sha256:test")
    assert versions.rules_version == "test" and versions.rules_hash == ""
    assert result.as_of == AS_OF


def test_a_level_threshold_override_applies_to_that_level_only() -> None:
    strict = rules().model_copy(update={"level_thresholds": {1: 0.95}})
    findings = all_met(SD_1_01="largely_met")  # SD level 1: 0.875
    assert rate(SMALL, rules(), findings, AS_OF).declared.stars == 5
    assert rate(SMALL, strict, findings, AS_OF).declared.stars == 0


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2025, 6, 30), date(2026, 6, 30), 12),
        (date(2024, 12, 1), date(2026, 6, 30), 18),
        (date(2026, 7, 1), date(2026, 6, 30), -1),
    ],
)
def test_months_between(start: date, end: date, months: int) -> None:
    assert months_between(start, end) == months
