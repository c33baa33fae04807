"""The gap plans say, for each blocking indicator, what 满足 looks like and what is sampled."""

from __future__ import annotations

import pytest

from assistant.knowledge.schema import Indicator
from assistant.reports import ReportData, render_report
from assistant.reports.summary import build_summary


@pytest.fixture(scope="module")
def zh_md(zh_data: ReportData) -> str:
    return render_report(zh_data, "md").content.decode("utf-8")


def blocking(data: ReportData) -> list[Indicator]:
    ids = dict.fromkeys(b.indicator_id for p in build_summary(data).plans for b in p.blockers)
    return [data.catalog.indicator(i) for i in ids]


def open_in_pack(data: ReportData) -> list[Indicator]:
    summary = build_summary(data)
    ids = [
        m.indicator_id
        for m in summary.materials
        if any(r.outcome.value in ("missing", "stale") for r in m.requirements)
    ]
    return [data.catalog.indicator(i) for i in ids]


def test_each_blocker_of_the_plan_shows_met_and_sample(zh_md: str, zh_data: ReportData) -> None:
    plan = zh_md.split("## 三、阻碍因素与提升计划")[1].split("## 四、")[0]
    blockers = blocking(zh_data)
    assert blockers
    for indicator in blockers:
        row = next(line for line in plan.splitlines() if line.startswith(f"| {indicator.id} |"))
        assert f"怎样算满足：{indicator.scoring.met}" in row
        assert f"评估时抽查：{indicator.scoring.sample}" in row


def test_the_pack_says_how_each_open_indicator_is_judged(zh_md: str, zh_data: ReportData) -> None:
    pack = zh_md.split("# 第二部分　申请材料清单")[1]
    gaps = pack.split("## 三、待补充材料")[1].split("## 四、")[0]
    judged = gaps.split("### 评估时怎样判定（评分细则）")[1]
    opened = open_in_pack(zh_data)
    assert opened
    for indicator in opened:
        assert f"- {indicator.id} " in judged
        assert indicator.scoring.met in judged and indicator.scoring.sample in judged


def without_english(data: ReportData, indicator_id: str) -> ReportData:
    indicators = tuple(
        i.model_copy(update={"scoring_en": None}) if i.id == indicator_id else i
        for i in data.catalog.indicators
    )
    return data.model_copy(
        update={"catalog": data.catalog.model_copy(update={"indicators": indicators})}
    )


def test_english_shows_english_guidance_and_never_chinese(en_data: ReportData) -> None:
    first = blocking(en_data)[0]
    data = without_english(en_data, first.id)  # one blocker surely without scoring_en
    en_md = render_report(data, "md").content.decode("utf-8")
    shown = blocking(data) + open_in_pack(data)
    with_en = [i for i in shown if i.scoring_en is not None]
    assert with_en and data.catalog.indicator(first.id).scoring_en is None
    for indicator in with_en:
        assert indicator.scoring_en is not None
        assert indicator.scoring_en.sample in en_md
    for indicator in shown:
        assert indicator.scoring.met not in en_md
        assert indicator.scoring.sample not in en_md
    assert "怎样算满足" not in en_md and "评估时抽查" not in en_md
