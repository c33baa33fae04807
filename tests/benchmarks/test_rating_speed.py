"""Speed of rating the full catalog (run with `make bench`; pytest-benchmark prints the median)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, RuleSet
from assistant.rating import rate
from assistant.rating.models import EvidenceItem, Finding
from tests.utils.builders import AS_OF

STATUS_CYCLE = (FindingStatus.MET, FindingStatus.LARGELY_MET, FindingStatus.PARTLY_MET)


def full_findings(catalog: Catalog) -> list[Finding]:
    findings = []
    for n, indicator in enumerate(catalog.indicators):
        evidence = tuple(
            EvidenceItem(kind=EvidenceKind(r.kind), dated=AS_OF, covers_months=24)
            for r in indicator.evidence
            for _ in range(r.min_count)
        )
        status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
        findings.append(Finding(indicator_id=indicator.id, status=status, evidence=evidence))
    return findings


@pytest.mark.benchmark(group="rating")
def test_rate_full_catalog(benchmark: Any, real_catalog: Catalog, real_rules: RuleSet) -> None:
    findings = full_findings(real_catalog)
    result = benchmark(rate, real_catalog, real_rules, findings, AS_OF)
    assert result.completeness.rated == len(real_catalog.indicators)
