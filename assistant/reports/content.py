"""The report's content, built once from ``ReportData`` as a format-neutral ``Document``.

Part 1 is the self-assessment (profile, stars, levels per area with the radar chart, the
blockers and the plan for the next star with each blocker's scoring guidance, every finding
with its evidence, the versions); part 2 is the application pack (the usual documents, the
evidence per requirement with what is uploaded and what is missing, and for each indicator
still open what 满足 looks like and what the assessor samples).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from assistant.knowledge.guidance import guidance_lines
from assistant.knowledge.schema import AreaCode, FindingStatus, Indicator
from assistant.rating.models import EvidenceOutcome, IndicatorResult, LevelState
from assistant.reports.data import ReportData
from assistant.reports.document import (
    Block,
    BulletList,
    Document,
    Heading,
    Paragraph,
    ParagraphStyle,
    Part,
    RadarChart,
    Series,
    Table,
)
from assistant.reports.summary import (
    IndicatorMaterials,
    ReportSummary,
    RequirementStatus,
    UploadRef,
    build_summary,
    upload_ref,
)
from assistant.reports.text import general_items, tr
from assistant.session.models import Language
from assistant.verdict import AreaVerdict, BlockerLine, Verdict
from assistant.vocabulary import (
    kind_label,
    outcome_label,
    star_label,
    state_label,
    status_label,
    type_label,
)

__all__ = ["ReportPart", "build_application_pack", "build_report", "build_self_assessment"]

ReportPart = Literal["full", "self_assessment", "application_pack"]


class _View:
    """``ReportData`` with the lookups every section needs, in the report's language."""

    def __init__(self, data: ReportData, summary: ReportSummary | None = None) -> None:
        self.data = data
        self.lang: Language = data.language
        self.summary = summary or build_summary(data)
        self.indicators = {i.id: i for i in data.catalog.indicators}
        self.results = {r.indicator_id: r for r in data.rating.indicators}
        self.materials = {m.indicator_id: m for m in self.summary.materials}

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    def area_name(self, code: AreaCode) -> str:
        try:
            name = self.data.catalog.area(code).name
        except KeyError:
            return code.value
        return name.en if self.lang == "en" else name.zh

    def title(self, indicator_id: str, *, mark_core: bool = True) -> str:
        indicator = self.indicators.get(indicator_id)
        if indicator is None:
            return indicator_id
        text = indicator.title.en if self.lang == "en" else indicator.title.zh
        return text + self.t("core_mark") if mark_core and indicator.core else text

    def guidance(self, indicator_id: str) -> list[str]:
        """What 满足 looks like and what an assessor samples (评分细则), or nothing."""
        indicator = self.indicators.get(indicator_id)
        return [] if indicator is None else guidance_lines(indicator, self.lang, largely=False)

    def star(self, stars: int) -> str:
        return star_label(stars, self.lang, inline=True)

    def describe(self, requirement: RequirementStatus) -> str:
        """The catalog describes a requirement in Chinese only: English names its kind."""
        if self.lang == "en":
            return kind_label(requirement.kind, "en")
        return requirement.description

    def sep(self) -> str:
        return "; " if self.lang == "en" else "；"

    def colon(self) -> str:
        return ": " if self.lang == "en" else "："

    def paren(self, text: str) -> str:
        return f" ({text})" if self.lang == "en" else f"（{text}）"

    def area_heading(self, code: AreaCode) -> str:
        return self.area_name(code) + self.paren(code.value)


def _when(moment: datetime) -> str:
    zone = moment.strftime(" %Z") if moment.tzinfo else ""
    return moment.strftime("%Y-%m-%d %H:%M") + zone


def _scope_text(view: _View) -> str:
    scoped = view.data.scoped_indicators()
    if not scoped:
        return view.t("scope_value", first="—", last="—", count=0)
    levels = sorted({int(i.level) for i in scoped})
    first, last = view.star(levels[0]), view.star(levels[-1])
    return view.t("scope_value", first=first, last=last, count=len(scoped))


# ---------------------------------------------------------------- part 1: self-assessment


