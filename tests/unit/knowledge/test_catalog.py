"""The shipped catalog: its shape, its ties to the rendition and to the notice's level traits."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from pydantic import ValidationError

from assistant.knowledge.check import consistency_problems
from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.knowledge.schema import Catalog, EvidenceClass, Indicator
from assistant.knowledge.standard import load_standard

# The notice's level characteristics (paraphrased), each with the indicators that carry it and
# a word each requirement must contain — so a table entry cannot drift from the data.
COVERAGE = [
    ("L1-C1", "基本服务和产品的基础能力", [("SD-1-02", "服务"), ("SS-1-02", "服务")]),
    ("L1-C2", "相应的实施计划", [("SS-1-01", "计划")]),
    ("L1-C3", "日常服务活动的管理", [("SO-1-01", "负责人"), ("CSI-1-01", "记录")]),
    ("L2-C1", "明确的中小企业服务目标", [("SS-2-02", "目标")]),
    ("L2-C2", "持续推进服务产品化", [("SD-2-02", "产品")]),
    ("L2-C3", "服务发展规划", [("SS-2-01", "规划")]),
    ("L2-C4", "服务交付流程", [("SO-2-01", "流程"), ("ST-2-01", "流程")]),
    ("L2-C5", "运行规范", [("SO-2-02", "规范")]),
    ("L3-C1", "明确的战略方向和目标", [("SS-3-01", "战略")]),
    ("L3-C2", "主动挖掘客户需求", [("SD-3-01", "需求")]),
    ("L3-C3", "定制化服务", [("SD-3-06", "定制")]),
    ("L3-C4", "服务管理体系有效执行", [("SO-3-01", "体系")]),
    ("L3-C5", "服务过程标准化", [("SO-3-02", "标准")]),
    ("L3-C6", "核心技术和核心资源", [("SS-3-04", "核心"), ("ST-3-02", "核心")]),
    ("L4-C1", "服务能力与战略协调一致", [("SS-4-02", "战略"), ("ST-4-01", "战略")]),
    ("L4-C2", "量化指标", [("CSI-4-01", "指标"), ("SO-4-01", "指标")]),
    ("L4-C3", "服务管理模型", [("CSI-4-02", "模型"), ("SD-4-02", "模型")]),
    ("L4-C4", "一体化服务平台", [("SO-4-03", "平台")]),
    ("L4-C5", "基于数据预测服务需求", [("SO-4-06", "预测"), ("CSI-4-04", "预测")]),
    ("L4-C6", "基于数据决策并优化服务能力", [("CSI-4-05", "数据"), ("CSI-4-06", "数据")]),
    ("L5-C1", "可持续发展的规划", [("SS-5-01", "可持续")]),
    ("L5-C2", "明确的创新发展目标", [("SS-5-02", "创新")]),
    ("L5-C3", "服务能力和模式引领产业发展", [("SD-5-01", "带动产业发展"), ("CSI-5-02", "标杆")]),
    ("L5-C4", "服务创新成为行业标杆", [("CSI-5-02", "标杆")]),
    ("L5-C5", "推广成熟经验", [("CSI-5-03", "推广"), ("ST-5-01", "复制")]),
    ("L5-C6", "承担社会责任", [("CSI-5-04", "社会责任"), ("SS-5-03", "社会责任")]),
    ("L5-C7", "对中小企业发展的长效促进", [("CSI-5-05", "长期"), ("SO-5-03", "长期")]),
    ("L5-C8", "对社会环境的积极影响", [("CSI-5-06", "社会")]),
]


# Han characters plus CJK and full-width punctuation (，。？：), which slip in when translating.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(default_knowledge_dir() / "rules")


def test_coverage_table_lists_every_characteristic_once(catalog: Catalog) -> None:
    declared = [c.id for level in catalog.levels for c in level.characteristics]
    assert [row[0] for row in COVERAGE] == declared


@pytest.mark.parametrize(("code", "trait", "carriers"), COVERAGE, ids=[r[0] for r in COVERAGE])
def test_level_characteristic_is_carried_by_indicators_of_that_level(
    catalog: Catalog, code: str, trait: str, carriers: list[tuple[str, str]]
) -> None:
    level = int(code[1])
    for ident, word in carriers:
        indicator = catalog.indicator(ident)
        assert int(indicator.level) == level, f"{ident} is not a level-{level} indicator"
        assert code in indicator.characteristics, f"{ident} does not claim {code} ({trait})"
        text = indicator.requirement + indicator.title.zh
        assert word in text, f"{ident} does not speak of {word!r}"


def test_counts_per_cell_and_in_all(catalog: Catalog) -> None:
    cells = Counter((i.area, int(i.level)) for i in catalog.indicators)
    assert len(cells) == 25
    assert all(4 <= n <= 8 for n in cells.values())
    assert 100 <= len(catalog.indicators) <= 200


def test_every_cell_has_a_core_indicator_and_items_recur(catalog: Catalog) -> None:
    core_cells = {(i.area, int(i.level)) for i in catalog.indicators if i.core}
    assert len(core_cells) == 25
    levels_per_item = Counter((i.item, int(i.level)) for i in catalog.indicators)
    items = {item for item, _ in levels_per_item}
    assert items == {it.code for a in catalog.areas for it in a.items}


def test_every_indicator_can_be_evidenced(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        direct = [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]
        assert direct, f"{indicator.id} has no direct evidence requirement"
        assert indicator.question.endswith(("？", "?")), indicator.id
        assert indicator.hints, indicator.id


def test_not_applicable_is_the_exception(catalog: Catalog) -> None:
    allowed = sum(i.na_allowed for i in catalog.indicators)
    assert allowed <= 0.15 * len(catalog.indicators)


def test_catalog_and_rendition_agree() -> None:
    root = default_knowledge_dir()
    catalog = load_catalog(root / "rules")
    assert consistency_problems(catalog, load_standard(root / "standard")) == []


def test_ids_are_numbered_without_gaps(catalog: Catalog) -> None:
    by_cell: dict[str, list[int]] = {}
    for indicator in catalog.indicators:
        area, level, number = indicator.id.split("-")
        by_cell.setdefault(f"{area}-{level}", []).append(int(number))
    for cell, numbers in by_cell.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), cell


def test_every_indicator_asks_in_english_too(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        question = indicator.question_en
        assert question, f"{indicator.id} has no question_en"
        assert question.endswith("?"), indicator.id
        assert not CJK.search(question), f"{indicator.id}: CJK text in question_en"
        assert question == question.strip() and question[0].isupper(), indicator.id


def test_every_hint_is_translated_once_in_order(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        assert len(indicator.hints_en) == len(indicator.hints), indicator.id
        for hint in indicator.hints_en:
            assert hint.strip() and not CJK.search(hint), f"{indicator.id}: {hint!r}"
        assert len(set(indicator.hints_en)) == len(indicator.hints_en), indicator.id


def test_english_never_reuses_another_indicators_question(catalog: Catalog) -> None:
    questions = Counter(i.question_en for i in catalog.indicators)
    assert [q for q, n in questions.items() if n > 1] == []


def test_english_is_optional_but_hints_en_must_match_the_hints(catalog: Catalog) -> None:
    raw = catalog.indicator("SS-1-01").model_dump(mode="json", by_alias=True)
    bare = Indicator.model_validate({**raw, "question_en": None, "hints_en": []})
    assert bare.question_en is None and bare.hints_en == ()
    with pytest.raises(ValidationError, match="hints_en"):
        Indicator.model_validate({**raw, "hints_en": raw["hints_en"][:1]})
