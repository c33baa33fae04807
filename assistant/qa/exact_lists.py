"""Exact lists of indicators: the requirements of an area and/or level, and their cores.

A level's list is the indicators first required at that level; the answer says how many the
levels below add, since an area attains a level only after the levels below it (R.1.2).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.knowledge.schema import Indicator
from assistant.qa.exact_parts import (
    Draft,
    Knowledge,
    Sources,
    area_label,
    decimal,
    grouped,
    indicator_title,
    join,
    one_line,
    pick,
    select,
    sentences,
    stars,
    stars_range,
)
from assistant.qa.intent import Intent
from assistant.qa.models import Language

__all__ = ["cores_answer", "indicator_rows", "requirements_answer", "scope_label"]

REQUIREMENT_CHARS = 48  # the one-line requirement in a list
REQUIREMENT_CHARS_EN = 110
_LEVEL_RULE = "R.1.2"  # an area's level: cumulative, cores, threshold


def scope_label(knowledge: Knowledge, intent: Intent) -> str:
    """服务运营（SO）三星 / service operation (SO) at level 3 / 一星、二星 / levels 1 and 2."""
    language = intent.language
    areas = join((area_label(knowledge.catalog, a, language) for a in intent.areas), language)
    if language == "zh":
        levels = stars_range(intent.levels, language) if intent.levels else ""
        return f"{areas}{levels}" or "全部能力域"
    levels = _levels_en(intent.levels)
    if areas and levels:
        return f"{areas} at {levels}"
    return areas or levels or "all areas"


def _levels_en(levels: Sequence[int]) -> str:
    if not levels:
        return ""
    if len(levels) == 1:
        return f"level {levels[0]}"
    return "levels " + ", ".join(str(v) for v in levels[:-1]) + f" and {levels[-1]}"


def requirements_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    chosen = select(knowledge.catalog, intent.levels, intent.areas)
    if not intent.levels and not intent.areas:
        return _overview(knowledge, intent, sources)
    language = intent.language
    cores = [i.id for i in chosen if i.core]
    scope = scope_label(knowledge, intent)
    first = pick(
        language,
        f"{scope}共有 {len(chosen)} 条指标，其中核心指标 {len(cores)} 条"
        + (f"（{join(cores, language)}）" if cores else "")
        + "。",
        f"{_capital(scope)} has {len(chosen)} indicators, {len(cores)} of them core"
        + (f" ({join(cores, language)})" if cores else "")
        + ".",
    )
    # The indicators are the answer and are cited first; the rule behind the lead after them.
    cumulative = _cumulative(knowledge, intent, mark="")
    rows = indicator_rows(knowledge, intent, chosen, sources)
    after = _rule_source(sources, language) if cumulative else ""
    return Draft(sentences(language, first, cumulative), rows, after)


def cores_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    chosen = select(knowledge.catalog, intent.levels, intent.areas, core_only=True)
    language = intent.language
    scope = scope_label(knowledge, intent)
    lower = _lower_cores(knowledge, intent)
    if not chosen:
        return Draft(sentences(language, _no_core(knowledge, intent, sources), lower))
    # The indicators are the answer and are cited first: named in the lead when there are a
    # few, else in the list; the rule that makes them vetoes is cited after them.
    few = len(chosen) <= 3
    named = join((f"{_named(i, language)} {sources.indicator(i)}" for i in chosen), language)
    rows = indicator_rows(knowledge, intent, chosen, sources, mark_core=False)
    veto = _veto_sentence(intent, sources.clause(_LEVEL_RULE) if few else "")
    count = pick(
        language,
        f"{scope}的核心指标有 {len(chosen)} 条" + (f"：{named}。" if few else "。"),
        f"{_capital(scope)} has {len(chosen)} core indicator{'s' if len(chosen) > 1 else ''}"
        + (f": {named}." if few else "."),
    )
    lead = sentences(language, count, veto, lower)
    return Draft(lead, rows, "" if few else _rule_source(sources, language))


def _spaced(mark: str) -> str:
    return f" {mark}" if mark else ""


def _rule_source(sources: Sources, language: Language) -> str:
    """The line after a list that cites the rule its lead stated."""
    mark = sources.clause(_LEVEL_RULE)
    return pick(
        language,
        f"等级判定规则见附录 {_LEVEL_RULE}（本项目规则）{mark}。",
        f"The rule for attaining a level: Annex {_LEVEL_RULE} (project rules) {mark}.",
    )


def indicator_rows(
    knowledge: Knowledge,
    intent: Intent,
    indicators: Sequence[Indicator],
    sources: Sources,
    *,
    mark_core: bool = True,
) -> str:
    language = intent.language
    return grouped(
        knowledge.catalog,
        language,
        indicators,
        lambda i: _row(i, language, sources, mark_core),
        lambda members: pick(language, f"{len(members)} 条", f"{len(members)}"),
    )


def _row(indicator: Indicator, language: Language, sources: Sources, mark_core: bool) -> str:
    core = pick(language, " · **核心**", " · **core**") if mark_core and indicator.core else ""
    mark = sources.indicator(indicator)
    return (
        f"- **{indicator.id}** {indicator_title(indicator, language)}{core}"
        f" — {_requirement_line(indicator, language)} {mark}"
    )


def _requirement_line(indicator: Indicator, language: Language) -> str:
    """The requirement in one line; in English, what 'met' looks like (the requirement itself
    is written in Chinese only)."""
    if language == "en" and indicator.scoring_en is not None:
        return "met when: " + one_line(indicator.scoring_en.met, REQUIREMENT_CHARS_EN)
    return one_line(indicator.requirement, REQUIREMENT_CHARS)


def _named(indicator: Indicator, language: Language) -> str:
    return f"{indicator.id} {indicator_title(indicator, language)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cumulative(knowledge: Knowledge, intent: Intent, *, mark: str) -> str:
    """达到三星还须满足一星、二星的 N 条指标 / the levels below still hold."""
    language = intent.language
    if not intent.levels:
        return pick(
            language,
            f"每条指标从其所在等级起，对更高星级一直有效{_spaced(mark)}。",
            f"Each indicator holds from its own level upwards{_spaced(mark)}.",
        )
    top = max(intent.levels)
    below = list(range(1, min(intent.levels)))
    if not below:
        return ""
    count = len(select(knowledge.catalog, below, intent.areas))
    return pick(
        language,
        f"达到{stars(top, language)}还须满足{stars_range(below, language)}的 {count} 条指标，"
        f"各等级逐级判定{_spaced(mark)}。",
        f"{_capital(stars(top, language))} also needs the {count} indicators of "
        f"{stars_range(below, language)}: levels are attained one by one{_spaced(mark)}.",
    )


def _veto_sentence(intent: Intent, mark: str) -> str:
    language = intent.language
    statuses = pick(language, "满足或基本满足", "met or largely met")
    return pick(
        language,
        f"核心指标是否决项：所在等级的核心指标须为{statuses}，否则无论得分多高，"
        f"该能力域都达不到这一等级{_spaced(mark)}。",
        f"A core indicator is a veto: unless it is {statuses}, the area cannot attain its "
        f"level, whatever the score{_spaced(mark)}.",
    )


def _no_core(knowledge: Knowledge, intent: Intent, sources: Sources) -> str:
    language = intent.language
    scope = scope_label(knowledge, intent)
    threshold = decimal(knowledge.rules.threshold_for(max(intent.levels or [1])))
    mark = sources.clause(_LEVEL_RULE)
    return pick(
        language,
        f"{scope}没有核心指标：这一等级只看加权得分是否达到门槛值 {threshold} {mark}。",
        f"{_capital(scope)} has no core indicator: only the weighted score must reach the "
        f"threshold {threshold} {mark}.",
    )


def _lower_cores(knowledge: Knowledge, intent: Intent) -> str:
    if not intent.levels or min(intent.levels) == 1:
        return ""
    below = list(range(1, min(intent.levels)))
    count = len(select(knowledge.catalog, below, intent.areas, core_only=True))
    if not count:
        return ""
    language = intent.language
    return pick(
        language,
        f"{stars_range(below, language)}的 {count} 条核心指标仍须通过。",
        f"The {count} core indicators of {stars_range(below, language)} must pass too.",
    )


def _overview(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    """No area or level named: how many indicators each area has at each level."""
    language = intent.language
    catalog = knowledge.catalog
    total = len(catalog.indicators)
    cores = sum(1 for i in catalog.indicators if i.core)
    mark = sources.clause(_LEVEL_RULE)
    lead = pick(
        language,
        f"指标目录共有 {total} 条指标（核心指标 {cores} 条），分属 5 个能力域、一星至五星；"
        f"每条指标从其所在等级起对更高星级一直有效 {mark}。"
        "说出能力域或星级（如“服务运营三星有哪些要求”），我列出逐条要求。",
        f"The catalog has {total} indicators ({cores} core) across 5 areas and levels one to "
        f"five; each holds from its own level upwards {mark}. Name an area or a level "
        "(e.g. “What does level 3 require in operations?”) for the list.",
    )
    return Draft(lead, _count_table(knowledge, language))


def _count_table(knowledge: Knowledge, language: Language) -> str:
    catalog = knowledge.catalog
    head = pick(
        language, "| 能力域 | 一星 | 二星 | 三星 | 四星 | 五星 |", "| Area | 1 | 2 | 3 | 4 | 5 |"
    )
    lines = [head, "|---|---|---|---|---|---|"]
    for area in catalog.areas:
        counts = [
            len(select(catalog, [level], [area.code]))
            for level in range(1, len(catalog.levels) + 1)
        ]
        label = area_label(catalog, area.code, language)
        lines.append(f"| {label} | " + " | ".join(str(c) for c in counts) + " |")
    return "\n".join(lines)
