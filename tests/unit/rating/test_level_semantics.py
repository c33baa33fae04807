"""What attaining a level means under the shipped rules (ISO/IEC 33020: Largely achieves).

With the shipped ``rules.yaml``: an area in which every indicator up to level L is 基本满足 or
满足 (cores included) attains L; one 不满足, or one 部分满足 among otherwise 基本满足 findings,
or 部分满足 on half the level's weight even beside 满足 findings, does not.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import Catalog, FindingStatus, Indicator
from assistant.rating import rate
from assistant.rating.levels import exact
from assistant.rating.models import Finding
from tests.utils.strategies import AS_OF, small_catalogs

SHIPPED_RULES = load_rules(default_knowledge_dir() / "rules")
MET, LARGELY = FindingStatus.MET, FindingStatus.LARGELY_MET
PARTLY, NOT_MET = FindingStatus.PARTLY_MET, FindingStatus.NOT_MET


@cache
def _shipped() -> Catalog:
    return load_catalog(default_knowledge_dir() / "rules")


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    if draw(st.booleans()):
        return _shipped()
    return draw(small_catalogs().filter(lambda c: bool(c.indicators)))


@st.composite
def targets(draw: st.DrawFn) -> tuple[Catalog, str, int]:
    """A catalog, one of its areas and a level whose cell has indicators."""
    cat = draw(catalogs())
    cells = sorted({(i.area.value, int(i.level)) for i in cat.indicators})
    area, level = draw(st.sampled_from(cells))
    return cat, area, level


def _cell(cat: Catalog, area: str, level: int) -> list[Indicator]:
    return [i for i in cat.indicators if i.area.value == area and i.level == level]


def _passing(draw: st.DrawFn, cat: Catalog, area: str, level: int) -> dict[str, FindingStatus]:
    """Every indicator of the area up to ``level`` 满足 or 基本满足."""
    return {
        i.id: draw(st.sampled_from([MET, LARGELY]))
        for i in cat.indicators
        if i.area.value == area and i.level <= level
    }


def _area_level(cat: Catalog, statuses: dict[str, FindingStatus], area: str) -> int:
    findings = [Finding(indicator_id=k, status=v) for k, v in statuses.items()]
    result = rate(cat, SHIPPED_RULES, findings, AS_OF)
    return next(a.level for a in result.declared.areas if a.area.value == area)


def test_the_shipped_rules_score_largely_met_at_the_threshold() -> None:
    """The arithmetic the properties below rely on: Largely is exactly enough."""
    assert exact(SHIPPED_RULES.score(LARGELY)) >= max(
        exact(SHIPPED_RULES.threshold_for(level)) for level in range(1, 6)
    )
    assert LARGELY in SHIPPED_RULES.core_pass_statuses
    assert PARTLY not in SHIPPED_RULES.core_pass_statuses


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_largely_met_everywhere_attains_the_level(data: st.DataObject) -> None:
    cat, area, level = data.draw(targets())
    statuses = _passing(data.draw, cat, area, level)
    assert _area_level(cat, statuses, area) >= level


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_all_largely_met_attains_exactly_the_level(data: st.DataObject) -> None:
    cat, area, level = data.draw(targets())
    statuses = {i.id: LARGELY for i in cat.indicators if i.area.value == area and i.level <= level}
    assert _area_level(cat, statuses, area) >= level  # the levels above are not rated


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_one_not_met_or_partly_met_among_largely_met_fails_the_level(
    data: st.DataObject,
) -> None:
    cat, area, level = data.draw(targets())
    statuses = {i.id: LARGELY for i in cat.indicators if i.area.value == area and i.level < level}
    cell = _cell(cat, area, level)
    statuses |= {i.id: LARGELY for i in cell}
    spoiled = data.draw(st.sampled_from(cell))
    statuses[spoiled.id] = data.draw(st.sampled_from([NOT_MET, PARTLY]))
    assert _area_level(cat, statuses, area) == level - 1


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_core_below_largely_met_fails_the_level_whatever_the_rest(data: st.DataObject) -> None:
    cat, area, level = data.draw(targets())
    cores = [i for i in _cell(cat, area, level) if i.core]
    if not cores:
        return
    statuses = {i.id: MET for i in cat.indicators if i.area.value == area and i.level <= level}
    statuses[data.draw(st.sampled_from(cores)).id] = data.draw(st.sampled_from([NOT_MET, PARTLY]))
    assert _area_level(cat, statuses, area) == level - 1


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_partly_met_on_half_the_weight_fails_even_beside_met(data: st.DataObject) -> None:
    cat, area, level = data.draw(targets())
    cell = _cell(cat, area, level)
    order = data.draw(st.permutations(cell))
    total = sum((exact(i.weight) for i in cell), Fraction(0))
    statuses = {i.id: MET for i in cat.indicators if i.area.value == area and i.level < level}
    partly = Fraction(0)
    for indicator in order:  # 部分满足 until at least half the level's weight carries it
        if partly * 2 < total:
            statuses[indicator.id] = PARTLY
            partly += exact(indicator.weight)
        else:
            statuses[indicator.id] = MET
    assert _area_level(cat, statuses, area) == level - 1
