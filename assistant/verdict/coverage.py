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
    counts = {area.code: [0, 0] for area in catalog.areas}  # rated, total
    for indicator in catalog.indicators:  # one pass: this runs on every turn
        count = counts.get(indicator.area)
        if count is None or (wanted is not None and indicator.id not in wanted):
            continue
        count[0] += (
            statuses.get(indicator.id, FindingStatus.NOT_RATED) is not FindingStatus.NOT_RATED
        )
        count[1] += 1
    by_area: dict[AreaCode, tuple[int, int]] = {
        code: (rated, total) for code, (rated, total) in counts.items()
    }
    return Completeness(
        rated=sum(r for r, _ in by_area.values()),
        total=sum(t for _, t in by_area.values()),
        by_area=by_area,
    )
