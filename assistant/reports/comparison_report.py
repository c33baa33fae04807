"""The comparison of a re-assessment with the signed assessment it started from, as a
format-neutral ``Document`` (content built once) and as PDF or DOCX (the shared renderers).

Sections: the stars and each area's level then → now on the three readings, the findings that
changed (and those an assessor set last time), the evidence renewed and expired.
"""

from __future__ import annotations

from assistant.assessment.compare import (
    Comparison,
    EvidenceChange,
    EvidenceFate,
    FindingComparison,
    LevelChange,
)
from assistant.reports import MEDIA_TYPES, RenderedReport
from assistant.reports.assessor_report import check_office_format, office_filename
from assistant.reports.assessor_text import tr
from assistant.reports.assessor_view import when
from assistant.reports.document import Block, Document, Heading, Paragraph, Part, Table
from assistant.session.state import Actor
from assistant.vocabulary import Language, kind_label, star_label, status_label

__all__ = ["build_comparison_report", "render_comparison_report"]

_FATES = {
    EvidenceFate.RENEWED: "cmp_renewed",
    EvidenceFate.EXPIRED: "cmp_expired",
    EvidenceFate.CARRIED: "cmp_carried_new",
    EvidenceFate.NEW: "cmp_new",
}
_SHOWN_FATES = (EvidenceFate.RENEWED, EvidenceFate.EXPIRED)  # carried and new: counted only


def _change(change: LevelChange, language: Language) -> str:
    then = star_label(change.then, language, inline=True)
    if change.now is None:
        return tr("cmp_then_now", language, then=then, now=tr("cmp_not_yet", language))
    return tr(
        "cmp_then_now", language, then=then, now=star_label(change.now, language, inline=True)
    )


def _stars_section(comparison: Comparison, language: Language) -> list[Block]:
    readings = (
        ("c_declared_level", comparison.declared),
        ("c_evidenced_level", comparison.evidenced),
        ("c_confirmed_level", comparison.confirmed),
    )
    stars = Table(
        (tr("c_reading", language), tr("cmp_stars", language)),
        tuple((tr(key, language), _change(change, language)) for key, change in readings),
        (1.5, 3.0),
    )
    rows = tuple(
        (
            f"{area.name_en} ({area.area.value})"
            if language == "en"
            else f"{area.name_zh}（{area.area.value}）",
            _change(area.declared, language),
            _change(area.evidenced, language),
            _change(area.confirmed, language),
        )
        for area in comparison.areas
    )
    columns = ("c_area", "c_declared_level", "c_evidenced_level", "c_confirmed_level")
    areas = Table(tuple(tr(c, language) for c in columns), rows, (2.2, 1.6, 1.6, 1.6))
    return [Heading(tr("cmp_h_areas", language)), stars, areas]


def _actor(actor: Actor | None, language: Language) -> str:
    return "—" if actor is None else tr(f"a_{actor.value}", language)


def _finding_row(row: FindingComparison, language: Language) -> tuple[str, ...]:
    marks = []
    if row.carried:
        marks.append(tr("cmp_carried", language))
    if row.assessor_then:
        marks.append(tr("cmp_assessor_then", language))
    who = f"{_actor(row.actor_then, language)} → {_actor(row.actor_now, language)}"
    return (
        row.indicator_id,
        row.title_en if language == "en" else row.title_zh,
        status_label(row.status_then, language),
        status_label(row.status_now, language),
        "\n".join((who, *marks)),
    )


def _findings_section(comparison: Comparison, language: Language) -> list[Block]:
    blocks: list[Block] = [Heading(tr("cmp_h_findings", language))]
    if not comparison.findings:
        return [*blocks, Paragraph(tr("cmp_no_changes", language))]
    columns = ("c_indicator", "c_title", "c_then", "c_now", "c_who")
    rows = tuple(_finding_row(row, language) for row in comparison.findings)
    return [*blocks, Table(tuple(tr(c, language) for c in columns), rows, (1.1, 2.6, 1.1, 1.1, 2))]


def _evidence_row(row: EvidenceChange, language: Language) -> tuple[str, ...]:
    return (
        tr(_FATES[row.fate], language),
        row.filename,
        "—" if row.kind is None else kind_label(row.kind, language),
        row.dated.isoformat() if row.dated else "—",
        " ".join(row.indicator_ids) or "—",
    )


def _evidence_section(comparison: Comparison, language: Language) -> list[Block]:
    totals = comparison.totals
    summary = tr(
        "cmp_totals",
        language,
        then=totals.findings_then,
        now=totals.findings_now,
        changed=totals.changed,
        improved=totals.improved,
        worsened=totals.worsened,
        carried=totals.carried,
        awaiting=totals.awaiting,
        e_carried=totals.evidence_carried,
        e_renewed=totals.evidence_renewed,
        e_expired=totals.evidence_expired,
        e_new=totals.evidence_new,
    )
    blocks: list[Block] = [Heading(tr("cmp_h_evidence", language)), Paragraph(summary)]
    shown = [row for fate in _SHOWN_FATES for row in comparison.evidence if row.fate is fate]
    if not shown:
        return [*blocks, Paragraph(tr("cmp_none", language))]
    columns = ("c_fate", "c_file", "c_kind", "c_date", "c_indicator")
    rows = tuple(_evidence_row(row, language) for row in shown)
    return [*blocks, Table(tuple(tr(c, language) for c in columns), rows, (1.3, 3, 1.2, 1, 1))]


def build_comparison_report(
    comparison: Comparison, language: Language, *, institution: str | None = None
) -> Document:
    subtitle = tr(
        "cmp_sub",
        language,
        now=comparison.as_of_now.isoformat(),
        then=when(comparison.signed_at),
        version=comparison.version,
    )
    blocks: list[Block] = [
        Paragraph(tr("cmp_intro", language)),
        *_stars_section(comparison, language),
        *_findings_section(comparison, language),
        *_evidence_section(comparison, language),
    ]
    title = tr("cmp_title", language)
    return Document(
        title=title,
        language=language,
        parts=(
            Part(title, tuple(blocks), f"{institution}\n{subtitle}" if institution else subtitle),
        ),
        footer=tr("cmp_footer", language),
        page_label=tr("page", language),
        metadata={
            "title": title,
            "subject": institution or comparison.session_id,
            "creator": "smecmm",
        },
    )


def render_comparison_report(
    comparison: Comparison, language: Language, fmt: str, *, institution: str | None = None
) -> RenderedReport:
    chosen = check_office_format(fmt)
    document = build_comparison_report(comparison, language, institution=institution)
    if chosen == "pdf":
        from assistant.reports.pdf_report import render_pdf

        content = render_pdf(document)
    else:
        from assistant.reports.docx_report import render_docx

        content = render_docx(document)
    name = office_filename("comparison-report", comparison.session_id, chosen)
    return RenderedReport(content, MEDIA_TYPES[chosen], name)
