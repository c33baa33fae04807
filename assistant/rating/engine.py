"""The star rating: a pure, deterministic function of findings and versioned rule data.

Nothing here reads files, calls a model or touches a database (DESIGN §2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from assistant.errors import FindingsError
from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus, Indicator, RuleSet
from assistant.rating.blockers import find_blockers
from assistant.rating.evidence import check_evidence
from assistant.rating.levels import evaluate_level
from assistant.rating.models import (
    AreaResult,
    Basis,
    Completeness,
    EvidenceGap,
    EvidenceOutcome,
    Finding,
    IndicatorResult,
    LevelState,
    NextStar,
    RatingResult,
    Reading,
    Versions,
)

__all__ = ["rate"]

Capped = Mapping[str, tuple[EvidenceOutcome, tuple[EvidenceGap, ...]]]


def _index_findings(catalog: Catalog, findings: Iterable[Finding]) -> dict[str, Finding]:
    known = {i.id: i for i in catalog.indicators}
    indexed: dict[str, Finding] = {}
    problems: list[str] = []
    for finding in findings:
        indicator = known.get(finding.indicator_id)
        if indicator is None:
            problems.append(f"未知指标 {finding.indicator_id!r} / unknown indicator")
        elif finding.indicator_id in indexed:
            problems.append(f"指标 {finding.indicator_id!r} 出现多次 / listed twice")
        elif finding.status is FindingStatus.NOT_APPLICABLE and not indicator.na_allowed:
            problems.append(
                f"指标 {finding.indicator_id!r} 不允许“不适用” / does not allow not_applicable"
            )
        elif finding.status is FindingStatus.NOT_APPLICABLE and not (finding.reason or "").strip():
            problems.append(
                f"指标 {finding.indicator_id!r} 为“不适用”时须说明理由 / "
                "not_applicable needs a reason"
            )
        indexed.setdefault(finding.indicator_id, finding)
    if problems:
        raise FindingsError("\n".join(problems))
    return indexed


def _evidence_results(
    catalog: Catalog, findings: Mapping[str, Finding], rules: RuleSet, as_of: date
) -> tuple[IndicatorResult, ...]:
    results = []
    for indicator in catalog.indicators:
        finding = findings.get(indicator.id)
        declared = finding.status if finding else FindingStatus.NOT_RATED
        evidenced, outcome = declared, EvidenceOutcome.NOT_REQUIRED
        gaps: tuple[EvidenceGap, ...] = ()
        if finding and declared in (FindingStatus.MET, FindingStatus.LARGELY_MET):
            if finding.assessor_confirmed:
                outcome = EvidenceOutcome.CONFIRMED
            else:
                check = check_evidence(indicator, finding.evidence, as_of)
                outcome, gaps = check.outcome, check.gaps
                if outcome is not EvidenceOutcome.SUFFICIENT:
                    evidenced = rules.evidence_cap
        results.append(
            IndicatorResult(
                indicator_id=indicator.id,
                declared=declared,
                evidenced=evidenced,
                evidence=outcome,
                evidence_gaps=gaps,
            )
        )
    return tuple(results)


def _area_result(
    area: AreaCode,
    indicators: list[Indicator],
    statuses: Mapping[str, FindingStatus],
    declared: Mapping[str, FindingStatus],
    capped: Capped,
    rules: RuleSet,
) -> AreaResult:
    by_level = {level: [i for i in indicators if i.level == level] for level in range(1, 6)}
    outcomes = tuple(evaluate_level(lv, by_level[lv], statuses, rules) for lv in range(1, 6))
    attained = 0
    for outcome in outcomes:
        if outcome.state is not LevelState.ATTAINED:
            break
        attained = outcome.level
    if attained == 5:
        return AreaResult(
            area=area, level=5, levels=outcomes, next_level=None, next_state=None, blockers=()
        )
    nxt = outcomes[attained]
    blockers = find_blockers(nxt, by_level[nxt.level], statuses, declared, capped, rules)
    return AreaResult(
        area=area,
        level=attained,
        levels=outcomes,
        next_level=nxt.level,
        next_state=nxt.state,
        blockers=blockers,
    )


def _next_star(stars: int, areas: tuple[AreaResult, ...]) -> NextStar | None:
    if stars == 5:
        return None
    holding = tuple(a for a in areas if a.level == stars)
    state = (
        LevelState.FAILED
        if any(a.next_state is LevelState.FAILED for a in holding)
        else LevelState.NOT_RATED
    )
    return NextStar(level=stars + 1, state=state, areas=tuple(a.area for a in holding))


def _reading(
    basis: Basis,
    catalog: Catalog,
    statuses: Mapping[str, FindingStatus],
    declared: Mapping[str, FindingStatus],
    capped: Capped,
    rules: RuleSet,
) -> Reading:
    areas = tuple(
        _area_result(
            spec.code,
            [i for i in catalog.indicators if i.area == spec.code],
            statuses,
            declared,
            capped,
            rules,
        )
        for spec in catalog.areas
    )
    stars = min((a.level for a in areas), default=0)
    return Reading(basis=basis, stars=stars, areas=areas, next_star=_next_star(stars, areas))


def _completeness(catalog: Catalog, statuses: Mapping[str, FindingStatus]) -> Completeness:
    by_area: dict[AreaCode, tuple[int, int]] = {}
    for spec in catalog.areas:
        ids = [i.id for i in catalog.indicators if i.area == spec.code]
        rated = sum(statuses[i] is not FindingStatus.NOT_RATED for i in ids)
        by_area[spec.code] = (rated, len(ids))
    rated_all = sum(r for r, _ in by_area.values())
    return Completeness(rated=rated_all, total=len(catalog.indicators), by_area=by_area)


def rate(
    catalog: Catalog, rules: RuleSet, findings: Iterable[Finding], as_of: date
) -> RatingResult:
    """Rate findings against the catalog; ``as_of`` dates the evidence freshness check."""
    indexed = _index_findings(catalog, findings)
    results = _evidence_results(catalog, indexed, rules, as_of)
    declared = {r.indicator_id: r.declared for r in results}
    evidenced = {r.indicator_id: r.evidenced for r in results}
    capped = {
        r.indicator_id: (r.evidence, r.evidence_gaps) for r in results if r.evidenced != r.declared
    }
    return RatingResult(
        declared=_reading(Basis.DECLARED, catalog, declared, declared, {}, rules),
        evidenced=_reading(Basis.EVIDENCED, catalog, evidenced, declared, capped, rules),
        indicators=results,
        completeness=_completeness(catalog, declared),
        versions=Versions(
            standard=catalog.standard,
            catalog_version=catalog.version,
            catalog_hash=catalog.content_hash,
            rules_version=rules.version,
            rules_hash=rules.content_hash,
        ),
        as_of=as_of,
    )
