"""The dashboard's three charts as SVG, zh or en, each with a text alternative that states
every number the bars show.

The reports' radar chart (``assistant.reports.chart``) is a matplotlib PNG for documents;
these are drawn as SVG markup (``assistant.dashboard.svg``) for the page, with its colours.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.dashboard.models import MAX_STARS, Dashboard
from assistant.dashboard.svg import Series, grouped_bars, horizontal_bars
from assistant.vocabulary import Label, Language, star_label

__all__ = ["CHART_NAMES", "blockers_chart", "chart", "months_chart", "stars_chart"]

_TEXT: dict[str, Label] = {
    "stars": Label("各星级机构数", "Institutions at each star"),
    "declared": Label("申报", "Declared"),
    "evidenced": Label("证据", "Evidenced"),
    "signed": Label("签署", "Signed"),
    "months": Label("每月新建申请", "Applications by month created"),
    "sessions": Label("申请", "Applications"),
    "blockers": Label("升到{star}最常见的阻碍项", "Commonest blockers of {star}"),
    "none": Label("暂无数据。", "No data yet."),
    "sep": Label("；", "; "),
    "colon": Label("：", ": "),
    "comma": Label("，", ", "),
    "of": Label("（共 {n} 家机构以此为下一星级）", " ({n} institutions have it as next star)"),
}


def _t(key: str, language: Language, **values: object) -> str:
    return _TEXT[key].pick(language).format(**values)


def _join(items: list[str], language: Language) -> str:
    return _t("sep", language).join(items) + ("。" if language == "zh" else ".")


def stars_chart(board: Dashboard, language: Language) -> str:
    names = ("declared", "evidenced", "signed")
    series = [
        Series(_t(name, language), tuple(getattr(board.stars, name)), style)
        for style, name in enumerate(names)
    ]
    stars = [star_label(n, language) for n in range(MAX_STARS + 1)]
    colon, comma = _t("colon", language), _t("comma", language)
    desc = _join(
        [
            star + colon + comma.join(f"{s.name} {s.values[index]}" for s in series)
            for index, star in enumerate(stars)
        ],
        language,
    )
    title = _t("stars", language)
    return grouped_bars("stars", title, desc, stars, series)


def months_chart(board: Dashboard, language: Language) -> str:
    months = [m.month for m in board.by_month]
    series = [
        Series(_t("sessions", language), tuple(m.sessions for m in board.by_month)),
        Series(_t("signed", language), tuple(m.signed for m in board.by_month), 2),
    ]
    colon, comma = _t("colon", language), _t("comma", language)
    desc = (
        _join(
            [
                m.month + colon + comma.join(f"{s.name} {s.values[i]}" for s in series)
                for i, m in enumerate(board.by_month)
            ],
            language,
        )
        if months
        else _t("none", language)
    )
    return grouped_bars("months", _t("months", language), desc, months, series)


def blockers_chart(board: Dashboard, language: Language, level: int = 1) -> str:
    found = board.blockers[level - 1]
    title = _t("blockers", language, star=star_label(level, language, inline=True))
    labels = [
        f"{b.indicator_id} {b.title_en if language == 'en' else b.title_zh}" for b in found.blockers
    ]
    values = [b.count for b in found.blockers]
    colon = _t("colon", language)
    desc = (
        _join(
            [f"{label}{colon}{value}" for label, value in zip(labels, values, strict=True)],
            language,
        )
        + _t("of", language, n=found.applications)
        if labels
        else _t("none", language)
    )
    return horizontal_bars(f"blockers{level}", title, desc, labels, values)


CHART_NAMES = ("stars", "months", "blockers")
_CHARTS: dict[str, Callable[[Dashboard, Language, int], str]] = {
    "stars": lambda board, language, _level: stars_chart(board, language),
    "months": lambda board, language, _level: months_chart(board, language),
    "blockers": blockers_chart,
}


def chart(name: str, board: Dashboard, language: Language, *, level: int = 1) -> str:
    """One chart by name (``KeyError`` for an unknown name)."""
    return _CHARTS[name](board, language, level)
