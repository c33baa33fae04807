"""How long a practice has run, read from an answer's time phrases (Chinese and English).

``operating_months("系统已运行半年", today=...)`` is 6. Durations ("运行了两年", "for six
months"), ages ("3个月前上线", "two months ago") and starts ("去年开始", "since 2023",
"2024年3月发布") are understood; a start is counted in whole months up to ``today``. A year
named without its month counts from the middle of that year (or of its elapsed part, for the
current year), because the speaker could mean any month of it. A start or a duration is only
read next to a verb of running or starting, so "带一个月" or "去年第三季度漏了一次" say
nothing about how long the practice has run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

__all__ = ["months_between", "operating_months"]

_ZH_DIGITS = {"零": 0, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_ZH_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "half a": 0.5,
}  # fmt: skip
_EN_MONTHS = {
    name: number
    for number, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip

_MONTH_NAMES = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_NUM_ZH = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)"
_NUM_EN = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + ")"
_RUN_ZH = r"(?:运行|执行|实行|实施|坚持|使用|用|开展|推行|上线|启用|做|跑|试行|存在|建立|搞|落实)"
_START_ZH = (
    r"(?:开始|起|以来|就|才|建|上线|启用|发布|出台|印发|推行|实施|运行|执行|实行|制定|成立|"
    r"设立|试行|投用|投入使用|用上|搭建|定的|定下|出)"
)
_UNIT_ZH = r"(?P<unit>个?月|年|周)"

# 已运行半年 / 运行了两年 / 上线才两个月 / 坚持了一年半 / 用了两年多了
_ZH_DURATION = re.compile(
    rf"{_RUN_ZH}(?:了|才|已|已经|有|将近|近|快)*(?P<half>半)?(?P<num>{_NUM_ZH})?{_UNIT_ZH}"
    rf"(?P<more>多|半)?"
    rf"|已经?(?:有)?(?P<num2>{_NUM_ZH})?(?P<half2>半)?(?P<unit2>个?月|年)(?P<more2>多|半)?(?:了|时间)"
)
# A number that starts where no number goes on: a search never restarts inside a long one.
_NUM_ZH_START = (
    r"(?:(?<![\d.])\d+(?:\.\d+)?"
    r"|(?<![零一二两三四五六七八九十])[零一二两三四五六七八九十]+)"
)
# 3个月前上线 / 半年前 / 一年多以前
_ZH_AGO = re.compile(
    rf"(?P<half>半)?(?P<num>{_NUM_ZH_START})?{_UNIT_ZH}(?P<more>多|半)?(?:以前|之前|前)"
)
# 2023年3月开始 / 去年12月才出台 / 今年初 / 前年建的 / 上个月刚发布
_ZH_START = re.compile(
    r"(?:(?:自|从|于)\s*)?"
    r"(?:(?P<year>20\d\d)\s*年|(?P<rel>去年|前年|今年|上一年|大前年))"
    r"(?:(?P<month>\d{1,2}|[一二三四五六七八九十]+)\s*月(?:份)?|(?P<part>初|底|年底|年初|中|上半年|下半年))?"
    rf"[^，,。;；]{{0,6}}?{_START_ZH}"
    r"|(?P<last_month>上个?月)[^，,。;；]{0,3}?"
    + _START_ZH
    # a month without its year is the latest such month: "4月份发布的"
    + r"|(?<![年\d个])(?P<bare_month>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?"
    + r"[^，,。;；]{0,6}?"
    + _START_ZH
)
_EN_DURATION = re.compile(
    rf"\bfor\s+(?:about\s+|almost\s+|over\s+|more\s+than\s+|nearly\s+)?"
    rf"(?P<num>{_NUM_EN})\s+(?P<unit>years?|months?|weeks?)"
)
# "shadows a colleague for a month before working alone" is a training period, not a run
_EN_NOT_A_RUN = re.compile(r"^\s*(?:before|until|after|each|every|per|at a time|of)\b")
_EN_AGO = re.compile(rf"\b(?P<num>{_NUM_EN})\s+(?P<unit>years?|months?|weeks?)\s+ago\b")
_EN_START = re.compile(
    r"\b(?:since|(?:start|launch|introduc|adopt|creat|establish|issu|publish|roll|approv)\w*"
    r"|began|begun|set up|went live)\b[^.;,]{0,30}?"
    r"(?:\b(?:in\s+)?(?:(?P<month>[a-z]{3,9})\.?\s+)?(?P<year>20\d\d)\b"
    r"|\b(?P<rel>last year|last month|this year)\b"
    rf"|\bin (?P<bare_month>{_MONTH_NAMES})\b(?! \d))"
)
_JUST_STARTED = re.compile(
    r"刚(?:刚)?(?:上线|启用|发布|出台|开始运行|推行|建立)|\bjust (?:launched|started)"
)
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def operating_months(text: str, *, today: date) -> int | None:
    """Whole months the answer says the practice has run, or None when it does not say."""
    normal = unicodedata.normalize("NFKC", text).lower()
    readers: tuple[Callable[[str, date], float | None], ...] = (
        _zh_duration,
        _zh_ago,
        _zh_start,
        _en_duration,
        _en_ago,
        _en_start,
    )
    for reader in readers:
        months = reader(normal, today)
        if months is not None:
            return max(0, int(months))
    if _JUST_STARTED.search(normal):
        return 0
    return None


def months_between(start: date, today: date) -> int:
    """Whole months from ``start`` to ``today`` (0 when ``start`` is later)."""
    months = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        months -= 1
    return max(0, months)


def _zh_number(token: str | None) -> float | None:
    if not token:
        return None
    if _DECIMAL.fullmatch(token):
        return float(token)
    if "十" in token:
        tens, _, units = token.partition("十")
        return float(_ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(units, 0))
    if len(token) == 1 and token in _ZH_DIGITS:
        return float(_ZH_DIGITS[token])
    return None


def _in_months(number: float, unit: str) -> float:
    if unit.startswith("年") or unit.startswith("year"):
        return number * 12
    if unit.startswith("周") or unit.startswith("week"):
        return number / 4
    return number


def _zh_amount(num: str | None, half: str | None, more: str | None, unit: str) -> float | None:
    """'两' '年' '半' → 30; '半' '年' → 6; '一' '年' '多' → 12 (多 adds nothing certain)."""
    number = _zh_number(num)
    if number is None:
        if not half:
            return None
        number = 0.0
    if half:
        number += 0.5
    if more == "半":
        number += 0.5
    return _in_months(number, unit)


def _zh_duration(text: str, today: date) -> float | None:
    for match in _ZH_DURATION.finditer(text):
        if match.group("unit"):
            amount = _zh_amount(
                match.group("num"), match.group("half"), match.group("more"), match.group("unit")
            )
        else:
            amount = _zh_amount(
                match.group("num2"),
                match.group("half2"),
                match.group("more2"),
                match.group("unit2"),
            )
        if amount is not None:
            return amount
    return None


def _zh_ago(text: str, today: date) -> float | None:
    for match in _ZH_AGO.finditer(text):
        amount = _zh_amount(
            match.group("num"), match.group("half"), match.group("more"), match.group("unit")
        )
        if amount is not None:
            return amount
    return None


def _zh_start(text: str, today: date) -> float | None:
    match = _ZH_START.search(text)
    if match is None:
        return None
    if match.group("last_month"):
        return 1
    if match.group("bare_month"):
        return _since_latest(int(_zh_number(match.group("bare_month")) or 0), today)
    year = _zh_year(match, today)
    month = _zh_number(match.group("month"))
    if month is not None and 1 <= month <= 12:
        return months_between(date(year, int(month), 1), today)
    return months_between(_year_part(year, match.group("part"), today), today)


def _zh_year(match: re.Match[str], today: date) -> int:
    if match.group("year"):
        return int(match.group("year"))
    offsets = {"今年": 0, "去年": 1, "上一年": 1, "前年": 2, "大前年": 3}
    return today.year - offsets[match.group("rel")]


def _since_latest(month: int, today: date) -> float | None:
    """Months since the latest first day of ``month`` not after ``today``."""
    if not 1 <= month <= 12:
        return None
    year = today.year if month <= today.month else today.year - 1
    return months_between(date(year, month, 1), today)


def _year_part(year: int, part: str | None, today: date) -> date:
    """The assumed start inside a year named without its month."""
    if part in ("初", "年初", "上半年"):
        return date(year, 1 if part != "上半年" else 4, 1)
    if part in ("底", "年底"):
        return date(year, 12, 1)
    if part == "下半年":
        return date(year, 10, 1)
    if year >= today.year:
        return date(year, max(1, (today.month + 1) // 2), 1)
    return date(year, 7, 1)


def _en_number(token: str) -> float | None:
    if _DECIMAL.fullmatch(token):
        return float(token)
    return _EN_NUMBERS.get(token)


def _en_duration(text: str, today: date) -> float | None:
    for match in _EN_DURATION.finditer(text):
        number = _en_number(match.group("num"))
        if number is not None and not _EN_NOT_A_RUN.match(text[match.end() :]):
            return _in_months(number, match.group("unit"))
    return None


def _en_ago(text: str, today: date) -> float | None:
    match = _EN_AGO.search(text)
    if match is None:
        return None
    number = _en_number(match.group("num"))
    return None if number is None else _in_months(number, match.group("unit"))


def _en_start(text: str, today: date) -> float | None:
    match = _EN_START.search(text)
    if match is None:
        return None
    bare = _EN_MONTHS.get(match.group("bare_month") or "")
    if bare is not None:
        return _since_latest(bare, today)
    relative = match.group("rel")
    if relative:
        if relative == "last month":
            return 1
        year = today.year - 1 if relative == "last year" else today.year
        return months_between(_year_part(year, None, today), today)
    if match.group("year") is None:
        return None
    year = int(match.group("year"))
    month = _EN_MONTHS.get(match.group("month") or "")
    if month is not None:
        return months_between(date(year, month, 1), today)
    return months_between(_year_part(year, None, today), today)
