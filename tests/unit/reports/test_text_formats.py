"""Markdown and JSON: the content of the report, checked as text and as data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.rating.models import ReasonCode
from assistant.reports import ReportData, render_report
from assistant.reports.content import build_report
from assistant.reports.markdown import render_markdown
from assistant.vocabulary import KINDS, reason_label


@pytest.fixture(scope="module")
def zh_md(zh_data: ReportData) -> str:
    return render_report(zh_data, "md").content.decode("utf-8")


@pytest.fixture(scope="module")
def en_md(en_data: ReportData) -> str:
    return render_report(en_data, "md").content.decode("utf-8")


@pytest.fixture(scope="module")
def payload(zh_data: ReportData) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_report(zh_data, "json").content)
    return data


def test_markdown_states_both_readings(zh_md: str) -> None:
    assert "申报口径：三星 ｜ 证据口径：二星" in zh_md
    assert "自评结果仅供参考，以评估机构评定为准" in zh_md
    assert "参考文本" in zh_md


def test_markdown_has_a_row_per_area(zh_md: str, zh_data: ReportData) -> None:
    for area in zh_data.catalog.areas:
        assert f"| {area.name.zh}（{area.code.value}） | 三星 |" in zh_md


def test_markdown_lists_blockers_with_reason_labels(zh_md: str) -> None:
    plan = zh_md.split("## 三、阻碍因素与提升计划")[1].split("## 四、")[0]
    assert "### 证据口径：迈向三星" in plan and "### 申报口径：迈向四星" in plan
    missing, stale = (
        reason_label(c, "zh") for c in (ReasonCode.EVIDENCE_MISSING, ReasonCode.EVIDENCE_STALE)
    )
    assert f"| SD-3-06 | 定制化方案设计（核心） | 部分满足 | {missing} |" in plan
    assert f"| SO-3-01 | 服务管理体系建立并运行（核心） | 部分满足 | {stale} |" in plan
    assert reason_label(ReasonCode.CORE_NOT_MET, "zh") in plan
    assert "目标星级为四星" in plan


def test_markdown_has_every_indicator_in_scope(zh_md: str, zh_data: ReportData) -> None:
    findings = zh_md.split("## 四、逐项发现与证据")[1].split("## 五、")[0]
    for indicator in zh_data.scoped_indicators():
        assert f"| {indicator.id} |" in findings
    assert "| SS-5-01 |" not in findings  # above the target star


def test_markdown_pack_shows_uploads_and_gaps(zh_md: str) -> None:
    pack = zh_md.split("# 第二部分　申请材料清单")[1]
    assert "（建议）" in pack and "评估申请书" in pack and "法人登记证书" in pack
    rows = [line for line in pack.splitlines() if line.startswith("| SO-3-01<br>")]
    assert len(rows) == 2  # one per direct requirement
    assert rows[0].endswith("（2025-01-06） | — |")  # the policy is enough
    assert "_2.pdf（2025-01-06） | 需12个月内的材料（有效 0/1 份） |" in rows[1]
    assert next(iter(KINDS.values())).zh in pack
    gaps = pack.split("## 三、待补充材料")[1].split("## 四、")[0]
    assert "- SD-3-06 案例材料：" in gaps and "还缺" in gaps
    assert "scan_0042.pdf" in pack.split("## 四、尚未关联指标的文件")[1]


def test_markdown_in_english_has_english_headings(en_md: str) -> None:
    for heading in (
        "# Part 1  Self-assessment",
        "## 2. Rating",
        "## 3. Blockers and the plan for the next star",
        "# Part 2  Application pack",
        "## 1. General application documents (suggested)",
    ):
        assert heading in en_md
    assert "Declared: three stars | Evidenced: two stars" in en_md
    assert reason_label(ReasonCode.EVIDENCE_STALE, "en") in en_md
    assert "一、机构概况" not in en_md


def test_a_single_part_can_be_rendered(zh_data: ReportData) -> None:
    pack = render_markdown(build_report(zh_data, "application_pack"))
    assert pack.startswith("# 申请材料清单\n\n*某市数字化转型服务有限公司（示例）*  \n*依据")
    assert "# 第一部分" not in pack and "## 二、评级结果" not in pack


def test_json_keeps_codes_not_labels(payload: dict[str, Any]) -> None:
    assert payload["schema"] == "smecmm.report/1"
    rating = payload["rating"]
    statuses = {i["declared"] for i in rating["indicators"]}
    assert statuses <= {
        "met",
        "largely_met",
        "partly_met",
        "not_met",
        "not_applicable",
        "not_rated",
    }
    summary = payload["summary"]
    codes = {
        b["indicator_id"]: b["code"]
        for a in summary["plans"][0]["areas"]
        if a["holding"]
        for b in a["blockers"]
    }
    assert codes == {"SD-3-06": "EVIDENCE_MISSING", "SO-3-01": "EVIDENCE_STALE"}


def test_json_names_the_catalog_instead_of_copying_it(
    payload: dict[str, Any], zh_data: ReportData
) -> None:
    assert payload["catalog"] == {
        "standard": zh_data.catalog.standard,
        "version": zh_data.catalog.version,
        "content_hash": zh_data.catalog.content_hash,
    }


def test_json_materials_carry_uploads_and_outcomes(payload: dict[str, Any]) -> None:
    summary = payload["summary"]
    materials = {m["indicator_id"]: m for m in summary["materials"]}
    requirement = materials["SO-3-01"]["requirements"][1]
    assert requirement["outcome"] == "stale"
    assert requirement["kind"] == "record"
    assert requirement["uploaded"][0]["filename"].startswith("SO-3-01_")
    assert summary["open_count"] > 0
    assert payload["profile"]["institution_type"] == "market"


def test_a_rating_from_another_catalog_version_is_flagged(zh_data: ReportData) -> None:
    versions = zh_data.rating.versions.model_copy(
        update={"catalog_version": "2023.9", "catalog_hash": "sha256:old"}
    )
    rating = zh_data.rating.model_copy(update={"versions": versions})
    text = render_markdown(build_report(zh_data.model_copy(update={"rating": rating})))
    assert f"本评级按指标目录 2023.9 计算，与当前目录 {zh_data.catalog.version} 不同" in text
    assert "本评级按指标目录" not in render_markdown(build_report(zh_data))
