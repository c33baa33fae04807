"""The assessor's report, sections 4 to 8: the deviations from the applicant's own reading,
every finding, the sampled evidence, the interview and observation records, the notes."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.assessment.models import AssessorNote
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import FindingStatus
from assistant.reports.assessor_text import check_label
from assistant.reports.assessor_view import AssessorView, when
from assistant.reports.document import Block, Heading, Paragraph, ParagraphStyle, Table
from assistant.session.state import Actor
from assistant.vocabulary import kind_label, outcome_label, status_label

__all__ = ["Deviation", "deviations", "finding_blocks", "full_text_blocks"]

_FILES_SHOWN = 12  # per finding: a table row must fit on one PDF page


@dataclass(frozen=True, slots=True)
class Deviation:
    """A finding where the assessor's status is not what the applicant stated."""

    indicator_id: str
    applicant: FindingStatus | None  # None: the snapshot does not record the statement
    assessor: FindingStatus
    overridden: bool  # the assessor set the finding; else the confirmed reading counts it so
    reason: str | None  # the assessor's reason for an override
    rejected: tuple[str, ...]  # names of linked files the assessor rejected


def _deviation(view: AssessorView, indicator_id: str) -> Deviation | None:
    finding = view.snapshot.findings[indicator_id]
    if finding.actor is Actor.ASSESSOR:
        stated = view.applicant.get(indicator_id)
        if stated is finding.status:
            return None  # the assessor confirmed what the applicant stated
        return Deviation(indicator_id, stated, finding.status, True, finding.reason, ())
    counted = view.confirmed_status(indicator_id)
    if counted is finding.status:
        return None
    rejected = tuple(
        r.filename
        for r in view.linked(indicator_id)
        if (check := view.checks.get(r.id)) is not None and check.verified is False
    )
    return Deviation(indicator_id, finding.status, counted, False, None, rejected)


def deviations(view: AssessorView) -> tuple[Deviation, ...]:
    """Overrides first, then what the confirmed reading counts lower; each in catalog order."""
    found = [
        d
        for i in view.by_catalog(list(view.snapshot.findings))
        if (d := _deviation(view, i)) is not None
    ]
    return tuple(sorted(found, key=lambda d: not d.overridden))


def _status(view: AssessorView, status: FindingStatus | None) -> str:
    return view.t("unknown_applicant") if status is None else status_label(status, view.lang)


def _basis(view: AssessorView, deviation: Deviation) -> str:
    colon, comma = (": ", ", ") if view.lang == "en" else ("：", "、")
    if deviation.overridden:
        head = view.t("override")
        if not deviation.reason:
            return head
        label = view.t("l_override", id=deviation.indicator_id)
        return head + colon + view.cell(deviation.reason, label)
    lines = [view.t("by_evidence")]
    result = view.confirmed.get(deviation.indicator_id)
    if result is not None:
        lines.append(outcome_label(result.evidence, view.lang))
    if deviation.rejected:
        files = comma.join(deviation.rejected)
        label = view.t("l_rejected", id=deviation.indicator_id)
        lines.append(view.t("rejected_files") + colon + view.cell(files, label))
    return "\n".join(lines)


def _deviation_section(view: AssessorView) -> list[Block]:
    found = deviations(view)
    blocks: list[Block] = [Heading(view.t("h_deviations"))]
    if not found:
        return [*blocks, Paragraph(view.t("no_deviations"))]
    columns = ("c_indicator", "c_title", "c_applicant", "c_assessor", "c_basis")
    rows = tuple(
        (
            d.indicator_id,
            view.title(d.indicator_id),
            _status(view, d.applicant),
            status_label(d.assessor, view.lang),
            _basis(view, d),
        )
        for d in found
    )
    blocks += [
        Paragraph(view.t("deviation_intro")),
        Table(tuple(view.t(c) for c in columns), rows, (1.1, 2.4, 1.1, 1.1, 3.3)),
    ]
    if any(d.applicant is None for d in found):
        blocks.append(Paragraph(view.t("unknown_applicant_note"), ParagraphStyle.NOTE))
    return blocks


def _file_line(view: AssessorView, record: EvidenceRecord) -> str:
    check = view.checks.get(record.id)
    state = check_label(check.verified if check else None, view.lang)
    return record.filename + view.paren(state)


def _finding_row(view: AssessorView, indicator_id: str) -> tuple[str, ...]:
    finding = view.snapshot.findings[indicator_id]
    indicator = view.indicators.get(indicator_id)
    result = view.confirmed.get(indicator_id)
    evidence = [outcome_label(result.evidence, view.lang)] if result else []
    linked = view.linked(indicator_id)
    evidence += [_file_line(view, r) for r in linked[:_FILES_SHOWN]]
    if len(linked) > _FILES_SHOWN:
        evidence.append(view.t("more_files", n=len(linked) - _FILES_SHOWN))
    key = "l_override" if finding.actor is Actor.ASSESSOR else "l_reason"
    notes = [view.cell(finding.reason, view.t(key, id=indicator_id))] if finding.reason else []
    if finding.actor is Actor.ASSESSOR:
        notes.append(view.t("override"))
    elif finding.assessor_confirmed:
        notes.append(view.t("confirmed_same"))
    return (
        indicator_id,
        view.title(indicator_id),
        view.star(int(indicator.level)) if indicator else "—",
        _status(view, view.applicant.get(indicator_id)),
        status_label(view.confirmed_status(indicator_id), view.lang),
        "\n".join(evidence),
        "\n".join(notes),
    )


