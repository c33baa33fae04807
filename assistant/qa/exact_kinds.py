"""Exact answers about one kind of evidence or about operating time, from the indicators'
direct evidence requirements: how many, how recent, how long in operation (annex R.3)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.knowledge.schema import (
    ASSESSOR_KINDS,
    OPERATING_TIME_KINDS,
    EvidenceKind,
    EvidenceRequirement,
    Indicator,
)
from assistant.qa.evidence_terms import (
    AGE_RULE,
    ASSESSOR_RULE,
    COUNT_RULE,
    DIRECT_RULE,
    MONTHS_RULE,
    Pair,
    requirement_terms,
)
from assistant.qa.exact_lists import scope_label
from assistant.qa.exact_parts import (
    Draft,
    Knowledge,
    Sources,
    direct_evidence,
    distribution,
    indicator_title,
    join,
    kind_label,
    pick,
    select,
    sentences,
)
from assistant.qa.intent import Intent
from assistant.qa.lexicon import Cue
from assistant.qa.models import Language

__all__ = ["evidence_kind_answer", "operating_time_answer"]

_LISTED_REQUIREMENTS = 15  # a kind's requirements listed one by one up to this many


# --- one kind of evidence: how many, how recent, how long -----------------------------------


def evidence_kind_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    chosen = select(knowledge.catalog, intent.levels, intent.areas, core_only=intent.core_only)
    pairs = [(i, r) for i in chosen for r in direct_evidence(i)]
    if len(intent.kinds) == 1:
        return _one_kind(knowledge, intent, intent.kinds[0], pairs, sources)
    kinds = intent.kinds or tuple(k for k in EvidenceKind if any(r.kind is k for _, r in pairs))
    return _kinds_table(knowledge, intent, kinds, pairs, sources)


def _scope_or_catalog(knowledge: Knowledge, intent: Intent) -> str:
    if intent.levels or intent.areas:
        return scope_label(knowledge, intent)
    return pick(intent.language, "指标目录", "the catalog")


def _one_kind(
    knowledge: Knowledge,
    intent: Intent,
    kind: EvidenceKind,
    pairs: Sequence[Pair],
    sources: Sources,
) -> Draft:
    language = intent.language
    mine = [(i, r) for i, r in pairs if r.kind is kind]
    label = kind_label(kind, language)
    scope = _scope_or_catalog(knowledge, intent)
    if not mine:
        return Draft(
            pick(
                language,
                f"{scope}没有以{label}为直接证据的要求 {sources.clause(DIRECT_RULE)}。",
                f"{scope[:1].upper()}{scope[1:]} asks for no {label} as direct evidence "
                f"{sources.clause(DIRECT_RULE)}.",
            )
        )
    opening = pick(
        language,
        f"{scope}中以{label}为直接证据的要求共 {len(mine)} 项。",
        f"{scope[:1].upper()}{scope[1:]} asks for {label} as direct evidence {len(mine)} times.",
    )
    said = [_dimension(dimension, kind, mine, language, sources) for dimension in _asked(intent)]
    lead = sentences(language, opening, *said)
    return Draft(lead, _kind_rows(mine, intent, language, sources))


def _asked(intent: Intent) -> list[Cue]:
    asked: list[Cue] = [c for c in (Cue.COUNT, Cue.AGE, Cue.MONTHS) if c in intent.cues]
    return asked or [Cue.COUNT, Cue.AGE]


def _dimension(
    dimension: Cue,
    kind: EvidenceKind,
    mine: Sequence[Pair],
    language: Language,
    sources: Sources,
) -> str:
    requirements = [r for _, r in mine]
    if dimension is Cue.COUNT:
        counts = distribution((r.min_count for r in requirements), _copies(language), language)
        return pick(
            language,
            f"每项要求的最少份数：{counts}；一份材料只满足一项要求 {sources.clause(COUNT_RULE)}。",
            f"Fewest copies per requirement: {counts}; one item meets one requirement "
            f"{sources.clause(COUNT_RULE)}.",
        )
    if dimension is Cue.AGE:
        return _age_sentence(kind, requirements, language, sources)
    return _months_sentence(kind, requirements, language, sources)


def _copies(language: Language) -> Callable[[int], str]:
    return lambda n: pick(language, f"{n} 份", f"{n} {'copy' if n == 1 else 'copies'}")


def _months(language: Language) -> Callable[[int], str]:
    return lambda n: pick(language, f"{n} 个月", f"{n} months")


def _age_sentence(
    kind: EvidenceKind,
    requirements: Sequence[EvidenceRequirement],
    language: Language,
    sources: Sources,
) -> str:
    label = kind_label(kind, language)
    if kind in ASSESSOR_KINDS:
        return pick(
            language,
            f"{label}只能由评估人员形成，机构自行上传的不算 {sources.clause(ASSESSOR_RULE)}。",
            f"Only an assessor makes a {label}; an upload never counts "
            f"{sources.clause(ASSESSOR_RULE)}.",
        )
    ages = [r.max_age_months for r in requirements if r.max_age_months is not None]
    if not ages:
        return pick(
            language,
            f"{label}不设最长时效，在有效期内即可 {sources.clause(AGE_RULE)}。",
            f"A {label} has no maximum age: it counts while in force {sources.clause(AGE_RULE)}.",
        )
    spread = distribution(ages, _months(language), language)
    span = _span(ages, _months(language))
    mark = sources.clause(AGE_RULE)
    return pick(
        language,
        f"{label}须在近 {span}内形成（最长时效 {spread}）{mark}。",
        f"A {label} must be dated within the last {span} (maximum age {spread}) {mark}.",
    )


def _months_sentence(
    kind: EvidenceKind,
    requirements: Sequence[EvidenceRequirement],
    language: Language,
    sources: Sources,
) -> str:
    label = kind_label(kind, language)
    running = [r.operating_months for r in requirements if r.operating_months is not None]
    mark = sources.clause(MONTHS_RULE)
    if kind not in OPERATING_TIME_KINDS:
        return pick(
            language,
            f"{label}只说明某一时点的状态，不能证明运行时间；"
            f"运行时间由记录、台账或报告证明 {mark}。",
            f"A {label} shows one moment and cannot prove operating time; records, ledgers "
            f"and reports do {mark}.",
        )
    if not running:
        return pick(
            language,
            f"这些要求都没有规定运行时间 {mark}。",
            f"None of these requirements sets an operating time {mark}.",
        )
    spread = distribution(running, _months(language), language)
    return pick(
        language,
        f"其中 {len(running)} 项要求规定了运行时间：{spread} {mark}。",
        f"{len(running)} of them set an operating time: {spread} {mark}.",
    )


def _kind_rows(
    mine: Sequence[Pair],
    intent: Intent,
    language: Language,
    sources: Sources,
    *,
    with_kind: bool = False,
) -> str:
    """Each requirement when there are few; else the indicator ids per asked value."""
    if len(mine) <= _LISTED_REQUIREMENTS:
        return "\n".join(
            _kind_row_line(i, r, language, sources, with_kind=with_kind) for i, r in mine
        )
    dimension = _asked(intent)[-1] if Cue.AGE not in intent.cues else Cue.AGE
    rows = []
    for value, members in _by_value(mine, dimension):
        ids = join(dict.fromkeys(i.id for i, _ in members), language)
        rows.append(f"- {_value_label(dimension, value, language)}（{len(members)}）：{ids}")
    return "\n".join(rows)


def _kind_row_line(
    indicator: Indicator,
    requirement: EvidenceRequirement,
    language: Language,
    sources: Sources,
    *,
    with_kind: bool,
) -> str:
    head = f"- **{indicator.id}** {indicator_title(indicator, language)}"
    terms = requirement_terms(requirement, language)
    if with_kind:
        kind = kind_label(requirement.kind, language)
        terms = pick(language, f"{kind}，{terms}", f"{kind}, {terms}")
    mark = sources.indicator(indicator)
    return pick(
        language,
        f"{head}（{terms}）：{requirement.description} {mark}",
        f"{head}: {terms} — {requirement.description} {mark}",
    )


def _by_value(mine: Sequence[Pair], dimension: Cue) -> list[tuple[int, list[Pair]]]:
    def value(pair: Pair) -> int:
        requirement = pair[1]
        if dimension is Cue.COUNT:
            return requirement.min_count
        if dimension is Cue.MONTHS:
            return requirement.operating_months or 0
        return requirement.max_age_months or 0

    return [(v, [p for p in mine if value(p) == v]) for v in sorted({value(p) for p in mine})]


def _value_label(dimension: Cue, value: int, language: Language) -> str:
    if dimension is Cue.COUNT:
        return pick(language, f"至少 {value} 份", f"at least {value}")
    if dimension is Cue.MONTHS:
        return (
            pick(language, f"运行满 {value} 个月", f"{value} months run")
            if value
            else pick(language, "无运行时间要求", "no operating time")
        )
    if not value:
        return pick(language, "在有效期内", "in force")
    return pick(language, f"近 {value} 个月内", f"within {value} months")


def _kinds_table(
    knowledge: Knowledge,
    intent: Intent,
    kinds: Sequence[EvidenceKind],
    pairs: Sequence[Pair],
    sources: Sources,
) -> Draft:
    language = intent.language
    scope = _scope_or_catalog(knowledge, intent)
    lead = pick(
        language,
        f"注明日期的材料（记录、台账、报告、平台截图、案例、计划）作为直接证据时都规定最长时效，"
        f"制度、证书和合同在有效期内即可 {sources.clause(AGE_RULE)}。"
        f"{scope}中各类材料的要求如下，份数见 {sources.clause(COUNT_RULE)}，"
        f"运行时间见 {sources.clause(MONTHS_RULE)}。",
        f"Dated evidence (records, ledgers, reports, screenshots, cases, plans) has a maximum "
        "age; policies, certificates and contracts count while in force "
        f"{sources.clause(AGE_RULE)}. "
        f"What {scope} asks of each kind is below; counts {sources.clause(COUNT_RULE)}, "
        f"operating time {sources.clause(MONTHS_RULE)}.",
    )
    head = pick(
        language,
        "| 材料类型 | 要求数 | 最少份数 | 最长时效 | 运行时间 |",
        "| Kind | Requirements | Fewest copies | Maximum age | Operating time |",
    )
    lines = [head, "|---|---|---|---|---|"]
    for kind in kinds:
        mine = [r for _, r in pairs if r.kind is kind]
        if mine:
            lines.append(_kind_row(kind, mine, language))
    return Draft(lead, "\n".join(lines))


def _kind_row(kind: EvidenceKind, mine: Sequence[EvidenceRequirement], language: Language) -> str:
    ages = [r.max_age_months for r in mine if r.max_age_months is not None]
    running = [r.operating_months for r in mine if r.operating_months is not None]
    age = _span(ages, _months(language)) or pick(language, "有效期内", "while in force")
    months = _span(running, _months(language)) or "—"
    counts = _span([r.min_count for r in mine], str)
    return f"| {kind_label(kind, language)} | {len(mine)} | {counts} | {age} | {months} |"


def _span(values: Sequence[int], unit: Callable[[int], str]) -> str:
    """ "6 个月" or "6–12 个月"; "" for no values."""
    if not values:
        return ""
    low, high = min(values), max(values)
    return unit(low) if low == high else f"{low}–{unit(high)}"


# --- operating time -------------------------------------------------------------------------


def operating_time_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    language = intent.language
    chosen = select(knowledge.catalog, intent.levels, intent.areas, core_only=intent.core_only)
    mine = [(i, r) for i in chosen for r in direct_evidence(i) if r.operating_months]
    scope = _scope_or_catalog(knowledge, intent)
    mark = sources.clause(MONTHS_RULE)
    if not mine:
        return Draft(
            pick(
                language,
                f"{scope}没有规定运行时间的证据要求 {mark}。",
                f"{scope[:1].upper()}{scope[1:]} sets no operating time {mark}.",
            )
        )
    spread = distribution((r.operating_months or 0 for _, r in mine), _months(language), language)
    lead = pick(
        language,
        f"{scope}有 {len(mine)} 项直接证据要求规定了运行时间：{spread}。"
        f"运行时间只能由覆盖相应时间跨度的记录、台账或报告证明，制度文件本身不能 {mark}。",
        f"{scope[:1].upper()}{scope[1:]} sets an operating time in {len(mine)} direct evidence "
        f"requirements: {spread}. Only records, ledgers or reports spanning that time prove "
        f"it, never a policy alone {mark}.",
    )
    return Draft(lead, _kind_rows(mine, intent, language, sources, with_kind=True))
