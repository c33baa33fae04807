"""Exact answers from the catalog and the rules: every expected list is computed from the
loaded data here, never typed in."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.schema import (
    AreaCode,
    Catalog,
    EvidenceClass,
    EvidenceKind,
    EvidenceRequirement,
    FindingStatus,
    Indicator,
    Level,
    RuleSet,
)
from assistant.knowledge.standard import StandardDocument, load_standard
from assistant.qa.exact import ExactAnswerer
from assistant.qa.exact_parts import decimal, one_line
from assistant.qa.models import Answer
from assistant.vocabulary import kind_label, status_label

_MARK = re.compile(r"\[(\d{1,3})\]")


@pytest.fixture(scope="module")
def documents() -> tuple[StandardDocument, ...]:
    return load_standard(default_knowledge_dir() / "standard")


@pytest.fixture(scope="module")
def exact(
    real_catalog: Catalog, real_rules: RuleSet, documents: tuple[StandardDocument, ...]
) -> ExactAnswerer:
    return ExactAnswerer(real_catalog, real_rules, documents)


def _ask(exact: ExactAnswerer, question: str) -> Answer:
    answer = exact.answer(question)
    assert answer is not None, question
    return answer


def _chosen(
    catalog: Catalog,
    levels: tuple[int, ...] = (),
    areas: tuple[AreaCode, ...] = (),
    *,
    core: bool = False,
) -> list[Indicator]:
    return [
        i
        for i in catalog.indicators
        if (not levels or i.level in levels)
        and (not areas or i.area in areas)
        and (i.core or not core)
    ]


def _cited_ids(answer: Answer) -> list[str]:
    return [c.indicator_id for c in answer.citations if c.indicator_id]


def _cited_clauses(answer: Answer) -> set[str]:
    return {c.clause for c in answer.citations if not c.indicator_id}


def _lead(answer: Answer) -> str:
    return answer.text.split("\n\n")[0]


def _direct(indicator: Indicator) -> list[EvidenceRequirement]:
    return [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]


# --- 1. requirements ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "levels", "areas"),
    [
        ("服务运营三星有哪些要求", (3,), (AreaCode.SO,)),
        ("What does level 2 require in service design?", (2,), (AreaCode.SD,)),
        ("L4 战略的指标有哪些", (4,), (AreaCode.SS,)),
        ("★★ requirements for transformation", (2,), (AreaCode.ST,)),
    ],
)
def test_the_requirements_of_an_area_at_a_level(
    exact: ExactAnswerer,
    real_catalog: Catalog,
    question: str,
    levels: tuple[int, ...],
    areas: tuple[AreaCode, ...],
) -> None:
    answer = _ask(exact, question)
    expected = _chosen(real_catalog, levels, areas)
    assert {i.id for i in expected} == set(_cited_ids(answer))
    assert sorted(_cited_ids(answer)) == _cited_ids(answer)  # strategy… then by level and id
    lead = _lead(answer)
    assert f"{len(expected)}" in lead
    for indicator in expected:
        assert f"**{indicator.id}**" in answer.text
        if indicator.core:
            assert indicator.id in lead  # the cores are named at once
    core_word = "**核心**" if answer.language == "zh" else "**core**"
    assert answer.text.count(core_word) == sum(i.core for i in expected)
    assert "R.1.2" in _cited_clauses(answer)


def test_a_level_lists_every_area_and_says_what_the_levels_below_add(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "三星有哪些要求")
    expected = _chosen(real_catalog, (3,))
    assert set(_cited_ids(answer)) == {i.id for i in expected}
    for area in real_catalog.areas:
        assert f"**{area.name.zh}（{area.code.value}）·" in answer.text
    below = len(_chosen(real_catalog, (1, 2)))
    assert f"一星、二星的 {below} 条指标" in _lead(answer)


def test_a_one_line_requirement_is_the_start_of_the_requirement(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "服务战略一星有哪些要求")
    for indicator in _chosen(real_catalog, (1,), (AreaCode.SS,)):
        shown = one_line(indicator.requirement, 48).removesuffix("……")
        assert indicator.requirement.startswith(shown) and shown in answer.text


def test_without_a_scope_the_requirements_are_counted(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "有哪些要求")
    assert f"{len(real_catalog.indicators)} 条指标" in _lead(answer)
    row = next(line for line in answer.text.splitlines() if line.startswith("| 服务运营"))
    counts = [len(_chosen(real_catalog, (lv,), (AreaCode.SO,))) for lv in range(1, 6)]
    assert row.endswith(" | ".join(str(c) for c in counts) + " |")


# --- 2. core indicators ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "levels", "areas"),
    [
        ("服务转化三星的核心指标是哪几条", (3,), (AreaCode.ST,)),
        ("Which indicators are core at level 4 in operations?", (4,), (AreaCode.SO,)),
        ("一星的否决项", (1,), ()),
        ("三心的核芯指标", (3,), ()),
        ("Which indicators are core at level 4 in opration?", (4,), (AreaCode.SO,)),
        ("core indicators of continual improvement", (), (AreaCode.CSI,)),
        ("一星到三星的核心指标", (1, 2, 3), ()),
        ("五星级服务设计的一票否决指标", (5,), (AreaCode.SD,)),
    ],
)
def test_the_core_indicators(
    exact: ExactAnswerer,
    real_catalog: Catalog,
    question: str,
    levels: tuple[int, ...],
    areas: tuple[AreaCode, ...],
) -> None:
    answer = _ask(exact, question)
    expected = [i.id for i in _chosen(real_catalog, levels, areas, core=True)]
    assert set(_cited_ids(answer)) == set(expected)
    assert "R.1.2" in _cited_clauses(answer)
    lead = _lead(answer)
    if expected:
        assert str(len(expected)) in lead
        assert ("否决项" if answer.language == "zh" else "veto") in lead
    else:
        assert "没有核心指标" in lead or "no core indicator" in lead
        threshold = decimal(exact._knowledge.rules.threshold_for(max(levels or (1,))))
        assert threshold in lead


def test_the_cores_of_the_levels_below_are_counted(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "Which indicators are core at level 4 in operations?")
    below = len(_chosen(real_catalog, (1, 2, 3), (AreaCode.SO,), core=True))
    assert f"The {below} core indicators of one, two and three stars must pass too." in _lead(
        answer
    )


# --- 3. materials ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "levels", "areas"),
    [
        ("一星要准备哪些材料？", (1,), ()),
        ("What evidence does level 1 need?", (1,), ()),
        ("服务运营三星需要哪些证明材料", (3,), (AreaCode.SO,)),
        ("SD的资料要准备什么", (), (AreaCode.SD,)),
    ],
)
def test_the_materials_of_a_level_or_an_area(
    exact: ExactAnswerer,
    real_catalog: Catalog,
    question: str,
    levels: tuple[int, ...],
    areas: tuple[AreaCode, ...],
) -> None:
    answer = _ask(exact, question)
    expected = _chosen(real_catalog, levels, areas)
    needed = sum(len(_direct(i)) for i in expected)
    assert set(_cited_ids(answer)) == {i.id for i in expected}
    lead = _lead(answer)
    assert str(len(expected)) in lead and str(needed) in lead
    assert sum(line.startswith("  - ") for line in answer.text.splitlines()) == needed
    assert {"R.3.3", "R.3.4"} <= _cited_clauses(answer)


def test_a_levels_materials_are_grouped_by_area_with_counts(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "一星要准备哪些材料？")
    for area in real_catalog.areas:
        members = _chosen(real_catalog, (1,), (area.code,))
        pieces = sum(len(_direct(i)) for i in members)
        heading = f"**{area.name.zh}（{area.code.value}）·{len(members)} 条指标，{pieces} 项材料**"
        assert heading in answer.text


def test_each_material_line_shows_the_kind_count_age_and_months(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "三星要准备哪些材料")
    for indicator in _chosen(real_catalog, (3,)):
        for requirement in indicator.evidence:
            if requirement.evidence_class is not EvidenceClass.DIRECT:
                continue
            count = "1 份" if requirement.min_count == 1 else f"至少 {requirement.min_count} 份"
            line = f"  - {kind_label(requirement.kind, 'zh')}，{count}"
            if requirement.max_age_months:
                line += f"，近 {requirement.max_age_months} 个月内形成"
            elif requirement.in_force:
                line += "，在有效期内"
            if requirement.operating_months:
                line += f"，显示已运行满 {requirement.operating_months} 个月"
            assert f"{line}：{requirement.description}" in answer.text


def test_core_only_materials(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    answer = _ask(exact, "一星核心指标要准备哪些材料")
    expected = _chosen(real_catalog, (1,), core=True)
    assert set(_cited_ids(answer)) == {i.id for i in expected}
    assert f"一星的核心指标共 {len(expected)} 条" in _lead(answer)


def test_materials_without_a_scope_are_counted_by_level(
    exact: ExactAnswerer, real_catalog: Catalog
) -> None:
    answer = _ask(exact, "要准备哪些材料")
    for level in range(1, 6):
        members = _chosen(real_catalog, (level,))
        cores = sum(i.core for i in members)
        pieces = sum(len(_direct(i)) for i in members)
        label = "一二三四五"[level - 1] + "星"
        assert f"| {label} | {len(members)} | {cores} | {pieces} |" in answer.text


# --- 3/4. one indicator, one kind of evidence -----------------------------------------------


@pytest.mark.parametrize("question", ["SO-2-01需要什么证据", "so-2-01要准备哪些材料？"])
def test_the_evidence_of_one_indicator(
    exact: ExactAnswerer, real_catalog: Catalog, question: str
) -> None:
    answer = _ask(exact, question)
    indicator = real_catalog.indicator("SO-2-01")
    assert answer.citations[0].indicator_id == "SO-2-01"
    lead = _lead(answer)
    for requirement in _direct(indicator):
        assert kind_label(requirement.kind, "zh") in lead
        assert requirement.description in answer.text


def test_how_many_records_one_indicator_needs(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    answer = _ask(exact, "How many records does SO-2-01 need?")
    records = [
        e
        for e in real_catalog.indicator("SO-2-01").evidence
        if e.kind is EvidenceKind.RECORD and e.evidence_class is EvidenceClass.DIRECT
    ]
    assert records
    lead = _lead(answer)
    for record in records:
        assert f"record (at least {record.min_count}" in lead
        assert f"within {record.max_age_months} months" in lead
    assert "policy" not in lead  # asked about records only


def test_a_kind_the_indicator_does_not_ask_for(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    kinds = {e.kind for e in real_catalog.indicator("SO-2-01").evidence}
    assert EvidenceKind.CASE not in kinds
    answer = _ask(exact, "SO-2-01要几份案例")
    assert "没有以案例材料为直接证据的要求" in _lead(answer)


def test_the_requirement_of_one_indicator(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    indicator = real_catalog.indicator("CSI-1-01")
    answer = _ask(exact, "CSI-1-01的要求是什么")
    assert indicator.requirement in _lead(answer)
    english = _ask(exact, "What does CSI-1-01 require?")
    assert indicator.scoring_en is not None and indicator.scoring_en.met in _lead(english)


def test_an_unknown_indicator_id_is_left_to_retrieval(exact: ExactAnswerer) -> None:
    assert exact.answer("SO-2-99需要什么证据") is None


def _direct_of_kind(catalog: Catalog, kind: EvidenceKind) -> list[int | None]:
    return [
        e.max_age_months
        for i in catalog.indicators
        for e in i.evidence
        if e.kind is kind and e.evidence_class is EvidenceClass.DIRECT
    ]


def test_how_recent_a_screenshot_must_be(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    ages = [a for a in _direct_of_kind(real_catalog, EvidenceKind.SCREENSHOT) if a]
    answer = _ask(exact, "平台截图要多新")
    lead = _lead(answer)
    assert f"共 {len(ages)} 项" in lead
    assert f"近 {min(ages)}–{max(ages)} 个月内形成" in lead
    for age in set(ages):
        assert f"{age} 个月 {ages.count(age)} 项" in lead
    assert "R.3.4" in _cited_clauses(answer)
    english = _ask(exact, "How old can a screenshot be?")
    assert f"within the last {min(ages)}–{max(ages)} months" in _lead(english)


def test_a_policy_counts_while_in_force(exact: ExactAnswerer) -> None:
    answer = _ask(exact, "制度文件的有效期要求")
    assert "不设最长时效，在有效期内即可" in _lead(answer)


def test_how_many_records_are_needed(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    counts = [
        e.min_count
        for i in real_catalog.indicators
        for e in i.evidence
        if e.kind is EvidenceKind.RECORD and e.evidence_class is EvidenceClass.DIRECT
    ]
    answer = _ask(exact, "记录要几份")
    for count in set(counts):
        assert f"{count} 份 {counts.count(count)} 项" in _lead(answer)
    assert "R.3.6" in _cited_clauses(answer)


def test_the_ages_of_every_kind_in_a_table(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    answer = _ask(exact, "证据的时效要求")
    for kind in EvidenceKind:
        ages = _direct_of_kind(real_catalog, kind)
        if not ages:
            continue
        dated = [a for a in ages if a]
        span = (
            f"{min(dated)} 个月"
            if dated and min(dated) == max(dated)
            else f"{min(dated)}–{max(dated)} 个月"
            if dated
            else "有效期内"
        )
        label = kind_label(kind, "zh")
        assert f"| {label} | {len(ages)} |" in answer.text
        row = next(r for r in answer.text.splitlines() if r.startswith(f"| {label} |"))
        assert f"| {span} |" in row


def test_how_long_practices_must_have_run(exact: ExactAnswerer, real_catalog: Catalog) -> None:
    expected = [
        (i.id, e.operating_months)
        for i in _chosen(real_catalog, (3,))
        for e in i.evidence
        if e.evidence_class is EvidenceClass.DIRECT and e.operating_months
    ]
    answer = _ask(exact, "三星需要运行多久")
    assert f"有 {len(expected)} 项" in _lead(answer)
    assert set(_cited_ids(answer)) == {ident for ident, _ in expected}
    assert "R.3.5" in _cited_clauses(answer)


# --- 5. the rating --------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["评级是怎么计算的", "How is the rating computed?"])
def test_how_the_rating_is_computed(
    exact: ExactAnswerer, real_rules: RuleSet, question: str
) -> None:
    answer = _ask(exact, question)
    assert {"R.1.1", "R.1.2", "R.1.3", "R.1.4", "R.1.5"} <= _cited_clauses(answer)
    assert decimal(real_rules.threshold_for(1)) in _lead(answer)
    for status, score in real_rules.scores.items():
        label = status_label(status, answer.language, inline=True)
        assert f"{label} {decimal(score)}" in answer.text


def test_the_pass_mark_comes_from_the_rules(
    real_catalog: Catalog, real_rules: RuleSet, documents: tuple[StandardDocument, ...]
) -> None:
    stricter = real_rules.model_copy(update={"level_thresholds": {Level.FIVE: 0.85}})
    exact = ExactAnswerer(real_catalog, stricter, documents)
    five = _ask(exact, "What is the pass mark for level 5?")
    assert five.text.startswith("The pass mark for five stars is 0.85")
    three = _ask(exact, "三星的门槛值是多少")
    assert three.text.startswith("三星门槛值是 0.8")
    every = _ask(exact, "门槛是多少")
    assert "五星 0.85" in _lead(every) and "一星 0.8" in _lead(every)


def test_all_largely_met_attains_a_level_and_the_answer_says_so(exact: ExactAnswerer) -> None:
    answer = _ask(exact, "及格线是多少分？")
    assert "指标全部基本满足（得分 0.8）即可达到" in _lead(answer)
    assert {"R.1.2", "R.1.8"} <= _cited_clauses(answer)


@pytest.mark.parametrize(
    ("question", "phrase", "clause"),
    [
        ("核心指标不满足会怎样", "核心指标是否决项", "R.1.2"),
        ("未评定和未达到有什么区别", "未评定", "R.1.4"),
        ("星级是取平均还是取最低", "最低者", "R.1.3"),
        ("申报口径和证据口径是什么", "申报口径和证据口径", "R.1.5"),
        ("Are the stars an average of the areas?", "the weakest area decides", "R.1.3"),
        ("What happens if a core indicator fails?", "A core indicator is a veto", "R.1.2"),
    ],
)
def test_the_rating_answer_opens_with_what_was_asked(
    exact: ExactAnswerer, question: str, phrase: str, clause: str
) -> None:
    answer = _ask(exact, question)
    assert phrase in _lead(answer) and clause in _cited_clauses(answer)


# --- 6. the programme -----------------------------------------------------------------------


def _clause_text(documents: tuple[StandardDocument, ...], number: str) -> str:
    return next(c.text for d in documents for c in d.clauses if c.number == number)


def _lettered(text: str) -> list[str]:
    return [
        line[3:].rstrip("；。")
        for line in text.splitlines()
        if len(line) > 3 and line[1:3] == ") " and line[0] in "abcdefghij"
    ]


def test_who_publishes_the_standard(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...]
) -> None:
    answer = _ask(exact, "标准是谁发布的")
    published = next(
        s.strip()
        for s in _clause_text(documents, "R.2.1").split("。")
        if "发布" in s and "编号" in s
    )
    assert _lead(answer).startswith(published)
    assert {"R.2.1", "R.2.3"} <= _cited_clauses(answer)
    english = _ask(exact, "Who publishes the standard?")
    for fact in ("中国中小企业国际合作协会", "T/ZXGJXH 002—2023"):
        assert fact in published and fact in _lead(english)
    assert "2023年12月" in published and "December 2023" in _lead(english)


@pytest.mark.parametrize("question", ["谁来评估", "评估机构有哪些", "Who assesses?"])
def test_who_assesses(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...], question: str
) -> None:
    answer = _ask(exact, question)
    bodies = _lettered(_clause_text(documents, "R.2.4"))
    assert len(bodies) == 6  # the launch notice names six
    assert f" {len(bodies)}" in _lead(answer)
    for number, body in enumerate(bodies, 1):
        assert f"{number}. {body}" in answer.text
    assert _cited_clauses(answer) == {"R.2.4"}


@pytest.mark.parametrize("question", ["怎么申请评估", "How do I apply?", "申请评估有什么条件"])
def test_how_to_apply(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...], question: str
) -> None:
    answer = _ask(exact, question)
    steps = _lettered(_clause_text(documents, "R.2.6"))
    assert {"R.2.5", "R.2.6"} <= _cited_clauses(answer)
    numbered = [line for line in answer.text.splitlines() if re.match(r"\d\. ", line)]
    assert len(numbered) == len(steps)
    if answer.language == "zh":
        assert _lead(answer).startswith("评估实行自愿申请。")
        assert all(f"{n}. {step}" in answer.text for n, step in enumerate(steps, 1))


def test_who_to_apply_to_answers_both(exact: ExactAnswerer) -> None:
    answer = _ask(exact, "申请评估要找谁？")
    assert {"R.2.4", "R.2.5", "R.2.6"} <= _cited_clauses(answer)


@pytest.mark.parametrize("question", ["这个评估是谁在管？", "这个评估归谁管"])
def test_who_manages_the_programme(exact: ExactAnswerer, question: str) -> None:
    assert "R.2.3" in _cited_clauses(_ask(exact, question))


@pytest.mark.parametrize("question", ["评估中能整改吗", "评估时能补材料吗"])
def test_fixing_what_the_assessment_finds(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...], question: str
) -> None:
    answer = _ask(exact, question)
    fixed = next(s.strip() for s in _clause_text(documents, "R.2.6").split("。") if "整改" in s)
    assert _lead(answer).startswith(fixed)
    assert _cited_clauses(answer) == {"R.2.6"}


@pytest.mark.parametrize("question", ["这些指标是官方的吗", "Is this the official indicator list?"])
def test_the_catalog_is_not_the_official_one(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...], question: str
) -> None:
    answer = _ask(exact, question)
    reference = next(
        s.strip() for s in _clause_text(documents, "R.2.1").split("。") if "参考指标" in s
    )
    assert "并非" in reference  # the clause says the catalog is not the official one
    if answer.language == "zh":
        assert _lead(answer).startswith(reference)
    else:
        assert _lead(answer).startswith("No: the indicators here are this project's own")
    assert _cited_clauses(answer) == {"R.2.1"}


@pytest.mark.parametrize("question", ["评上星级有什么好处", "what do we get if we pass"])
def test_what_passing_brings(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...], question: str
) -> None:
    answer = _ask(exact, question)
    certificate = _clause_text(documents, "R.2.7")
    assert "证书" in certificate and "推荐" in certificate
    if answer.language == "zh":
        first = next(s.strip() for s in certificate.split("。") if "证书" in s)
        assert _lead(answer).startswith(first)
    else:
        assert "certificate" in _lead(answer) and "recommends" in _lead(answer)
    assert _cited_clauses(answer) == {"R.2.7"}


def test_what_to_apply_with_says_no_list_is_published(
    exact: ExactAnswerer, documents: tuple[StandardDocument, ...]
) -> None:
    answer = _ask(exact, "申请评估要交哪些材料")
    unpublished = next(
        s.strip() for s in _clause_text(documents, "R.2.5").split("。") if "申请材料" in s
    )
    assert "没有公布" in unpublished
    assert _lead(answer).startswith(unpublished)
    assert _cited_clauses(answer) == {"R.2.5", "R.2.6"}


# --- the shape of every exact answer --------------------------------------------------------

SAMPLES = [
    "服务运营三星有哪些要求",
    "What does level 2 require in service design?",
    "服务转化三星的核心指标是哪几条",
    "Which indicators are core at level 4 in operations?",
    "一星的否决项",
    "一星要准备哪些材料？",
    "What evidence does level 3 need in operations?",
    "SO-2-01需要什么证据",
    "How many records does SO-2-01 need?",
    "平台截图要多新",
    "How old can evidence be at level 2?",
    "三星需要运行多久",
    "评级是怎么计算的",
    "What is the threshold?",
    "标准是谁发布的",
    "Who assesses?",
    "How do I apply?",
    "有哪些要求",
    "要准备哪些材料",
    "How long must a practice be running at level 4?",
    "What happens if a core indicator fails?",
    "What is the pass mark for level 5?",
    "Who publishes the standard and who assesses?",
    "SO-2-01要几份案例",
    "What does CSI-1-01 require?",
    "core indicators from level 1 to 3",
    "How many screenshots does level 4 need in operations?",
    "一星核心指标要准备哪些材料",
]


@pytest.mark.parametrize("question", SAMPLES)
def test_every_exact_answer_cites_in_order(exact: ExactAnswerer, question: str) -> None:
    answer = _ask(exact, question)
    assert answer.kind == "exact" and answer.covered and answer.question == question
    assert answer.lead and answer.text.startswith(answer.lead)
    assert answer.language == ("en" if question.isascii() else "zh")
    body = answer.text.split("来源：" if answer.language == "zh" else "Sources: ")[0]
    first_seen = list(dict.fromkeys(int(n) for n in _MARK.findall(body)))
    assert first_seen == list(range(1, len(answer.citations) + 1))  # [1] [2]… in order, all
    assert all(c.score == 1.0 for c in answer.citations)
    lead = _lead(answer)
    assert not lead.startswith(("-", "|", "*", "1."))  # it opens with the answer, not a list
    assert 1 <= len(re.findall(r"[。.!?](?:\s|$)|。", lead)) <= 3


@pytest.mark.parametrize("question", SAMPLES)
def test_every_exact_answer_names_its_sources_and_what_they_are(
    exact: ExactAnswerer, question: str
) -> None:
    answer = _ask(exact, question)
    zh = answer.language == "zh"
    sources = answer.text.rsplit("\n\n", 1)[-1]
    assert sources.startswith("来源：" if zh else "Sources: ")
    assert sources.count("[") == len(answer.citations)
    if any(c.indicator_id for c in answer.citations):
        assert ("不是标准的正式评估指标" if zh else "not the official list") in answer.text
    if any(c.clause.startswith("R") for c in answer.citations):
        assert ("不是标准条文" if zh else "not part of the standard") in answer.text


@pytest.mark.parametrize(
    "question",
    ["什么是服务设计", "how do I register a company", "数据治理的含义", "四星对数据有什么要求？"],
)
def test_other_questions_get_none(exact: ExactAnswerer, question: str) -> None:
    assert exact.answer(question) is None


def test_without_annex_r_the_lists_still_answer_but_the_programme_does_not(
    real_catalog: Catalog, real_rules: RuleSet, documents: tuple[StandardDocument, ...]
) -> None:
    standard_only = tuple(d for d in documents if not d.source.startswith("R-"))
    exact = ExactAnswerer(real_catalog, real_rules, standard_only)
    answer = _ask(exact, "服务运营三星有哪些要求")
    assert not _cited_clauses(answer) and _MARK.search(_lead(answer)) is None
    assert exact.answer("谁来评估") is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "服务运营",
                "三星",
                "L2",
                "核心指标",
                "要求",
                "材料",
                "SO-2-01",
                "记录",
                "多久",
                "几份",
                "门槛",
                "谁",
                "评估",
                "申请",
                "level 3",
                " evidence ",
                "到",
                "？",
            ]
        ),
        max_size=12,
    )
)
def test_answering_never_raises_on_questions_of_known_words(
    exact: ExactAnswerer, parts: list[str]
) -> None:
    answer = exact.answer("".join(parts))
    assert answer is None or (answer.kind == "exact" and answer.text)


def test_scores_are_listed_for_every_scored_status(real_rules: RuleSet) -> None:
    scored = set(FindingStatus) - {FindingStatus.NOT_APPLICABLE, FindingStatus.NOT_RATED}
    assert set(real_rules.scores) == scored


@pytest.mark.parametrize(
    "question",
    [
        "Which indicators are core at level 4 in operations?",
        "What evidence does SO-2-01 need?",
        "What does level 2 require in service design?",
    ],
)
def test_an_english_answers_sources_line_is_english(exact: ExactAnswerer, question: str) -> None:
    answer = exact.answer(question)
    assert answer is not None and answer.language == "en"
    sources = next(p for p in answer.text.split("\n\n") if p.startswith("Sources: "))
    assert not re.search(r"[\u4e00-\u9fff]", sources), sources
