"""The profile stage: which field to ask next and how to read the answer."""

from __future__ import annotations

import re

from assistant.interview.numerals import count_in_words
from assistant.interview.texts import say
from assistant.knowledge.schema import InstitutionType
from assistant.session.models import (
    MAX_NAME_CHARS,
    MAX_SERVICE_FIELDS_CHARS,
    MAX_SMES_PER_YEAR,
    Language,
    Profile,
    QuickReply,
)
from assistant.vocabulary import TYPES, star_label

__all__ = [
    "PROFILE_FIELDS",
    "ProfileAnswerError",
    "next_field",
    "profile_quick_replies",
    "read_field",
]

PROFILE_FIELDS = (
    "name",
    "institution_type",
    "service_fields",
    "smes_served_per_year",
    "target_stars",
)

# Checked in this order: "民办非企业单位" and "中小企业服务协会" contain 企业 but are non-profit.
_TYPE_CUES: tuple[tuple[InstitutionType, tuple[str, ...]], ...] = (
    (
        InstitutionType.NONPROFIT,
        (
            "公益",
            "非营利",
            "民办非企业",
            "民非",
            "non-profit",
            "nonprofit",
            "协会",
            "社会组织",
            "基金会",
            "商会",
        ),
    ),
    (InstitutionType.PUBLIC_SERVICE, ("公共服务", "public", "政府", "事业单位", "公共")),
    (InstitutionType.MARKET, ("市场化", "market", "企业", "公司", "commercial")),
)
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_UNSURE = ("不确定", "不知道", "unsure", "not sure", "stars:unsure")
_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")
_STARS = re.compile(r"[1-5]|[一二两三四五]")
# The same limits as ``Profile``: a typed answer is refused, never cut, and asked again.
_TEXT_LIMITS = {"name": MAX_NAME_CHARS, "service_fields": MAX_SERVICE_FIELDS_CHARS}


class ProfileAnswerError(ValueError):
    """The answer does not fit the field; ``key`` names the message to show, ``values``
    fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def next_field(profile: Profile, skipped: tuple[str, ...] = ()) -> str | None:
    for field in PROFILE_FIELDS:
        if getattr(profile, field) is None and field not in skipped:
            return field
    return None


def profile_quick_replies(field: str, language: Language) -> tuple[QuickReply, ...]:
    english = language == "en"
    if field == "institution_type":
        return tuple(
            QuickReply(value=f"type:{code.value}", label=label.pick(language))
            for code, label in TYPES.items()
        )
    if field == "target_stars":
        stars = tuple(
            QuickReply(value=f"stars:{n}", label=star_label(n, language)) for n in range(1, 6)
        )
        return (*stars, QuickReply(value="stars:unsure", label="Not sure" if english else "不确定"))
    return (QuickReply(value="skip", label="Skip" if english else "跳过"),)


def read_field(field: str, text: str) -> object:
    """The value for ``field``; ``None`` for an explicit 'not sure' on the target."""
    text = text.strip()
    if field == "institution_type":
        return _read_type(text)
    if field == "smes_served_per_year":
        return _read_number(text)
    if field == "target_stars":
        return _read_stars(text)
    if not text:
        raise ProfileAnswerError("profile." + field)
    limit = _TEXT_LIMITS.get(field, MAX_NAME_CHARS)
    if len(text) > limit:
        raise ProfileAnswerError(f"profile.{field}_too_long", limit=limit, length=f"{len(text):,}")
    return text


def _read_type(text: str) -> InstitutionType:
    if text.startswith("type:"):
        try:
            return InstitutionType(text.removeprefix("type:"))
        except ValueError:
            raise ProfileAnswerError("profile.invalid_type") from None
    lowered = text.lower()
    for code, cues in _TYPE_CUES:
        if any(cue in lowered for cue in cues):
            return code
    raise ProfileAnswerError("profile.invalid_type")


def _read_number(text: str) -> int:
    match = _NUMBER.search(text)
    if match:
        number = float(match.group().replace(",", "").replace("，", ""))
        if "万" in text[match.end() : match.end() + 2]:
            number *= 10_000
    else:  # "大概三百多家吧", "about two hundred"
        words = count_in_words(text)
        if words is None:
            raise ProfileAnswerError("profile.invalid_number")
        number = float(words)
    if number > MAX_SMES_PER_YEAR:  # also a run of digits that reads as infinity
        raise ProfileAnswerError("profile.number_too_large", limit=f"{MAX_SMES_PER_YEAR:,}")
    return round(number)


def _read_stars(text: str) -> int | None:
    lowered = text.lower()
    if any(word in lowered for word in _UNSURE):
        return None
    match = _STARS.search(lowered.removeprefix("stars:"))
    if not match:
        raise ProfileAnswerError("profile.invalid_stars")
    token = match.group()
    return int(token) if token.isdigit() else _CN_DIGITS[token]


def field_prompt(field: str, language: Language) -> str:
    return say("profile." + field, language)
