"""The profile stage: the field order, the buttons and how answers are read."""

from __future__ import annotations

import pytest

from assistant.interview.profile import (
    PROFILE_FIELDS,
    ProfileAnswerError,
    next_field,
    profile_quick_replies,
    read_field,
)
from assistant.knowledge.schema import InstitutionType
from assistant.session.models import Profile

T = InstitutionType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公共服务机构", T.PUBLIC_SERVICE),
        ("市场化服务机构", T.MARKET),
        ("社会公益组织", T.NONPROFIT),
        ("Public service institution", T.PUBLIC_SERVICE),
        ("Market service institution", T.MARKET),
        ("Non-profit organisation", T.NONPROFIT),
        ("我们是事业单位", T.PUBLIC_SERVICE),
        ("一家咨询公司", T.MARKET),
        ("行业协会", T.NONPROFIT),
        ("type:public_service", T.PUBLIC_SERVICE),
        ("type:market", T.MARKET),
        ("type:nonprofit", T.NONPROFIT),
    ],
)
def test_institution_type(text: str, expected: InstitutionType) -> None:
    assert read_field("institution_type", text) is expected


def test_a_private_non_enterprise_unit_is_non_profit() -> None:
    assert read_field("institution_type", "民办非企业单位") is T.NONPROFIT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("300", 300),
        ("约300家", 300),
        ("1,200", 1200),
        ("1，200家", 1200),
        ("大概 80 家左右", 80),
        ("3万家", 30_000),
        ("0", 0),
        ("大概三百多家吧", 300),
        ("一千二百家左右", 1200),
        ("两千", 2000),
        ("一百零五家", 105),
        ("三万五", 35_000),
        ("about three hundred", 300),
        ("two thousand five hundred firms", 2500),
    ],
)
def test_smes_served_per_year(text: str, expected: int) -> None:
    assert read_field("smes_served_per_year", text) == expected


def test_a_decimal_count_of_ten_thousands() -> None:
    assert read_field("smes_served_per_year", "1.2万") == 12_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三星", 3),
        ("3", 3),
        ("3星", 3),
        ("两星", 2),
        ("五星", 5),
        ("stars:1", 1),
        ("stars:4", 4),
        ("4 stars", 4),
        ("不确定", None),
        ("还不确定，想先看看", None),
        ("stars:unsure", None),
        ("Not sure", None),
    ],
)
def test_target_stars(text: str, expected: int | None) -> None:
    assert read_field("target_stars", text) == expected


@pytest.mark.parametrize(
    ("field", "text", "key"),
    [
        ("smes_served_per_year", "很多", "profile.invalid_number"),
        ("target_stars", "六星", "profile.invalid_stars"),
        ("target_stars", "0", "profile.invalid_stars"),
        ("institution_type", "不好说", "profile.invalid_type"),
        ("name", "   ", "profile.name"),
        ("service_fields", "", "profile.service_fields"),
    ],
)
def test_answers_that_do_not_fit_name_the_message(field: str, text: str, key: str) -> None:
    with pytest.raises(ProfileAnswerError) as raised:
        read_field(field, text)
    assert raised.value.key == key


def test_an_unknown_type_button_value_is_an_answer_error() -> None:
    with pytest.raises(ProfileAnswerError):
        read_field("institution_type", "type:government")


def test_text_answers_are_trimmed_and_kept_whole_up_to_the_limit() -> None:
    assert read_field("name", "  示例中心  ") == "示例中心"
    assert read_field("name", "中" * 200) == "中" * 200
    assert read_field("service_fields", "融资" * 250) == "融资" * 250


@pytest.mark.parametrize(
    ("field", "text", "key", "values"),
    [
        ("name", "中" * 201, "profile.name_too_long", {"limit": 200, "length": "201"}),
        (
            "name",
            "x" * 1_048_576,
            "profile.name_too_long",
            {"limit": 200, "length": "1,048,576"},
        ),
        (
            "service_fields",
            "融资" * 251,
            "profile.service_fields_too_long",
            {"limit": 500, "length": "502"},
        ),
        (
            "smes_served_per_year",
            "200000000",
            "profile.number_too_large",
            {"limit": "100,000,000"},
        ),
        ("smes_served_per_year", "9" * 4000, "profile.number_too_large", {"limit": "100,000,000"}),
        ("smes_served_per_year", "20001万", "profile.number_too_large", {"limit": "100,000,000"}),
    ],
    ids=["name-201", "name-1MB", "service_fields", "number", "digits", "wan"],
)
def test_answers_past_the_limits_are_refused_not_cut(
    field: str, text: str, key: str, values: dict[str, object]
) -> None:
    with pytest.raises(ProfileAnswerError) as refused:
        read_field(field, text)
    assert (refused.value.key, refused.value.values) == (key, values)


@pytest.mark.parametrize(
    ("profile", "skipped", "expected"),
    [
        (Profile(), (), "name"),
        (Profile(name="甲"), (), "institution_type"),
        (Profile(name="甲"), ("institution_type", "service_fields"), "smes_served_per_year"),
        (
            Profile(name="甲", institution_type=T.MARKET, service_fields="x"),
            (),
            "smes_served_per_year",
        ),
        (
            Profile(
                name="甲", institution_type=T.MARKET, service_fields="x", smes_served_per_year=1
            ),
            (),
            "target_stars",
        ),
        (Profile(name="甲", institution_type=T.MARKET), PROFILE_FIELDS, None),
        (
            Profile(
                name="甲",
                institution_type=T.MARKET,
                service_fields="x",
                smes_served_per_year=1,
                target_stars=2,
            ),
            (),
            None,
        ),
    ],
)
def test_next_field(profile: Profile, skipped: tuple[str, ...], expected: str | None) -> None:
    assert next_field(profile, skipped) == expected


def test_type_buttons() -> None:
    zh = profile_quick_replies("institution_type", "zh")
    assert [q.value for q in zh] == ["type:public_service", "type:market", "type:nonprofit"]
    assert [q.label for q in zh] == ["公共服务机构", "市场化服务机构", "社会公益组织"]
    en = profile_quick_replies("institution_type", "en")
    assert [q.label for q in en][0] == "Public service institution"


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("zh", ["一星", "二星", "三星", "四星", "五星", "不确定"]),
        ("en", ["One star", "Two stars", "Three stars", "Four stars", "Five stars", "Not sure"]),
    ],
)
def test_star_buttons(language: str, labels: list[str]) -> None:
    replies = profile_quick_replies("target_stars", "en" if language == "en" else "zh")
    assert [q.label for q in replies] == labels
    assert [q.value for q in replies][-1] == "stars:unsure"
    # every button value reads back as its own answer
    read = [read_field("target_stars", q.value) for q in replies]
    assert read == [1, 2, 3, 4, 5, None]


@pytest.mark.parametrize("field", ["name", "service_fields", "smes_served_per_year"])
def test_free_fields_offer_only_skip(field: str) -> None:
    assert [q.value for q in profile_quick_replies(field, "zh")] == ["skip"]
