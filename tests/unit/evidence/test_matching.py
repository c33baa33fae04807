"""Link suggestions ranked by what the file says; the question on screen only breaks ties."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.evidence import MemoryBlobStore
from assistant.evidence.linking import suggest_indicators
from assistant.evidence.matching import matcher_for
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import Catalog
from tests.utils.builders import catalog, indicator, requirement

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ANNUAL_PLAN = """星海中小企业服务中心2026年度工作计划
经中心主任办公会审议通过（2026年1月5日）
一、服务方向：面向辖区中小企业，重点提供政策咨询、融资对接和数字化转型服务。
二、年度服务事项与时间安排
1. 一季度：开展政策宣讲4场，责任人：张明。
2. 二季度：组织银企对接会2场，责任人：李华。
3. 三季度：数字化转型诊断20家企业，责任人：王强。
三、保障措施：经费预算、人员安排。
"""


def test_an_annual_plan_uploaded_at_the_enquiry_log_proposes_the_plan_indicator_first(
    real_catalog: Catalog,
) -> None:
    desk = UploadDesk(real_catalog, MemoryBlobStore(), max_bytes=1024 * 1024)
    record = desk.receive(
        "s1", "2026年度工作计划.txt", ANNUAL_PLAN.encode(), now=NOW, context_ids=("SD-1-01",)
    )
    planning = real_catalog.indicator(record.suggested_ids[0])
    assert planning.id == "SS-1-01", [*record.suggested_ids]
    assert "年度工作计划" in planning.title.zh
    assert record.suggested_ids[-1] == "SD-1-01"  # still offered, last: the text is not about it
    assert len(record.suggested_ids) == len(set(record.suggested_ids)) == 6


def test_scores_come_from_the_text_and_the_best_is_one(real_catalog: Catalog) -> None:
    scores = matcher_for(real_catalog).scores("2026年度工作计划", ANNUAL_PLAN)
    assert set(scores) == {i.id for i in real_catalog.indicators}
    assert max(scores.values()) == 1.0 and scores["SS-1-01"] == 1.0
    assert scores["SD-1-01"] < 0.5
    assert set(matcher_for(real_catalog).scores("IMG_0412", "").values()) == {0.0}


# Two indicators asking for the same ledger, among others (BM25 needs a few documents).
TWINS: Catalog = catalog(
    indicator("SS-1-01", evidence=[requirement("ledger", description="服务企业台账")]),
    indicator("SS-1-02", evidence=[requirement("ledger", description="服务企业台账")]),
    indicator("SD-1-01", evidence=[requirement("record", description="满意度回访记录")]),
    indicator("SD-1-02", evidence=[requirement("policy", description="投诉处理办法")]),
    indicator("SD-1-03", evidence=[requirement("report", description="年度工作总结")]),
    indicator("SD-1-04", evidence=[requirement("contract", description="专家合作协议")]),
)


def test_the_question_on_screen_breaks_a_tie_and_nothing_more() -> None:
    ledger = "服务企业台账：企业名称、服务内容"
    assert suggest_indicators(ledger, "台账.txt", TWINS)[:2] == ("SS-1-01", "SS-1-02")
    tied = suggest_indicators(ledger, "台账.txt", TWINS, context=("SS-1-02",))
    assert tied[:2] == ("SS-1-02", "SS-1-01")
    elsewhere = suggest_indicators(ledger, "台账.txt", TWINS, context=("SD-1-01",))
    assert elsewhere[:2] == ("SS-1-01", "SS-1-02") and elsewhere[-1] == "SD-1-01"


def test_a_file_with_nothing_to_read_suggests_the_question_on_screen_only() -> None:
    assert suggest_indicators("", "IMG_0412.png", TWINS, context=("SD-1-01",)) == ("SD-1-01",)
    assert suggest_indicators("", "IMG_0412.png", TWINS) == ()
