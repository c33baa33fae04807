"""Guessing an upload's kind, its own date and the months its records cover."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assistant.evidence import accept_upload, describe_upload, make_record
from assistant.evidence.describe import (
    covers_months,
    document_date,
    find_dates,
    guess_kind,
    valid_until,
)
from assistant.evidence.formats import FileFormat
from assistant.knowledge.schema import EvidenceKind as K
from tests.utils.evidence_files import Cell, image_bytes, pdf_bytes, xlsx_bytes

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("filename", "text", "fmt", "kind"),
    [
        ("投诉处理管理办法.docx", "", "docx", K.POLICY),
        ("服务中心章程.pdf", "", "pdf", K.POLICY),
        ("2025年度服务工作计划.docx", "", "docx", K.PLAN),
        ("企业上市培育方案.pdf", "", "pdf", K.PLAN),
        ("培训签到表.pdf", "", "pdf", K.RECORD),
        ("服务回访记录.docx", "", "docx", K.RECORD),
        ("服务对象满意度调查报告.pdf", "", "pdf", K.REPORT),
        ("2025年上半年工作总结.docx", "", "docx", K.REPORT),
        ("季度服务统计报表.pdf", "", "pdf", K.REPORT),
        ("服务成效评估报告.pdf", "", "pdf", K.REPORT),  # 报告 ends later than 评估
        ("满意度评估办法.docx", "", "docx", K.POLICY),  # 办法 ends later than 评估
        ("技术服务合同.pdf", "", "pdf", K.CONTRACT),
        ("合作协议书.pdf", "", "pdf", K.CONTRACT),
        ("合同管理制度.docx", "", "docx", K.POLICY),  # a policy about contracts
        ("国家级示范平台证书.jpg", "", "jpeg", K.CERTIFICATE),
        ("营业执照.png", "", "png", K.CERTIFICATE),
        ("服务对象台账.xlsx", "", "xlsx", K.LEDGER),
        ("服务统计表.docx", "", "docx", K.LEDGER),
        ("典型服务案例汇编.docx", "", "docx", K.CASE),
        ("平台截图.png", "", "png", K.SCREENSHOT),
        ("IMG_0042.png", "", "png", K.SCREENSHOT),  # an image without words is a screenshot
        ("export.xlsx", "", "xlsx", K.LEDGER),  # a spreadsheet without words is a ledger
        ("Service_Agreement_2025.pdf", "", "pdf", K.CONTRACT),
        ("scan001.pdf", "关于印发《服务质量管理办法》的通知\n各部门：", "pdf", K.POLICY),
        ("scan002.pdf", "服务对象满意度调查报告\n一、调查概况", "pdf", K.REPORT),
        ("doc.docx", "我们按计划开展工作。\n" * 3 + "计划完成情况良好。", "docx", K.PLAN),
        (
            "doc.docx",
            "甲方：\n乙方：\n鉴于：\n本合同一式两份。本合同自签订之日起生效。",
            "docx",
            K.CONTRACT,
        ),
        (
            "doc.docx",
            "甲方：\n乙方：\n鉴于：\n本合同一式两份。",
            "docx",
            None,
        ),  # once is not enough
        ("doc.docx", "今天天气很好。", "docx", None),
    ],
)
def test_the_kind_is_guessed_from_the_name_then_the_first_lines(
    filename: str, text: str, fmt: FileFormat, kind: K | None
) -> None:
    assert guess_kind(filename, text, fmt=fmt) is kind


def test_a_declared_title_is_read_before_the_text() -> None:
    assert guess_kind("a.pdf", "合同编号：123", title="服务质量手册", fmt="pdf") is K.POLICY


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2025年3月1日", [date(2025, 3, 1)]),
        ("2025 年 3 月 1 号", [date(2025, 3, 1)]),
        ("２０２５年３月１日", [date(2025, 3, 1)]),  # full-width digits
        ("2025-03-01 09:30", [date(2025, 3, 1)]),
        ("2025/3/1", [date(2025, 3, 1)]),
        ("2025.3.15", [date(2025, 3, 15)]),
        ("2025.3", [date(2025, 3, 1)]),
        ("2025年3月", [date(2025, 3, 1)]),
        ("二〇二五年三月", [date(2025, 3, 1)]),
        ("二〇二五年十二月三十一日", [date(2025, 12, 31)]),
        ("二○二四年二月二十九日", [date(2024, 2, 29)]),
        ("2025年2月30日", []),  # no such day
        ("2025-13-01", []),
        ("2027年1月1日", []),  # after today
        ("1985年1月1日", []),  # before any plausible evidence
        ("电话 0571-8888-1234", []),
        ("GB/T 19001-2016", []),
        ("增长率 2025.5%", []),
        ("编号 20250301", []),
    ],
)
def test_dates_found(text: str, dates: list[date]) -> None:
    assert find_dates(text, today=TODAY) == dates


def test_the_document_date_is_the_latest_plausible_one() -> None:
    text = "依据2019年5月发布的办法。\n制表日期：2025年12月1日\n下次评审：2027年1月1日"
    assert document_date(text, today=TODAY) == date(2025, 12, 1)
    assert document_date("没有日期", today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "kind", "months"),
    [
        ("2025-01-05 甲\n2025-03-10 乙\n2025-07-04 丙", K.LEDGER, 5),  # 4 July < 5 July
        ("2025-01-05 甲\n2025-07-05 丙", K.RECORD, 6),
        ("2024年1月\n2025年1月", K.LEDGER, 12),
        ("2025-01-05 甲\n2025-01-05 乙", K.LEDGER, None),  # one date: no span
        ("2025-01-05 甲\n2025-07-05 丙", K.POLICY, None),  # a policy covers no period
        ("2025-01-05 甲\n2025-07-05 丙", None, None),
    ],
)
def test_covers_months_spans_a_record_or_ledger(text: str, kind: K | None, months: int) -> None:
    assert covers_months(text, kind, today=TODAY) == months


def test_describe_and_record_an_uploaded_ledger() -> None:
    rows: list[list[Cell]] = [["日期", "企业", "服务"], [date(2025, 1, 6), "甲公司", "融资对接"]]
    rows.append([date(2025, 9, 30), "乙公司", "政策咨询"])
    upload = accept_upload("2025年服务对象台账.xlsx", xlsx_bytes({"台账": rows}), max_bytes=10**7)
    description = describe_upload(upload, today=TODAY)
    assert (description.kind, description.dated, description.covers_months) == (
        K.LEDGER,
        date(2025, 9, 30),
        8,
    )
    assert description.title == "2025年服务对象台账"
    at = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
    record = make_record(
        upload,
        description,
        record_id="ev-1",
        session_id="s-1",
        uploaded_at=at,
        suggested_ids=("SO-1-05",),
    )
    assert record.model_dump() == {
        "id": "ev-1",
        "session_id": "s-1",
        "sha256": upload.sha256,
        "filename": "2025年服务对象台账.xlsx",
        "media_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "size": upload.size,
        "kind": K.LEDGER,
        "dated": date(2025, 9, 30),
        "valid_until": None,  # a ledger counts within its maximum age, not while in force
        "covers_months": 8,
        "title": "2025年服务对象台账",
        "text_chars": len(upload.text),
        "indicator_ids": (),
        "suggested_ids": ("SO-1-05",),
        "uploaded_at": at,
    }


@pytest.mark.parametrize(
    ("text", "kind", "until"),
    [
        ("资质证书 编号 A-123 有效期至2027年12月31日", K.CERTIFICATE, date(2027, 12, 31)),
        ("合同期限：2024年1月1日至2026年6月30日。", K.CONTRACT, date(2026, 6, 30)),
        ("有效期：2023-01-01 至 2025.12.31", K.CERTIFICATE, date(2025, 12, 31)),
        ("Certificate No. 8. Valid until 2028-03-01.", K.CERTIFICATE, date(2028, 3, 1)),
        # two certificates in one file: the later end counts
        (
            "证书一 有效期至2026年1月1日；证书二 有效期至2029年5月1日",
            K.CERTIFICATE,
            date(2029, 5, 1),
        ),
        ("本办法自2024年1月1日起施行，由办公室负责解释。", K.POLICY, None),  # states no end
        ("有效期至2027年13月1日", K.CERTIFICATE, None),  # no such month
        ("有效期至2027年12月31日", K.LEDGER, None),  # a ledger listing certificates
        ("有效期至2027年12月31日", None, None),
    ],
)
def test_the_end_of_validity_of_an_in_force_document(
    text: str, kind: K | None, until: date | None
) -> None:
    assert valid_until(text, kind) == until


def test_a_validity_phrase_repeated_without_end_stays_fast() -> None:
    text = "有效期" * 200_000 + "至2030年1月1日"
    assert valid_until(text, K.CERTIFICATE) is None  # only the first mentions are read


def test_an_uploaded_certificate_states_its_validity() -> None:
    text = "中小企业服务机构资质证书\n发证日期：2024年3月1日\n有效期至：2027年2月28日\n"
    upload = accept_upload("资质证书.txt", text.encode(), max_bytes=10**6)
    description = describe_upload(upload, today=TODAY)
    assert (description.kind, description.dated, description.valid_until) == (
        K.CERTIFICATE,
        date(2024, 3, 1),  # the issue date: the validity's end lies ahead
        date(2027, 2, 28),
    )


@pytest.mark.parametrize(
    ("name", "data", "title"),
    [
        (
            "x.pdf",
            pdf_bytes([["服务对象满意度调查报告", "2025年3月1日"]]),
            "服务对象满意度调查报告",
        ),
        ("x.pdf", pdf_bytes([["正文"]], title="年度总结"), "年度总结"),
        ("平台首页.png", image_bytes(), "平台首页"),
    ],
)
def test_titles(name: str, data: bytes, title: str) -> None:
    upload = accept_upload(name, data, max_bytes=10**7)
    assert describe_upload(upload, today=TODAY).title == title
