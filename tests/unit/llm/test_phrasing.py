"""Questions reworded by a (scripted) model, kept only when they still ask the same thing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.knowledge.schema import Catalog, FindingStatus, Indicator, InstitutionType
from assistant.llm.fallback import InvalidOutput, LlmMetrics
from assistant.llm.phrasing import ModelPhraser, check_rewrite, key_terms
from assistant.session.models import Profile
from assistant.session.state import RecordedFinding
from tests.utils.fake_chat import PlainPhraser, ScriptedChatModel

PROFILE = Profile(
    name="某区中小企业服务中心",
    institution_type=InstitutionType.PUBLIC_SERVICE,
    service_fields="创业辅导、融资对接",
)
TITLE = "服务后听取企业意见"
ORIGINAL = "贵机构做完一项服务后，是否会问企业满不满意、有什么意见，并把意见记下来？"
GOOD = "贵中心每次做完创业辅导或融资对接服务后，会不会问问企业满不满意、有什么意见，并记录下来？"


@pytest.fixture
def indicator(real_catalog: Catalog) -> Indicator:
    found = real_catalog.indicator("CSI-1-01")
    assert (found.title.zh, found.question) == (TITLE, ORIGINAL)
    return found


def test_key_terms_are_what_title_and_question_share() -> None:
    assert key_terms(TITLE, ORIGINAL, "zh") == {"服务", "企业", "意见"}
    assert key_terms("Client feedback after each service", "Do you ask for feedback?", "en") == {
        "feedb"
    }


def test_a_faithful_rewrite_passes_cleaned() -> None:
    assert check_rewrite(GOOD, ORIGINAL, TITLE, "zh") == GOOD
    assert check_rewrite(f"改写后的问题：「{GOOD}」", ORIGINAL, TITLE, "zh") == GOOD
    assert check_rewrite(f"\n{GOOD}\n这样问更贴切。", ORIGINAL, TITLE, "zh") == GOOD


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("贵中心做完服务后会听取企业意见。", "question mark"),
        ("意见？", "length"),
        (GOOD * 3, "length"),
        ("贵中心服务后是否听取企业意见？是否有记录？", "more than one question"),
        ("Do you ask SMEs for feedback after each service?", "language"),
        ("贵中心服务后是否听取企业意见，以便评为五星？", "rating claim"),
        ("贵中心服务后听取企业意见的做法是否满足要求？", "status word"),
        ("贵中心是否定期开展线上直播培训并统计参加人数？", "drops key terms"),
        ("好的！下面是改写：\n" + GOOD, "question mark"),
        (f"机构应回答以下问题：{GOOD}", "preamble"),
        ("", "empty"),
    ],
)
def test_a_rewrite_that_may_change_what_is_asked_is_refused(reply: str, reason: str) -> None:
    with pytest.raises(InvalidOutput, match=reason):
        check_rewrite(reply, ORIGINAL, TITLE, "zh")


def test_english_rewrites_are_checked_on_word_stems() -> None:
    original = "After each service, do you ask the client for feedback and record it?"
    title = "Client feedback after each service"
    good = "After each start-up coaching session, do you ask the client for feedback and record it?"
    assert check_rewrite(good, original, title, "en") == good
    with pytest.raises(InvalidOutput, match="key terms"):
        check_rewrite("Do you keep a list of your partners and contracts?", original, title, "en")
    with pytest.raises(InvalidOutput, match="preamble"):
        check_rewrite(
            f'The institution should respond to the question: "{original}"', original, title, "en"
        )


def test_the_phraser_serves_a_good_rewrite_and_prompts_with_the_profile(
    indicator: Indicator,
) -> None:
    chat = ScriptedChatModel().enqueue(GOOD)
    recent = [
        RecordedFinding(
            indicator_id="SO-1-02",
            status=FindingStatus.MET,
            reason="每次都记",
            updated_at=datetime(2025, 6, 1, tzinfo=UTC),
        )
    ]
    phraser = ModelPhraser(chat, PlainPhraser())
    assert phraser.phrase(indicator, language="zh", profile=PROFILE, recent=recent) == GOOD
    user = chat.calls[0][1].text
    for needle in (ORIGINAL, "创业辅导", "public_service", "SO-1-02: 满足 (每次都记)"):
        assert needle in user


@pytest.mark.parametrize(
    "reply",
    ["贵机构是否评为五星？", TimeoutError("slow"), "好的！下面是改写：\n" + GOOD, "  \n"],
)
def test_anything_else_keeps_the_original_question(
    indicator: Indicator, reply: str | Exception, caplog: pytest.LogCaptureFixture
) -> None:
    metrics = LlmMetrics()
    phraser = ModelPhraser(ScriptedChatModel().enqueue(reply), PlainPhraser(), metrics=metrics)
    assert phraser.phrase(indicator, language="zh", profile=PROFILE) == ORIGINAL
    assert metrics.stats("phrasing").fallbacks == 1
    assert "llm fallback: phrasing" in caplog.text


def test_the_same_question_is_not_asked_of_the_model_twice(indicator: Indicator) -> None:
    chat = ScriptedChatModel().enqueue(GOOD)  # one reply only: a second call would fail
    phraser = ModelPhraser(chat, PlainPhraser())
    first = phraser.phrase(indicator, language="zh", profile=PROFILE)
    assert phraser.phrase(indicator, language="zh", profile=PROFILE) == first == GOOD
    assert len(chat.calls) == 1
    other = PROFILE.model_copy(update={"service_fields": "技术转移"})
    assert phraser.phrase(indicator, language="zh", profile=other) == ORIGINAL  # no reply left
    assert phraser.phrase(indicator, language="zh", profile=other) == ORIGINAL  # remembered
    assert len(chat.calls) == 2 and phraser.metrics.stats("phrasing").calls == 2


def test_english_sessions_rephrase_the_english_question(indicator: Indicator) -> None:
    assert indicator.question_en
    chat = ScriptedChatModel().enqueue("你好？")
    phraser = ModelPhraser(chat, PlainPhraser())
    assert phraser.phrase(indicator, language="en", profile=PROFILE) == indicator.question_en
    assert "Original question: " + indicator.question_en in chat.calls[0][1].text
