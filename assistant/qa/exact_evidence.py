"""Exact answers about evidence, from the indicators' direct evidence requirements: what to
prepare for a level, an area or one indicator; how many, how recent, how long in operation.

Only direct requirements are listed as what to prepare: indirect evidence supports a finding
but is never required (R.3.3). The numbers are the catalog's; annex R.3 explains them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.knowledge.schema import (
    ASSESSOR_KINDS,
    OPERATING_TIME_KINDS,
    EvidenceClass,
    EvidenceKind,
    EvidenceRequirement,
    Indicator,
)
from assistant.qa.exact_lists import scope_label
from assistant.qa.exact_parts import (
    Draft,
    Knowledge,
    Sources,
    area_label,
    direct_evidence,
    distribution,
    grouped,
    indicator_title,
    join,
    kind_label,
    pick,
    select,
    sentences,
    stars,
    stars_range,
)
from assistant.qa.intent import Intent
from assistant.qa.lexicon import Cue
from assistant.qa.models import Language

__all__ = [
    "evidence_kind_answer",
    "indicator_answer",
    "materials_answer",
    "operating_time_answer",
    "requirement_terms",
]

_DIRECT = "R.3.3"  # direct and indirect evidence
_AGE = "R.3.4"  # maximum age, in force
_MONTHS = "R.3.5"  # operating time
_COUNT = "R.3.6"  # how many
_ASSESSOR = "R.3.10"  # interview and observation: an assessor's
_LISTED_REQUIREMENTS = 15  # a kind's requirements listed one by one up to this many

Pair = tuple[Indicator, EvidenceRequirement]


def requirement_terms(requirement: EvidenceRequirement, language: Language) -> str:
    """至少 3 份，近 12 个月内形成，显示已运行满 12 个月 / at least 3, dated within 12 months…"""
    count = requirement.min_count
    terms = [pick(language, "1 份" if count == 1 else f"至少 {count} 份", f"at least {count}")]
    if requirement.assessor_only:
        terms.append(pick(language, "由评估人员访谈或查看后确认", "confirmed by an assessor"))
    elif requirement.max_age_months is not None:
        months = requirement.max_age_months
        terms.append(pick(language, f"近 {months} 个月内形成", f"dated within {months} months"))
    elif requirement.in_force:
        terms.append(pick(language, "在有效期内", "in force"))
    if requirement.operating_months is not None:
        months = requirement.operating_months
        terms.append(
            pick(language, f"显示已运行满 {months} 个月", f"showing {months} months of operation")
        )
    return ("，" if language == "zh" else ", ").join(terms)


def _requirement_line(requirement: EvidenceRequirement, language: Language) -> str:
    kind = kind_label(requirement.kind, language)
    terms = requirement_terms(requirement, language)
    return pick(
        language,
        f"{kind}，{terms}：{requirement.description}",
        f"{kind}, {terms} — {requirement.description}",
    )


def _rule_marks(
    requirements: Sequence[EvidenceRequirement], sources: Sources, *, direct: bool = True
) -> str:
    """The R.3 clauses behind the terms shown: direct evidence, age, operating time, count,
    assessors."""
    numbers = [_DIRECT] if direct else []
    if any(r.max_age_months is not None or r.in_force for r in requirements):
        numbers.append(_AGE)
    if any(r.operating_months is not None for r in requirements):
        numbers.append(_MONTHS)
    if any(r.min_count > 1 for r in requirements):
        numbers.append(_COUNT)
    if any(r.assessor_only for r in requirements):
        numbers.append(_ASSESSOR)
    return sources.clauses(*numbers)


# --- a level's or an area's materials -------------------------------------------------------


def materials_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    if not intent.levels and not intent.areas:
        return _materials_overview(knowledge, intent, sources)
    language = intent.language
    chosen = select(knowledge.catalog, intent.levels, intent.areas, core_only=intent.core_only)
    needed = [r for i in chosen for r in direct_evidence(i)]
    scope = scope_label(knowledge, intent)
    cores = sum(1 for i in chosen if i.core) if not intent.core_only else 0
    # The indicators are the answer and are cited first; the evidence rules after them.
    rows = _material_rows(knowledge, language, chosen, sources)
    direct, terms = sources.clause(_DIRECT), _rule_marks(needed, sources, direct=False)
    counted = pick(
        language,
        f"的核心指标共 {len(chosen)} 条" if intent.core_only else f"共 {len(chosen)} 条指标",
        f" has {len(chosen)} {'core ' if intent.core_only else ''}indicators",
    )
    first = pick(
        language,
        f"{scope}{counted}"
        + (f"（其中核心指标 {cores} 条）" if cores else "")
        + f"，需要准备 {len(needed)} 项直接证据材料。",
        f"{scope[:1].upper()}{scope[1:]}{counted}"
        + (f" ({cores} core)" if cores else "")
        + f", needing {len(needed)} pieces of direct evidence.",
    )
    layout = pick(
        language,
        "每条指标下列出其直接证据的份数、时效和运行时间要求。",
        "Each indicator lists its evidence with count, age and operating time.",
    )
    rules = pick(
        language,
        f"直接证据、份数、时效和运行时间的规则见附录 R.3（本项目规则）{direct}{terms}。",
        f"The rules on direct evidence, counts, age and operating time: Annex R.3 (project "
        f"rules) {direct}{terms}.",
    )
    lead = sentences(language, first, layout, _lower_levels(knowledge, intent))
    return Draft(lead, rows, rules)


def _material_rows(
    knowledge: Knowledge, language: Language, chosen: Sequence[Indicator], sources: Sources
) -> str:
    def row(indicator: Indicator) -> str:
        core = pick(language, " · **核心**", " · **core**") if indicator.core else ""
        head = f"- **{indicator.id}** {indicator_title(indicator, language)}{core}"
        lines = [f"{head} {sources.indicator(indicator)}"]
        lines += [f"  - {_requirement_line(r, language)}" for r in direct_evidence(indicator)]
        return "\n".join(lines)

    def count(members: list[Indicator]) -> str:
        pieces = sum(len(direct_evidence(i)) for i in members)
        return pick(
            language,
            f"{len(members)} 条指标，{pieces} 项材料",
            f"{len(members)} indicators, {pieces} pieces of evidence",
        )

    return grouped(knowledge.catalog, language, chosen, row, count)


def _lower_levels(knowledge: Knowledge, intent: Intent) -> str:
    if not intent.levels or min(intent.levels) == 1:
        return ""
    below = list(range(1, min(intent.levels)))
    lower = select(knowledge.catalog, below, intent.areas, core_only=intent.core_only)
    pieces = sum(len(direct_evidence(i)) for i in lower)
    top = max(intent.levels)
    language = intent.language
    return pick(
        language,
        f"达到{stars(top, language)}还须具备{stars_range(below, language)}指标的材料"
        f"（另 {len(lower)} 条指标、{pieces} 项）。",
        f"{stars(top, language).capitalize()} also needs the evidence of "
        f"{stars_range(below, language)} ({len(lower)} more indicators, {pieces} pieces).",
    )


def _materials_overview(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    language = intent.language
    catalog = knowledge.catalog
    needed = sum(len(direct_evidence(i)) for i in catalog.indicators)
    lead = pick(
        language,
        f"要准备的材料取决于星级和能力域：目录共 {len(catalog.indicators)} 条指标、"
        f"{needed} 项直接证据要求，各星级的数量见下表 {sources.clause(_DIRECT)}。"
        "说出星级或能力域（如“一星要准备哪些材料？”），我列出逐项清单。",
        f"What to prepare depends on the level and area: the catalog's "
        f"{len(catalog.indicators)} indicators need {needed} pieces of direct evidence, counted "
        f"by level below {sources.clause(_DIRECT)}. Name a level or an area (e.g. “What "
        "evidence does level 1 need?”) for the item-by-item list.",
    )
    head = pick(
        language,
        "| 星级 | 指标 | 核心指标 | 直接证据 |",
        "| Level | Indicators | Core | Direct evidence |",
    )
    lines = [head, "|---|---|---|---|"]
    for spec in catalog.levels:
        members = select(catalog, [spec.level])
        cores = sum(1 for i in members if i.core)
        pieces = sum(len(direct_evidence(i)) for i in members)
        lines.append(f"| {stars(spec.level, language)} | {len(members)} | {cores} | {pieces} |")
    return Draft(lead, "\n".join(lines))


# --- one indicator --------------------------------------------------------------------------


def indicator_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft | None:
    known = {i.id: i for i in knowledge.catalog.indicators}
    indicators = [known[ident] for ident in intent.indicator_ids if ident in known]
    if not indicators:
        return None
    about_evidence = bool(intent.kinds) or bool(
        intent.cues & {Cue.MATERIAL, Cue.AGE, Cue.MONTHS, Cue.COUNT}
    )
    leads, blocks = [], []
    for indicator in indicators[:3]:
        leads.append(
            _evidence_lead(knowledge, indicator, intent, sources)
            if about_evidence
            else _requirement_lead(knowledge, indicator, intent.language, sources)
        )
        blocks.append(_evidence_block(indicator, intent.language, sources, len(indicators) > 1))
    return Draft(sentences(intent.language, *leads), "\n\n".join(blocks))


def _where(knowledge: Knowledge, indicator: Indicator, language: Language) -> str:
    area = area_label(knowledge.catalog, indicator.area, language)
    level = int(indicator.level)
    core = pick(language, "，核心指标", ", core") if indicator.core else ""
    return pick(language, f"{area}{stars(level, language)}{core}", f"{area}, level {level}{core}")


def _evidence_lead(
    knowledge: Knowledge, indicator: Indicator, intent: Intent, sources: Sources
) -> str:
    language = intent.language
    direct = direct_evidence(indicator)
    asked = [r for r in direct if r.kind in intent.kinds] if intent.kinds else direct
    name = f"{indicator.id} {indicator_title(indicator, language)}"
    where = _where(knowledge, indicator, language)
    cited, terms = sources.indicator(indicator), _rule_marks(asked or direct, sources)
    if not asked:
        wanted = join((kind_label(k, language) for k in intent.kinds), language)
        return pick(
            language,
            f"{name}（{where}）{cited}没有以{wanted}为直接证据的要求；"
            f"它需要{_compact(direct, language)} {terms}。",
            f"{name} ({where}) {cited} asks for no {wanted} as direct evidence; it needs "
            f"{_compact(direct, language)} {terms}.",
        )
    return pick(
        language,
        f"{name}（{where}）{cited}需要{_compact(asked, language)} {terms}。",
        f"{name} ({where}) {cited} needs {_compact(asked, language)} {terms}.",
    )


def _compact(requirements: Sequence[EvidenceRequirement], language: Language) -> str:
    parts = [
        pick(language, f"{label}（{terms}）", f"{label} ({terms})")
        for label, terms in (
            (kind_label(r.kind, language), requirement_terms(r, language)) for r in requirements
        )
    ]
    if language == "en":
        return "; ".join(parts)
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]


def _requirement_lead(
    knowledge: Knowledge, indicator: Indicator, language: Language, sources: Sources
) -> str:
    name = f"{indicator.id} {indicator_title(indicator, language)}"
    where = _where(knowledge, indicator, language)
    mark = sources.indicator(indicator)
    if language == "en":
        met = indicator.scoring_en.met if indicator.scoring_en else indicator.requirement
        return f"{name} ({where}) is met when: {met} {mark}"
    return f"{name}（{where}）要求：{indicator.requirement} {mark}"


def _evidence_block(
    indicator: Indicator, language: Language, sources: Sources, titled: bool
) -> str:
    direct = [f"- {_requirement_line(r, language)}" for r in direct_evidence(indicator)]
    indirect = [
        f"- {kind_label(r.kind, language)} — {r.description}"
        for r in indicator.evidence
        if r.evidence_class is EvidenceClass.INDIRECT
    ]
    parts = [f"**{indicator.id} {indicator_title(indicator, language)}**"] if titled else []
    parts += [pick(language, "**直接证据**（必须提供）", "**Direct evidence** (required)"), *direct]
    if indirect:
        heading = pick(language, "**间接证据**（佐证，非必需）", "**Indirect evidence** (supports)")
        parts += ["", heading, *indirect]
    return "\n".join(parts)


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
                f"{scope}没有以{label}为直接证据的要求 {sources.clause(_DIRECT)}。",
                f"{scope[:1].upper()}{scope[1:]} asks for no {label} as direct evidence "
                f"{sources.clause(_DIRECT)}.",
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
            f"每项要求的最少份数：{counts}；一份材料只满足一项要求 {sources.clause(_COUNT)}。",
            f"Fewest copies per requirement: {counts}; one item meets one requirement "
            f"{sources.clause(_COUNT)}.",
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
            f"{label}只能由评估人员形成，机构自行上传的不算 {sources.clause(_ASSESSOR)}。",
            f"Only an assessor makes a {label}; an upload never counts "
            f"{sources.clause(_ASSESSOR)}.",
        )
    ages = [r.max_age_months for r in requirements if r.max_age_months is not None]
    if not ages:
        return pick(
            language,
            f"{label}不设最长时效，在有效期内即可 {sources.clause(_AGE)}。",
            f"A {label} has no maximum age: it counts while in force {sources.clause(_AGE)}.",
        )
    spread = distribution(ages, _months(language), language)
    span = _span(ages, _months(language))
    mark = sources.clause(_AGE)
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
    mark = sources.clause(_MONTHS)
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
        f"制度、证书和合同在有效期内即可 {sources.clause(_AGE)}。"
        f"{scope}中各类材料的要求如下，份数见 {sources.clause(_COUNT)}，"
        f"运行时间见 {sources.clause(_MONTHS)}。",
        f"Dated evidence (records, ledgers, reports, screenshots, cases, plans) has a maximum "
        f"age; policies, certificates and contracts count while in force {sources.clause(_AGE)}. "
        f"What {scope} asks of each kind is below; counts {sources.clause(_COUNT)}, "
        f"operating time {sources.clause(_MONTHS)}.",
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
    mark = sources.clause(_MONTHS)
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
