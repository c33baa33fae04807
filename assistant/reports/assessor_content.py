"""The assessor's report, built once from a ``SignOff`` as a format-neutral ``Document``.

Only the sign-off is read (its frozen snapshot, its stars, versions and hashes) and the catalog
for titles and area names: what was signed is what the report shows, whatever happened in the
session afterwards. Sections: the institution, the signed result, the level and blockers per
area (the verdict presenter on the confirmed reading), the deviations from the applicant's
own reading, every finding, the sampled evidence, the interview and observation records, the
notes and a signature block.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.assessment.models import SignOff
from assistant.knowledge.schema import Catalog
from assistant.reports.assessor_findings import (
    Deviation,
    deviations,
    finding_blocks,
    full_text_blocks,
)
from assistant.reports.assessor_text import tr
from assistant.reports.assessor_view import AssessorView, when
from assistant.reports.document import (
    Block,
    Document,
    Heading,
    Paragraph,
    ParagraphStyle,
    Part,
    Table,
)
from assistant.verdict import AreaVerdict, BlockerLine, present
from assistant.vocabulary import Language, type_label

__all__ = ["Deviation", "build_assessor_report", "report_deviations"]


def _profile_section(view: AssessorView) -> list[Block]:
    profile, unset = view.snapshot.profile, view.t("unset")
    kind = profile.institution_type
    smes = profile.smes_served_per_year
    rows = (
        (view.t("f_name"), profile.name or unset),
        (view.t("f_type"), type_label(kind, view.lang) if kind else unset),
        (view.t("f_fields"), profile.service_fields or unset),
        (view.t("f_smes"), unset if smes is None else str(smes)),
        (view.t("f_target"), view.star(profile.target_stars) if profile.target_stars else unset),
        (view.t("f_session"), view.signoff.session_id),
    )
    return [Heading(view.t("h_profile")), Table(("", ""), rows, (1.0, 3.0), header=False)]


def _result_section(view: AssessorView) -> list[Block]:
    signoff = view.signoff
    stars = view.t(
        "stars_line",
        declared=view.star(signoff.declared_stars),
        evidenced=view.star(signoff.evidenced_stars),
        confirmed=view.star(signoff.confirmed_stars),
    )
    rows = (
        (view.t("r_signer"), signoff.signed_by),
        (view.t("r_signed_at"), when(signoff.signed_at)),
        (view.t("r_version"), str(signoff.version)),
        (view.t("r_as_of"), view.snapshot.confirmed.as_of.isoformat()),
        (view.t("r_catalog"), f"{signoff.catalog_version}\n{signoff.catalog_hash}"),
        (view.t("r_rules"), f"{signoff.rules_version}\n{signoff.rules_hash}"),
        (view.t("r_snapshot"), signoff.snapshot_sha256),
    )
    blocks: list[Block] = [
        Heading(view.t("h_result")),
        Paragraph(stars, ParagraphStyle.LEAD),
        Paragraph(view.t("result_explain")),
        Table(("", ""), rows, (1.0, 3.0), header=False),
    ]
    if signoff.catalog_hash != view.catalog.content_hash:
        mismatch = view.t(
            "r_catalog_mismatch", signed=signoff.catalog_version, current=view.catalog.version
        )
        blocks.append(Paragraph(mismatch, ParagraphStyle.NOTE))
    if signoff.reopened_at is not None:
        reopened = view.t(
            "reopened",
            at=when(signoff.reopened_at),
            by=signoff.reopened_by or "—",
            reason=signoff.reopen_reason or "—",
        )
        blocks.append(Paragraph(reopened, ParagraphStyle.NOTE))
    return blocks


def _level_table(view: AssessorView) -> Table:
    rating, confirmed = view.snapshot.rating, view.snapshot.confirmed
    levels = {
        reading: {a.area: a.level for a in source.areas}
        for reading, source in (
            ("declared", rating.declared),
            ("evidenced", rating.evidenced),
            ("confirmed", confirmed.evidenced),
        )
    }
    rows = tuple(
        (
            view.area_name(area.code) + view.paren(area.code.value),
            *(view.star(levels[r].get(area.code, 0)) for r in levels),
        )
        for area in view.catalog.areas
    )
    columns = ("c_area", "c_declared_level", "c_evidenced_level", "c_confirmed_level")
    return Table(tuple(view.t(c) for c in columns), rows, (2.4, 1.2, 1.2, 1.4))


def _blocker_row(view: AssessorView, line: BlockerLine) -> tuple[str, ...]:
    why = line.text + (f"\n→ {line.lift}" if line.lift else "")
    title = line.title + (view.t("core_mark") if line.core else "")
    return (line.indicator_id, title, line.status_label, line.reason, why)


def _area_blocks(view: AssessorView, area: AreaVerdict) -> list[Block]:
    blocks: list[Block] = [
        Heading(area.name + view.paren(area.area.value), level=2),
        Paragraph(area.headline, ParagraphStyle.LEAD),
    ]
    if not area.blockers:
        return [*blocks, Paragraph(view.t("no_blockers"))]
    columns = tuple(view.t(c) for c in ("c_indicator", "c_title", "c_status", "c_reason", "c_why"))
    rows = tuple(_blocker_row(view, line) for line in area.blockers)
    return [*blocks, Table(columns, rows, (1.1, 2.2, 1.0, 1.3, 4.4))]


def _areas_section(view: AssessorView) -> list[Block]:
    verdict = present(view.snapshot.confirmed, view.catalog, view.lang).evidenced
    blocks: list[Block] = [Heading(view.t("h_areas")), _level_table(view)]
    for area in verdict.areas:
        blocks.extend(_area_blocks(view, area))
    return blocks


def _signature_section(view: AssessorView) -> list[Block]:
    rows = (
        (view.t("sig_assessor"), f"{view.signoff.signed_by}\n\n{view.t('sig_line')}"),
        (view.t("sig_date"), f"\n{view.t('sig_date_line')}"),
        (view.t("sig_seal"), view.t("sig_seal_space")),
    )
    return [
        Heading(view.t("h_signature")),
        Paragraph(view.t("sig_intro"), ParagraphStyle.NOTE),
        Table(("", ""), rows, (1.2, 3.0), header=False),
    ]


def build_assessor_report(
    signoff: SignOff,
    catalog: Catalog,
    language: Language,
    *,
    record_texts: Mapping[str, str] | None = None,
) -> Document:
    """The assessor's report of one sign-off. ``record_texts``: the text of each interview or
    observation record by evidence id (its blob, which the snapshot names by SHA-256)."""
    view = AssessorView(signoff, catalog, language, record_texts)
    blocks: list[Block] = []
    for section in (_profile_section, _result_section, _areas_section):
        blocks.extend(section(view))
    blocks.extend(finding_blocks(view))
    blocks.extend(full_text_blocks(view))  # last: the cells above have said what they cut
    blocks.extend(_signature_section(view))
    name = signoff.snapshot.profile.name
    subtitle = tr("title_sub", language, version=signoff.version, standard=catalog.standard)
    title = tr("title", language)
    return Document(
        title=title,
        language=language,
        parts=(Part(title, tuple(blocks), subtitle=f"{name}\n{subtitle}" if name else subtitle),),
        footer=tr("footer", language, version=signoff.version, sha=signoff.snapshot_sha256[:12]),
        page_label=tr("page", language),
        metadata={"title": title, "subject": name or signoff.session_id, "creator": "smecmm"},
    )


def report_deviations(
    signoff: SignOff, catalog: Catalog, language: Language = "zh"
) -> tuple[Deviation, ...]:
    """The deviations the report lists first (for the console and the tests)."""
    return deviations(AssessorView(signoff, catalog, language))
