"""The association's totals, counted in one pass over the sessions.

``DashboardCounter`` is pure: it takes one session's summary and latest rating at a time and
keeps only counters (bounded by stars × types × months × indicators), so 5,000 sessions cost
what one does in memory. ``collect`` and ``from_store`` drive it. The blockers are the
presenter's (see ``assistant.dashboard.contribution``), in the reading the filter names; each
counts once per application.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from assistant.dashboard.contribution import (
    Contribution,
    ContributionCache,
    Listed,
    contribution,
    contribution_of,
)
from assistant.dashboard.models import (
    MAX_STARS,
    BlockerCount,
    Dashboard,
    DashboardFilter,
    LevelBlockers,
    MonthCounts,
    StarCounts,
    Totals,
    TypeCounts,
)
from assistant.knowledge.schema import Catalog, InstitutionType
from assistant.rating.models import RatingResult, ReasonCode
from assistant.storage import SessionStore, SessionSummary
from assistant.vocabulary import type_label

__all__ = [
    "DEFAULT_TOP",
    "ContributionCache",
    "DashboardCounter",
    "admits",
    "collect",
    "from_store",
    "month_of",
    "months_between",
]

DEFAULT_TOP = 10
_NOT_GIVEN = ("未填写", "Not given")


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def months_between(first: str, last: str) -> list[str]:
    """``YYYY-MM`` from ``first`` to ``last``, both included."""
    year, month = int(first[:4]), int(first[5:])
    found = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        found.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def admits(filters: DashboardFilter, summary: SessionSummary) -> bool:
    created = summary.created_at.astimezone(UTC).date()
    if filters.created_from is not None and created < filters.created_from:
        return False
    if filters.created_to is not None and created > filters.created_to:
        return False
    return filters.institution_type is None or summary.institution_type is filters.institution_type


@dataclass
class _Stars:
    declared: list[int] = field(default_factory=lambda: [0] * (MAX_STARS + 1))
    evidenced: list[int] = field(default_factory=lambda: [0] * (MAX_STARS + 1))
    signed: list[int] = field(default_factory=lambda: [0] * (MAX_STARS + 1))
    not_rated: int = 0
    unsigned: int = 0
    sessions: int = 0

    def add(self, rated: Contribution | None, signed: int | None) -> None:
        self.sessions += 1
        if rated is None:
            self.not_rated += 1
        else:
            self.declared[rated.declared] += 1
            self.evidenced[rated.evidenced] += 1
        if signed is None:
            self.unsigned += 1
        else:
            self.signed[signed] += 1

    def model(self) -> StarCounts:
        return StarCounts(
            declared=tuple(self.declared),
            evidenced=tuple(self.evidenced),
            signed=tuple(self.signed),
            not_rated=self.not_rated,
            unsigned=self.unsigned,
        )


@dataclass
class _Month:
    sessions: int = 0
    rated: int = 0
    signed: int = 0


class DashboardCounter:
    """Feed it sessions with ``add``; ``result`` gives the dashboard."""

    def __init__(self, catalog: Catalog, filters: DashboardFilter | None = None) -> None:
        self.catalog = catalog
        self.filters = filters or DashboardFilter()
        self._cores = frozenset(i.id for i in catalog.indicators if i.core)
        self._all = _Stars()
        self._types: dict[InstitutionType | None, _Stars] = {}
        self._months: dict[str, _Month] = {}
        self._locked = 0
        self._level_apps: Counter[int] = Counter()
        self._blocks: Counter[tuple[int, str]] = Counter()
        self._reasons: dict[tuple[int, str], Counter[ReasonCode]] = {}

    @property
    def cores(self) -> frozenset[str]:
        return self._cores

    def add(self, summary: SessionSummary, rating: RatingResult | None) -> None:
        """Count one session (the caller has applied the filter)."""
        self.add_contribution(
            summary, None if rating is None else contribution(rating, self._cores)
        )

    def add_contribution(self, summary: SessionSummary, rated: Contribution | None) -> None:
        signed = summary.signed_stars
        self._all.add(rated, signed)
        self._types.setdefault(summary.institution_type, _Stars()).add(rated, signed)
        month = self._months.setdefault(month_of(summary.created_at), _Month())
        month.sessions += 1
        month.rated += rated is not None
        month.signed += signed is not None
        self._locked += summary.locked
        if rated is not None:
            self._count_blockers(*rated.next(self.filters.basis))

    def _count_blockers(self, level: int, listed: Listed) -> None:
        if not level:
            return
        self._level_apps[level] += 1
        for indicator_id, code in listed:
            key = (level, indicator_id)
            self._blocks[key] += 1
            self._reasons.setdefault(key, Counter())[code] += 1

    def result(self, *, top: int = DEFAULT_TOP, now: datetime | None = None) -> Dashboard:
        return Dashboard(
            filters=self.filters,
            generated_at=now or datetime.now(UTC),
            totals=Totals(
                sessions=self._all.sessions,
                rated=self._all.sessions - self._all.not_rated,
                signed=self._all.sessions - self._all.unsigned,
                locked=self._locked,
            ),
            stars=self._all.model(),
            by_type=self._by_type(),
            by_month=self._by_month(),
            blockers=tuple(self._level(level, top) for level in range(1, MAX_STARS + 1)),
        )

    def _by_month(self) -> tuple[MonthCounts, ...]:
        """Every month from the first application's to the last one's, empty ones as 0."""
        if not self._months:
            return ()
        rows = []
        for month in months_between(min(self._months), max(self._months)):
            c = self._months.get(month, _Month())
            rows.append(
                MonthCounts(month=month, sessions=c.sessions, rated=c.rated, signed=c.signed)
            )
        return tuple(rows)

    def _by_type(self) -> tuple[TypeCounts, ...]:
        order = [*InstitutionType, None]
        return tuple(
            TypeCounts(
                institution_type=kind,
                label_zh=type_label(kind, "zh") if kind else _NOT_GIVEN[0],
                label_en=type_label(kind, "en") if kind else _NOT_GIVEN[1],
                sessions=self._types[kind].sessions,
                stars=self._types[kind].model(),
            )
            for kind in order
            if kind in self._types
        )

    def _level(self, level: int, top: int) -> LevelBlockers:
        indicators = {i.id: i for i in self.catalog.indicators}
        keys = [key for key in self._blocks if key[0] == level]
        keys.sort(key=lambda k: (-self._blocks[k], k[1] not in self._cores, k[1]))
        rows = []
        for _, indicator_id in keys[:top]:
            spec = indicators.get(indicator_id)
            rows.append(
                BlockerCount(
                    level=level,
                    indicator_id=indicator_id,
                    title_zh=spec.title.zh if spec else indicator_id,
                    title_en=spec.title.en if spec else indicator_id,
                    core=indicator_id in self._cores,
                    count=self._blocks[(level, indicator_id)],
                    reasons=dict(sorted(self._reasons[(level, indicator_id)].items())),
                )
            )
        return LevelBlockers(
            level=level, applications=self._level_apps[level], blockers=tuple(rows)
        )


def collect(
    summaries: Iterable[SessionSummary],
    rating_of: Callable[[str], RatingResult | None],
    catalog: Catalog,
    filters: DashboardFilter | None = None,
    *,
    top: int = DEFAULT_TOP,
    now: datetime | None = None,
) -> Dashboard:
    """The dashboard of the sessions the filter admits, reading each one's rating once."""
    counter = DashboardCounter(catalog, filters)
    for summary in summaries:
        if admits(counter.filters, summary):
            counter.add(summary, rating_of(summary.id))
    return counter.result(top=top, now=now)


def from_store(
    store: SessionStore,
    catalog: Catalog,
    filters: DashboardFilter | None = None,
    *,
    top: int = DEFAULT_TOP,
    cache: ContributionCache | None = None,
) -> Dashboard:
    """The dashboard of the store's sessions; with ``cache``, ratings of sessions unchanged
    since an earlier call are not read again."""
    counter = DashboardCounter(catalog, filters)
    for summary in store.all_summaries():
        if admits(counter.filters, summary):
            rated = contribution_of(summary, store.latest_rating, counter.cores, cache)
            counter.add_contribution(summary, rated)
    return counter.result(top=top)
