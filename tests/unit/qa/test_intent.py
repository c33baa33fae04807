"""Which exact question a question is, if any: the topic, its scope and its language."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.knowledge.schema import AreaCode, EvidenceKind, Level
from assistant.qa.intent import MAX_QUESTION_CHARS, Topic, recognise
from assistant.qa.lexicon import Cue

BOUND_S = 0.25


@pytest.mark.parametrize(
    ("question", "topic", "levels", "areas"),
    [
        ("服务运营三星有哪些要求", Topic.REQUIREMENTS, (3,), (AreaCode.SO,)),
        ("What does level 2 require in service design?", Topic.REQUIREMENTS, (2,), (AreaCode.SD,)),
        ("三星有多少条指标", Topic.REQUIREMENTS, (3,), ()),
        ("What are the indicators of strategy?", Topic.REQUIREMENTS, (), (AreaCode.SS,)),
        ("服务转化三星的核心指标是哪几条", Topic.CORES, (3,), (AreaCode.ST,)),
        ("Which indicators are core at level 4 in operations?", Topic.CORES, (4,), (AreaCode.SO,)),
        ("一星的否决项", Topic.CORES, (1,), ()),
        ("核心指标有哪些", Topic.CORES, (), ()),
        ("一星要准备哪些材料？", Topic.MATERIALS, (1,), ()),
        ("What evidence does level 1 need?", Topic.MATERIALS, (1,), ()),
        ("服务运营要准备哪些证据", Topic.MATERIALS, (), (AreaCode.SO,)),
        ("SO-2-01需要什么证据", Topic.INDICATOR, (), ()),
        ("How many records does SO-2-01 need?", Topic.INDICATOR, (), ()),
        ("SO-2-01的要求是什么", Topic.INDICATOR, (), ()),
        ("SO-2-01多久做一次", Topic.INDICATOR, (), ()),  # how often: that indicator answers
        ("平台截图要多新", Topic.EVIDENCE_KIND, (), ()),
        ("How old can a screenshot be?", Topic.EVIDENCE_KIND, (), ()),
        ("记录要几份", Topic.EVIDENCE_KIND, (), ()),
        ("三星要求哪些制度", Topic.EVIDENCE_KIND, (3,), ()),
        ("证据的时效要求", Topic.EVIDENCE_KIND, (), ()),
        ("三星需要运行多久", Topic.OPERATING_TIME, (3,), ()),
        ("How long must a practice be running at level 4?", Topic.OPERATING_TIME, (4,), ()),
        ("评级是怎么计算的", Topic.RATING, (), ()),
        ("How is the rating computed?", Topic.RATING, (), ()),
        ("门槛是多少", Topic.RATING, (), ()),
        ("What is the pass mark for level 5?", Topic.RATING, (5,), ()),
        ("核心指标不满足会怎样", Topic.RATING, (), ()),
        ("未评定和未达到有什么区别", Topic.RATING, (), ()),
        ("星级是取平均还是取最低", Topic.RATING, (), ()),
        ("标准是谁发布的", Topic.PROGRAMME, (), ()),
        ("Who publishes the standard?", Topic.PROGRAMME, (), ()),
        ("谁来评估", Topic.PROGRAMME, (), ()),
        ("Who assesses?", Topic.PROGRAMME, (), ()),
        ("怎么申请评估", Topic.PROGRAMME, (), ()),
        ("How do I apply?", Topic.PROGRAMME, (), ()),
        ("申请评估有什么条件", Topic.PROGRAMME, (), ()),
        ("申请评估要交哪些材料", Topic.PROGRAMME, (), ()),  # the application, not the evidence
        ("三星申报要准备哪些材料", Topic.MATERIALS, (3,), ()),
        ("过了评估有啥好处", Topic.PROGRAMME, (), ()),
        ("评上三星有什么用", Topic.PROGRAMME, (3,), ()),
        ("what do you get if you pass the assessment", Topic.PROGRAMME, (), ()),
        ("What are the benefits of the assessment?", Topic.PROGRAMME, (), ()),
    ],
)
def test_exact_questions_are_recognised(
    question: str, topic: Topic, levels: tuple[int, ...], areas: tuple[AreaCode, ...]
) -> None:
    intent = recognise(question)
    assert intent is not None
    assert intent.topic is topic
    assert intent.levels == tuple(Level(v) for v in levels) and intent.areas == areas
    assert intent.language == ("en" if question.isascii() else "zh")


@pytest.mark.parametrize(
    "question",
    [
        "什么是服务设计",
        "how do I register a company",
        "数据治理的含义",
        "四星对数据有什么要求？",  # a topic inside a level: retrieval quotes the clauses
        "What does four stars require of data?",
        "什么是核心指标",  # a definition: the clause says it best
        "啥是核心指标",
        "核心指标？",  # a term alone asks what it means
        "what exactly is a 'core indicator'?",
        "核心指标是啥",
        "战略评审一年要搞几次啊",  # how often: one indicator's requirement, not a list
        "三星战略评审多久搞一次 谁来评",  # how often, not how recent
        "一星每次服务的记录最少要记哪几项",  # what a record holds: one indicator's requirement
        "What fields must a service record contain?",
        "服务运营有什么好处",  # an area's practice, not what passing brings
        "How often must the strategy be reviewed?",
        "What is a 'core indicator' in this model?",
        "what's an indicator?",
        "今天天气怎么样？",
        "How do I bake bread?",
        "SO-2-01",  # an id alone asks nothing
        "服务运营",
        "三星",
        "证书有效期多久？",  # the certificate an assessment awards, not evidence
        "同一个文件可以给好几条指标共用吗？",
        "有哪些种类的材料可以当证据？",
        "增值税税率是多少？",
        "",
        "   ",
    ],
)
def test_other_questions_are_left_to_retrieval(question: str) -> None:
    assert recognise(question) is None


def test_a_long_text_is_never_an_exact_question() -> None:
    question = "服务运营三星有哪些要求"
    assert recognise(question) is not None
    assert recognise(question + "。" + "请" * MAX_QUESTION_CHARS) is None


def test_core_only_materials() -> None:
    intent = recognise("一星核心指标要准备哪些材料")
    assert intent is not None and intent.topic is Topic.MATERIALS and intent.core_only
    cores = recognise("一星的核心指标")
    assert cores is not None and not cores.core_only


def test_kinds_are_kept_in_the_vocabulary_order() -> None:
    intent = recognise("台账和制度要多新")
    assert intent is not None
    assert intent.kinds == (EvidenceKind.POLICY, EvidenceKind.LEDGER)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=4000))
def test_recognition_never_raises_and_is_fast(text: str) -> None:
    started = time.perf_counter()
    recognise(text)
    assert time.perf_counter() - started < BOUND_S


_WORDS = ["服务运营", "三星", "核心指标", "要求", "材料", "SO-2-01", "level 3", "谁", "评估", "？"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), max_size=60))
def test_recognition_never_raises_on_questions_of_known_words(parts: list[str]) -> None:
    intent = recognise("".join(parts))
    assert intent is None or intent.topic in Topic


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("五星 战略这块有哪些必须过的硬杠杠", "cores"),
        ("四星的硬指标有哪些", "cores"),
        ("二级设计那块都考核啥", "requirements"),
        ("三星运营方面要交哪些材料", "materials"),
    ],
)
def test_colloquial_words_for_cores_and_requirements(question: str, topic: str) -> None:
    intent = recognise(question)
    assert intent is not None and intent.topic == topic


def test_what_a_term_is_at_a_level_is_still_a_listing() -> None:
    intent = recognise("What are the core indicators at level 3?")
    assert intent is not None and intent.topic is Topic.CORES


@pytest.mark.parametrize("question", ["服务台账要留几个月的", "台账要覆盖多少个月"])
def test_months_a_record_must_cover_are_not_a_count(question: str) -> None:
    intent = recognise(question)
    assert intent is not None and intent.topic is Topic.EVIDENCE_KIND
    assert Cue.MONTHS in intent.cues and Cue.COUNT not in intent.cues


@pytest.mark.parametrize(
    ("question", "cue"),
    [
        ("what do we get if we pass", Cue.BENEFIT),
        ("What will we get after the assessment?", Cue.BENEFIT),
        ("评估通过能得到什么", Cue.BENEFIT),
        ("申请评估要交哪些材料", Cue.MATERIAL),
    ],
)
def test_what_passing_brings_and_what_to_apply_with_are_programme_questions(
    question: str, cue: Cue
) -> None:
    intent = recognise(question)
    assert intent is not None and intent.topic is Topic.PROGRAMME and cue in intent.cues


def test_what_we_need_to_get_a_level_is_not_a_benefit() -> None:
    intent = recognise("what do we need to get level 3")
    assert intent is None or Cue.BENEFIT not in intent.cues
