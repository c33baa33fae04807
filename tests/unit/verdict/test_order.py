"""The one order of blockers, pinned: failing cores, then the biggest score gain, then
evidence; unanswered indicators counted apart, never listed."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating import Finding, rate
from assistant.rating.models import Blocker, ReasonCode
from assistant.verdict import BlockerGroup, in_order, present
from assistant.verdict.order import GROUP_OF

RANK = {group: n for n, group in enumerate(BlockerGroup)}
IDS = [f"SS-1-{n:02d}" for n in range(1, 9)]


def blocker(ident: str, code: ReasonCode, gain: float) -> Blocker:
    return Blocker(indicator_id=ident, level=1, code=code, status="partly_met", gain=gain)


blockers = st.lists(
    st.builds(
        blocker,
        st.sampled_from(IDS),
        st.sampled_from(list(ReasonCode)),
        st.floats(min_value=0, max_value=1, allow_nan=False),
    ),
    unique_by=lambda b: b.indicator_id,
)


@given(blockers, st.frozensets(st.sampled_from(IDS)), st.randoms())
def test_the_order_is_core_then_score_then_evidence(
    found: list[Blocker], cores: frozenset[str], shuffler: object
) -> None:
    shown = in_order(found, cores)
    assert all(b.code is not ReasonCode.NOT_RATED for b in shown)
    assert {b.indicator_id for b in shown} == {
        b.indicator_id for b in found if b.code is not ReasonCode.NOT_RATED
    }
    keys = [(RANK[GROUP_OF[b.code]], b.indicator_id not in cores, -b.gain) for b in shown]
    assert keys == sorted(keys)
    again = list(found)
    shuffler.shuffle(again)  # type: ignore[attr-defined]
    assert in_order(again, cores) == shown  # the order the rating gives them never matters


def _first_level_one(catalog: Catalog) -> tuple[str, str]:
    """The county-centre scenario: the first core of 服务战略 at one star, and a non-core."""
    ss1 = [i for i in catalog.indicators if i.area.value == "SS" and i.level == 1]
    core = next(i.id for i in ss1 if i.core)
    other = next(i.id for i in ss1 if not i.core)
    return core, other


def test_a_failing_core_comes_before_the_score_and_unanswered_items_are_counted(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    core, other = _first_level_one(real_catalog)
    findings = [
        Finding(indicator_id=core, status=FindingStatus.PARTLY_MET),
        Finding(indicator_id=other, status=FindingStatus.NOT_MET),
    ]
    result = rate(real_catalog, real_rules, findings, date(2026, 6, 30))
    scope = [i.id for i in real_catalog.indicators if i.level == 1]
    pending = [i for i in scope if i not in (core, other)]
    said = present(result, real_catalog, "zh", scope=scope, pending=pending)
    ss = said.declared.areas[0]
    assert [b.indicator_id for b in ss.blockers] == [core, other]
    assert [b.group for b in ss.blockers] == [BlockerGroup.CORE, BlockerGroup.SCORE]
    level = result.declared.areas[0].levels[0]
    assert ss.headline == f"服务战略 一星：得分 {level.score:.2f}，需达到 {level.threshold:.2f}"
    in_area = sum(1 for i in scope if i.startswith("SS-"))
    assert ss.notes == (f"还有 {in_area - 2} 项未回答",)
    assert (ss.unanswered, ss.unrated) == (in_area - 2, 0)
    assert said.coverage.rated == 2 and said.coverage.total == len(scope)
    english = present(result, real_catalog, "en", scope=scope, pending=pending).declared
    assert english.areas[0].headline == (
        f"Service strategy one star: score {level.score:.2f}, needs {level.threshold:.2f}"
    )
    assert english.areas[0].notes == (f"{in_area - 2} items not answered yet",)


def test_without_an_interview_every_unanswered_item_counts_as_not_rated(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    result = rate(real_catalog, real_rules, [], date(2026, 6, 30))
    said = present(result, real_catalog, "zh")
    assert said.declared.blockers == ()  # nothing answered: nothing listed, all counted
    ss = said.declared.areas[0]
    level_one = sum(1 for i in real_catalog.indicators if i.area.value == "SS" and i.level == 1)
    assert ss.unrated == level_one and ss.unanswered == 0
    assert said.coverage.total == len(real_catalog.indicators)
