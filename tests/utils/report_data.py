"""Builders of report inputs: a realistic session made from a knowledge example."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from assistant.evidence.models import EvidenceRecord
from assistant.findings_file import FindingsFile, load_findings_file
from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, RuleSet
from assistant.rating import Finding, rate
from assistant.reports import ReportData
from assistant.session.models import Language, Profile
from assistant.session.state import RecordedFinding

SESSION_ID = "3f9c2a7e-51b4-4d2e-9a61-0c8d7e6f5a41"
GENERATED_AT = datetime(2026, 6, 30, 9, 30, tzinfo=UTC)
UPLOADED_AT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
THREE_STAR_EXAMPLE = default_knowledge_dir() / "examples" / "three-star-candidate.yaml"


def evidence_record(
    ident: str,
    filename: str,
    *,
    kind: EvidenceKind | None,
    indicator_ids: tuple[str, ...] = (),
    dated: date | None = None,
    covers_months: int | None = None,
    title: str | None = None,
) -> EvidenceRecord:
    return EvidenceRecord(
        id=ident,
        session_id=SESSION_ID,
        sha256=hashlib.sha256(ident.encode()).hexdigest(),
        filename=filename,
        media_type="application/pdf",
        size=20_480,
        kind=kind,
        dated=dated,
        covers_months=covers_months,
        title=title,
        indicator_ids=indicator_ids,
        uploaded_at=UPLOADED_AT,
    )


def records_from(example: FindingsFile) -> list[EvidenceRecord]:
    """One upload per evidence item of the example, linked to its indicator."""
    records = []
    for finding in example.findings:
        for n, item in enumerate(finding.evidence, start=1):
            stem = (item.title or item.kind.value)[:14]
            records.append(
                evidence_record(
                    f"ev-{finding.indicator_id}-{n}",
                    f"{finding.indicator_id}_{stem}_{n}.pdf",
                    kind=item.kind,
                    indicator_ids=(finding.indicator_id,),
                    dated=item.dated,
                    covers_months=item.covers_months,
                    title=item.title,
                )
            )
    return records


def loose_records() -> list[EvidenceRecord]:
    """An upload not yet linked to an indicator, and one whose kind was never set."""
    return [
        evidence_record("ev-loose-1", "2025年度服务成效统计.xlsx", kind=EvidenceKind.LEDGER),
        evidence_record("ev-loose-2", "scan_0042.pdf", kind=None, indicator_ids=("SS-1-01",)),
    ]


def three_star_report_data(
    catalog: Catalog,
    rules: RuleSet,
    *,
    language: Language = "zh",
    path: Path = THREE_STAR_EXAMPLE,
    target_stars: int | None = 4,
    scope: tuple[str, ...] | None = None,
) -> ReportData:
    """The three-star example as a finished interview session, rated for real."""
    example = load_findings_file(path)
    as_of = example.as_of or date(2026, 6, 30)
    findings = {
        f.indicator_id: RecordedFinding(
            indicator_id=f.indicator_id,
            status=f.status,
            reason=f.reason,
            assessor_confirmed=f.assessor_confirmed,
            updated_at=GENERATED_AT,
        )
        for f in example.findings
    }
    profile = Profile(
        name=example.institution,
        institution_type=example.institution_type,
        service_fields="数字化转型咨询、工业软件实施与培训",
        smes_served_per_year=180,
        target_stars=target_stars,
    )
    return ReportData(
        session_id=SESSION_ID,
        language=language,
        generated_at=GENERATED_AT,
        profile=profile,
        catalog=catalog,
        rating=rate(catalog, rules, example.findings, as_of),
        findings=findings,
        evidence=(*records_from(example), *loose_records()),
        scope=scope,
    )


def bare_report_data(
    catalog: Catalog,
    rules: RuleSet,
    findings: tuple[Finding, ...] = (),
    *,
    language: Language = "zh",
    profile: Profile | None = None,
) -> ReportData:
    """A session with the given findings (none: just started), no uploads, no profile."""
    as_of = date(2026, 6, 30)
    return ReportData(
        session_id="s-0001",
        language=language,
        generated_at=GENERATED_AT,
        profile=profile or Profile(),
        catalog=catalog,
        rating=rate(catalog, rules, findings, as_of),
        findings={
            f.indicator_id: RecordedFinding(
                indicator_id=f.indicator_id, status=f.status, updated_at=GENERATED_AT
            )
            for f in findings
        },
    )


def all_met(catalog: Catalog) -> tuple[Finding, ...]:
    return tuple(Finding(indicator_id=i.id, status=FindingStatus.MET) for i in catalog.indicators)