def _profile_section(view: _View) -> list[Block]:
    profile, unset = view.data.profile, view.t("unset")
    kind = profile.institution_type
    rows = (
        (view.t("f_name"), profile.name or unset),
        (view.t("f_type"), type_label(kind, view.lang) if kind else unset),
        (view.t("f_fields"), profile.service_fields or unset),
        (
            view.t("f_smes"),
            unset if profile.smes_served_per_year is None else str(profile.smes_served_per_year),
        ),
        (view.t("f_target"), view.star(profile.target_stars) if profile.target_stars else unset),
        (view.t("f_scope"), _scope_text(view)),
        (view.t("f_session"), view.data.session_id),
        (view.t("f_generated"), _when(view.data.generated_at)),
        (view.t("f_as_of"), view.data.rating.as_of.isoformat()),
    )
    return [Heading(view.t("h_profile")), Table(("", ""), rows, (1.0, 3.0), header=False)]


def _area_table(view: _View) -> Table:
    rows = []
    for row in view.summary.areas:
        nxt = "—"
        if row.next_level is not None and row.next_state is not None:
            state = state_label(row.next_state, view.lang, inline=True)
            nxt = f"{view.star(row.next_level)} {state}"
        score = "—" if row.score is None else f"{row.score:.2f} / {row.threshold:.2f}"
        rows.append(
            (
                view.area_heading(row.area),
                view.star(row.declared_level),
                view.star(row.evidenced_level),
                nxt,
                score,
                f"{row.rated}/{row.total}",
            )
        )
    columns = ("c_area", "c_declared_level", "c_evidenced_level", "c_next", "c_score", "c_rated")
    return Table(tuple(view.t(c) for c in columns), tuple(rows), (2.4, 1.1, 1.1, 1.7, 1.3, 0.9))


def _radar(view: _View) -> RadarChart:
    rows = view.summary.areas
    return RadarChart(
        axes=tuple(view.area_name(r.area) for r in rows),
        series=(
            Series(view.t("c_declared_level"), tuple(float(r.declared_level) for r in rows)),
            Series(view.t("c_evidenced_level"), tuple(float(r.evidenced_level) for r in rows)),
        ),
        maximum=5,
        caption=view.t("chart_caption"),
    )


def _rating_section(view: _View) -> list[Block]:
    summary = view.summary
    done = summary.coverage
    stars = view.t(
        "stars_line",
        declared=view.star(summary.declared_stars),
        evidenced=view.star(summary.evidenced_stars),
    )
    completeness = view.t(
        "completeness",
        coverage=summary.coverage_text,
        ratio=done.ratio,
        as_of=view.data.rating.as_of.isoformat(),
    )
    return [
        Heading(view.t("h_rating")),
        Paragraph(stars, ParagraphStyle.LEAD),
        Paragraph(view.t("rating_explain")),
        _radar(view),
        _area_table(view),
        Paragraph(completeness),
    ]


def _blocker_row(view: _View, line: BlockerLine) -> tuple[str, ...]:
    why = "\n".join(
        (
            line.text,
            *((f"→ {line.lift}",) if line.lift else ()),
            *view.guidance(line.indicator_id),
        )
    )
    title = line.title + (view.t("core_mark") if line.core else "")
    return (line.indicator_id, title, line.status_label, line.reason, why)


def _area_blocks(view: _View, area: AreaVerdict) -> list[Block]:
    blocks: list[Block] = [Paragraph(area.headline, ParagraphStyle.LEAD)]
    if area.blockers:
        columns = tuple(
            view.t(c) for c in ("c_indicator", "c_title", "c_status", "c_reason", "c_lift")
        )
        rows = tuple(_blocker_row(view, line) for line in area.blockers)
        blocks.append(Table(columns, rows, (1.1, 2.2, 1.0, 1.3, 4.4)))
    blocks.extend(Paragraph(note, ParagraphStyle.NOTE) for note in area.notes)
    return blocks


