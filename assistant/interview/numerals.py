"""Counts written in words, as people type them at a number question: 三百多家, 两千, 一千二,
about three hundred."""

from __future__ import annotations

import re

__all__ = ["count_in_words"]

_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
# A run that names a star or level (一星, 三级) is not a count, nor is 一 in words such as
# 一共, 一些 or 一年 (一年大概三百家 counts 300).
_NOT_COUNT_AFTER = frozenset("星级档")
_NOT_COUNT_AFTER_ONE = frozenset("共些直起般定样切致同半点年月天")
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_ZH_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_EN_WORD = re.compile(r"[a-z]+")
_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1000}


def count_in_words(text: str) -> int | None:
    """The first count ``text`` writes in Chinese or English words, or None."""
    for match in _ZH_RUN.finditer(text):
        if not _names_something_else(match.group(), text[match.end() : match.end() + 1]):
            return _zh_value(match.group())
    return _en_value(_EN_WORD.findall(text.lower()))


def _names_something_else(run: str, after: str) -> bool:
    return after in _NOT_COUNT_AFTER or (run == "一" and after in _NOT_COUNT_AFTER_ONE)


def _zh_value(run: str) -> int | None:
    total, section, digit, last_unit = 0, 0, None, 1
    for ch in run:
        if ch in ("零", "〇") and (section or total):
            last_unit = 1  # 一百零五, 一万零五: the 五 after a zero is units
        elif ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            last_unit = _ZH_UNITS[ch]
            section += (1 if digit is None else digit) * last_unit
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10_000
            section, digit, last_unit = 0, None, 10_000
    if digit is not None and last_unit > 10 and digit > 0:
        digit *= last_unit // 10  # 一千二 is 1,200 and 三万五 is 35,000
    value = total + section + (digit or 0)
    return value if value > 0 or run in ("零", "〇") else None


def _en_value(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for word in words:
        if word in _EN_SMALL:
            current += _EN_SMALL[word]
            seen = True
        elif word in _EN_SCALES and seen:
            current = max(current, 1) * _EN_SCALES[word]
            if word == "thousand":
                total, current = total + current, 0
        elif seen and word != "and":
            break
    return total + current if seen else None
