"""A session's recorded findings and linked evidence, rated (the only path from an interview
to the rating engine, for the live service and for a catalog migration alike)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import evidence_items
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.rating import rate
from assistant.rating.models import EvidenceItem, Finding, RatingResult
from assistant.session.state import RecordedFinding

__all__ = ["ItemsOf", "rate_session"]

ItemsOf = Callable[[Sequence[EvidenceRecord], str], tuple[EvidenceItem, ...]]


def rate_session(
    catalog: Catalog,
    rules: RuleSet,
    findings: Mapping[str, RecordedFinding],
    evidence: Sequence[EvidenceRecord],
    as_of: date,
    items: ItemsOf = evidence_items,
) -> RatingResult:
    """``items`` turns the linked records into the engine's evidence items (the confirmed
    reading marks them assessor-verified)."""
    rated = [
        Finding(
            indicator_id=f.indicator_id,
            status=f.status,
            reason=f.reason,
            evidence=items(evidence, f.indicator_id),
            assessor_confirmed=f.assessor_confirmed,
        )
        for f in findings.values()
    ]
    return rate(catalog, rules, rated, as_of)