def _plan_blocks(view: _View, plan: Verdict) -> list[Block]:
    """One reading's plan: for each area that holds the next star, its headline (score and
    pass mark), its blockers in the presenter's order, then what is still unanswered."""
    if plan.next_star is None:
        return [Paragraph(view.t("plan_top", basis=plan.basis_label.lower()))]
    star = view.star(plan.next_star)
    holding = plan.holding
    areas = ("、" if view.lang == "zh" else ", ").join(a.name for a in holding)
    blocks: list[Block] = [
        Heading(view.t("plan_heading", basis=plan.basis_label, star=star), level=2),
        Paragraph(view.t("plan_intro", star=star, areas=areas)),
    ]
    if plan.next_state is LevelState.NOT_RATED:
        blocks.append(Paragraph(view.t("plan_not_rated", star=star), ParagraphStyle.NOTE))
    for area in holding:
        blocks.extend(_area_blocks(view, area))
    return blocks


def _plan_section(view: _View) -> list[Block]:
    blocks: list[Block] = [Heading(view.t("h_plan"))]
    for plan in view.summary.plans:
        blocks.extend(_plan_blocks(view, plan))
    evidenced = view.summary.plans[0]
    target = view.summary.target_stars
    if evidenced.next_star is not None and target > evidenced.next_star:
        note = view.t("plan_target", target=view.star(target), star=view.star(evidenced.next_star))
        blocks.append(Paragraph(note, ParagraphStyle.NOTE))
    return blocks


def _uploads_text(view: _View, uploads: Iterable[UploadRef]) -> str:
    return "\n".join(u.filename + view.paren(u.shown_date.isoformat()) for u in uploads)


def _evidence_cell(view: _View, indicator: Indicator, result: IndicatorResult | None) -> str:
    outcome = result.evidence if result else EvidenceOutcome.NOT_REQUIRED
    linked = [upload_ref(r) for r in view.data.evidence if indicator.id in r.indicator_ids]
    lines = [outcome_label(outcome, view.lang)]
    if linked:
        lines.append(_uploads_text(view, linked))
    return "\n".join(lines)


def _note_cell(view: _View, indicator: Indicator, result: IndicatorResult | None) -> str:
    notes: list[str] = []
    finding = view.data.findings.get(indicator.id)
    if finding is not None and finding.reason:
        notes.append(finding.reason)
    if finding is not None and finding.assessor_confirmed:
        notes.append(view.t("confirmed_by_assessor"))
    if result and result.evidence in (EvidenceOutcome.MISSING, EvidenceOutcome.STALE):
        materials = view.materials.get(indicator.id)
        for req in materials.requirements if materials else ():
            if req.outcome in (EvidenceOutcome.MISSING, EvidenceOutcome.STALE):
                notes.append(kind_label(req.kind, view.lang) + view.colon() + _gap_text(view, req))
    return "\n".join(notes)


def _finding_row(view: _View, indicator: Indicator) -> tuple[str, ...]:
    result = view.results.get(indicator.id)
    declared = result.declared if result else FindingStatus.NOT_RATED
    evidenced = result.evidenced if result else FindingStatus.NOT_RATED
    return (
        indicator.id,
        view.title(indicator.id),
        str(int(indicator.level)) if view.lang == "en" else view.star(int(indicator.level)),
        status_label(declared, view.lang),
        status_label(evidenced, view.lang),
        _evidence_cell(view, indicator, result),
        _note_cell(view, indicator, result),
    )


def _findings_section(view: _View) -> list[Block]:
    blocks: list[Block] = [Heading(view.t("h_findings"))]
    scoped = view.data.scoped_indicators()
    columns = tuple(
        view.t(c)
        for c in (
            "c_indicator",
            "c_title",
            "c_level",
            "c_declared",
            "c_evidenced",
            "c_evidence",
            "c_note",
        )
    )
    for area in view.data.catalog.areas:
        blocks.append(Heading(view.area_heading(area.code), level=2))
        own = [i for i in scoped if i.area == area.code]
        if not own:
            blocks.append(Paragraph(view.t("no_indicators")))
            continue
        rows = tuple(_finding_row(view, i) for i in own)
        blocks.append(Table(columns, rows, (1.1, 2.2, 0.75, 1.0, 1.0, 3.2, 1.55)))
    return blocks


