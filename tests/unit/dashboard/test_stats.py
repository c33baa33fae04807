"""The dashboard's counts equal a brute-force count over constructed sessions, and its
blockers are those the verdict presenter lists for each session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from assistant.dashboard.models import Dashboard, DashboardFilter
from assistant.dashboard.stats import (
    ContributionCache,
    collect,
    from_store,
    month_of,
    months_between,
)
from assistant.knowledge.schema import Catalog, InstitutionType, RuleSet
from assistant.rating.models import Basis, RatingResult
from assistant.storage import SessionSummary
from assistant.verdict import present
from tests.unit.dashboard.builders import Built, build_sessions

ALL = 10_000  # list every blocker


@pytest.fixture(scope="module")
def built(real_catalog: Catalog, real_rules: RuleSet) -> list[Built]:
    return build_sessions(real_catalog, real_rules, 48)


def board_of(
    built: list[Built], catalog: Catalog, filters: DashboardFilter | None = None
) -> Dashboard:
    ratings = {b.summary.id: b.rating for b in built}
    return collect((b.summary for b in built), ratings.__getitem__, catalog, filters, top=ALL)


def brute_stars(built: list[Built]) -> dict[str, list[int]]:
    return {
        "declared": [
            sum(1 for b in built if b.rating and b.rating.declared.stars == n) for n in range(6)
        ],
        "evidenced": [
            sum(1 for b in built if b.rating and b.rating.evidenced.stars == n) for n in range(6)
        ],
        "signed": [sum(1 for b in built if b.summary.signed_stars == n) for n in range(6)],
    }


def test_the_sessions_spread_over_several_stars(built: list[Built]) -> None:
    # Otherwise the counts below would prove little.
    stars = brute_stars(built)
    assert sum(1 for n in stars["declared"] if n) >= 3
    assert sum(1 for n in stars["signed"] if n) >= 4


def test_star_counts_equal_a_brute_force_count(built: list[Built], real_catalog: Catalog) -> None:
    board = board_of(built, real_catalog)
    stars = brute_stars(built)
    assert list(board.stars.declared) == stars["declared"]
    assert list(board.stars.evidenced) == stars["evidenced"]
    assert list(board.stars.signed) == stars["signed"]
    assert board.stars.not_rated == sum(1 for b in built if b.rating is None) > 0
    assert board.stars.unsigned == sum(1 for b in built if b.summary.signed_stars is None)
    assert board.totals.sessions == len(built)
    assert board.totals.rated == len(built) - board.stars.not_rated
    assert board.totals.locked == sum(b.summary.locked for b in built)


def test_counts_by_type_and_by_month(built: list[Built], real_catalog: Catalog) -> None:
    board = board_of(built, real_catalog)
    for row in board.by_type:
        mine = [b for b in built if b.summary.institution_type is row.institution_type]
        assert row.sessions == len(mine) > 0
        assert list(row.stars.evidenced) == brute_stars(mine)["evidenced"]
        assert list(row.stars.signed) == brute_stars(mine)["signed"]
    assert sum(row.sessions for row in board.by_type) == len(built)
    assert {row.label_zh for row in board.by_type} >= {"公共服务机构", "未填写"}
    months = Counter(month_of(b.summary.created_at) for b in built)
    shown = {m.month: m.sessions for m in board.by_month}
    assert {m: n for m, n in shown.items() if n} == dict(months)
    assert list(shown) == months_between(min(months), max(months))  # no month left out
    signed = Counter(
        month_of(b.summary.created_at) for b in built if b.summary.signed_stars is not None
    )
    assert {m.month: m.signed for m in board.by_month if m.signed} == dict(signed)


@pytest.mark.parametrize("basis", list(Basis))
def test_blockers_are_the_presenters(
    built: list[Built], real_catalog: Catalog, basis: Basis
) -> None:
    expected: Counter[tuple[int, str]] = Counter()
    reasons: Counter[tuple[int, str, str]] = Counter()
    applications: Counter[int] = Counter()
    for b in built:
        if b.rating is None:
            continue
        verdict = present(b.rating, real_catalog, "zh").reading(basis)
        if verdict.next_star is None:
            continue
        applications[verdict.next_star] += 1
        for line in verdict.blockers:
            expected[(verdict.next_star, line.indicator_id)] += 1
            reasons[(verdict.next_star, line.indicator_id, line.code.value)] += 1
    board = board_of(built, real_catalog, DashboardFilter(basis=basis))
    got = Counter(
        {
            (row.level, row.indicator_id): row.count
            for level in board.blockers
            for row in level.blockers
        }
    )
    got_reasons = Counter(
        {
            (row.level, row.indicator_id, code.value): n
            for level in board.blockers
            for row in level.blockers
            for code, n in row.reasons.items()
        }
    )
    assert got == expected and len(expected) > 5
    assert got_reasons == reasons
    assert {lv.level: lv.applications for lv in board.blockers if lv.applications} == dict(
        applications
    )


def test_blockers_come_commonest_first_and_top_cuts(
    built: list[Built], real_catalog: Catalog
) -> None:
    ratings = {b.summary.id: b.rating for b in built}
    board = collect((b.summary for b in built), ratings.__getitem__, real_catalog, top=3)
    first = board.blockers[0]
    assert len(first.blockers) == 3
    counts = [row.count for row in first.blockers]
    assert counts == sorted(counts, reverse=True)
    full = board_of(built, real_catalog).blockers[0].blockers
    assert [r.indicator_id for r in full[:3]] == [r.indicator_id for r in first.blockers]
    assert (
        first.blockers[0].title_zh
        == real_catalog.indicator(first.blockers[0].indicator_id).title.zh
    )


def test_filters_by_date_and_type(built: list[Built], real_catalog: Catalog) -> None:
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    filters = DashboardFilter(
        created_from=start, created_to=end, institution_type=InstitutionType.MARKET
    )
    board = board_of(built, real_catalog, filters)
    kept = [
        b
        for b in built
        if start <= b.summary.created_at.date() <= end
        and b.summary.institution_type is InstitutionType.MARKET
    ]
    assert board.totals.sessions == len(kept) > 0
    assert list(board.stars.evidenced) == brute_stars(kept)["evidenced"]
    assert [row.institution_type for row in board.by_type] == [InstitutionType.MARKET]
    assert all("2026-01" <= m.month <= "2026-03" for m in board.by_month)


def test_the_filter_refuses_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="after"):
        DashboardFilter(created_from=date(2026, 2, 1), created_to=date(2026, 1, 1))


def test_no_sessions_no_counts(real_catalog: Catalog) -> None:
    board = collect([], lambda _id: None, real_catalog)
    assert board.totals.sessions == 0
    assert board.stars.declared == (0,) * 6
    assert board.by_type == () and board.by_month == ()
    assert all(level.blockers == () for level in board.blockers)


class TwoMethodStore:
    """The two store methods ``from_store`` calls, over the built sessions; counts reads."""

    def __init__(self, built: list[Built]) -> None:
        self.summaries = [b.summary for b in built]
        self.ratings = {b.summary.id: b.rating for b in built}
        self.reads = 0

    def all_summaries(self) -> Iterator[SessionSummary]:
        yield from self.summaries

    def latest_rating(self, session_id: str) -> RatingResult | None:
        self.reads += 1
        return self.ratings[session_id]


def test_the_cache_reads_a_rating_again_only_when_its_session_moved(
    built: list[Built], real_catalog: Catalog
) -> None:
    store = TwoMethodStore(built)
    cache = ContributionCache()
    fresh = from_store(store, real_catalog, top=ALL, cache=cache)  # type: ignore[arg-type]
    assert store.reads == len(built)
    again = from_store(store, real_catalog, DashboardFilter(basis=Basis.DECLARED), cache=cache)  # type: ignore[arg-type]
    assert store.reads == len(built)  # neither the counts nor the other reading read again
    assert again.stars == fresh.stars
    assert fresh.model_dump(exclude={"generated_at"}) == board_of(built, real_catalog).model_dump(
        exclude={"generated_at"}
    )
    moved = store.summaries[3]
    store.summaries[3] = moved.model_copy(update={"updated_at": moved.updated_at + timedelta(1)})
    from_store(store, real_catalog, cache=cache)  # type: ignore[arg-type]
    assert store.reads == len(built) + 1


def test_the_cache_keeps_at_most_its_limit(built: list[Built], real_catalog: Catalog) -> None:
    store = TwoMethodStore(built)
    cache = ContributionCache(limit=5)
    from_store(store, real_catalog, cache=cache)  # type: ignore[arg-type]
    from_store(store, real_catalog, cache=cache)  # type: ignore[arg-type]
    assert store.reads == 2 * len(built)  # each pass pushed out what the next one needed


def test_months_between_crosses_a_year() -> None:
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2026-03", "2026-03") == ["2026-03"]
