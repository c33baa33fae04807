"""The question plan: order, grouping, the target star, adaptive skipping and progress."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from assistant.interview.scope import Scope
from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus, RuleSet
from assistant.session.models import Profile, QuestionKind
from assistant.session.state import InterviewState, RecordedFinding
from tests.utils import builders

AREA_ORDER = (AreaCode.SS, AreaCode.SD, AreaCode.ST, AreaCode.SO, AreaCode.CSI)
AT = datetime(2026, 6, 1, tzinfo=UTC)
S = FindingStatus


@pytest.fixture(scope="module")
def scope(real_catalog: Catalog, real_rules: RuleSet) -> Scope:
    return Scope(real_catalog, real_rules)


def state(stars: int | None = None, *, full_gap: bool = False, **extra: object) -> InterviewState:
    profile = Profile(name="测试机构", target_stars=stars)
    return InterviewState(profile=profile, full_gap_analysis=full_gap).model_copy(update=extra)


def findings(**statuses: FindingStatus) -> dict[str, RecordedFinding]:
    """``SS_1_01=S.MET`` → {"SS-1-01": RecordedFinding(...)}."""
    out = {}
    for key, status in statuses.items():
        ident = key.replace("_", "-")
        out[ident] = RecordedFinding(indicator_id=ident, status=status, updated_at=AT)
    return out


def level_counts(catalog: Catalog, top: int) -> int:
    return sum(1 for i in catalog.indicators if i.level <= top)


# ------------------------------------------------------------------------------- ordering


def test_units_run_area_by_area_then_level_ascending(scope: Scope) -> None:
    keys = [(AREA_ORDER.index(unit.area), unit.level) for unit in scope.units]
    assert keys == sorted(keys)
    assert list(dict.fromkeys(area for area, _ in keys)) == [0, 1, 2, 3, 4]


def test_every_indicator_is_asked_in_exactly_one_unit(scope: Scope, real_catalog: Catalog) -> None:
    counted = Counter(i for unit in scope.units for i in unit.indicator_ids)
    assert set(counted) == {i.id for i in real_catalog.indicators}
    assert set(counted.values()) == {1}


def test_core_indicators_come_alone_and_first_then_one_checklist(scope: Scope) -> None:
    cells: dict[tuple[AreaCode, int], list[tuple[QuestionKind, tuple[str, ...]]]] = {}
    for unit in scope.units:
        cells.setdefault((unit.area, unit.level), []).append((unit.kind, unit.indicator_ids))
    for cell, units in cells.items():
        cores = [ids for kind, ids in units if scope.by_id[ids[0]].core]
        rest = units[len(cores) :]
        assert all(len(ids) == 1 for ids in cores), cell
        assert all(not scope.by_id[i].core for _, ids in rest for i in ids), cell
        assert len(rest) <= 1, cell  # the non-core indicators of a cell: one question
        if rest and len(rest[0][1]) > 1:
            assert rest[0][0] is QuestionKind.CHECKLIST
        assert all(kind is QuestionKind.INDICATOR for kind, _ in units[: len(cores)])


def test_the_first_questions_of_the_real_catalog(scope: Scope) -> None:
    first = scope.units[:3]
    assert [u.kind for u in first] == [
        QuestionKind.INDICATOR,
        QuestionKind.INDICATOR,
        QuestionKind.CHECKLIST,
    ]
    assert first[0].indicator_ids == ("SS-1-01",)
    assert first[2].indicator_ids == ("SS-1-03", "SS-1-04", "SS-1-05")


@pytest.mark.parametrize(
    ("cores", "others", "expected"),
    [
        (1, 3, [QuestionKind.INDICATOR, QuestionKind.CHECKLIST]),
        (2, 1, [QuestionKind.INDICATOR] * 3),  # one non-core: a single question, no checklist
        (2, 0, [QuestionKind.INDICATOR] * 2),
        (0, 4, [QuestionKind.CHECKLIST]),
    ],
)
def test_cell_shapes_on_a_small_catalog(
    cores: int, others: int, expected: list[QuestionKind]
) -> None:
    made = [builders.indicator(f"SS-1-{n:02d}", core=True) for n in range(1, cores + 1)]
    made += [builders.indicator(f"SS-1-{n:02d}") for n in range(cores + 1, cores + others + 1)]
    scope = Scope(builders.catalog(*reversed(made)), builders.rules())
    assert [unit.kind for unit in scope.units] == expected
    assert [unit.indicator_ids[0] for unit in scope.units][: cores or 1] == [
        i.id for i in made[: cores or 1]
    ]


# ------------------------------------------------------------------------------- target star


@pytest.mark.parametrize("stars", [1, 2, 3, 4, 5])
def test_target_stars_limit_the_levels(scope: Scope, real_catalog: Catalog, stars: int) -> None:
    wanted = scope.in_scope(state(stars), {})
    assert {int(scope.by_id[i].level) for i in wanted} == set(range(1, stars + 1))
    assert len(wanted) == level_counts(real_catalog, stars)


@pytest.mark.parametrize("stars", [None, 1, 3])
def test_unsure_target_or_full_gap_asks_all_five_levels(
    scope: Scope, real_catalog: Catalog, stars: int | None
) -> None:
    everything = len(real_catalog.indicators)
    assert len(scope.in_scope(state(stars, full_gap=True), {})) == everything
    if stars is None:
        assert len(scope.in_scope(state(None), {})) == everything


def test_one_star_scope_is_twenty_six_indicators_in_fourteen_questions(scope: Scope) -> None:
    one_star = state(1)
    assert len(scope.in_scope(one_star, {})) == 26
    asked = [u for u in scope.units if u.level == 1]
    assert len(asked) == 14  # 9 core indicators one by one, one checklist per area


# ------------------------------------------------------------------------------- adaptive skipping


@pytest.mark.parametrize(
    ("status", "limited"),
    [
        (S.NOT_MET, True),
        (S.PARTLY_MET, True),
        (S.MET, False),
        (S.LARGELY_MET, False),
        (S.NOT_APPLICABLE, False),
        (S.NOT_RATED, False),
    ],
)
def test_a_failed_core_stops_its_area_above_that_level(
    scope: Scope, status: FindingStatus, limited: bool
) -> None:
    found = findings(SS_1_01=status)
    wanted = scope.in_scope(state(3), found)
    ss_levels = {int(scope.by_id[i].level) for i in wanted if i.startswith("SS-")}
    assert ss_levels == ({1} if limited else {1, 2, 3})
    sd_levels = {int(scope.by_id[i].level) for i in wanted if i.startswith("SD-")}
    assert sd_levels == {1, 2, 3}  # other areas go on


@pytest.mark.parametrize("status", [S.NOT_MET, S.PARTLY_MET])
def test_full_gap_analysis_does_not_skip(scope: Scope, status: FindingStatus) -> None:
    found = findings(SS_1_01=status)
    wanted = scope.in_scope(state(3, full_gap=True), found)
    assert any(i.startswith("SS-5-") for i in wanted)
    assert scope.failed_level(AreaCode.SS, found) == 1


def test_a_failure_at_level_two_keeps_levels_one_and_two(scope: Scope) -> None:
    found = findings(SS_2_01=S.NOT_MET, SS_1_01=S.MET)
    wanted = scope.in_scope(state(5), found)
    assert {int(scope.by_id[i].level) for i in wanted if i.startswith("SS-")} == {1, 2}
    assert scope.failed_level(AreaCode.SS, found) == 2


def test_the_lowest_failed_core_level_wins(scope: Scope) -> None:
    found = findings(SS_2_01=S.NOT_MET, SS_1_02=S.PARTLY_MET)
    assert scope.failed_level(AreaCode.SS, found) == 1


def test_a_failed_non_core_indicator_does_not_skip(scope: Scope) -> None:
    assert not scope.by_id["SS-1-03"].core
    wanted = scope.in_scope(state(3), findings(SS_1_03=S.NOT_MET))
    assert any(i.startswith("SS-3-") for i in wanted)


def test_a_level_without_a_core_stops_once_its_score_cannot_reach_the_pass_mark(
    scope: Scope, real_catalog: Catalog, real_rules: RuleSet
) -> None:
    cell = [i for i in real_catalog.indicators if i.area == AreaCode.ST and i.level == 3]
    assert cell and not any(i.core for i in cell)
    heaviest = sorted(cell, key=lambda i: -i.weight)
    total = sum(i.weight for i in cell)

    def ceiling(found: dict[str, RecordedFinding]) -> int:
        wanted = scope.in_scope(state(5), found)
        return max(int(scope.by_id[i].level) for i in wanted if i.startswith("ST-"))

    one = heaviest[-1]  # the lightest gap still leaves the pass mark within reach
    assert (total - one.weight) / total >= real_rules.threshold_for(3)
    assert ceiling(findings(**{one.id.replace("-", "_"): S.NOT_MET})) == 5
    two = {i.id.replace("-", "_"): S.NOT_MET for i in heaviest[:2]}
    assert (total - heaviest[0].weight - heaviest[1].weight) / total < real_rules.threshold_for(3)
    assert ceiling(findings(**two)) == 3
    assert scope.failed_level(AreaCode.ST, findings(**two)) == 3
    assert ceiling(findings(**two) | findings(SS_1_01=S.MET)) == 3  # other areas do not matter


def test_next_unit_moves_on_to_the_next_area_after_a_failed_core(scope: Scope) -> None:
    done = findings(
        SS_1_01=S.NOT_MET, SS_1_02=S.MET, SS_1_03=S.MET, SS_1_04=S.MET, SS_1_05=S.MET, SS_1_06=S.MET
    )
    unit = scope.next_unit(state(3), done)
    assert unit is not None and unit.indicator_ids == ("SD-1-01",)
    unit = scope.next_unit(state(3, full_gap=True), done)
    assert unit is not None and unit.indicator_ids == ("SS-2-01",)


# ------------------------------------------------------------------------------- next unit


def test_next_unit_skips_skipped_until_the_revisit_and_never_left_open(scope: Scope) -> None:
    skipped = state(1, skipped=("SS-1-01",))
    unit = scope.next_unit(skipped, {})
    assert unit is not None and unit.indicator_ids == ("SS-1-02",)
    revisit = state(1, skipped=("SS-1-01",), revisiting=True)
    unit = scope.next_unit(revisit, {})
    assert unit is not None and unit.indicator_ids == ("SS-1-01",)
    left = state(1, skipped=("SS-1-01",), left_open=("SS-1-01",), revisiting=True)
    unit = scope.next_unit(left, {})
    assert unit is not None and unit.indicator_ids == ("SS-1-02",)


@pytest.mark.parametrize(
    ("answered", "kind", "expected"),
    [
        ((), QuestionKind.CHECKLIST, ("SS-1-03", "SS-1-04", "SS-1-05")),
        (("SS-1-04",), QuestionKind.CHECKLIST, ("SS-1-03", "SS-1-05")),
        (("SS-1-03", "SS-1-04"), QuestionKind.INDICATOR, ("SS-1-05",)),
    ],
)
def test_a_checklist_narrows_to_what_is_still_open(
    scope: Scope, answered: tuple[str, ...], kind: QuestionKind, expected: tuple[str, ...]
) -> None:
    done = findings(SS_1_01=S.MET, SS_1_02=S.MET)
    done |= {i: RecordedFinding(indicator_id=i, status=S.MET, updated_at=AT) for i in answered}
    unit = scope.next_unit(state(1), done)
    assert unit is not None
    assert (unit.kind, unit.indicator_ids) == (kind, expected)


def test_next_unit_is_none_when_everything_in_scope_is_answered(scope: Scope) -> None:
    every = {
        i: RecordedFinding(indicator_id=i, status=S.MET, updated_at=AT)
        for i in scope.in_scope(state(1), {})
    }
    assert scope.next_unit(state(1), every) is None
    assert scope.next_unit(state(2), every) is not None


# ------------------------------------------------------------------------------- progress


def test_progress_counts_answers_per_area(scope: Scope, real_catalog: Catalog) -> None:
    done = findings(SS_1_01=S.MET, SS_1_02=S.NOT_MET, SD_1_01=S.NOT_RATED, SO_1_03=S.PARTLY_MET)
    progress = scope.progress(state(2), done)
    assert progress.answered == 3  # not rated is not an answer
    assert progress.by_area[AreaCode.SS].answered == 2
    assert progress.by_area[AreaCode.SD].answered == 0
    assert progress.by_area[AreaCode.SO].answered == 1
    # SS failed a core at level 1: its level-2 indicators left the scope
    ss_one = sum(1 for i in real_catalog.indicators if i.area == AreaCode.SS and i.level == 1)
    assert progress.by_area[AreaCode.SS].total == ss_one
    assert progress.total == sum(area.total for area in progress.by_area.values())
    assert progress.total == level_counts(real_catalog, 2) - 6


@pytest.mark.parametrize("stars", [1, 3, 5])
def test_progress_total_is_the_scope(scope: Scope, stars: int) -> None:
    progress = scope.progress(state(stars), {})
    assert progress.answered == 0
    assert progress.total == len(scope.in_scope(state(stars), {}))
    assert list(progress.by_area) == list(AREA_ORDER)
