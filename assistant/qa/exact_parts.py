"""What every exact answer is made of: the data it reads, numbered citations, labels, layout.

An exact answer opens with one to three sentences that answer the question, then a list or
table, then the notes and the sources; ``[n]`` in the text is ``citations[n-1]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from assistant import vocabulary
from assistant.knowledge.schema import (
    AREA_CODES,
    AreaCode,
    Catalog,
    EvidenceClass,
    EvidenceKind,
    EvidenceRequirement,
    Indicator,
    RuleSet,
)
from assistant.knowledge.standard import Clause, StandardDocument, in_project_annex
from assistant.qa.cite import clause_citation, indicator_citation
from assistant.qa.extractive import annex_notes, clause_label, is_project_rule
from assistant.qa.models import Answer, Citation, Language

__all__ = [
    "Draft",
    "Knowledge",
    "Sources",
    "area_label",
    "compose",
    "decimal",
    "direct_evidence",
    "distribution",
    "group",
    "grouped",
    "indicator_title",
    "join",
    "kind_label",
    "one_line",
    "pick",
    "select",
    "sentences",
    "stars",
    "stars_range",
]

T = TypeVar("T")
K = TypeVar("K")
EXACT_SCORE = 1.0  # exact answers come from the data, not from a ranking

_CATALOG_NOTE = {
    "zh": "指标目录是本项目编写的参考指标，不是标准的正式评估指标；"
    "正式评估以评估机构依据标准正式文本的判定为准。",
    "en": "The indicator catalog is this project's reference catalog, not the official list of "
    "indicators; the designated assessment bodies decide on the official text.",
}
_SOURCES = {"zh": "来源：", "en": "Sources: "}
_PROJECT_RULE = {"zh": "（本项目规则）", "en": " (project rules)"}


def pick(language: Language, zh: str, en: str) -> str:
    return en if language == "en" else zh


@dataclass(frozen=True)
class Knowledge:
    """The catalog, the rating rules and annex R's clauses (the project's own rules)."""

    catalog: Catalog
    rules: RuleSet
    clauses: Mapping[str, Clause]

    @classmethod
    def of(
        cls, catalog: Catalog, rules: RuleSet, documents: Iterable[StandardDocument]
    ) -> Knowledge:
        clauses = {
            clause.number: clause
            for document in documents
            if document.meta.get("rendition", "reference") == "reference"
            for clause in document.clauses
            if in_project_annex(clause.number)
        }
        return cls(catalog, rules, clauses)


@dataclass(frozen=True)
class Draft:
    """An answer's own part: the opening sentences, the list or table below them, and a line
    after it (the source of a rule the lead stated, cited after the list's items)."""

    lead: str
    body: str = ""
    after: str = ""


@dataclass
class Sources:
    """The citations of one answer, numbered in the order the text first cites them."""

    knowledge: Knowledge
    citations: list[Citation] = field(default_factory=list)

    def clause(self, number: str) -> str:
        """``[n]`` for a clause of annex R; "" when the rendition lacks it."""
        clause = self.knowledge.clauses.get(number)
        if clause is None:
            return ""
        return self._mark(clause_citation(clause, EXACT_SCORE))

    def clauses(self, *numbers: str) -> str:
        return "".join(self.clause(number) for number in numbers)

    def indicator(self, indicator: Indicator) -> str:
        return self._mark(indicator_citation(indicator, EXACT_SCORE))

    def _mark(self, citation: Citation) -> str:
        for number, cited in enumerate(self.citations, start=1):
            if (cited.clause, cited.indicator_id) == (citation.clause, citation.indicator_id):
                return f"[{number}]"
        self.citations.append(citation)
        return f"[{len(self.citations)}]"


def compose(question: str, language: Language, draft: Draft, sources: Sources) -> Answer:
    citations = tuple(sources.citations)
    notes = [_CATALOG_NOTE[language]] if any(c.indicator_id for c in citations) else []
    notes += annex_notes(citations, language)
    sources_line = _source_list(citations, language, sources.knowledge.catalog)
    parts = [draft.lead, draft.body, draft.after, *notes, sources_line]
    return Answer(
        question=question,
        language=language,
        covered=True,
        text="\n\n".join(part for part in parts if part),
        lead=draft.lead,
        citations=citations,
        kind="exact",
    )


def _source_list(citations: Sequence[Citation], language: Language, catalog: Catalog) -> str:
    if not citations:
        return ""
    labels = [
        f"[{n}] {_source_label(c, language, catalog)}" for n, c in enumerate(citations, start=1)
    ]
    return _SOURCES[language] + ("；" if language == "zh" else "; ").join(labels)


def _source_label(citation: Citation, language: Language, catalog: Catalog) -> str:
    clause = clause_label(citation.clause, language)
    if citation.indicator_id:
        title = indicator_title(catalog.indicator(citation.indicator_id), language)
        return pick(
            language,
            f"{citation.indicator_id} {title}（{clause}）",
            f"{citation.indicator_id} {title} ({clause})",
        )
    mark = _PROJECT_RULE[language] if is_project_rule(citation) else ""
    # the clauses' titles are Chinese only: an English line names the clause alone
    title = f" {citation.title}" if language == "zh" else ""
    return f"{clause}{title}{mark}"


# --- selecting and grouping indicators ----------------------------------------------------


def select(
    catalog: Catalog,
    levels: Sequence[int] = (),
    areas: Sequence[AreaCode] = (),
    *,
    core_only: bool = False,
) -> list[Indicator]:
    """The indicators in scope (every level or area when none is named), in the catalog's
    area order (strategy first), then by level and id."""
    chosen = [
        i
        for i in catalog.indicators
        if (not levels or i.level in levels)
        and (not areas or i.area in areas)
        and (i.core or not core_only)
    ]
    return sorted(chosen, key=lambda i: (AREA_CODES.index(i.area), i.level, i.id))


def group(items: Iterable[T], key: Callable[[T], K]) -> list[tuple[K, list[T]]]:
    """Consecutive runs of ``items`` with the same key, in order."""
    groups: list[tuple[K, list[T]]] = []
    for item in items:
        value = key(item)
        if groups and groups[-1][0] == value:
            groups[-1][1].append(item)
        else:
            groups.append((value, [item]))
    return groups


def grouped(
    catalog: Catalog,
    language: Language,
    indicators: Sequence[Indicator],
    row: Callable[[Indicator], str],
    count: Callable[[list[Indicator]], str],
) -> str:
    """Rows under a heading per area when several areas are listed, else per level when
    several levels are; a flat list otherwise. ``count`` says how many under a heading."""
    by_area = len({i.area for i in indicators}) > 1
    by_level = not by_area and len({i.level for i in indicators}) > 1
    if not by_area and not by_level:
        return "\n".join(row(i) for i in indicators)
    blocks = []
    for _, members in group(indicators, lambda i: i.area if by_area else i.level):
        first = members[0]
        heading = (
            area_label(catalog, first.area, language)
            if by_area
            else stars(int(first.level), language)
        )
        rows = "\n".join(row(i) for i in members)
        joint = "·" if language == "zh" else " · "
        blocks.append(f"**{heading}{joint}{count(members)}**\n\n{rows}")
    return "\n\n".join(blocks)


def direct_evidence(indicator: Indicator) -> list[EvidenceRequirement]:
    return [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]


def distribution(values: Iterable[int], unit: Callable[[int], str], language: Language) -> str:
    """Counts per value: 12 个月 29 项、24 个月 13 项 / 29 × 12 months, 13 × 24 months."""
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    parts = [
        pick(language, f"{unit(v)} {n} 项", f"{n} × {unit(v)}") for v, n in sorted(counts.items())
    ]
    return join(parts, language)


# --- labels -------------------------------------------------------------------------------


def join(parts: Iterable[str], language: Language) -> str:
    return ("、" if language == "zh" else ", ").join(parts)


def area_label(catalog: Catalog, code: AreaCode, language: Language) -> str:
    name = catalog.area(code).name
    return pick(language, f"{name.zh}（{code.value}）", f"{name.en} ({code.value})")


def stars(level: int, language: Language) -> str:
    """三星 / three stars."""
    return vocabulary.star_label(level, language, inline=True)


def stars_range(levels: Sequence[int], language: Language) -> str:
    """一星、二星 / one and two stars: the levels below a level, said briefly."""
    if len(levels) == 1:
        return stars(levels[0], language)
    if language == "zh":
        return "、".join(vocabulary.star_label(level, "zh") for level in levels)
    words = [vocabulary.star_label(level, "en", inline=True).split()[0] for level in levels]
    return ", ".join(words[:-1]) + f" and {words[-1]} stars"


def kind_label(kind: EvidenceKind, language: Language) -> str:
    return vocabulary.kind_label(kind, language, inline=True)


def indicator_title(indicator: Indicator, language: Language) -> str:
    return pick(language, indicator.title.zh, indicator.title.en)


def one_line(text: str, limit: int) -> str:
    """The first sentence; when longer than ``limit``, cut at the last clause boundary (a
    comma or semicolon) before it."""
    first = text.strip()
    for stop in ("。", ". "):
        head, found, _ = first.partition(stop)
        if found:
            first = head
    first = first.rstrip("。.")
    if len(first) <= limit:
        return first
    cut = max(first.rfind(mark, 0, limit) for mark in ("，", "；", "、", ", ", "; "))
    return (first[:cut] if cut > limit // 3 else first[:limit]).rstrip() + "……"


def decimal(value: float) -> str:
    """1.0, 0.8, 0.85: one decimal at least, no trailing zeros beyond it."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def sentences(language: Language, *parts: str) -> str:
    """Sentences one after another: no space between Chinese ones, one between English."""
    return ("" if language == "zh" else " ").join(part for part in parts if part)
