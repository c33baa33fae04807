"""What every format derives from the data: scope, plans, materials and their gaps."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.knowledge.schema import Catalog, EvidenceClass, RuleSet
from assistant.rating.models import Basis, EvidenceOutcome, ReasonCode
from assistant.reports import ReportData, build_summary
from assistant.verdict import in_order
from tests.utils.report_data import three_star_report_data


def test_default_scope_runs_up_to_the_target_star(zh_data: ReportData) -> None:
    scoped = zh_data.scoped_indicators()
    assert zh_data.target == 4
    assert {int(i.level) for i in scoped} == {1, 2, 3, 4}
    expected = sum(1 for i in zh_data.catalog.indicators if i.level <= 4)
    assert len(scoped) == expected


def test_scope_follows_the_catalog_area_order(zh_data: ReportData) -> None:
    areas = [i.area for i in zh_data.scoped_indicators()]
    order = [a.code for a in zh_data.catalog.areas]
    assert areas == sorted(areas, key=order.index)


def test_without_a_target_the_pack_aims_at_the_next_evidenced_star(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    data = three_star_report_data(real_catalog, real_rules, target_stars=None)
    assert data.rating.evidenced.stars == 2
    assert data.target == 3
    assert max(int(i.level) for i in data.scoped_indicators()) == 3


def test_an_explicit_scope_is_kept(real_catalog: Catalog, real_rules: RuleSet) -> None:
    data = three_star_report_data(real_catalog, real_rules, scope=("SO-3-01", "SD-3-06"))
    assert [i.id for i in data.scoped_indicators()] == ["SD-3-06", "SO-3-01"]
    assert [m.indicator_id for m in build_summary(data).materials] == ["SD-3-06", "SO-3-01"]


def test_an_unknown_scope_id_is_refused(real_catalog: Catalog, real_rules: RuleSet) -> None:
    with pytest.raises(ValidationError, match="XX-9-99|SS-9-99"):
        three_star_report_data(real_catalog, real_rules, scope=("SS-9-99",))


def test_plans_put_the_evidenced_reading_first(zh_data: ReportData) -> None:
    evidenced, declared = build_summary(zh_data).plans
    assert (evidenced.basis, evidenced.next_star) == (Basis.EVIDENCED, 3)
    assert (declared.basis, declared.next_star) == (Basis.DECLARED, 4)
    assert {b.indicator_id: b.code for b in evidenced.blockers} == {
        "SD-3-06": ReasonCode.EVIDENCE_MISSING,
        "SO-3-01": ReasonCode.EVIDENCE_STALE,
    }


def test_plans_list_the_holding_areas_in_the_presenters_order(zh_data: ReportData) -> None:
    cores = frozenset(i.id for i in zh_data.catalog.indicators if i.core)
    by_area = {a.area: a for a in zh_data.rating.declared.areas}
    declared = build_summary(zh_data).plans[1]
    assert [a.area for a in declared.holding] == list(zh_data.rating.declared.next_star.areas)
    for area in declared.holding:
        expected = [b.indicator_id for b in in_order(by_area[area.area].blockers, cores)]
        assert [line.indicator_id for line in area.blockers] == expected


def test_report_counts_the_indicators_in_its_scope(zh_data: ReportData) -> None:
    summary = build_summary(zh_data)
    scoped = zh_data.scoped_indicators()
    assert summary.coverage.total == len(scoped)
    rated = {i.indicator_id for i in zh_data.rating.indicators if i.declared != "not_rated"}
    assert summary.coverage.rated == sum(i.id in rated for i in scoped)
    assert sum(row.total for row in summary.areas) == len(scoped)


def test_materials_cover_every_direct_requirement_in_scope(zh_data: ReportData) -> None:
    summary = build_summary(zh_data)
    expected = sum(
        1
        for i in zh_data.scoped_indicators()
        for e in i.evidence
        if e.evidence_class is EvidenceClass.DIRECT
    )
    assert summary.requirement_count == expected
    assert 0 < summary.open_count < expected


def test_stale_and_missing_evidence_show_what_is_short(zh_data: ReportData) -> None:
    materials = {m.indicator_id: m for m in build_summary(zh_data).materials}
    policy, report = materials["SO-3-01"].requirements
    assert policy.outcome is EvidenceOutcome.SUFFICIENT
    assert report.outcome is EvidenceOutcome.STALE
    assert report.uploaded and report.fresh_count < report.min_count
    short = [r for r in materials["SD-3-06"].requirements if r.outcome is EvidenceOutcome.MISSING]
    assert short and short[0].missing_count == short[0].min_count - len(short[0].uploaded) > 0


def test_uploads_are_named_with_their_dates(zh_data: ReportData) -> None:
    materials = {m.indicator_id: m for m in build_summary(zh_data).materials}
    upload = materials["SO-3-01"].requirements[0].uploaded[0]
    assert upload.filename.startswith("SO-3-01_")
    assert upload.shown_date == upload.dated


def test_unlinked_and_untyped_uploads_are_listed(zh_data: ReportData) -> None:
    names = {u.filename for u in build_summary(zh_data).unlinked}
    assert names == {"2025年度服务成效统计.xlsx", "scan_0042.pdf"}


def test_an_assessor_confirmation_closes_the_requirement(zh_data: ReportData) -> None:
    findings = dict(zh_data.findings)
    findings["SO-3-01"] = findings["SO-3-01"].model_copy(update={"assessor_confirmed": True})
    data = zh_data.model_copy(update={"findings": findings})
    materials = {m.indicator_id: m for m in build_summary(data).materials}
    assert {r.outcome for r in materials["SO-3-01"].requirements} == {EvidenceOutcome.CONFIRMED}
    assert build_summary(data).open_count == build_summary(zh_data).open_count - 1