def _versions_section(view: _View) -> list[Block]:
    versions, catalog = view.data.rating.versions, view.data.catalog
    rows = (
        (view.t("v_standard"), versions.standard),
        (
            view.t("v_catalog"),
            versions.catalog_version + view.paren(versions.catalog_hash[:19] + "…"),
        ),
        (view.t("v_rules"), versions.rules_version + view.paren(versions.rules_hash[:19] + "…")),
    )
    blocks: list[Block] = [
        Heading(view.t("h_versions")),
        Table(("", ""), rows, (1.0, 3.0), header=False),
    ]
    if versions.catalog_hash != catalog.content_hash:
        mismatch = view.t(
            "v_hash_mismatch", rated=versions.catalog_version, current=catalog.version
        )
        blocks.append(Paragraph(mismatch, ParagraphStyle.NOTE))
    blocks.append(Paragraph(view.t("disclaimer"), ParagraphStyle.NOTE))
    return blocks


def _subtitle(view: _View) -> str:
    subtitle = view.t("title_sub", standard=view.data.catalog.standard)
    name = view.data.profile.name
    return f"{name}\n{subtitle}" if name else subtitle


def _self_assessment(view: _View, numbered: bool) -> Part:
    blocks: list[Block] = [
        Paragraph(view.t("disclaimer"), ParagraphStyle.NOTE),
    ]
    for section in (
        _profile_section,
        _rating_section,
        _plan_section,
        _findings_section,
        _versions_section,
    ):
        blocks.extend(section(view))
    title = view.t("part_self" if numbered else "title_self")
    return Part(title, tuple(blocks), subtitle=_subtitle(view))


# ---------------------------------------------------------------- part 2: application pack


def _terms_text(view: _View, req: RequirementStatus) -> str:
    parts = [view.t("terms_count", n=req.min_count)]
    if req.max_age_months is not None:
        parts.append(view.t("terms_age", n=req.max_age_months))
    if req.operating_months is not None:
        parts.append(view.t("terms_operating", n=req.operating_months))
    return view.sep().join(parts)


def _gap_text(view: _View, req: RequirementStatus) -> str:
    if req.outcome is EvidenceOutcome.CONFIRMED:
        return view.t("confirmed_by_assessor")
    if req.outcome is EvidenceOutcome.STALE:
        return view.t(
            "gap_stale", age=req.max_age_months, fresh=req.fresh_count, need=req.min_count
        )
    if req.outcome is not EvidenceOutcome.MISSING:
        return view.t("gap_none")
    parts = []
    if req.missing_count:
        parts.append(view.t("gap_count", n=req.missing_count))
    if req.operating_months is not None and req.covered_months < req.operating_months:
        key = "gap_operating" if req.uploaded else "gap_operating_new"
        parts.append(view.t(key, need=req.operating_months, have=req.covered_months))
    return view.sep().join(parts) or outcome_label(req.outcome, view.lang)


def _material_rows(view: _View, materials: IndicatorMaterials) -> list[tuple[str, ...]]:
    head = f"{materials.indicator_id}\n{view.title(materials.indicator_id)}"
    return [
        (
            head,
            view.describe(req),
            kind_label(req.kind, view.lang),
            _terms_text(view, req),
            _uploads_text(view, req.uploaded) or view.t("nothing_uploaded"),
            _gap_text(view, req),
        )
        for req in materials.requirements
    ]


def _pack_evidence_section(view: _View) -> list[Block]:
    summary = view.summary
    total, open_count = summary.requirement_count, summary.open_count
    totals = view.t("pack_totals", total=total, done=total - open_count, open=open_count)
    blocks: list[Block] = [Heading(view.t("h_pack_evidence")), Paragraph(totals)]
    columns = tuple(
        view.t(c)
        for c in ("c_indicator", "c_requirement", "c_kind", "c_terms", "c_uploaded", "c_gap")
    )
    for area in view.data.catalog.areas:
        own = [m for m in summary.materials if m.area == area.code]
        if not own:
            continue
        rows = tuple(row for m in own for row in _material_rows(view, m))
        blocks.append(Heading(view.area_heading(area.code), level=2))
        blocks.append(Table(columns, rows, (1.9, 2.5, 1.1, 1.3, 2.3, 1.6)))
    return blocks


