"""A signed snapshot with the lookups the assessor's report needs, in the report's language.

Everything here reads the ``SignOff`` alone (its frozen snapshot and its versions) and the
catalog for titles: never the live session.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from assistant.assessment.models import SignOff
from assistant.assessment.signoff import latest_checks
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import AreaCode, Catalog, EvidenceKind, FindingStatus, Indicator
from assistant.rating.models import IndicatorResult
from assistant.reports.assessor_text import tr
from assistant.session.state import Actor
from assistant.vocabulary import Language, star_label

__all__ = ["CELL_CHARS", "RECORD_KINDS", "AssessorView", "applicant_statuses", "when"]

RECORD_KINDS = frozenset({EvidenceKind.INTERVIEW, EvidenceKind.OBSERVATION})
# A table row cannot break across a PDF page: a long text (a reason takes up to 2,000
# characters) is cut short in its cell and given whole at the end of the report.
CELL_CHARS = 300


def when(moment: datetime) -> str:
    zone = moment.strftime(" %Z") if moment.tzinfo else ""
    return moment.strftime("%Y-%m-%d %H:%M") + zone


def applicant_statuses(signoff: SignOff) -> dict[str, FindingStatus]:
    """What the applicant stated: its own findings as they stand, and for each finding an
    assessor set, the applicant's last statement before it (kept in the snapshot)."""
    snapshot = signoff.snapshot
    own = {
        indicator_id: finding.status
        for indicator_id, finding in snapshot.findings.items()
        if finding.actor is not Actor.ASSESSOR
    }
    return own | dict(snapshot.applicant_statuses)


class AssessorView:
    def __init__(
        self,
        signoff: SignOff,
        catalog: Catalog,
        language: Language,
        record_texts: Mapping[str, str] | None = None,
    ) -> None:
        self.signoff = signoff
        self.snapshot = signoff.snapshot
        self.catalog = catalog
        self.lang: Language = language
        self.record_texts = dict(record_texts or {})
        self.indicators: dict[str, Indicator] = {i.id: i for i in catalog.indicators}
        self.order = {i.id: n for n, i in enumerate(catalog.indicators)}
        self.confirmed: dict[str, IndicatorResult] = {
            r.indicator_id: r for r in self.snapshot.confirmed.indicators
        }
        self.checks = latest_checks(self.snapshot.checks)  # the latest check of each file wins
        self.applicant = applicant_statuses(signoff)
        self.full_texts: list[tuple[str, str]] = []  # (what it is, the text) cut short in a cell

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    def star(self, stars: int) -> str:
        return star_label(stars, self.lang, inline=True)

    def area_name(self, code: AreaCode) -> str:
        try:
            name = self.catalog.area(code).name
        except KeyError:
            return code.value
        return name.en if self.lang == "en" else name.zh

    def title(self, indicator_id: str) -> str:
        indicator = self.indicators.get(indicator_id)
        if indicator is None:
            return indicator_id
        text = indicator.title.en if self.lang == "en" else indicator.title.zh
        return text + self.t("core_mark") if indicator.core else text

    def cell(self, text: str, label: str) -> str:
        """``text`` for a table cell: when too long, its start and where to read it whole."""
        if len(text) <= CELL_CHARS:
            return text
        if (label, text) not in self.full_texts:
            self.full_texts.append((label, text))
        number = self.full_texts.index((label, text)) + 1
        return text[:CELL_CHARS] + self.t("clipped", n=number)

    def paren(self, text: str) -> str:
        return f" ({text})" if self.lang == "en" else f"（{text}）"

    def sep(self) -> str:
        return "; " if self.lang == "en" else "；"

    def by_catalog(self, ids: list[str]) -> list[str]:
        """Indicator ids in catalog order; ids the catalog does not know come last."""
        return sorted(ids, key=lambda i: (self.order.get(i, len(self.order)), i))

    def confirmed_status(self, indicator_id: str) -> FindingStatus:
        """The status the confirmed reading counts (the finding's own when it was not rated)."""
        result = self.confirmed.get(indicator_id)
        if result is not None:
            return result.evidenced
        finding = self.snapshot.findings.get(indicator_id)
        return finding.status if finding else FindingStatus.NOT_RATED

    def files(self) -> tuple[EvidenceRecord, ...]:
        """The uploaded files, without the assessor's interview and observation records."""
        return tuple(r for r in self.snapshot.evidence if r.kind not in RECORD_KINDS)

    def records(self) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.snapshot.evidence if r.kind in RECORD_KINDS)

    def linked(self, indicator_id: str) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.snapshot.evidence if indicator_id in r.indicator_ids)
