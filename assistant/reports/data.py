"""What a report is made from: one session's profile, rating, findings and evidence."""

from __future__ import annotations

from datetime import datetime
from itertools import count

from pydantic import model_validator

from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import Catalog, Indicator, StrictModel
from assistant.rating.models import RatingResult
from assistant.session.models import Language, Profile
from assistant.session.state import RecordedFinding

__all__ = ["ReportData", "target_star"]


def target_star(profile: Profile, rating: RatingResult) -> int:
    """The star the application pack aims at: the target, else the next evidenced star."""
    if profile.target_stars is not None:
        return profile.target_stars
    return min(5, rating.evidenced.stars + 1)


class ReportData(StrictModel):
    """Everything a report shows. ``scope`` lists the indicators covered; when it is ``None``
    the scope is every indicator up to the target star (see ``target_star``)."""

    session_id: str
    language: Language = "zh"
    generated_at: datetime
    profile: Profile
    catalog: Catalog
    rating: RatingResult
    findings: dict[str, RecordedFinding] = {}
    evidence: tuple[EvidenceRecord, ...] = ()
    scope: tuple[str, ...] | None = None
    # in scope, not answered, still to be asked; None when the report comes from no interview
    pending: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _scope_known(self) -> ReportData:
        known = {indicator.id for indicator in self.catalog.indicators}
        unknown = sorted(set(self.scope or ()) - known)
        if unknown:
            raise ValueError(f"scope names indicators not in the catalog: {unknown!r}")
        return self

    @property
    def target(self) -> int:
        return target_star(self.profile, self.rating)

    def scoped_indicators(self) -> tuple[Indicator, ...]:
        """The indicators in scope: by area (in the catalog's order), level, then id."""
        if self.scope is None:
            chosen = [i for i in self.catalog.indicators if i.level <= self.target]
        else:
            wanted = set(self.scope)
            chosen = [i for i in self.catalog.indicators if i.id in wanted]
        order = {area.code: n for area, n in zip(self.catalog.areas, count(), strict=False)}
        return tuple(sorted(chosen, key=lambda i: (order.get(i.area, len(order)), i.level, i.id)))
