"""An indicator question shows the indicator's scoring guidance (评分细则) under its hints."""

from __future__ import annotations

import pytest

from assistant.interview.render import QuestionRenderer
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, Indicator, RuleSet
from assistant.session.models import Language, Profile, QuestionKind
from assistant.session.state import Pending
from tests.utils.interview import Driver, ScriptedMapper, make_service


def ask(catalog: Catalog, indicator: Indicator, language: Language) -> str:
    pending = Pending(kind=QuestionKind.INDICATOR, indicator_ids=(indicator.id,))
    return QuestionRenderer(catalog).text(pending, language, Profile(), {})


def with_english(catalog: Catalog) -> Indicator:
    found = next((i for i in catalog.indicators if i.scoring_en is not None), None)
    if found is None:
        pytest.skip("no indicator of the shipped catalog has scoring_en")
    return found


def test_a_chinese_question_shows_what_counts_as_met_and_what_is_sampled(
    real_catalog: Catalog,
) -> None:
    indicator = real_catalog.indicators[0]
    text = ask(real_catalog, indicator, "zh")
    assert f"> 怎样算满足：{indicator.scoring.met}" in text
    assert indicator.scoring.largely in text
    assert f"> 评估时抽查：{indicator.scoring.sample}" in text
    assert indicator.scoring.partly not in text  # two lines on a phone, not the whole rubric


def test_an_english_question_shows_the_english_guidance(real_catalog: Catalog) -> None:
    indicator = with_english(real_catalog)
    assert indicator.scoring_en is not None
    text = ask(real_catalog, indicator, "en")
    assert f"> What counts as met: {indicator.scoring_en.met}" in text
    assert f"> The assessor samples: {indicator.scoring_en.sample}" in text
    assert indicator.scoring.met not in text and "怎样算满足" not in text


def test_english_without_scoring_en_shows_no_chinese_guidance(real_catalog: Catalog) -> None:
    indicator = real_catalog.indicators[0].model_copy(update={"scoring_en": None})
    catalog = real_catalog.model_copy(
        update={"indicators": (indicator, *real_catalog.indicators[1:])}
    )
    text = ask(catalog, indicator, "en")
    assert indicator.scoring.met not in text
    assert indicator.scoring.sample not in text
    assert "怎样算满足" not in text and "What counts as met" not in text
    assert "The assessor samples" not in text


def test_the_interview_shows_the_first_indicators_guidance(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    service: InterviewService = make_service(real_catalog, real_rules, mapper=ScriptedMapper({}))
    driver = Driver.start(service)
    driver.fill_profile(target_stars=("quick", "stars:1"))
    assert driver.kind is QuestionKind.INDICATOR
    first = real_catalog.indicator(driver.ids[0])
    assert first.scoring.sample in driver.reply.text
