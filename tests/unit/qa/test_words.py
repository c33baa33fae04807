"""Reading a question into levels, areas, ids and cues: every common form, small typos, and
linear time on hostile text."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.knowledge.schema import AreaCode, EvidenceKind, Level
from assistant.qa.lexicon import EN_WORDS, ZH_WORDS, Cue
from assistant.qa.words import edit_distance, read_words

BOUND_S = 0.25  # linear reading takes milliseconds; a generous bound for a busy machine


@pytest.mark.parametrize(
    ("form", "level"),
    [
        ("一星", 1),
        ("1星", 1),
        ("二星", 2),
        ("两星", 2),
        ("三星", 3),
        ("3星", 3),
        ("3 星", 3),
        ("三星级", 3),
        ("3星级", 3),
        ("三颗星", 3),
        ("三级", 3),
        ("3级", 3),
        ("第三级", 3),
        ("L3", 3),
        ("l3", 3),
        ("Lv3", 3),
        ("level 3", 3),
        ("Level-3", 3),
        ("level three", 3),
        ("three-star", 3),
        ("3-star", 3),
        ("3 stars", 3),
        ("three stars", 3),
        ("third level", 3),
        ("★★★", 3),
        ("★★★★★", 5),
        ("四星", 4),
        ("五星", 5),
        ("三心", 3),  # 心 for 星: a pinyin slip
    ],
)
def test_level_words_in_every_common_form(form: str, level: int) -> None:
    for question in (f"{form}的核心指标", f"core indicators at {form}"):
        reading = read_words(question)
        assert reading is not None, question
        assert reading.levels == {Level(level)}, question


@pytest.mark.parametrize(
    ("form", "area"),
    [
        ("服务战略", AreaCode.SS),
        ("战略", AreaCode.SS),
        ("SS", AreaCode.SS),
        ("strategy", AreaCode.SS),
        ("服务设计", AreaCode.SD),
        ("设计", AreaCode.SD),
        ("SD", AreaCode.SD),
        ("design", AreaCode.SD),
        ("服务转化", AreaCode.ST),
        ("转化", AreaCode.ST),
        ("ST", AreaCode.ST),
        ("transformation", AreaCode.ST),
        ("transition", AreaCode.ST),
        ("conversion", AreaCode.ST),
        ("服务运营", AreaCode.SO),
        ("运营", AreaCode.SO),
        ("SO", AreaCode.SO),
        ("operation", AreaCode.SO),
        ("operations", AreaCode.SO),
        ("服务持续改进", AreaCode.CSI),
        ("持续改进", AreaCode.CSI),
        ("改进", AreaCode.CSI),
        ("CSI", AreaCode.CSI),
        ("csi", AreaCode.CSI),
        ("improvement", AreaCode.CSI),
        ("continual improvement", AreaCode.CSI),
    ],
)
def test_area_words_in_every_common_form(form: str, area: AreaCode) -> None:
    for question in (f"{form}三星的核心指标", f"core indicators of {form} at level 3"):
        reading = read_words(question)
        assert reading is not None, question
        assert reading.areas == {area} and reading.levels == {Level.THREE}, question


def test_area_codes_in_lower_case_count_only_in_chinese_text() -> None:
    chinese = read_words("so三星有哪些要求")
    english = read_words("so what are the level 3 requirements")
    assert chinese is not None and chinese.areas == {AreaCode.SO}
    assert english is not None and english.areas == frozenset()


@pytest.mark.parametrize(
    ("question", "levels", "areas", "cue"),
    [
        ("三心的核芯指标有哪些", {3}, set(), Cue.CORE),
        ("服务运应三星有哪些要求", {3}, {AreaCode.SO}, Cue.REQUIREMENT),
        ("服务持续该进一星的核心指标", {1}, {AreaCode.CSI}, Cue.CORE),
        ("Which indicators are core at level 4 in opration?", {4}, {AreaCode.SO}, Cue.CORE),
        ("core indicators of continual improvment", set(), {AreaCode.CSI}, Cue.CORE),
        ("what are the level 2 requirments in stratgy", {2}, {AreaCode.SS}, Cue.REQUIREMENT),
        ("evidnece for level 1", {1}, set(), Cue.MATERIAL),
    ],
)
def test_small_typos_are_tolerated(
    question: str, levels: set[int], areas: set[AreaCode], cue: Cue
) -> None:
    reading = read_words(question)
    assert reading is not None
    assert reading.levels == {Level(v) for v in levels}
    assert reading.areas == areas and cue in reading.cues


@pytest.mark.parametrize(
    "question",
    [
        "服务设施有哪些要求",  # a real word one character from 服务设计
        "what is the scope of level 3",  # scope is not score
        "four-star core requirements for data",  # data is a topic of its own
        "四星对数据有什么要求？",
        "数据治理的含义",
        "how do I register a company",
    ],
)
def test_a_word_the_lexicon_lacks_ends_the_reading(question: str) -> None:
    assert read_words(question) is None


@pytest.mark.parametrize(
    ("question", "ids"),
    [
        ("SO-2-01需要什么证据", ("SO-2-01",)),
        ("so-2-01需要什么证据", ("SO-2-01",)),
        ("So_2_01 要什么证据", ("SO-2-01",)),
        ("csi-3-06和SO-4-03的材料", ("CSI-3-06", "SO-4-03")),
        ("what evidence does SD-1-02 need", ("SD-1-02",)),
    ],
)
def test_indicator_ids_in_any_case(question: str, ids: tuple[str, ...]) -> None:
    reading = read_words(question)
    assert reading is not None and reading.indicator_ids == ids


@pytest.mark.parametrize(
    ("question", "levels"),
    [
        ("一星到三星的核心指标", {1, 2, 3}),
        ("一到三星的核心指标", {1, 2, 3}),
        ("1-3星的核心指标", {1, 2, 3}),
        ("core indicators for levels 2-4", {2, 3, 4}),
        ("core indicators from level 1 to 3", {1, 2, 3}),
        ("一星和三星的核心指标", {1, 3}),
    ],
)
def test_ranges_name_every_level_between(question: str, levels: set[int]) -> None:
    reading = read_words(question)
    assert reading is not None and reading.levels == {Level(v) for v in levels}


def test_evidence_kinds_are_read() -> None:
    reading = read_words("平台截图和台账要多新")
    assert reading is not None
    assert reading.kinds == {EvidenceKind.SCREENSHOT, EvidenceKind.LEDGER}
    assert Cue.AGE in reading.cues


@pytest.mark.parametrize(
    ("a", "b", "bound", "distance"),
    [
        ("opration", "operation", 1, 1),
        ("operation", "operation", 1, 0),
        ("desing", "design", 1, 1),  # a swap of neighbours is one edit
        ("improvment", "improvement", 2, 1),
        ("strategy", "tragedy", 1, 2),  # more than the bound: bound + 1
        ("abc", "abcdef", 1, 2),
    ],
)
def test_edit_distance(a: str, b: str, bound: int, distance: int) -> None:
    assert edit_distance(a, b, bound) == distance


def _timed_read(text: str) -> float:
    started = time.perf_counter()
    read_words(text)
    return time.perf_counter() - started


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=4000))
def test_reading_never_raises_and_is_fast_on_any_text(text: str) -> None:
    assert _timed_read(text) < BOUND_S


_KNOWN = sorted(ZH_WORDS) + [f" {w} " for w in sorted(EN_WORDS)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_KNOWN + ["★", "-", "3", "opration ", "核芯指"]), max_size=800))
def test_reading_is_fast_on_text_made_of_known_words(parts: list[str]) -> None:
    # The worst case for a reader that stops at unknown words: every word is known.
    text = "".join(parts)[:4000]
    assert _timed_read(text) < BOUND_S


@pytest.mark.parametrize(
    "text",
    [
        "三星" * 2000,
        "服务运应" * 1000,
        "★" * 4000,
        "level 3 " * 500,
        "opration " * 444,
        "so-2-01" * 571,
        "1-" * 2000,
        "核" * 4000,
    ],
)
def test_reading_is_fast_on_hostile_runs(text: str) -> None:
    assert _timed_read(text) < BOUND_S