def _findings_section(view: AssessorView) -> list[Block]:
    columns = tuple(
        view.t(c)
        for c in ("c_indicator", "c_title", "c_level", "c_applicant", "c_assessor")
        + ("c_evidence", "c_note")
    )
    widths = (1.1, 2.2, 0.8, 1.0, 1.0, 3.0, 1.7)
    ids = view.by_catalog(list(view.snapshot.findings))
    blocks: list[Block] = [Heading(view.t("h_findings"))]
    for area in view.catalog.areas:
        own = [i for i in ids if i in view.indicators and view.indicators[i].area == area.code]
        blocks.append(Heading(view.area_name(area.code) + view.paren(area.code.value), level=2))
        if not own:
            blocks.append(Paragraph(view.t("no_findings")))
            continue
        blocks.append(Table(columns, tuple(_finding_row(view, i) for i in own), widths))
    retired = [i for i in ids if i not in view.indicators]
    if retired:
        blocks.append(Heading(view.t("not_in_catalog"), level=2))
        blocks.append(Table(columns, tuple(_finding_row(view, i) for i in retired), widths))
    return blocks


def _evidence_row(view: AssessorView, record: EvidenceRecord) -> tuple[str, ...]:
    check = view.checks[record.id]
    # who checked it only when it was not the signer (a team may share the sampling)
    other = check.assessor if check.assessor != view.signoff.signed_by else ""
    note = view.cell(check.note, view.t("l_check", file=record.filename)) if check.note else ""
    note = "\n".join(part for part in (note, other) if part)
    return (
        record.filename,
        view.t("unset") if record.kind is None else kind_label(record.kind, view.lang),
        record.dated.isoformat() if record.dated else "—",
        " ".join(record.indicator_ids) or "—",
        view.t("yes" if check.sampled else "no"),
        check_label(check.verified, view.lang),
        note,
    )


def _evidence_section(view: AssessorView) -> list[Block]:
    files = view.files()
    checked = [
        r for r in files if (c := view.checks.get(r.id)) and (c.sampled or c.verified is not None)
    ]
    judged = [view.checks[r.id].verified for r in checked]
    totals = view.t(
        "evidence_totals",
        total=len(files),
        sampled=sum(view.checks[r.id].sampled for r in checked),
        verified=judged.count(True),
        rejected=judged.count(False),
        open=judged.count(None),
    )
    blocks: list[Block] = [Heading(view.t("h_evidence")), Paragraph(totals)]
    if not checked:
        return [*blocks, Paragraph(view.t("no_sampled"))]
    columns = ("c_file", "c_kind", "c_date", "c_indicator", "c_sampled", "c_result", "c_note")
    rows = tuple(_evidence_row(view, r) for r in checked)
    widths = (2.4, 1.1, 1.0, 1.0, 0.7, 0.9, 2.6)
    return [*blocks, Table(tuple(view.t(c) for c in columns), rows, widths)]


def _record_blocks(view: AssessorView, record: EvidenceRecord) -> list[Block]:
    head = [kind_label(record.kind, view.lang) if record.kind else record.filename]
    head.append(record.dated.isoformat() if record.dated else "—")
    head.append(" ".join(record.indicator_ids) or "—")
    if record.title:
        head.append(record.title)
    text = view.record_texts.get(record.id, view.t("no_text"))
    return [Heading("｜".join(head), level=2), Paragraph(text)]


def _records_section(view: AssessorView) -> list[Block]:
    """Each record as a heading and its text: a record runs to 20,000 characters, more than
    a table row can hold on one page."""
    records = view.records()
    blocks: list[Block] = [Heading(view.t("h_records"))]
    if not records:
        return [*blocks, Paragraph(view.t("no_records"))]
    return blocks + [block for record in records for block in _record_blocks(view, record)]


def _note_blocks(view: AssessorView, note: AssessorNote) -> list[Block]:
    about = (
        view.t("whole")
        if note.indicator_id is None
        else f"{note.indicator_id} {view.title(note.indicator_id)}"
    )
    return [Heading(f"{about}｜{note.assessor}｜{when(note.at)}", level=2), Paragraph(note.text)]


def _notes_section(view: AssessorView) -> list[Block]:
    notes = sorted(view.snapshot.notes, key=lambda n: n.at)
    blocks: list[Block] = [Heading(view.t("h_notes"))]
    if not notes:
        return [*blocks, Paragraph(view.t("no_notes"))]
    return blocks + [block for note in notes for block in _note_blocks(view, note)]


def full_text_blocks(view: AssessorView) -> list[Block]:
    """The texts cut short in a table cell, whole (call after every other section)."""
    if not view.full_texts:
        return []
    blocks: list[Block] = [Heading(view.t("h_full"))]
    for number, (label, text) in enumerate(view.full_texts, start=1):
        blocks.append(Paragraph(view.t("full_item", n=number, label=label), ParagraphStyle.NOTE))
        blocks.append(Paragraph(text))
    return blocks


def finding_blocks(view: AssessorView) -> list[Block]:
    return [
        *_deviation_section(view),
        *_findings_section(view),
        *_evidence_section(view),
        *_records_section(view),
        *_notes_section(view),
    ]
