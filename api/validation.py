"""A request that fails validation, explained in the caller's language.

Pydantic words its errors in English only ("String should have at most 4000 characters");
the limits a client meets most (lengths, counts, ranges, missing or unknown fields) are
said here in Chinese and English, naming the field, the limit and what was sent. Other
errors keep pydantic's text inside a sentence in the caller's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assistant.interview.models import Language

__all__ = ["error_field", "validation_message"]

_PART_CHARS = 32  # a dict key in a location may be a megabyte of junk: never echo it whole

_Texts = Callable[[str, Mapping[str, Any]], tuple[str, str]]


def error_field(loc: Sequence[object]) -> str:
    """``body.profile.name``: the location, each part cut short."""
    return ".".join(_short(str(part)) for part in loc)


def validation_message(error: Mapping[str, Any], language: Language) -> str:
    field = error_field(error.get("loc", ())) or "body"
    texts = _TEXTS.get(str(error.get("type", "")))
    if texts is None:
        return _generic(field, str(error.get("msg", "invalid")), language)
    context = {**(error.get("ctx") or {}), "input": error.get("input")}
    zh, en = texts(field, context)
    return en if language == "en" else zh


def _short(text: str) -> str:
    return text if len(text) <= _PART_CHARS else text[:_PART_CHARS] + "…"


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _generic(field: str, text: str, language: Language) -> str:
    if language == "en":
        return f"Invalid request: {field}: {text}"
    return f"请求内容有误：字段 {field!r} 不符合要求（{text}）。"


def _string_too_long(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    limit = _count(ctx.get("max_length"))
    value = ctx.get("input")
    got = f"（收到 {len(value):,} 个）" if isinstance(value, str) else ""
    got_en = f" (got {len(value):,})" if isinstance(value, str) else ""
    return (
        f"字段 {field!r} 过长：最多 {limit} 个字符{got}。",
        f"The field {field!r} is too long: at most {limit} characters{got_en}.",
    )


def _too_long(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    limit = _count(ctx.get("max_length"))
    actual = ctx.get("actual_length")
    got = f"（收到 {_count(actual)} 项）" if actual is not None else ""
    got_en = f" (got {_count(actual)})" if actual is not None else ""
    return (
        f"字段 {field!r} 的项数过多：最多 {limit} 项{got}。",
        f"The field {field!r} has too many entries: at most {limit}{got_en}.",
    )


def _string_too_short(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    least = _count(ctx.get("min_length"))
    return (
        f"字段 {field!r} 过短：至少 {least} 个字符。",
        f"The field {field!r} is too short: at least {least} characters.",
    )


def _at_most(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    limit = _count(ctx.get("le"))
    return (
        f"字段 {field!r} 超出范围：不得大于 {limit}。",
        f"The field {field!r} is out of range: at most {limit}.",
    )


def _at_least(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    least = _count(ctx.get("ge"))
    return (
        f"字段 {field!r} 超出范围：不得小于 {least}。",
        f"The field {field!r} is out of range: at least {least}.",
    )


def _missing(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    return (f"缺少必填字段 {field!r}。", f"The field {field!r} is required.")


def _extra(field: str, ctx: Mapping[str, Any]) -> tuple[str, str]:
    return (f"不认识的字段 {field!r}。", f"Unknown field {field!r}.")


_TEXTS: dict[str, _Texts] = {
    "string_too_long": _string_too_long,
    "too_long": _too_long,
    "string_too_short": _string_too_short,
    "less_than_equal": _at_most,
    "greater_than_equal": _at_least,
    "missing": _missing,
    "extra_forbidden": _extra,
}
