"""SLOW: uses the session fixture ``real_index`` (the whole corpus embedded, about a minute the
first time). It checks the suggestion quality on the real retrieval, which fakes cannot."""

from __future__ import annotations

from assistant.evidence.linking import searcher_suggester, suggest_indicators
from assistant.knowledge.schema import EvidenceKind
from assistant.retrieval.index import RetrievalIndex

SURVEY = """服务对象满意度调查报告

一、调查概况
为了解中小企业对本中心服务的评价，2025年6月我们向接受服务的120家企业发放满意度问卷，
回收有效问卷108份。问卷涵盖服务态度、响应速度、专业能力、服务成效四个方面。

二、调查结果
总体满意度为91.2%，其中融资对接服务满意度最低（84.5%）。

三、改进措施
针对满意度较低的服务项目，制定整改措施并在下季度复测。
"""


def test_a_satisfaction_survey_report_is_linked_to_a_satisfaction_indicator(
    real_index: RetrievalIndex,
) -> None:
    catalog = real_index.corpus.catalog
    search = searcher_suggester(real_index.searcher)
    suggested = suggest_indicators(
        SURVEY, "服务对象满意度调查报告.docx", catalog, search, kind=EvidenceKind.REPORT
    )
    assert len(suggested) == 5
    satisfaction = [
        ident
        for ident in suggested
        if ident.startswith("CSI-")
        and "满意度" in catalog.indicator(ident).title.zh + catalog.indicator(ident).requirement
    ]
    assert satisfaction, suggested