def _pack_gaps_section(view: _View) -> list[Block]:
    items = [
        view.t(
            "gap_item",
            indicator=m.indicator_id,
            kind=kind_label(req.kind, view.lang),
            description=view.describe(req),
            gap=_gap_text(view, req),
        )
        for m in view.summary.materials
        for req in m.requirements
        if req.outcome in (EvidenceOutcome.MISSING, EvidenceOutcome.STALE)
    ]
    if not items:
        return [Heading(view.t("h_pack_gaps")), Paragraph(view.t("pack_all_done"))]
    blocks: list[Block] = [Heading(view.t("h_pack_gaps")), BulletList(tuple(items))]
    open_ids = dict.fromkeys(
        m.indicator_id
        for m in view.summary.materials
        if any(
            r.outcome in (EvidenceOutcome.MISSING, EvidenceOutcome.STALE) for r in m.requirements
        )
    )
    judged = tuple(
        f"{i} {view.title(i)}{view.colon()}" + " ".join(view.guidance(i))
        for i in open_ids
        if view.guidance(i)
    )
    if judged:
        blocks.append(Heading(view.t("h_pack_scoring"), level=2))
        blocks.append(BulletList(judged))
    return blocks


def _pack_loose_section(view: _View) -> list[Block]:
    loose = view.summary.unlinked
    if not loose:
        return []
    rows = tuple(
        (
            u.filename,
            u.shown_date.isoformat(),
            view.t("untyped") if u.kind is None else kind_label(u.kind, view.lang),
        )
        for u in loose
    )
    columns = (view.t("c_file"), view.t("c_date"), view.t("c_kind"))
    return [
        Heading(view.t("h_pack_loose")),
        Paragraph(view.t("pack_loose_intro")),
        Table(columns, rows, (3.0, 1.0, 1.2)),
    ]


def _application_pack(view: _View, numbered: bool) -> Part:
    target = view.summary.target_stars
    source = "pack_source_target" if view.data.profile.target_stars else "pack_source_next"
    intro = view.t(
        "pack_intro", star=view.star(target), source=view.t(source), scope=_scope_text(view)
    )
    general = Table((view.t("c_item"), view.t("c_about")), general_items(view.lang), (1.6, 4.0))
    blocks: list[Block] = [
        Paragraph(intro),
        Heading(view.t("h_pack_general")),
        Paragraph(view.t("pack_general_note"), ParagraphStyle.NOTE),
        general,
        *_pack_evidence_section(view),
        *_pack_gaps_section(view),
        *_pack_loose_section(view),
        Paragraph(view.t("disclaimer"), ParagraphStyle.NOTE),
    ]
    title = view.t("part_pack" if numbered else "title_pack")
    return Part(title, tuple(blocks), subtitle=_subtitle(view))


# ---------------------------------------------------------------- public


def build_self_assessment(data: ReportData, summary: ReportSummary | None = None) -> Part:
    return _self_assessment(_View(data, summary), numbered=False)


def build_application_pack(data: ReportData, summary: ReportSummary | None = None) -> Part:
    return _application_pack(_View(data, summary), numbered=False)


def build_report(data: ReportData, part: ReportPart = "full") -> Document:
    """The whole report (both parts), or one part, as a format-neutral document."""
    view = _View(data)
    parts: tuple[Part, ...] = ()
    numbered = part == "full"
    if part in ("full", "self_assessment"):
        parts += (_self_assessment(view, numbered),)
    if part in ("full", "application_pack"):
        parts += (_application_pack(view, numbered),)
    metadata = {
        "title": tr("title", data.language),
        "subject": data.profile.name or data.session_id,
        "creator": "smecmm",
    }
    return Document(
        title=tr("title", data.language),
        language=data.language,
        parts=parts,
        footer=tr("footer", data.language),
        page_label=tr("page", data.language),
        metadata=metadata,
    )
