"""Counts written in words: the value of each numeral run, and nothing where there is none."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.interview.numerals import count_in_words

_DIGITS = "零一二三四五六七八九"


def _zh(number: int) -> str:
    """The formal Chinese numeral for 1 ≤ number < 100,000 (一万二千零五)."""
    parts: list[str] = []
    zero = False
    for unit, name in ((10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(_DIGITS[digit] + name)
            zero = False
        else:
            zero = True
    return "".join(parts)


@given(st.integers(min_value=1, max_value=99_999))
def test_every_formal_chinese_numeral_reads_as_its_value(number: int) -> None:
    assert count_in_words(f"大概{_zh(number)}家") == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十二家", 12),
        ("三十几家", 30),
        ("一千二", 1200),
        ("两百五", 250),
        ("一万多", 10_000),
        ("一万零五家", 10_005),  # the 五 after 万零 is units, not 15,000
        ("两万零三十", 20_030),
    ],
)
def test_colloquial_chinese_counts(text: str, expected: int) -> None:
    assert count_in_words(text) == expected


@pytest.mark.parametrize("text", ["很多", "不清楚", "lots of them", ""])
def test_no_count_means_none(text: str) -> None:
    assert count_in_words(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们想评一星，每年服务三百多家", 300),
        ("目标三级，一年大概两百家", 200),
        ("一共一千二百家", 1200),
        ("一些企业，大概五十家", 50),
    ],
)
def test_star_and_level_words_are_not_counts(text: str, expected: int) -> None:
    assert count_in_words(text) == expected


@pytest.mark.parametrize("text", ["想评一星", "三级", "一直在做"])
def test_only_a_star_or_level_means_none(text: str) -> None:
    assert count_in_words(text) is None
