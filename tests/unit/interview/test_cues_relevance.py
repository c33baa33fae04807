"""An answer is read confidently only when it is about the indicator asked: words common to
the catalog do not count, and an answer that fits another indicator far better is put to the
user. Measured over the whole catalog with answers written for each indicator."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.interview.cues_relevance import (
    COMMON_SHARE,
    NO_CATALOG,
    CatalogWords,
    catalog_words,
    relevance,
)
from assistant.interview.cues_words import content_words, indicator_texts, wording
from assistant.interview.mapping import CONFIDENT, DeterministicMapper, read_answer
from assistant.knowledge.schema import Catalog, FindingStatus, Indicator
from assistant.session.models import Profile

TODAY = date(2025, 6, 15)
OFF_TOPIC = "我们中心有年度计划也有台账，每年都会做"  # the answer at SD-1-02
# An indicator must read its own answers confidently at least this often, and another
# indicator's answers at most this often (measured rates are printed).
OWN_FLOOR = 0.95
FOREIGN_CEILING = 0.05


def key_object(indicator: Indicator) -> str:
    """What an answer for this indicator says it has: its first evidence, without notes."""
    described = indicator.evidence[0].description if indicator.evidence else indicator.title.zh
    return re.split(r"[（(]", described)[0]


def answer_for(indicator: Indicator) -> str:
    return f"我们有{key_object(indicator)}"


def confident(text: str, indicator: Indicator, words: CatalogWords) -> bool:
    return read_answer(text, indicator, today=TODAY, catalog=words).confidence >= CONFIDENT


def users_of(catalog: Catalog, word: str) -> int:
    return sum(word in wording(indicator_texts(i)).words for i in catalog.indicators)


# ---------------------------------------------------------------------------- common words


def test_common_words_are_those_many_indicators_use(real_catalog: Catalog) -> None:
    words = catalog_words(real_catalog)
    floor = COMMON_SHARE * len(real_catalog.indicators)
    for word in ("服务", "企业", "台账", "记录"):  # the generic words
        assert users_of(real_catalog, word) >= floor and words.common(word), word
    rare = [w for w in content_words(OFF_TOPIC) if users_of(real_catalog, w) < floor]
    assert rare and not any(words.common(w) for w in rare)
    assert "中心" not in content_words(OFF_TOPIC)  # a self-reference, never content


def test_without_the_catalog_nothing_is_common() -> None:
    assert not NO_CATALOG.common("台账") and not NO_CATALOG.common("服务台账")


# ---------------------------------------------------------------------------- the case


def test_an_answer_sharing_only_common_words_is_put_to_the_user(real_catalog: Catalog) -> None:
    words = catalog_words(real_catalog)
    service_list = real_catalog.indicator("SD-1-02")
    reading = read_answer(OFF_TOPIC, service_list, today=TODAY, catalog=words)
    assert reading.status is FindingStatus.MET and reading.confidence < CONFIDENT
    assert reading.relevance == 0
    proposal = DeterministicMapper(today=TODAY, catalog=real_catalog).propose(
        OFF_TOPIC, service_list, language="zh", profile=Profile()
    )
    assert proposal.off_topic and "关系不大" in proposal.rationale
    assert "与指标内容相关" not in proposal.rationale
    assert proposal.quote and proposal.quote in OFF_TOPIC
    # the same words answer the planning indicator
    assert confident(OFF_TOPIC, real_catalog.indicator("SS-1-01"), words)


@pytest.mark.parametrize("negative", [False, True])
def test_whatever_the_polarity(real_catalog: Catalog, negative: bool) -> None:
    text = "我们没有年度计划，也没有台账" if negative else "有的，年度计划和台账都有"
    reading = read_answer(
        text, real_catalog.indicator("SD-1-02"), today=TODAY, catalog=catalog_words(real_catalog)
    )
    assert reading.confidence < CONFIDENT


def test_an_answer_fitting_another_indicator_far_better_is_not_related(
    real_catalog: Catalog,
) -> None:
    words = catalog_words(real_catalog)
    enquiries = real_catalog.indicator("SD-1-01")  # enquiries registered, with what became
    rectification = real_catalog.indicator("CSI-1-03")  # problems registered and fixed
    text = f"我们有{key_object(rectification)}"  # 问题整改登记表: shares 登记 with both
    shared = relevance(text, enquiries, words)
    assert shared is not None and shared.share > 0 and not shared.closest
    assert not confident(text, enquiries, words)
    own = relevance(text, rectification, words)
    assert own is not None and own.closest and own.share > 0


# ---------------------------------------------------------------------------- the catalog


def test_answers_for_other_indicators_are_never_confident_answers_for_its_own_are(
    real_catalog: Catalog,
) -> None:
    words = catalog_words(real_catalog)
    indicators = real_catalog.indicators
    own = sum(confident(answer_for(i), i, words) for i in indicators) / len(indicators)
    # every indicator against a third of the others, spread over the whole catalog
    pairs = [
        (asked, written)
        for a, asked in enumerate(indicators)
        for b, written in enumerate(indicators)
        if a != b and (a + b) % 3 == 0
    ]
    foreign = sum(confident(answer_for(w), asked, words) for asked, w in pairs) / len(pairs)
    print(f"\nown answers confident {own:.1%}; other indicators' answers confident {foreign:.1%}")
    assert own >= OWN_FLOOR
    assert foreign <= FOREIGN_CEILING
