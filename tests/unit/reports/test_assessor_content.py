"""The assessor's report's content: what it lists, in which order, and that it comes from the
signed snapshot alone."""

from __future__ import annotations

import pytest

from assistant.assessment.models import SignOff
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.reports.assessor_content import build_assessor_report, report_deviations
from assistant.reports.assessor_text import check_label, tr
from assistant.reports.document import (
    Block,
    Document,
    Heading,
    Paragraph,
    ParagraphStyle,
    Table,
)
from assistant.vocabulary import star_label
from tests.unit.reports.assessor_snapshot import (
    HOSTILE_NOTE,
    OPEN,
    OVERRIDDEN,
    OVERRIDE_REASON,
    RECORD_ID,
    RECORD_TEXT,
    REJECT_NOTE,
    REJECTED,
    sign,
    signed_snapshot,
)


@pytest.fixture(scope="module")
def signoff(real_catalog: Catalog, real_rules: RuleSet) -> SignOff:
    return sign(signed_snapshot(real_catalog, real_rules))


@pytest.fixture(scope="module")
def zh(signoff: SignOff, real_catalog: Catalog) -> Document:
    return build_assessor_report(signoff, real_catalog, "zh")


def headings(document: Document) -> list[str]:
    return [b.text for b in document.blocks() if isinstance(b, Heading) and b.level == 1]


