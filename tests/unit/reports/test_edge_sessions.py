"""Reports of sessions at the edges: nothing answered yet, and everything declared met."""

from __future__ import annotations

import io

import pypdf
import pytest

from assistant.knowledge.schema import Catalog, RuleSet
from assistant.reports import render_report
from assistant.session.models import Language
from tests.utils.report_data import all_met, bare_report_data


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_new_session_renders_in_every_format(
    real_catalog: Catalog, real_rules: RuleSet, language: Language
) -> None:
    data = bare_report_data(real_catalog, real_rules, language=language)
    for fmt in ("md", "json", "docx", "pdf"):
        assert render_report(data, fmt).content
    text = render_report(data, "md").content.decode()
    if language == "zh":
        assert "申报口径：未达一星 ｜ 证据口径：未达一星" in text
        assert "部分指标尚未评估，一星暂不能判定" in text
        assert "机构名称 | 未填写" in text
    else:
        assert "Declared: below one star | Evidenced: below one star" in text
        assert "Institution | not given" in text


def test_a_new_session_pdf_still_extracts(real_catalog: Catalog, real_rules: RuleSet) -> None:
    data = bare_report_data(real_catalog, real_rules)
    reader = pypdf.PdfReader(io.BytesIO(render_report(data, "pdf").content))
    assert "未达一星" in reader.pages[0].extract_text()


def test_all_declared_met_without_evidence(real_catalog: Catalog, real_rules: RuleSet) -> None:
    data = bare_report_data(real_catalog, real_rules, all_met(real_catalog))
    text = render_report(data, "md").content.decode()
    assert "申报口径已达到最高星级（五星）。" in text
    assert "### 证据口径：迈向一星" in text
    assert "证据缺失或不足" in text
    pack = text.split("# 第二部分")[1]
    assert "已齐备 0 项" in pack and "未上传" in pack


def test_a_reason_longer_than_a_page_still_renders(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    """An assessor's reason may be 2,000 characters: its table row must split across pages."""
    data = bare_report_data(real_catalog, real_rules, all_met(real_catalog))
    first = next(iter(data.findings))
    long_reason = "现场查看未见台账原件，仅有电子表格，" * 110
    findings = dict(data.findings)
    findings[first] = findings[first].model_copy(update={"reason": long_reason[:2000]})
    pdf = render_report(data.model_copy(update={"findings": findings}), "pdf").content
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = "".join("".join(page.extract_text().split()) for page in pages)
    # every repetition is printed; a page break (with its running header) may cut a few
    shown, written = (
        text.count("现场查看未见台账原件"),
        long_reason[:2000].count("现场查看未见台账原件"),
    )
    assert written - 3 <= shown <= written
