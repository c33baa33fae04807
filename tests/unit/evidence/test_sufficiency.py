"""Records to rating items, and the application pack's materials checklist."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import evidence_items, indicator_materials, materials_checklist
from assistant.knowledge.schema import Catalog, EvidenceKind
from assistant.rating.evidence import check_evidence
from assistant.rating.models import EvidenceItem, EvidenceOutcome
from tests.utils.builders import catalog, indicator, requirement

AS_OF = date(2026, 6, 30)
RECENT = date(2026, 3, 1)
OLD = date(2024, 1, 1)


def record(ident: str, kind: str | None, *links: str, **extra: Any) -> EvidenceRecord:
    return EvidenceRecord.model_validate(
        {
            "id": ident,
            "session_id": "s",
            "sha256": "0" * 64,
            "filename": f"{ident}.pdf",
            "media_type": "application/pdf",
            "size": 10,
            "kind": kind,
            "indicator_ids": links,
            "uploaded_at": datetime(2026, 6, 1, tzinfo=UTC),
            **extra,
        }
    )


CATALOG: Catalog = catalog(
    indicator(
        "SS-1-01",
        evidence=[
            requirement("record", min_count=3, max_age_months=12, description="服务记录"),
            requirement("report", operating_months=6, max_age_months=24, description="运行报告"),
            {"kind": "report", "class": "indirect", "description": "旁证"},
        ],
    ),
    indicator("SS-1-02", evidence=[requirement("ledger", max_age_months=12)]),
    indicator("SD-1-01"),
)


def test_items_are_the_confirmed_links_of_a_known_kind() -> None:
    records = [
        record("a", "record", "SS-1-01", dated=RECENT, covers_months=4, title="回访记录"),
        record("b", "record", "SS-1-02"),  # linked elsewhere
        record("c", None, "SS-1-01"),  # kind not known yet: cannot count
        record("d", "policy", suggested_ids=("SS-1-01",)),  # only suggested
        record("e", "policy", "SS-1-01", "SS-1-02"),
    ]
    assert evidence_items(records, "SS-1-01") == (
        EvidenceItem(
            id="a", kind=EvidenceKind.RECORD, dated=RECENT, covers_months=4, title="回访记录"
        ),
        EvidenceItem(id="e", kind=EvidenceKind.POLICY, title="e.pdf"),
    )


def test_one_line_per_direct_requirement_of_each_indicator_in_scope() -> None:
    lines = materials_checklist(
        CATALOG, ["SS-1-01", "SS-1-02", "SD-1-01", "SS-1-01"], [], as_of=AS_OF
    )
    assert [(line.indicator_id, line.kind) for line in lines] == [
        ("SS-1-01", EvidenceKind.RECORD),
        ("SS-1-01", EvidenceKind.REPORT),
        ("SS-1-02", EvidenceKind.LEDGER),
    ]
    first = lines[0]
    assert (first.description, first.min_count, first.max_age_months) == ("服务记录", 3, 12)
    assert (first.kind_zh, first.kind_en) == ("记录", "record")
    assert (first.indicator_title_zh, first.area, first.level) == ("指标SS-1-01", "SS", 1)
    assert all(line.outcome is EvidenceOutcome.MISSING for line in lines)
    assert all(line.missing_zh == ("尚未上传",) for line in lines)
    assert all(line.missing_en == ("nothing uploaded yet",) for line in lines)


@pytest.mark.parametrize(
    ("records", "outcome", "zh", "en"),
    [
        pytest.param(
            [record("a", "record", "SS-1-01", dated=RECENT)],
            EvidenceOutcome.MISSING,
            ("还缺 2 份（已上传 1 份，需要 3 份）",),
            ("2 more needed (1 uploaded, 3 required)",),
            id="count-short",
        ),
        pytest.param(
            [
                record(x, "record", "SS-1-01", dated=d)
                for x, d in (("a", RECENT), ("b", OLD), ("c", None))
            ],
            EvidenceOutcome.STALE,
            ("需要 12 个月内的材料 3 份（目前符合 1 份，未注明日期 1 份）",),
            ("3 dated within the last 12 months needed (qualifying: 1; undated: 1)",),
            id="too-old-or-undated",
        ),
        pytest.param(
            [record(x, "record", "SS-1-01", dated=RECENT) for x in "abc"],
            EvidenceOutcome.SUFFICIENT,
            (),
            (),
            id="enough",
        ),
    ],
)
def test_what_is_missing_for_a_counted_fresh_requirement(
    records: list[EvidenceRecord],
    outcome: EvidenceOutcome,
    zh: tuple[str, ...],
    en: tuple[str, ...],
) -> None:
    line = indicator_materials(CATALOG.indicator("SS-1-01"), records, as_of=AS_OF)[0]
    assert (line.outcome, line.missing_zh, line.missing_en) == (outcome, zh, en)
    assert [u.record_id for u in line.uploaded] == [r.id for r in records]
    assert [u.fresh for u in line.uploaded] == [r.dated == RECENT for r in records]


@pytest.mark.parametrize(
    ("covers", "outcome", "zh"),
    [
        (3, EvidenceOutcome.MISSING, ("材料需显示已运行满 6 个月（目前可见 3 个月）",)),
        (None, EvidenceOutcome.MISSING, ("材料需显示已运行满 6 个月（目前可见 0 个月）",)),
        (6, EvidenceOutcome.SUFFICIENT, ()),
    ],
)
def test_operating_time(covers: int | None, outcome: EvidenceOutcome, zh: tuple[str, ...]) -> None:
    records = [record("p", "report", "SS-1-01", covers_months=covers, dated=RECENT)]
    line = indicator_materials(CATALOG.indicator("SS-1-01"), records, as_of=AS_OF)[1]
    assert (line.kind, line.outcome, line.missing_zh) == (EvidenceKind.REPORT, outcome, zh)


def test_the_checklist_agrees_with_the_rating_engine() -> None:
    """An indicator's lines are all sufficient exactly when the engine finds its evidence so."""
    cases = [
        [],
        [record(x, "record", "SS-1-01", dated=RECENT) for x in "abc"],
        [record(x, "record", "SS-1-01", dated=RECENT) for x in "abc"]
        + [record("p", "report", "SS-1-01", covers_months=7, dated=RECENT)],
        [record(x, "record", "SS-1-01", dated=OLD) for x in "abc"]
        + [record("p", "report", "SS-1-01", covers_months=7, dated=RECENT)],
    ]
    target = CATALOG.indicator("SS-1-01")
    for records in cases:
        lines = indicator_materials(target, records, as_of=AS_OF)
        engine = check_evidence(target, evidence_items(records, "SS-1-01"), AS_OF)
        all_sufficient = all(line.outcome is EvidenceOutcome.SUFFICIENT for line in lines)
        assert all_sufficient == (engine.outcome is EvidenceOutcome.SUFFICIENT)
        assert sum(1 for line in lines if line.missing_zh) == len(engine.gaps)


