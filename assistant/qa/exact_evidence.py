"""Exact answers about evidence, from the indicators' direct evidence requirements: what to
prepare for a level, an area or one indicator (one kind of evidence and operating time:
``assistant.qa.exact_kinds``).

Only direct requirements are listed as what to prepare: indirect evidence supports a finding
but is never required (R.3.3). The numbers are the catalog's; annex R.3 explains them.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.knowledge.schema import (
    EvidenceClass,
    EvidenceRequirement,
    Indicator,
)
from assistant.qa.evidence_terms import (
    DIRECT_RULE,
    requirement_line,
    requirement_terms,
    rule_marks,
)
from assistant.qa.exact_lists import scope_label
from assistant.qa.exact_parts import (
    Draft,
    Knowledge,
    Sources,
    area_label,
    direct_evidence,
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

__all__ = ["indicator_answer", "materials_answer"]


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
    direct, terms = sources.clause(DIRECT_RULE), rule_marks(needed, sources, direct=False)
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
        lines += [f"  - {requirement_line(r, language)}" for r in direct_evidence(indicator)]
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
        f"{needed} 项直接证据要求，各星级的数量见下表 {sources.clause(DIRECT_RULE)}。"
        "说出星级或能力域（如“一星要准备哪些材料？”），我列出逐项清单。",
        f"What to prepare depends on the level and area: the catalog's "
        f"{len(catalog.indicators)} indicators need {needed} pieces of direct evidence, counted "
        f"by level below {sources.clause(DIRECT_RULE)}. Name a level or an area (e.g. “What "
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
    cited, terms = sources.indicator(indicator), rule_marks(asked or direct, sources)
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
    direct = [f"- {requirement_line(r, language)}" for r in direct_evidence(indicator)]
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
