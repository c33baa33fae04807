"""What one session's latest rating adds to the dashboard, and a cache of it.

The blockers are the presenter's (``assistant.verdict``): the listed blockers of the areas
that hold an application below its next star, in the presenter's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from assistant.rating.models import Basis, Blocker, RatingResult, Reading, ReasonCode
from assistant.storage import SessionSummary
from assistant.verdict import in_order

__all__ = [
    "Contribution",
    "ContributionCache",
    "Listed",
    "contribution",
    "contribution_of",
    "next_star_blockers",
]


def next_star_blockers(reading: Reading, cores: frozenset[str]) -> tuple[int, list[Blocker]]:
    """The next star and what the presenter lists under "升到N星还差" for it: the holding
    areas' blockers, in the presenter's order; (0, []) at the top star."""
    nxt = reading.next_star
    if nxt is None:
        return 0, []
    holding = set(nxt.areas)
    listed = [
        blocker
        for area in reading.areas
        if area.area in holding
        for blocker in in_order(area.blockers, cores)
    ]
    return nxt.level, listed


Listed = tuple[tuple[str, ReasonCode], ...]


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one session's latest rating adds to the dashboard, on both readings."""

    declared: int
    evidenced: int
    declared_next: tuple[int, Listed]  # the next star and its listed blockers (id, code)
    evidenced_next: tuple[int, Listed]

    def next(self, basis: Basis) -> tuple[int, Listed]:
        return self.declared_next if basis is Basis.DECLARED else self.evidenced_next


def contribution(rating: RatingResult, cores: frozenset[str]) -> Contribution:
    def listed(reading: Reading) -> tuple[int, Listed]:
        level, blockers = next_star_blockers(reading, cores)
        return level, tuple((b.indicator_id, b.code) for b in blockers)

    return Contribution(
        declared=rating.declared.stars,
        evidenced=rating.evidenced.stars,
        declared_next=listed(rating.declared),
        evidenced_next=listed(rating.evidenced),
    )


class ContributionCache:
    """Each session's contribution, kept while its ``updated_at`` stays the same: a rating is
    written only with a turn, which moves it. Reading and validating a stored rating is most
    of the dashboard's cost, so a page that asks for the counts and three charts pays it once
    per changed session. Holds at most ``limit`` sessions (the oldest entries go first)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._kept: dict[str, tuple[datetime, Contribution | None]] = {}
        self.loads = 0  # ratings read from the store (for tests and benchmarks)

    def lookup(
        self,
        summary: SessionSummary,
        load: Callable[[str], RatingResult | None],
        cores: frozenset[str],
    ) -> Contribution | None:
        kept = self._kept.get(summary.id)
        if kept is not None and kept[0] == summary.updated_at:
            return kept[1]
        rating = load(summary.id)
        self.loads += 1
        made = None if rating is None else contribution(rating, cores)
        self._kept.pop(summary.id, None)
        self._kept[summary.id] = (summary.updated_at, made)
        while len(self._kept) > self.limit:
            del self._kept[next(iter(self._kept))]
        return made


def contribution_of(
    summary: SessionSummary,
    load: Callable[[str], RatingResult | None],
    cores: frozenset[str],
    cache: ContributionCache | None,
) -> Contribution | None:
    """Through ``cache`` when there is one; else read, count and keep nothing."""
    if cache is not None:
        return cache.lookup(summary, load, cores)
    rating = load(summary.id)
    return None if rating is None else contribution(rating, cores)
