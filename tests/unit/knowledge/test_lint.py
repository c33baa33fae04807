"""``smecmm catalog lint``: each defect class found in a fixture made to have it, absent from
the same fixture without it, and the shipped catalog clean."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.knowledge.check import structural_problems
from assistant.knowledge.lint import CORE_PAIR, CROSS_AREA, SAME_AREA, lint_catalog, similar_pairs
from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.knowledge.schema import Catalog, Indicator
from assistant.knowledge.standard import load_standard
from tests.utils.builders import catalog, indicator, requirement

runner = CliRunner()

TOPICS = [
    "机构应建立客户满意度调查制度，每年开展一次满意度调查并形成分析报告。",
    "机构应制定年度培训计划，对服务人员开展业务技能培训并保留签到记录。",
    "机构应建立服务台账，逐笔登记服务对象、服务内容、办理时间和办理结果。",
    "机构应与合作的律师事务所和会计师事务所签订合作协议，明确双方权利义务。",
    "机构应建设线上服务平台，企业可在线提交需求、查询进度并评价服务。",
    "机构应建立投诉受理渠道，对投诉逐件登记、调查、处理并答复投诉人。",
]
FORECAST = (
    "机构应基于历史服务数据和区域产业数据预测未来一年的服务需求，"
    "形成需求预测报告并据此调整服务产品。"
)


def base(*extra: Indicator, core_first: bool = True) -> list[Indicator]:
    """Six indicators on six topics, one per area and level; the first of each level core."""
    ids = ["SS-1-01", "SD-2-01", "ST-3-01", "SO-4-01", "CSI-5-01", "SS-2-01"]
    out = [
        indicator(ident, requirement=text, core=core_first and n < 5)
        for n, (ident, text) in enumerate(zip(ids, TOPICS, strict=True))
    ]
    return [*out, *extra]


def problems(indicators: list[Indicator]) -> set[str]:
    areas = tuple(dict.fromkeys(i.area.value for i in indicators))
    built: Catalog = catalog(*indicators, areas=areas)
    return {p.code for p in lint_catalog(built).problems}


def codes_with_and_without(
    bad: list[Indicator], good: list[Indicator]
) -> tuple[set[str], set[str]]:
    return problems(bad), problems(good)


def unchecked(ident: str, **update: Any) -> Indicator:
    """An indicator the schema would refuse (lint also guards catalogs built in code)."""
    return indicator(ident, requirement=TOPICS[0] + ident).model_copy(update=update)


CASES: list[tuple[str, list[Indicator], list[Indicator]]] = [
    (
        "near-duplicate",
        base(
            indicator("SD-4-01", requirement=FORECAST), indicator("SO-4-02", requirement=FORECAST)
        ),
        base(
            indicator("SD-4-01", requirement=FORECAST),
            indicator("SO-4-02", requirement="机构应为服务人员购买职业责任保险。"),
        ),
    ),
    (
        "core-duplicate",
        base(
            indicator("SD-4-01", requirement=FORECAST, core=True),
            indicator(
                "SO-4-02", requirement=FORECAST + "报告每年更新。", core=True, see_also=["SD-4-01"]
            ),
        ),
        base(
            indicator("SD-4-01", requirement=FORECAST, core=True),
            indicator("SO-4-02", requirement=FORECAST + "报告每年更新。", see_also=["SD-4-01"]),
        ),
    ),
    ("core-missing", base(core_first=False), base()),
    (
        "event-wording",
        base(indicator("ST-1-02", event=True, requirement="机构应制定新服务上线程序。")),
        base(
            indicator(
                "ST-1-02",
                event=True,
                requirement="机构应制定新服务上线程序；如有新服务上线，提供最近一次的上线记录。",
            ),
            indicator("ST-1-03", event=True, na_allowed=True, requirement="机构应制定变更程序。"),
        ),
    ),
    (
        "max-age",
        base(
            unchecked(
                "SO-1-02",
                evidence=(requirement("screenshot").model_copy(update={"max_age_months": None}),),
            )
        ),
        base(unchecked("SO-1-02", evidence=(requirement("screenshot"),))),
    ),
    (
        "in-force-age",
        base(
            unchecked(
                "SO-1-02",
                evidence=(requirement("policy").model_copy(update={"max_age_months": 12}),),
            )
        ),
        base(unchecked("SO-1-02", evidence=(requirement("policy"),))),
    ),
    (
        "operating-time",
        base(
            unchecked(
                "SO-1-02",
                evidence=(requirement("policy").model_copy(update={"operating_months": 6}),),
            )
        ),
        base(unchecked("SO-1-02", evidence=(requirement("ledger", operating_months=6),))),
    ),
    (
        "no-characteristic",
        base(unchecked("SO-1-02", characteristics=())),
        base(unchecked("SO-1-02")),
    ),
    (
        "honour",
        base(
            unchecked(
                "SO-1-02", evidence=(requirement("certificate", description="省级示范荣誉称号"),)
            )
        ),
        base(
            unchecked(
                "SO-1-02",
                evidence=(
                    requirement("record", description="对标数据"),
                    requirement("certificate", description="省级示范荣誉称号").model_copy(
                        update={"evidence_class": "indirect"}
                    ),
                ),
            )
        ),
    ),
    (
        "see-also",
        base(unchecked("SO-1-02", see_also=("SD-1-09",))),
        base(unchecked("SO-1-02", see_also=("SD-2-01",))),
    ),
]


@pytest.mark.parametrize(("code", "bad", "good"), CASES, ids=[c[0] for c in CASES])
def test_each_defect_class_is_found_and_only_there(
    code: str, bad: list[Indicator], good: list[Indicator]
) -> None:
    found, clean = codes_with_and_without(bad, good)
    assert code in found
    assert code not in clean


def test_every_defect_class_has_a_fixture() -> None:
    documented = {
        "clause",
        "cell-count",
        "uncovered-characteristic",
        "core-missing",
        "no-characteristic",
        "event-wording",
        "max-age",
        "in-force-age",
        "operating-time",
        "honour",
        "see-also",
        "near-duplicate",
        "core-duplicate",
    }
    tested = {c[0] for c in CASES} | {"clause", "cell-count", "uncovered-characteristic"}
    assert tested == documented


def test_rendition_cells_and_coverage_are_checked() -> None:
    found = {p.code for p in structural_problems(catalog(indicator("SS-1-01", clause="6.9.9")))}
    assert {"cell-count", "uncovered-characteristic"} <= found
    shipped = load_standard(default_knowledge_dir() / "standard")
    with_rendition = structural_problems(catalog(indicator("SS-1-01", clause="6.9.9")), shipped)
    assert any(p.code == "clause" and p.subject == "SS-1-01" for p in with_rendition)


def test_a_must_false_characteristic_needs_no_core() -> None:
    plain = catalog(*base(core_first=False))
    relaxed = plain.model_copy(
        update={
            "levels": tuple(
                lv.model_copy(
                    update={
                        "characteristics": tuple(
                            c.model_copy(update={"must": False}) for c in lv.characteristics
                        )
                    }
                )
                for lv in plain.levels
            )
        }
    )
    assert "core-missing" not in {p.code for p in lint_catalog(relaxed).problems}


def test_pairs_are_ordered_and_cross_references_are_marked() -> None:
    pairs = similar_pairs(
        base(
            indicator("SD-4-01", requirement=FORECAST),
            indicator("SO-4-02", requirement=FORECAST, see_also=["SD-4-01"]),
        )
    )
    assert pairs[0].similarity == pytest.approx(1.0) and pairs[0].linked
    assert [p.similarity for p in pairs] == sorted((p.similarity for p in pairs), reverse=True)
    assert pairs[-1].similarity < 0.2


def test_the_thresholds_keep_their_order() -> None:
    assert CORE_PAIR < CROSS_AREA < SAME_AREA


@pytest.fixture(scope="module")
def shipped_report() -> Any:
    root = default_knowledge_dir()
    return lint_catalog(load_catalog(root / "rules"), load_standard(root / "standard"), top=30)


def test_the_shipped_catalog_passes_lint(shipped_report: Any) -> None:
    assert [str(p) for p in shipped_report.problems] == []


def test_lint_on_the_command_line() -> None:
    result = runner.invoke(app, ["catalog", "lint", "--json", "--top", "5"])
    report = json.loads(result.output)
    assert len(report["closest"]) == 5
    assert result.exit_code == (0 if report["ok"] else 1)
    assert report["closest"][0]["similarity"] >= report["closest"][-1]["similarity"]