def table_after(document: Document, heading: str) -> Table:
    blocks = document.blocks()
    start = next(n for n, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    return next(b for b in blocks[start:] if isinstance(b, Table))


def cells(document: Document) -> str:
    parts = []
    for block in document.blocks():
        if isinstance(block, Table):
            parts.extend(cell for row in block.rows for cell in row)
        elif isinstance(block, Heading | Paragraph):
            parts.append(block.text)
    return "\n".join(parts)


def test_the_sections_come_in_order_with_the_deviations_before_the_findings(
    zh: Document,
) -> None:
    keys = ("h_profile", "h_result", "h_areas", "h_deviations", "h_findings", "h_evidence")
    keys += ("h_records", "h_notes", "h_signature")
    assert headings(zh) == [tr(key, "zh") for key in keys]


def test_the_override_leads_the_deviations(signoff: SignOff, real_catalog: Catalog) -> None:
    found = report_deviations(signoff, real_catalog)
    assert found[0].indicator_id == OVERRIDDEN and found[0].overridden
    # what the applicant stated before the override comes from the snapshot's audit excerpt
    assert found[0].applicant is FindingStatus.MET and found[0].assessor is FindingStatus.PARTLY_MET
    assert all(not d.overridden for d in found[1:])
    ids = [d.indicator_id for d in found[1:]]
    order = [i.id for i in real_catalog.indicators]
    assert ids == sorted(ids, key=order.index)


def test_a_rejected_file_is_a_deviation_that_names_the_file(
    signoff: SignOff, real_catalog: Catalog, zh: Document
) -> None:
    rejected = next(r for r in signoff.snapshot.evidence if r.id == REJECTED)
    indicator = rejected.indicator_ids[0]
    deviation = next(
        d for d in report_deviations(signoff, real_catalog) if d.indicator_id == indicator
    )
    assert deviation.applicant is FindingStatus.MET
    assert deviation.assessor is FindingStatus.PARTLY_MET
    assert deviation.rejected == (rejected.filename,)
    table = table_after(zh, tr("h_deviations", "zh"))
    row = next(row for row in table.rows if row[0] == indicator)
    assert row[2:4] == ("满足", "部分满足") and rejected.filename in row[4]
    first = table.rows[0]
    assert first[0] == OVERRIDDEN and first[2:4] == ("满足", "部分满足")  # stated, then set
    assert OVERRIDE_REASON in first[4]


def test_a_finding_that_agrees_is_no_deviation(signoff: SignOff, real_catalog: Catalog) -> None:
    listed = {d.indicator_id for d in report_deviations(signoff, real_catalog)}
    agreeing = [i for i, f in signoff.snapshot.findings.items() if i not in listed]
    confirmed = {r.indicator_id: r.evidenced for r in signoff.snapshot.confirmed.indicators}
    assert agreeing
    for indicator_id in agreeing:
        assert confirmed[indicator_id] is signoff.snapshot.findings[indicator_id].status


def test_every_sampled_or_judged_file_is_listed_with_its_state(
    signoff: SignOff, zh: Document
) -> None:
    table = table_after(zh, tr("h_evidence", "zh"))
    rows = {row[0]: row for row in table.rows}
    names = {r.id: r.filename for r in signoff.snapshot.evidence}
    checks = [c for c in signoff.snapshot.checks if c.evidence_id != RECORD_ID]
    assert len(rows) == len(checks) > 100
    for check in checks:
        row = rows[names[check.evidence_id]]
        assert row[4] == ("是" if check.sampled else "否")
        assert row[5] == check_label(check.verified, "zh")
    assert rows[names[REJECTED]][5] == "未予认可" and REJECT_NOTE in rows[names[REJECTED]][6]
    assert rows[names[OPEN]][4:6] == ("是", "未判定")
    assert names[RECORD_ID] not in rows  # the interview record has its own section


def test_the_numbers_are_the_snapshots(signoff: SignOff, zh: Document) -> None:
    lead = next(
        b for b in zh.blocks() if isinstance(b, Paragraph) and b.style is ParagraphStyle.LEAD
    )
    stars = [star_label(n, "zh") for n in (3, 2, 2)]
    assert (signoff.declared_stars, signoff.evidenced_stars, signoff.confirmed_stars) == (3, 2, 2)
    assert lead.text == f"申报口径：{stars[0]} ｜ 证据口径：{stars[1]} ｜ 评估确认：{stars[2]}"
    result = dict(table_after(zh, tr("h_result", "zh")).rows)
    assert result["签署人"] == signoff.signed_by and result["签署版本"] == "1"
    assert result["快照 SHA-256"] == signoff.snapshot_sha256
    assert signoff.catalog_hash in result["指标目录版本"]
    assert signoff.rules_hash in result["评级规则版本"]
    levels = table_after(zh, tr("h_areas", "zh")).rows
    snapshot = signoff.snapshot
    for row, declared, evidenced, confirmed in zip(
        levels,
        snapshot.rating.declared.areas,
        snapshot.rating.evidenced.areas,
        snapshot.confirmed.evidenced.areas,
        strict=True,
    ):
        assert row[1:] == tuple(star_label(a.level, "zh") for a in (declared, evidenced, confirmed))


def test_every_finding_is_listed_once_in_catalog_order(signoff: SignOff, zh: Document) -> None:
    blocks = zh.blocks()
    start = blocks.index(Heading(tr("h_findings", "zh")))
    end = blocks.index(Heading(tr("h_evidence", "zh")))
    ids = [row[0] for b in blocks[start:end] if isinstance(b, Table) for row in b.rows]
    assert sorted(ids) == sorted(signoff.snapshot.findings)
    assert len(ids) == len(set(ids))


def section(document: Document, heading: str) -> list[Block]:
    """The blocks under a top-level heading, up to the next one."""
    blocks = document.blocks()
    start = blocks.index(Heading(heading)) + 1
    end = next(
        (n for n, b in enumerate(blocks[start:], start) if isinstance(b, Heading) and b.level == 1),
        len(blocks),
    )
    return list(blocks[start:end])


def test_records_notes_and_the_signature_block(
    signoff: SignOff, real_catalog: Catalog, zh: Document
) -> None:
    record = section(zh, tr("h_records", "zh"))
    assert record[0] == Heading("访谈记录｜2026-06-20｜SO-3-07｜与服务部负责人访谈", level=2)
    assert record[1] == Paragraph(tr("no_text", "zh"))
    with_text = build_assessor_report(
        signoff, real_catalog, "zh", record_texts={RECORD_ID: RECORD_TEXT}
    )
    assert section(with_text, tr("h_records", "zh"))[1] == Paragraph(RECORD_TEXT)
    notes = section(zh, tr("h_notes", "zh"))
    assert notes[0] == Heading(f"整体｜{signoff.signed_by}｜2026-07-02 10:15 UTC", level=2)
    assert notes[1] == Paragraph(HOSTILE_NOTE)
    assert isinstance(notes[2], Heading) and notes[2].text.startswith("SO-3-07 ")
    signature = table_after(zh, tr("h_signature", "zh")).rows
    assert [row[0] for row in signature] == ["评估人员（签字）", "日期", "评估机构盖章"]
    assert signoff.signed_by in signature[0][1] and "____" in signature[0][1]


def test_a_long_text_is_cut_in_its_cell_and_given_whole_at_the_end(
    signoff: SignOff, real_catalog: Catalog, zh: Document
) -> None:
    assert tr("h_full", "zh") not in headings(zh)  # nothing long: no appendix
    reason = "理由" * 1000  # the longest an override reason may be
    findings = dict(signoff.snapshot.findings)
    findings[OVERRIDDEN] = findings[OVERRIDDEN].model_copy(update={"reason": reason})
    long = signoff.model_copy(
        update={"snapshot": signoff.snapshot.model_copy(update={"findings": findings})}
    )
    document = build_assessor_report(long, real_catalog, "zh")
    cell = table_after(document, tr("h_deviations", "zh")).rows[0][4]
    assert cell.endswith("……（全文见附注 1）") and len(cell) < 400
    full = section(document, tr("h_full", "zh"))
    assert full == [
        Paragraph("附注 1：SO-3-07 改判理由", ParagraphStyle.NOTE),
        Paragraph(reason),
    ]  # the same text cut in two tables is given once
    assert headings(document)[-2:] == [tr("h_full", "zh"), tr("h_signature", "zh")]


def test_the_report_is_made_from_the_snapshot_alone(
    signoff: SignOff, real_catalog: Catalog, zh: Document
) -> None:
    stored = SignOff.model_validate_json(signoff.model_dump_json())  # as the store gives it back
    assert build_assessor_report(stored, real_catalog, "zh") == zh
    reopened = signoff.model_copy(
        update={"reopened_at": signoff.signed_at, "reopened_by": "李四", "reopen_reason": "补材料"}
    )
    again = build_assessor_report(reopened, real_catalog, "zh")
    note = tr("reopened", "zh", at="2026-07-02 10:15 UTC", by="李四", reason="补材料")
    assert note in cells(again)
    assert [b for b in again.blocks() if not (isinstance(b, Paragraph) and b.text == note)] == list(
        zh.blocks()
    )


def test_a_sign_off_on_another_catalog_says_so(signoff: SignOff, real_catalog: Catalog) -> None:
    other = signoff.model_copy(update={"catalog_hash": "sha256:" + "0" * 64})
    text = cells(build_assessor_report(other, real_catalog, "zh"))
    assert "与当前目录" in text
    assert "与当前目录" not in cells(build_assessor_report(signoff, real_catalog, "zh"))


def test_the_english_report(signoff: SignOff, real_catalog: Catalog) -> None:
    en = build_assessor_report(signoff, real_catalog, "en")
    assert headings(en)[3] == "4. Where the assessor departs from the applicant's own reading"
    lead = next(
        b for b in en.blocks() if isinstance(b, Paragraph) and b.style is ParagraphStyle.LEAD
    )
    assert lead.text == (
        "Declared: three stars | Evidenced: two stars | Confirmed by the assessor: two stars"
    )
    assert en.page_label == "Page {n}" and signoff.snapshot_sha256[:12] in en.footer
    signature = table_after(en, "9. Signatures").rows
    assert [row[0] for row in signature] == [
        "Assessor (signature)",
        "Date",
        "Seal of the assessment body",
    ]


def test_a_finding_with_many_files_lists_the_first_dozen(
    signoff: SignOff, real_catalog: Catalog
) -> None:
    first = signoff.snapshot.evidence[0]
    copies = tuple(
        first.model_copy(update={"id": f"copy-{n}", "filename": f"copy-{n:02d}.pdf"})
        for n in range(20)
    )
    many = signoff.model_copy(
        update={
            "snapshot": signoff.snapshot.model_copy(
                update={"evidence": (*signoff.snapshot.evidence, *copies)}
            )
        }
    )
    document = build_assessor_report(many, real_catalog, "zh")
    blocks = document.blocks()
    start = blocks.index(Heading(tr("h_findings", "zh")))
    row = next(
        row
        for b in blocks[start:]
        if isinstance(b, Table)
        for row in b.rows
        if row[0] == first.indicator_ids[0]
    )
    linked = [r for r in many.snapshot.evidence if first.indicator_ids[0] in r.indicator_ids]
    assert len(linked) > 20
    assert "copy-00.pdf" in row[5] and "copy-19.pdf" not in row[5]
    assert row[5].endswith(f"……另有 {len(linked) - 12} 份文件")
