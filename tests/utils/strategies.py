"""Hypothesis strategies: random catalogs, findings and evidence for the rating properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from assistant.knowledge.schema import (
    Catalog,
    EvidenceKind,
    EvidenceRequirement,
    FindingStatus,
    Indicator,
)
from assistant.rating.models import EvidenceItem, Finding
from tests.utils.builders import catalog, indicator, requirement

RANKED = (
    FindingStatus.NOT_RATED,
    FindingStatus.NOT_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.LARGELY_MET,
    FindingStatus.MET,
)
KINDS = tuple(EvidenceKind)
AS_OF = date(2026, 6, 30)


@st.composite
def requirements(draw: st.DrawFn) -> EvidenceRequirement:
    """A direct requirement the schema accepts: policies count while in force (no maximum age),
    plans and records state one, and only records show operating time."""
    kind = draw(st.sampled_from(KINDS[:3]))
    if kind is EvidenceKind.POLICY:
        return requirement("policy", min_count=draw(st.integers(1, 2)))
    return requirement(
        kind.value,
        min_count=draw(st.integers(1, 2)),
        max_age_months=draw(st.sampled_from([12, 24, 600])),
        operating_months=draw(st.sampled_from([None, 6])) if kind is EvidenceKind.RECORD else None,
    )


@st.composite
def small_catalogs(draw: st.DrawFn) -> Catalog:
    areas = draw(st.sampled_from([("SS",), ("SS", "SD"), ("SS", "SD", "ST")]))
    indicators = []
    for area in areas:
        for level in range(1, 6):
            for n in range(1, draw(st.integers(0, 3)) + 1):
                evidence = [draw(requirements()) for _ in range(draw(st.integers(0, 2)))]
                indicators.append(
                    indicator(
                        f"{area}-{level}-{n:02d}",
                        core=draw(st.booleans()),
                        weight=draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 0.1, 0.7])),
                        na_allowed=draw(st.booleans()),
                        evidence=evidence,
                    )
                )
    return catalog(*indicators, areas=areas)


def evidence_items() -> st.SearchStrategy[EvidenceItem]:
    return st.builds(
        EvidenceItem,
        kind=st.sampled_from(KINDS[:3]),
        dated=st.one_of(
            st.none(), st.integers(0, 40 * 31).map(lambda d: AS_OF - timedelta(days=d))
        ),
        covers_months=st.one_of(st.none(), st.integers(0, 24)),
    )


def statuses_for(ind: Indicator) -> st.SearchStrategy[FindingStatus]:
    choices = list(RANKED)
    if ind.na_allowed:
        choices.append(FindingStatus.NOT_APPLICABLE)
    return st.sampled_from(choices)


@st.composite
def findings_for(draw: st.DrawFn, cat: Catalog) -> list[Finding]:
    findings = []
    for ind in cat.indicators:
        if draw(st.integers(0, 9)) == 0:
            continue  # left out entirely: the same as not rated
        status = draw(statuses_for(ind))
        findings.append(
            Finding(
                indicator_id=ind.id,
                status=status,
                reason="不涉及该业务" if status is FindingStatus.NOT_APPLICABLE else None,
                evidence=tuple(draw(st.lists(evidence_items(), max_size=3)))
                if status in (FindingStatus.MET, FindingStatus.LARGELY_MET)
                else (),
                assessor_confirmed=draw(st.integers(0, 7)) == 0,
            )
        )
    return findings
