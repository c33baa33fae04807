"""The terms of a direct evidence requirement as a reader sees them, and the annex R.3 clauses
that explain each term: shared by the exact answers about evidence."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.knowledge.schema import EvidenceRequirement, Indicator
from assistant.qa.exact_parts import Sources, kind_label, pick
from assistant.qa.models import Language

__all__ = [
    "AGE_RULE",
    "ASSESSOR_RULE",
    "COUNT_RULE",
    "DIRECT_RULE",
    "MONTHS_RULE",
    "Pair",
    "requirement_line",
    "requirement_terms",
    "rule_marks",
]

DIRECT_RULE = "R.3.3"  # direct and indirect evidence
AGE_RULE = "R.3.4"  # maximum age, in force
MONTHS_RULE = "R.3.5"  # operating time
COUNT_RULE = "R.3.6"  # how many
ASSESSOR_RULE = "R.3.10"  # interview and observation: an assessor's

Pair = tuple[Indicator, EvidenceRequirement]


def requirement_terms(requirement: EvidenceRequirement, language: Language) -> str:
    """至少 3 份，近 12 个月内形成，显示已运行满 12 个月 / at least 3, dated within 12 months…"""
    count = requirement.min_count
    terms = [pick(language, "1 份" if count == 1 else f"至少 {count} 份", f"at least {count}")]
    if requirement.assessor_only:
        terms.append(pick(language, "由评估人员访谈或查看后确认", "confirmed by an assessor"))
    elif requirement.max_age_months is not None:
        months = requirement.max_age_months
        terms.append(pick(language, f"近 {months} 个月内形成", f"dated within {months} months"))
    elif requirement.in_force:
        terms.append(pick(language, "在有效期内", "in force"))
    if requirement.operating_months is not None:
        months = requirement.operating_months
        terms.append(
            pick(language, f"显示已运行满 {months} 个月", f"showing {months} months of operation")
        )
    return ("，" if language == "zh" else ", ").join(terms)


def requirement_line(requirement: EvidenceRequirement, language: Language) -> str:
    kind = kind_label(requirement.kind, language)
    terms = requirement_terms(requirement, language)
    return pick(
        language,
        f"{kind}，{terms}：{requirement.description}",
        f"{kind}, {terms} — {requirement.description}",
    )


def rule_marks(
    requirements: Sequence[EvidenceRequirement], sources: Sources, *, direct: bool = True
) -> str:
    """The R.3 clauses behind the terms shown: direct evidence, age, operating time, count,
    assessors."""
    numbers = [DIRECT_RULE] if direct else []
    if any(r.max_age_months is not None or r.in_force for r in requirements):
        numbers.append(AGE_RULE)
    if any(r.operating_months is not None for r in requirements):
        numbers.append(MONTHS_RULE)
    if any(r.min_count > 1 for r in requirements):
        numbers.append(COUNT_RULE)
    if any(r.assessor_only for r in requirements):
        numbers.append(ASSESSOR_RULE)
    return sources.clauses(*numbers)
