"""The presenter's sentences: the numbers are said, English carries no Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating import Finding, rate
from assistant.rating.models import EvidenceItem, ReasonCode
from assistant.verdict import present
from assistant.vocabulary import STARS, STATUSES, kind_label, status_label

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
AS_OF = date(2026, 6, 30)


def _everything(real_catalog: Catalog, real_rules: RuleSet) -> list[Finding]:
    """Every status on every indicator in turn, and an old record on the met ones, so every
    reason code turns up."""
    statuses = [s for s in FindingStatus if s is not FindingStatus.NOT_APPLICABLE]
    old = EvidenceItem(kind="record", dated=date(2015, 1, 1))
    return [
        Finding(
            indicator_id=indicator.id,
            status=statuses[n % len(statuses)],
            evidence=(old,) if n % 3 == 0 else (),
        )
        for n, indicator in enumerate(real_catalog.indicators)
    ]


def test_english_verdicts_carry_no_chinese(real_catalog: Catalog, real_rules: RuleSet) -> None:
    result = rate(real_catalog, real_rules, _everything(real_catalog, real_rules), AS_OF)
    said = present(result, real_catalog, "en")
    codes = {b.code for v in (said.declared, said.evidenced) for a in v.areas for b in a.blockers}
    assert codes >= {ReasonCode.BELOW_THRESHOLD, ReasonCode.EVIDENCE_MISSING}
    text = said.model_dump_json()
    assert not CJK.search(text), CJK.findall(text)[:20]


def test_chinese_blockers_name_status_needs_and_gain(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    result = rate(real_catalog, real_rules, _everything(real_catalog, real_rules), AS_OF)
    said = present(result, real_catalog, "zh")
    lines = [line for v in (said.declared, said.evidenced) for a in v.areas for line in a.blockers]
    assert {line.code for line in lines} >= {ReasonCode.BELOW_THRESHOLD, ReasonCode.EVIDENCE_STALE}
    for line in lines:
        assert line.status_label == status_label(line.status, "zh")
        assert f"“{line.status_label}”" in line.text
        if line.code is ReasonCode.BELOW_THRESHOLD:
            assert f"{line.gain:.2f}" in line.text
        if line.code is ReasonCode.CORE_NOT_MET:
            assert "核心指标" in line.text and STATUSES[FindingStatus.MET].zh in line.text
        for gap in line.gaps:  # what is short, by kind, with its age where it has one
            assert kind_label(gap.kind, "zh") in line.lift
            if gap.max_age_months and gap.have < gap.min_count:
                assert f"{gap.max_age_months} 个月内" in line.lift


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_top_star_says_so(real_catalog: Catalog, real_rules: RuleSet, language: str) -> None:
    met = [Finding(indicator_id=i.id, status="met") for i in real_catalog.indicators]
    said = present(rate(real_catalog, real_rules, met, AS_OF), real_catalog, language)
    assert said.declared.next_star is None and said.declared.holding == ()
    top = STARS[5].pick(language, inline=True)  # type: ignore[arg-type]
    assert top in said.declared.heading
