"""The properties DESIGN §5 demands of the rating, checked with hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating import LevelState, RatingResult, Reading, ReasonCode, rate
from assistant.rating.models import Finding
from tests.utils.builders import rules as small_rules
from tests.utils.strategies import AS_OF, RANKED, findings_for, small_catalogs

MANY = settings(max_examples=300)
REAL = (
    load_catalog(default_knowledge_dir() / "rules"),
    load_rules(default_knowledge_dir() / "rules"),
)
Case = tuple[Catalog, RuleSet, list[Finding]]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Half the examples rate the shipped catalog, half a random small one."""
    if draw(st.booleans()):
        cat, rules = REAL
    else:
        cat, rules = draw(small_catalogs()), small_rules(draw(st.sampled_from([0.6, 0.8, 1.0])))
    return cat, rules, draw(findings_for(cat))


@MANY
@given(cases())
def test_same_input_same_output(case: Case) -> None:
    cat, rules, findings = case
    assert rate(cat, rules, findings, AS_OF) == rate(cat, rules, list(findings), AS_OF)


@MANY
@given(cases(), st.randoms(use_true_random=False))
def test_order_of_findings_is_irrelevant(case: Case, rnd: object) -> None:
    cat, rules, findings = case
    shuffled = list(findings)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rate(cat, rules, shuffled, AS_OF) == rate(cat, rules, findings, AS_OF)


def _raise_one(findings: list[Finding], index: int, steps: int) -> list[Finding] | None:
    target = findings[index]
    if target.status not in RANKED:
        return None
    position = min(RANKED.index(target.status) + steps, len(RANKED) - 1)
    raised = list(findings)
    raised[index] = target.model_copy(update={"status": RANKED[position]})
    return raised


@MANY
@given(cases(), st.data())
def test_raising_one_finding_never_lowers_the_stars(case: Case, data: st.DataObject) -> None:
    cat, rules, findings = case
    if not findings:
        return
    index = data.draw(st.integers(0, len(findings) - 1))
    raised = _raise_one(findings, index, data.draw(st.integers(1, 4)))
    if raised is None:
        return
    before, after = rate(cat, rules, findings, AS_OF), rate(cat, rules, raised, AS_OF)
    assert after.declared.stars >= before.declared.stars
    assert after.evidenced.stars >= before.evidenced.stars
    for old, new in zip(before.declared.areas, after.declared.areas, strict=True):
        assert new.level >= old.level


@MANY
@given(cases())
def test_stars_in_range_and_never_averaged(case: Case) -> None:
    result = rate(*case[:2], case[2], AS_OF)
    for reading in (result.declared, result.evidenced):
        assert 0 <= reading.stars <= 5
        assert reading.stars == min(a.level for a in reading.areas)


@MANY
@given(cases())
def test_evidenced_never_exceeds_declared(case: Case) -> None:
    result = rate(*case[:2], case[2], AS_OF)
    assert result.evidenced.stars <= result.declared.stars
    for ev, de in zip(result.evidenced.areas, result.declared.areas, strict=True):
        assert ev.level <= de.level


def _assert_blockers_are_real(result: RatingResult, cat: Catalog, rules: RuleSet) -> None:
    per_indicator = {r.indicator_id: r for r in result.indicators}
    for reading in (result.declared, result.evidenced):
        for area in reading.areas:
            _assert_area_blockers(reading, area.area, cat, rules, per_indicator)


def _assert_area_blockers(
    reading: Reading, area_code: object, cat: Catalog, rules: RuleSet, per_indicator: dict
) -> None:
    area = next(a for a in reading.areas if a.area == area_code)
    if area.next_level is None:
        assert area.blockers == ()
        return
    outcome = area.levels[area.next_level - 1]
    assert outcome.state is not LevelState.ATTAINED
    assert area.blockers, "a level that is not attained must say why"
    evidenced = reading.basis.value == "evidenced"
    for blocker in area.blockers:
        ind = cat.indicator(blocker.indicator_id)
        result = per_indicator[ind.id]
        status = result.evidenced if evidenced else result.declared
        assert (ind.area, int(ind.level)) == (area.area, area.next_level)
        assert blocker.status == status
        _assert_code_holds(blocker.code, ind.core, status, result, outcome, rules, evidenced)


def _assert_code_holds(code, core, status, result, outcome, rules, evidenced) -> None:  # type: ignore[no-untyped-def]
    if code is ReasonCode.NOT_RATED:
        assert status is FindingStatus.NOT_RATED
    elif code is ReasonCode.CORE_NOT_MET:
        assert core and status not in rules.core_pass_statuses
    elif code is ReasonCode.BELOW_THRESHOLD:
        assert outcome.score < outcome.threshold and rules.score(status) < 1
    else:
        assert evidenced and result.declared != result.evidenced
        assert result.evidence.value == (
            "missing" if code is ReasonCode.EVIDENCE_MISSING else "stale"
        )


@MANY
@given(cases())
def test_every_blocker_names_an_indicator_that_fails(case: Case) -> None:
    cat, rules, findings = case
    _assert_blockers_are_real(rate(cat, rules, findings, AS_OF), cat, rules)


@MANY
@given(cases())
def test_adding_evidence_never_lowers_the_evidenced_stars(case: Case) -> None:
    cat, rules, findings = case
    confirmed = [f.model_copy(update={"assessor_confirmed": True}) for f in findings]
    before, after = rate(cat, rules, findings, AS_OF), rate(cat, rules, confirmed, AS_OF)
    assert after.evidenced.stars >= before.evidenced.stars
    assert after.evidenced.stars == after.declared.stars
