"""The one count of the interview's indicators: how many of those in scope are rated.

The progress bars, the stars card, the chat's summary and the reports all count this way,
so "6/30" in one place is "6/30" in every other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus
from assistant.rating.models import Completeness

__all__ = ["coverage"]


def coverage(
    catalog: Catalog, scope: Iterable[str] | None, statuses: Mapping[str, FindingStatus]
) -> Completeness:
    """Rated and total per area over ``scope`` (every indicator when it is None); an
    indicator is rated when its status is anything but not rated."""
    wanted = None if scope is None else set(scope)
    by_area: dict[AreaCode, tuple[int, int]] = {}
    for area in catalog.areas:
        ids = [
            i.id
            for i in catalog.indicators
            if i.area == area.code and (wanted is None or i.id in wanted)
        ]
        rated = sum(
            statuses.get(i, FindingStatus.NOT_RATED) is not FindingStatus.NOT_RATED for i in ids
        )
        by_area[area.code] = (rated, len(ids))
    return Completeness(
        rated=sum(r for r, _ in by_area.values()),
        total=sum(t for _, t in by_area.values()),
        by_area=by_area,
    )
