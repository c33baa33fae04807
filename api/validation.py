"""A request that fails validation, explained in the caller's language.

Pydantic words its errors in English only ("String should have at most 4000 characters");
the limits a client meets most (lengths, counts, ranges, choices, missing or unknown fields,
a body that is not JSON) are said here in Chinese and English, naming the field as a user
calls it ("消息（body.text）"), the limit and what was sent. A check of our own models words
its message "English / 中文" and each language gets its half. Other errors keep pydantic's
text inside a sentence in the caller's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assistant.session.models import Language

__all__ = ["error_field", "validation_message"]

_PART_CHARS = 32  # a dict key in a location may be a megabyte of junk: never echo it whole

_Texts = Callable[[tuple[str, str], Mapping[str, Any]], tuple[str, str]]

# What a user calls the fields a client fills most (the last part of the location).
_FIELD_NAMES: dict[str, tuple[str, str]] = {
    "text": ("消息", "the message"),
    "question": ("问题", "the question"),
    "quick_reply": ("快捷回复", "the quick reply"),
    "answers": ("勾选结果", "the checklist answers"),
    "name": ("机构名称", "the institution's name"),
    "service_fields": ("服务领域", "the service fields"),
    "smes_served_per_year": ("年服务中小企业数", "the SMEs served per year"),
    "target_stars": ("目标星级", "the target stars"),
    "reason": ("理由", "the reason"),
    "code": ("恢复码", "the resume code"),
    "language": ("语言", "the language"),
    "k": ("返回条数", "the number of passages"),
}


def error_field(loc: Sequence[object]) -> str:
    """``body.profile.name``: the location, each part cut short."""
    return ".".join(_short(str(part)) for part in loc)


def validation_message(error: Mapping[str, Any], language: Language) -> str:
    loc = tuple(error.get("loc", ()))
    label = _label(loc)
    kind = str(error.get("type", ""))
    if kind == "value_error":
        zh, en = _value_error(label, str(error.get("msg", "")))
    elif kind in _TEXTS:
        context = {**(error.get("ctx") or {}), "input": error.get("input")}
        zh, en = _TEXTS[kind](label, context)
    else:
        return _generic(error_field(loc) or "body", str(error.get("msg", "invalid")), language)
    return en if language == "en" else zh


def _label(loc: Sequence[object]) -> tuple[str, str]:
    """How to name the field in each language: "消息（body.text）", "the message (body.text)";
    a field without a common name by its location alone."""
    field = error_field(loc) or "body"
    names = _FIELD_NAMES.get(str(loc[-1])) if loc else None
    if names is None:
        return f"字段 {field}", f"the field {field}"
    return f"{names[0]}（{field}）", f"{names[1]} ({field})"


def _short(text: str) -> str:
    return text if len(text) <= _PART_CHARS else text[:_PART_CHARS] + "…"


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _generic(field: str, text: str, language: Language) -> str:
    if language == "en":
        return f"Invalid request: {field}: {text}"
    return f"请求内容有误：字段 {field!r} 不符合要求（{text}）。"


def _value_error(label: tuple[str, str], text: str) -> tuple[str, str]:
    """A check of our own models words its message "English / 中文": each language its half."""
    text = text.removeprefix("Value error, ")
    en, _, zh = text.partition(" / ")
    return (
        f"{label[0]}有误：{zh or en}。",
        f"{_capital(label[1])} is not valid: {en}.",
    )


def _string_too_long(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    limit = _count(ctx.get("max_length"))
    value = ctx.get("input")
    got = f"，收到 {len(value):,} 个" if isinstance(value, str) else ""
    got_en = f", got {len(value):,}" if isinstance(value, str) else ""
    return (
        f"{label[0]}过长：最多 {limit} 个字符{got}。请缩短后重试。",
        f"{_capital(label[1])} is too long: at most {limit} characters{got_en}. "
        "Please shorten it and try again.",
    )


def _too_long(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    limit = _count(ctx.get("max_length"))
    actual = ctx.get("actual_length")
    got = f"（收到 {_count(actual)} 项）" if actual is not None else ""
    got_en = f" (got {_count(actual)})" if actual is not None else ""
    return (
        f"{label[0]}的项数过多：最多 {limit} 项{got}。",
        f"{_capital(label[1])} has too many entries: at most {limit}{got_en}.",
    )


def _string_too_short(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    least = _count(ctx.get("min_length"))
    return (
        f"{label[0]}过短：至少 {least} 个字符。",
        f"{_capital(label[1])} is too short: at least {least} characters.",
    )


def _at_most(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    limit = _count(ctx.get("le"))
    return (
        f"{label[0]}超出范围：不得大于 {limit}。",
        f"{_capital(label[1])} is out of range: at most {limit}.",
    )


def _at_least(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    least = _count(ctx.get("ge"))
    return (
        f"{label[0]}超出范围：不得小于 {least}。",
        f"{_capital(label[1])} is out of range: at least {least}.",
    )


def _missing(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    return (f"缺少必填项：{label[0]}。", f"{_capital(label[1])} is required.")


def _extra(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    return (f"不认识的{label[0]}。", f"Unknown {label[1].removeprefix('the ')}.")


def _choice(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    expected = str(ctx.get("expected", ""))
    return (
        f"{label[0]}的取值无效，应为：{expected}。",
        f"{_capital(label[1])} must be one of: {expected}.",
    )


def _json_invalid(label: tuple[str, str], ctx: Mapping[str, Any]) -> tuple[str, str]:
    return ("请求正文不是有效的 JSON。", "The request body is not valid JSON.")


_TEXTS: dict[str, _Texts] = {
    "string_too_long": _string_too_long,
    "too_long": _too_long,
    "string_too_short": _string_too_short,
    "less_than_equal": _at_most,
    "greater_than_equal": _at_least,
    "missing": _missing,
    "extra_forbidden": _extra,
    "literal_error": _choice,
    "enum": _choice,
    "json_invalid": _json_invalid,
}
