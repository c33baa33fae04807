"""The deterministic answer mapper: labelled phrasings, negation scope, time, limits, labels."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant.interview.cues_relevance import catalog_words
from assistant.interview.mapping import (
    CONFIDENT,
    DeterministicMapper,
    parse_checklist_text,
    parse_status,
    read_answer,
)
from assistant.interview.timephrases import months_between, operating_months
from assistant.knowledge.schema import Catalog, FindingStatus
from assistant.session.models import Profile

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = date(2025, 6, 15)
S = FindingStatus
STATUS_ORDER = [s.value for s in FindingStatus]


@dataclass(frozen=True)
class Phrasing:
    text: str
    indicator: str
    expected: str
    operating_months: int | None


def _load(name: str) -> tuple[date, list[Phrasing]]:
    raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    rows = [
        Phrasing(p["text"], p["indicator"], p["expected"], p.get("operating_months"))
        for p in raw["phrasings"]
    ]
    return raw["today"], rows


def _confusion(pairs: list[tuple[str, str]]) -> str:
    """Rows: expected status; columns: proposed status."""
    counts = Counter(pairs)
    short = {s: "".join(w[0] for w in s.split("_")) for s in STATUS_ORDER}
    lines = ["expected \\ proposed " + " ".join(f"{short[s]:>4}" for s in STATUS_ORDER)]
    for expected in STATUS_ORDER:
        cells = " ".join(f"{counts[(expected, got)]:>4}" for got in STATUS_ORDER)
        lines.append(f"{expected:>19} {cells}")
    return "\n".join(lines)


def _evaluate(catalog: Catalog, name: str) -> tuple[float, str, list[str]]:
    today, rows = _load(name)
    pairs, misses = [], []
    for row in rows:
        reading = read_answer(
            row.text, catalog.indicator(row.indicator), today=today, catalog=catalog_words(catalog)
        )
        pairs.append((row.expected, reading.status.value))
        if reading.status.value != row.expected:
            misses.append(f"{row.indicator} {row.text!r}: {row.expected} -> {reading.status}")
    accuracy = sum(e == g for e, g in pairs) / len(pairs)
    return accuracy, _confusion(pairs), misses


# ---------------------------------------------------------------------------- labelled sets


@pytest.mark.parametrize(("name", "minimum"), [("answer_phrasings.yaml", 180)])
def test_labelled_set_is_large_varied_and_valid(real_catalog: Catalog, name: str, minimum: int):
    _, rows = _load(name)
    assert len(rows) >= minimum
    chinese = sum(bool(re.search(r"[\u4e00-\u9fff]", r.text)) for r in rows) / len(rows)
    assert 0.6 <= chinese <= 0.8
    assert {r.expected for r in rows} == set(STATUS_ORDER)
    assert len({(r.text, r.indicator) for r in rows}) == len(rows)
    na_allowed = {i.id for i in real_catalog.indicators if i.na_allowed}
    assert {r.indicator for r in rows if r.expected == "not_applicable"} & na_allowed
    for row in rows:
        real_catalog.indicator(row.indicator)  # raises KeyError for an unknown id


def test_holdout_set_is_large_enough_and_valid(real_catalog: Catalog):
    _, rows = _load("answer_phrasings_holdout.yaml")
    assert len(rows) >= 40
    for row in rows:
        assert row.expected in STATUS_ORDER
        real_catalog.indicator(row.indicator)


def test_accuracy_on_labelled_set(real_catalog: Catalog):
    accuracy, matrix, misses = _evaluate(real_catalog, "answer_phrasings.yaml")
    print(f"\nlabelled set accuracy {accuracy:.3f}\n{matrix}\nmisses:\n" + "\n".join(misses))
    assert accuracy >= 0.95, matrix + "\n" + "\n".join(misses)


def test_accuracy_on_holdout_set(real_catalog: Catalog):
    accuracy, matrix, misses = _evaluate(real_catalog, "answer_phrasings_holdout.yaml")
    print(f"\nhold-out accuracy {accuracy:.3f}\n{matrix}\nmisses:\n" + "\n".join(misses))
    assert accuracy >= 0.85, matrix + "\n" + "\n".join(misses)


def test_operating_months_of_labelled_set(real_catalog: Catalog):
    today, rows = _load("answer_phrasings.yaml")
    timed = [r for r in rows if r.operating_months is not None]
    assert len(timed) >= 15
    for row in timed:
        reading = read_answer(
            row.text,
            real_catalog.indicator(row.indicator),
            today=today,
            catalog=catalog_words(real_catalog),
        )
        assert reading.operating_months == row.operating_months, row.text


def test_confident_proposals_are_almost_always_right(real_catalog: Catalog):
    today, rows = _load("answer_phrasings.yaml")
    readings = [
        (
            read_answer(
                r.text,
                real_catalog.indicator(r.indicator),
                today=today,
                catalog=catalog_words(real_catalog),
            ),
            r,
        )
        for r in rows
    ]
    confident = [(reading, row) for reading, row in readings if reading.confidence >= CONFIDENT]
    right = sum(reading.status.value == row.expected for reading, row in confident)
    assert len(confident) >= len(rows) / 2
    assert right / len(confident) >= 0.97


# ---------------------------------------------------------------------------- negation scope


@pytest.mark.parametrize(
    ("text", "indicator", "expected"),
    [
        ("没有不登记的", "SD-1-01", S.MET),
        ("并非没有，我们的规划前年就出了", "SS-2-01", S.MET),
        ("不是没有，清单就贴在大厅里", "SD-1-02", S.MET),
        ("没有哪项服务是没有负责人的", "SO-1-01", S.MET),
        ("从没漏过", "CSI-1-01", S.MET),
        ("没问题", "SO-1-03", S.MET),
        ("It's not that we don't have one.", "SO-2-07", S.MET),
        ("There is no service without an owner.", "SO-1-01", S.MET),
        ("We never miss a follow-up.", "CSI-1-01", S.MET),
        ("不是所有部门都有", "SO-1-01", S.PARTLY_MET),
        ("并不是每项服务都有", "SD-2-06", S.PARTLY_MET),
        ("也不能说没有，就是比较零散", "SO-1-04", S.PARTLY_MET),
        ("Not all departments have it.", "SO-1-01", S.PARTLY_MET),
        ("还没有", "SS-2-01", S.NOT_MET),
        ("基本没有", "SO-4-02", S.NOT_MET),
        ("没有，数据都散在各个表格里", "SO-4-05", S.NOT_MET),
        ("没有书面的，都是口头交代", "SO-2-02", S.NOT_MET),
        ("We don't.", "CSI-2-05", S.NOT_MET),
        ("Not yet.", "SS-2-01", S.NOT_MET),
        ("No written rules, people just know what to do.", "SO-2-02", S.NOT_MET),
        ("离职必须填交接单，不然不给办手续", "ST-1-03", S.MET),
        ("清单里没有的需求我们会研究后答复", "SD-1-01", S.MET),
        ("差不多都做到了，就是备份有时候会忘", "SO-1-04", S.LARGELY_MET),
        ("还没有试点的规定，新服务都是直接推", "ST-2-04", S.NOT_MET),
    ],
)
def test_negation_scope(real_catalog: Catalog, text: str, indicator: str, expected: S):
    assert (
        read_answer(
            text,
            real_catalog.indicator(indicator),
            today=TODAY,
            catalog=catalog_words(real_catalog),
        ).status
        is expected
    )


# ---------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("去年开始", 11),  # a year without its month counts from its middle: 2024-07-01
        ("前年开始做的", 23),
        ("今年初开始", 5),
        ("已运行半年", 6),
        ("运行了两年", 24),
        ("用了两年多了", 24),
        ("坚持了一年半", 18),
        ("3个月前上线", 3),
        ("半年前启用的", 6),
        ("2024年3月开始", 15),
        ("去年12月才出台", 6),
        ("上个月刚发布", 1),
        ("刚上线", 0),
        ("since 2023", 23),
        ("since March 2024", 15),
        ("for six months", 6),
        ("It has been running for a year.", 12),
        ("It went live two months ago.", 2),
        ("We started it last year.", 11),
        ("带一个月才能独立办事", None),  # a training period, not how long a practice ran
        ("Each new hire shadows a colleague for a month before working alone.", None),
        ("去年第三季度漏了一次", None),
        ("有的，每年都制定", None),
    ],
)
def test_operating_months(text: str, months: int | None):
    assert operating_months(text, today=TODAY) == months


@pytest.mark.parametrize(
    ("start", "today", "months"),
    [
        (date(2024, 7, 1), date(2025, 6, 15), 11),
        (date(2024, 6, 15), date(2025, 6, 15), 12),
        (date(2024, 6, 16), date(2025, 6, 15), 11),
        (date(2026, 1, 1), date(2025, 6, 15), 0),
    ],
)
def test_months_between(start: date, today: date, months: int):
    assert months_between(start, today) == months


# ---------------------------------------------------------------------------- operating-months cap


@pytest.mark.parametrize(
    ("text", "indicator", "expected", "months"),
    [
        ("有，3个月前上线的", "SO-4-03", S.PARTLY_MET, 3),  # needs 12 months
        ("平台已运行两年，日常都在用", "SO-4-03", S.MET, 24),
        ("基本都在用，平台上线才两个月", "SO-4-03", S.PARTLY_MET, 2),
        ("管理体系去年开始运行", "SO-3-01", S.PARTLY_MET, 11),  # needs 12 months
        ("管理体系2023年就开始运行了", "SO-3-01", S.MET, 23),
        ("Yes, it went live 3 months ago.", "SO-4-03", S.PARTLY_MET, 3),
        ("有，上个月刚建的台账", "SO-1-05", S.MET, 1),  # no operating-months requirement
        ("还没有，打算三个月前就该上线的", "SO-4-03", S.NOT_MET, 3),  # never raised
    ],
)
def test_operating_months_cap(
    real_catalog: Catalog, text: str, indicator: str, expected: S, months: int
):
    reading = read_answer(
        text, real_catalog.indicator(indicator), today=TODAY, catalog=catalog_words(real_catalog)
    )
    assert (reading.status, reading.operating_months) == (expected, months)
    if reading.required_months is not None:
        assert reading.confidence < CONFIDENT  # a yes cut down is put to the user


def test_cap_rationale_names_the_required_months(real_catalog: Catalog):
    mapper = DeterministicMapper(today=TODAY, catalog=real_catalog)
    indicator = real_catalog.indicator("SO-4-03")
    zh = mapper.propose("有，3个月前上线的", indicator, language="zh", profile=Profile())
    en = mapper.propose("有，3个月前上线的", indicator, language="en", profile=Profile())
    assert zh.status is S.PARTLY_MET and zh.operating_months == 3
    assert "须已运行满12个月" in zh.rationale and "部分满足" in zh.rationale
    assert "must have run for 12 months" in en.rationale


# ---------------------------------------------------------------------------- confidence


@pytest.mark.parametrize(
    ("text", "indicator", "expected"),
    [
        ("有", "SO-1-05", S.MET),
        ("满足", "SO-1-02", S.MET),
        ("没有", "SO-1-05", S.NOT_MET),
        ("不涉及", "ST-1-06", S.NOT_APPLICABLE),
        ("有的，每年都制定", "SS-1-01", S.MET),
        ("还没有", "SS-2-01", S.NOT_MET),
        ("只在一个部门试行", "SO-3-02", S.PARTLY_MET),
        ("基本都有，个别还在完善", "SD-1-04", S.LARGELY_MET),
        ("yes", "SO-1-05", S.MET),
        ("no", "SO-1-05", S.NOT_MET),
        ("mostly", "SD-1-04", S.LARGELY_MET),
        ("n/a", "ST-1-06", S.NOT_APPLICABLE),
    ],
)
def test_short_clear_answers_are_confident(
    real_catalog: Catalog, text: str, indicator: str, expected: S
):
    reading = read_answer(
        text, real_catalog.indicator(indicator), today=TODAY, catalog=catalog_words(real_catalog)
    )
    assert reading.status is expected
    assert reading.confidence >= CONFIDENT


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("不太清楚", "SS-3-04"),
        ("不知道", "CSI-4-03"),
        ("not sure", "SS-3-04"),
        ("好像有吧", "SO-2-07"),
        ("有，但执行得不太好，很多时候没按规定来", "SO-2-02"),
        ("问题登记做得比较好，只是有几条整改结果没补上", "CSI-1-03"),
        ("我们机构成立于2015年，主要做科技服务", "SO-1-03"),
        ("不涉及", "SO-1-07"),  # the indicator does not allow 不适用
        ("We have targets but we don't review them.", "SS-2-06"),
    ],
)
def test_vague_mixed_or_unsure_answers_are_not_confident(
    real_catalog: Catalog, text: str, indicator: str
):
    assert (
        read_answer(
            text,
            real_catalog.indicator(indicator),
            today=TODAY,
            catalog=catalog_words(real_catalog),
        ).confidence
        < CONFIDENT
    )


@pytest.mark.parametrize(
    ("clear", "vague", "indicator"),
    [
        ("有，每年都写书面计划", "好像有，每年应该都写计划", "SS-1-01"),
        ("没有", "应该没有吧", "SS-2-01"),
        ("有，我们每年都制定书面工作计划", "有，我们食堂每天中午供应盒饭和水果", "SS-1-01"),
        ("满足", "满足，但只在一个部门", "SO-1-01"),
        ("Yes, every client is logged.", "Yes, but only some clients are logged.", "SO-1-05"),
    ],
)
def test_clear_answers_are_more_confident_than_vague_ones(
    real_catalog: Catalog, clear: str, vague: str, indicator: str
):
    target = real_catalog.indicator(indicator)
    assert (
        read_answer(clear, target, today=TODAY, catalog=catalog_words(real_catalog)).confidence
        > read_answer(vague, target, today=TODAY, catalog=catalog_words(real_catalog)).confidence
    )


def test_an_answer_about_something_else_is_flagged(real_catalog: Catalog):
    target = real_catalog.indicator("SS-1-01")
    reading = read_answer(
        "有，我们食堂每天中午供应盒饭和水果",
        target,
        today=TODAY,
        catalog=catalog_words(real_catalog),
    )
    assert reading.relevance == 0 and reading.confidence < CONFIDENT
    proposal = DeterministicMapper(today=TODAY, catalog=real_catalog).propose(
        "有，我们食堂每天中午供应盒饭和水果", target, language="zh", profile=Profile()
    )
    assert "关系不大" in proposal.rationale


@pytest.mark.parametrize(
    ("text", "expected"),
    [("满足", S.MET), ("基本满足", S.LARGELY_MET), ("partly met", S.PARTLY_MET)]
    + [("不满足", S.NOT_MET), ("未评估", S.NOT_RATED), ("not met", S.NOT_MET)],
)
def test_bare_status_words_are_certain(real_catalog: Catalog, text: str, expected: S):
    reading = read_answer(
        text, real_catalog.indicator("SO-1-02"), today=TODAY, catalog=catalog_words(real_catalog)
    )
    assert (reading.status, reading.confidence) == (expected, 1.0)


# ---------------------------------------------------------------------------- not applicable


@pytest.mark.parametrize(
    "text", ["不涉及", "不适用", "n/a", "Not applicable, we have no partners."]
)
def test_not_applicable_is_confident_only_where_the_indicator_allows_it(
    real_catalog: Catalog, text: str
):
    allowed, forbidden = real_catalog.indicator("ST-1-06"), real_catalog.indicator("SO-1-07")
    assert allowed.na_allowed and not forbidden.na_allowed
    yes = read_answer(text, allowed, today=TODAY, catalog=catalog_words(real_catalog))
    no = read_answer(text, forbidden, today=TODAY, catalog=catalog_words(real_catalog))
    assert yes.status is no.status is S.NOT_APPLICABLE
    assert yes.confidence >= CONFIDENT and not yes.na_disallowed
    assert no.confidence < CONFIDENT and no.na_disallowed


def test_not_applicable_rationale_says_the_indicator_forbids_it(real_catalog: Catalog):
    mapper = DeterministicMapper(today=TODAY, catalog=real_catalog)
    target = real_catalog.indicator("SO-1-07")
    zh = mapper.propose("我们这边不涉及这个", target, language="zh", profile=Profile())
    en = mapper.propose("我们这边不涉及这个", target, language="en", profile=Profile())
    assert "不允许选“不适用”" in zh.rationale
    assert "does not allow" in en.rationale


def test_weak_not_applicable_depends_on_the_indicator(real_catalog: Catalog):
    text = "没有外请过专家，谈不上合作方名单"
    assert read_answer(
        text, real_catalog.indicator("ST-1-06"), today=TODAY, catalog=catalog_words(real_catalog)
    ).status is (S.NOT_APPLICABLE)
    assert (
        read_answer(
            text,
            real_catalog.indicator("ST-2-06"),
            today=TODAY,
            catalog=catalog_words(real_catalog),
        ).status
        is S.NOT_MET
    )


# ---------------------------------------------------------------------------- the mapper


def test_propose_words_the_rationale_in_the_session_language(real_catalog: Catalog):
    mapper = DeterministicMapper(today=TODAY, catalog=real_catalog)
    target = real_catalog.indicator("SS-1-01")
    zh = mapper.propose("有的，每年都制定", target, language="zh", profile=Profile())
    en = mapper.propose("有的，每年都制定", target, language="en", profile=Profile())
    assert zh.indicator_id == en.indicator_id == "SS-1-01"
    assert zh.status is en.status is S.MET and zh.confidence == en.confidence
    assert zh.rationale.startswith("回答含肯定表述“有的，每年都制定”")
    assert en.rationale.startswith("The answer affirms it")
    assert not zh.recorded


def test_unsure_rationale_points_to_the_hints(real_catalog: Catalog):
    target = real_catalog.indicator("CSI-1-01")
    proposal = DeterministicMapper(today=TODAY, catalog=real_catalog).propose(
        "不太清楚", target, language="zh", profile=Profile()
    )
    assert proposal.status is S.NOT_RATED
    assert "可参考提示" in proposal.rationale and target.hints[0][:10] in proposal.rationale


def test_mapper_reads_relative_dates_against_today_by_default(real_catalog: Catalog):
    today = date.today()
    proposal = DeterministicMapper(catalog=real_catalog).propose(
        "有，去年开始的", real_catalog.indicator("SO-1-05"), language="zh", profile=Profile()
    )
    assert proposal.operating_months == months_between(date(today.year - 1, 7, 1), today)


def test_reading_is_deterministic(real_catalog: Catalog):
    target = real_catalog.indicator("SO-2-01")
    text = "大体上是按流程走的，偶尔急活会跳过回访"
    assert read_answer(
        text, target, today=TODAY, catalog=catalog_words(real_catalog)
    ) == read_answer(text, target, today=TODAY, catalog=catalog_words(real_catalog))


# ---------------------------------------------------------------------------- status words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("满足", S.MET),
        (" 满足。", S.MET),
        ("基本满足", S.LARGELY_MET),
        ("部分满足", S.PARTLY_MET),
        ("不满足", S.NOT_MET),
        ("不适用", S.NOT_APPLICABLE),
        ("未评估", S.NOT_RATED),
        ("不清楚", S.NOT_RATED),
        ("met", S.MET),
        ("Largely met", S.LARGELY_MET),
        ("partly met", S.PARTLY_MET),
        ("not met", S.NOT_MET),
        ("n/a", S.NOT_APPLICABLE),
        ("N/A", S.NOT_APPLICABLE),
        ("largely_met", S.LARGELY_MET),
        ("not_applicable", S.NOT_APPLICABLE),
        ("有", None),
        ("满足吗", None),
        ("基本都满足", None),
        ("", None),
    ],
)
def test_parse_status(text: str, expected: S | None):
    assert parse_status(text) is expected


IDS = ("SO-1-03", "SO-1-04", "SO-1-05")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1满足 2部分满足 3不满足",
            {"SO-1-03": S.MET, "SO-1-04": S.PARTLY_MET, "SO-1-05": S.NOT_MET},
        ),
        ("1 满足, 2 部分满足", {"SO-1-03": S.MET, "SO-1-04": S.PARTLY_MET}),
        ("全部满足", dict.fromkeys(IDS, S.MET)),
        ("all met", dict.fromkeys(IDS, S.MET)),
        ("SO-1-03 满足; SO-1-04 不适用", {"SO-1-03": S.MET, "SO-1-04": S.NOT_APPLICABLE}),
        ("so-1-05：基本满足", {"SO-1-05": S.LARGELY_MET}),
        ("1、3 满足，2 不满足", {"SO-1-03": S.MET, "SO-1-05": S.MET, "SO-1-04": S.NOT_MET}),
        ("2不满足，其余满足", {"SO-1-04": S.NOT_MET, "SO-1-03": S.MET, "SO-1-05": S.MET}),
        ("全部满足，3 不适用", {"SO-1-03": S.MET, "SO-1-04": S.MET, "SO-1-05": S.NOT_APPLICABLE}),
        (
            "1 met, 2 partly met, 3 n/a",
            {"SO-1-03": S.MET, "SO-1-04": S.PARTLY_MET} | {"SO-1-05": S.NOT_APPLICABLE},
        ),
        ("4 满足", {}),  # out of range
        ("都还行吧", {}),
    ],
)
def test_parse_checklist_text(text: str, expected: dict[str, S]):
    assert parse_checklist_text(text, IDS) == expected
