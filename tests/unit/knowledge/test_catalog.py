"""The shipped catalog: its shape, its ties to the rendition and to the notice's level traits."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from pydantic import ValidationError

from assistant.knowledge.check import consistency_problems
from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.knowledge.schema import Catalog, EvidenceClass, EvidenceKind, Indicator
from assistant.knowledge.standard import load_standard

# The notice's level characteristics (paraphrased), each with EVERY core indicator that cites
# it and a word its requirement or title must contain — so the table cannot drift from the
# data. This is the characteristic → core coverage of catalog 2.0 (one owner per practice).
COVERAGE = [
    (
        "L1-C1",
        "基本服务和产品的基础能力",
        [("SD-1-02", "服务项目"), ("SS-1-02", "中小企业"), ("ST-1-02", "培训")],
    ),
    ("L1-C2", "相应的实施计划", [("SS-1-01", "计划")]),
    (
        "L1-C3",
        "日常服务活动的管理",
        [
            ("CSI-1-01", "意见"),
            ("CSI-1-03", "整改"),
            ("SD-1-01", "登记"),
            ("SO-1-01", "负责人"),
            ("SO-1-02", "记录"),
        ],
    ),
    ("L2-C1", "明确的中小企业服务目标", [("SS-2-02", "目标")]),
    ("L2-C2", "持续推进服务产品化", [("SD-2-02", "产品"), ("ST-2-01", "上线")]),
    ("L2-C3", "服务发展规划", [("SS-2-01", "规划")]),
    ("L2-C4", "服务交付流程", [("SO-2-01", "交付流程"), ("ST-2-01", "流程")]),
    ("L2-C5", "运行规范", [("SO-2-02", "运行规范")]),
    ("L3-C1", "明确的战略方向和目标", [("SS-3-01", "战略")]),
    ("L3-C2", "主动挖掘客户需求", [("SD-3-01", "主动")]),
    ("L3-C3", "定制化服务", [("SD-3-06", "定制")]),
    ("L3-C4", "服务管理体系有效执行", [("SO-3-01", "体系")]),
    ("L3-C5", "服务过程标准化", [("SO-3-02", "标准作业程序")]),
    ("L3-C6", "核心技术和核心资源", [("SS-3-04", "核心")]),
    ("L4-C1", "服务能力与战略协调一致", [("CSI-4-01", "战略"), ("SS-4-02", "战略")]),
    ("L4-C2", "量化指标", [("CSI-4-01", "指标")]),
    ("L4-C3", "服务管理模型", [("CSI-4-02", "模型")]),
    ("L4-C4", "一体化服务平台", [("SO-4-03", "一体化服务平台")]),
    ("L4-C5", "基于数据预测服务需求", [("SD-4-01", "预测")]),
    ("L4-C6", "基于数据决策并优化服务能力", [("SD-4-01", "数据"), ("SS-4-02", "数据")]),
    ("L5-C1", "可持续发展的规划", [("SS-5-01", "可持续")]),
    ("L5-C2", "明确的创新发展目标", [("SS-5-02", "创新")]),
    ("L5-C3", "服务能力和模式引领产业发展", [("CSI-5-02", "标杆"), ("SD-5-01", "带动产业发展")]),
    ("L5-C4", "服务创新成为行业标杆", [("CSI-5-02", "标杆"), ("SD-5-01", "创新")]),
    ("L5-C5", "推广成熟经验", [("CSI-5-03", "推广")]),
    ("L5-C6", "承担社会责任", [("CSI-5-04", "社会责任"), ("CSI-5-06", "社会")]),
    ("L5-C7", "对中小企业发展的长效促进", [("CSI-5-05", "长期")]),
    ("L5-C8", "对社会环境的积极影响", [("CSI-5-06", "社会环境")]),
]

# Requirements the notice places at a level: no indicator below it may ask for them.
NOT_BELOW = [
    ("一体化", 4),  # the integrated platform is a four-star trait
    ("全流程", 4),  # so is a service run end to end online
    ("预测", 4),  # forecasting demand from data
    ("公益", 5),  # pro-bono and social responsibility are five-star traits
    ("社会责任", 5),
]
# Requirements the notice does not support at any level: no indicator asks for them.
NOWHERE = ["控制界限", "人工智能", "智能", "ESG", "绿色", "低碳", "碳"]

MIGRATION = default_knowledge_dir() / "rules" / "migrations" / "2024.1-to-2.0.yaml"

# Han characters plus CJK and full-width punctuation (，。？：), which slip in when translating.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(default_knowledge_dir() / "rules")


@pytest.fixture(scope="module")
def mapping() -> dict[str, list[str]]:
    data = yaml.safe_load(MIGRATION.read_text(encoding="utf-8"))
    indicators: dict[str, list[str]] = data["indicators"]
    return indicators


def test_coverage_table_lists_every_characteristic_once(catalog: Catalog) -> None:
    declared = [c.id for level in catalog.levels for c in level.characteristics]
    assert [row[0] for row in COVERAGE] == declared


@pytest.mark.parametrize(("code", "trait", "carriers"), COVERAGE, ids=[r[0] for r in COVERAGE])
def test_every_characteristic_is_carried_by_core_indicators_of_its_level(
    catalog: Catalog, code: str, trait: str, carriers: list[tuple[str, str]]
) -> None:
    level = int(code[1])
    cores = sorted(i.id for i in catalog.indicators if i.core and code in i.characteristics)
    assert cores == sorted(ident for ident, _ in carriers), f"{code} ({trait})"
    for ident, word in carriers:
        indicator = catalog.indicator(ident)
        assert int(indicator.level) == level, f"{ident} is not a level-{level} indicator"
        text = indicator.requirement + indicator.title.zh
        assert word in text, f"{ident} does not speak of {word!r}"


def test_every_core_indicator_carries_a_characteristic_of_the_table(catalog: Catalog) -> None:
    listed = {ident for _, _, carriers in COVERAGE for ident, _ in carriers}
    assert {i.id for i in catalog.indicators if i.core} == listed


def test_counts_per_cell_and_in_all(catalog: Catalog) -> None:
    cells = Counter((i.area, int(i.level)) for i in catalog.indicators)
    assert len(cells) == 25
    assert all(4 <= n <= 8 for n in cells.values())
    assert 110 <= len(catalog.indicators) <= 130


def test_items_recur(catalog: Catalog) -> None:
    items = {i.item for i in catalog.indicators}
    assert items == {it.code for a in catalog.areas for it in a.items}


def test_every_indicator_can_be_evidenced_by_an_upload(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        direct = [
            e
            for e in indicator.evidence
            if e.evidence_class is EvidenceClass.DIRECT and not e.assessor_only
        ]
        assert direct, f"{indicator.id} has no direct evidence an applicant can upload"
        assert indicator.question.endswith(("？", "?")), indicator.id
        assert indicator.hints, indicator.id


def test_operation_is_shown_by_more_than_a_document(catalog: Catalog) -> None:
    """A policy, contract or certificate alone cannot show that something runs; only an
    event-driven indicator (a procedure, plus the last occurrence if any) may rest on one."""
    documents = {EvidenceKind.POLICY, EvidenceKind.CONTRACT, EvidenceKind.CERTIFICATE}
    alone = [
        i.id
        for i in catalog.indicators
        if not i.event
        and all(e.kind in documents for e in i.evidence if e.evidence_class is EvidenceClass.DIRECT)
    ]
    assert alone == ["SS-1-04"]  # premises and licences: a condition, not an operation


def test_honours_are_never_direct_evidence(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        for requirement in indicator.evidence:
            if re.search("荣誉|获奖|示范认定|评优", requirement.description):
                assert requirement.kind is EvidenceKind.CERTIFICATE, indicator.id
                assert requirement.evidence_class is EvidenceClass.INDIRECT, indicator.id


def test_event_driven_indicators_allow_na_or_ask_for_the_last_occurrence(
    catalog: Catalog,
) -> None:
    events = [i for i in catalog.indicators if i.event]
    assert len(events) >= 15
    for indicator in events:
        assert indicator.na_allowed or "如有" in indicator.requirement, indicator.id
        if not indicator.na_allowed:  # the occurrence cannot be required of everyone
            for requirement in indicator.evidence:
                if "（如有）" in requirement.description:
                    assert requirement.evidence_class is EvidenceClass.INDIRECT, indicator.id


@pytest.mark.parametrize(("word", "level"), NOT_BELOW)
def test_levels_follow_the_notice(catalog: Catalog, word: str, level: int) -> None:
    below = [i.id for i in catalog.indicators if i.level < level and word in i.requirement]
    assert below == []


def test_nothing_the_notice_does_not_support(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        text = indicator.requirement + indicator.title.zh + "".join(indicator.hints)
        assert not [w for w in NOWHERE if w in text], indicator.id


def test_data_protection_is_a_baseline_and_says_why(catalog: Catalog) -> None:
    indicator = catalog.indicator("SO-1-07")
    assert int(indicator.level) == 1 and "个人信息" in indicator.requirement
    assert indicator.basis == "practice" and indicator.basis_note
    assert "法" in indicator.basis_note


def test_practice_basis_is_explained_in_both_languages(catalog: Catalog) -> None:
    practice = [i for i in catalog.indicators if i.basis == "practice"]
    assert practice
    for indicator in practice:
        note = indicator.basis_note or ""
        zh, _, en = note.partition("/")
        assert CJK.search(zh) and en and not CJK.search(en), indicator.id


def test_scoring_guidance_is_concrete(catalog: Catalog) -> None:
    for indicator in catalog.indicators:
        scoring = indicator.scoring
        assert len({scoring.met, scoring.largely, scoring.partly}) == 3, indicator.id
        # what an assessor samples names a count or a period ("不少于3份", "近12个月")
        assert re.search(r"\d", scoring.sample), f"{indicator.id}: {scoring.sample}"
        english = indicator.scoring_en
        assert english is not None, f"{indicator.id} lacks scoring_en"
        texts = (english.met, english.largely, english.partly, english.sample)
        assert not any(CJK.search(text) for text in texts), indicator.id
        assert re.search(r"\d", english.sample), f"{indicator.id}: {english.sample}"


def test_not_applicable_is_the_exception(catalog: Catalog) -> None:
    allowed = sum(i.na_allowed for i in catalog.indicators)
    assert allowed <= 0.15 * len(catalog.indicators)


def test_catalog_and_rendition_agree() -> None:
    root = default_knowledge_dir()
    catalog = load_catalog(root / "rules")
    assert consistency_problems(catalog, load_standard(root / "standard")) == []


def test_every_old_id_is_mapped_once_and_never_reused(
    catalog: Catalog, mapping: dict[str, list[str]]
) -> None:
    assert len(mapping) == 160
    ids = {i.id for i in catalog.indicators}
    for old, new in mapping.items():
        assert set(new) <= ids, old
        if old in ids:  # an id that survives keeps its meaning: it maps to itself only
            assert new == [old], old
        else:  # a retired or merged id is never given to another indicator
            assert old not in new, old
    added = ids - set(mapping)
    assert added == {"SO-1-07"}


def test_ids_are_unique_per_cell(catalog: Catalog) -> None:
    by_cell: dict[str, list[int]] = {}
    for indicator in catalog.indicators:
        area, level, number = indicator.id.split("-")
        by_cell.setdefault(f"{area}-{level}", []).append(int(number))
    for cell, numbers in by_cell.items():
        assert len(set(numbers)) == len(numbers), cell


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