def test_an_unknown_indicator_is_an_error() -> None:
    with pytest.raises(KeyError):
        materials_checklist(CATALOG, ["XX-1-01"], [], as_of=AS_OF)


def test_one_file_appears_on_one_line_only() -> None:
    """Two requirements of one kind: a single file counts for the first; the second is short."""
    target = indicator(
        "SS-1-01",
        evidence=[
            requirement("record", max_age_months=12, description="服务记录"),
            requirement("record", max_age_months=12, description="回访记录"),
        ],
    )
    one = [record("a", "record", "SS-1-01", dated=RECENT)]
    first, second = indicator_materials(target, one, as_of=AS_OF)
    assert [u.record_id for u in first.uploaded] == ["a"]
    assert (first.outcome, second.outcome) == (EvidenceOutcome.SUFFICIENT, EvidenceOutcome.MISSING)
    assert second.uploaded == () and second.missing_zh == ("尚未上传",)
    two = [*one, record("b", "record", "SS-1-01", dated=RECENT)]
    lines = indicator_materials(target, two, as_of=AS_OF)
    assert [[u.record_id for u in line.uploaded] for line in lines] == [["a"], ["b"]]
    assert all(line.outcome is EvidenceOutcome.SUFFICIENT for line in lines)


def test_an_interview_requirement_is_never_met_by_an_upload() -> None:
    target = indicator("SS-1-01", evidence=[requirement("interview", description="负责人访谈")])
    [line] = indicator_materials(
        target, [record("a", "interview", "SS-1-01", dated=RECENT)], as_of=AS_OF
    )
    assert line.outcome is EvidenceOutcome.MISSING
    assert line.missing_zh == ("须由评估人员访谈或现场查看后确认，上传的材料不能代替",)
    assert (line.kind_zh, line.kind_en) == ("访谈记录", "interview record")


def test_a_certificate_past_its_validity_does_not_count() -> None:
    """In-force kinds take no maximum age; an end of validity before the rating day ends them."""
    target = indicator("SS-1-01", evidence=[requirement("certificate", description="资质证书")])
    in_force = record("a", "certificate", "SS-1-01", dated=OLD, valid_until=date(2027, 1, 1))
    [line] = indicator_materials(target, [in_force], as_of=AS_OF)
    assert line.outcome is EvidenceOutcome.SUFFICIENT and line.uploaded[0].fresh

    expired = record("a", "certificate", "SS-1-01", dated=OLD, valid_until=date(2026, 6, 29))
    [line] = indicator_materials(target, [expired], as_of=AS_OF)
    assert line.outcome is EvidenceOutcome.STALE
    assert line.uploaded[0].valid_until == date(2026, 6, 29) and not line.uploaded[0].fresh
    assert line.missing_zh == ("有 1 份已过有效期（截止 2026-06-29），请上传现行有效的版本",)
    [item] = evidence_items([expired], "SS-1-01")
    assert item.valid_until == date(2026, 6, 29)
    check = check_evidence(target, (item,), AS_OF)
    assert check.outcome is EvidenceOutcome.STALE  # the rating engine reads it the same way
