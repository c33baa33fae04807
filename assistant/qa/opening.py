"""The answer first: one to three sentences that answer a retrieved question, with [n] markers.

Deterministic, from the cited items alone. A requirement question opens with the best
indicator's or clause's requirement, shortened to whole sentences; an evidence question with
the materials the closest indicators ask for; a definition question with the closest clause,
and says so when the standard does not define the term. English sentences are written from
the catalog's English fields (titles, 评分细则 in English), never from Chinese text.

``open_answer`` also puts the citations it mentions first, so ``[n]`` is ``citations[n-1]``
and the numbers appear in the text in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.knowledge.schema import Catalog, EvidenceClass, EvidenceRequirement, Indicator
from assistant.knowledge.standard import in_project_annex
from assistant.qa.labels import document_name
from assistant.qa.models import Citation, Language
from assistant.vocabulary import kind_label, star_label

__all__ = [
    "LEAD_LIMIT",
    "Opening",
    "QuestionKind",
    "defined_term",
    "indicator_name",
    "marker",
    "named_levels",
    "open_answer",
    "question_kind",
    "sentences_within",
    "stars_label",
]

LEAD_LIMIT = 110  # characters of requirement text an opening sentence keeps (whole sentences)
_MORE = 2  # further citations named in the "另见 / See also" sentence
_EVIDENCE_ITEMS = 3
_ZH_STOP = re.compile(r"(?<=[。！？])")
_EN_STOP = re.compile(r"(?<=[.!?])\s")

_EVIDENCE_WORDS = ("材料", "证据", "证明", "资料", "佐证", "提交什么", "准备什么", "提供什么")
_EVIDENCE_WORDS_EN = ("evidence", "document", "material", "proof", "paperwork", "records")
_DEFINITION_WORDS = (
    "是什么意思",
    "什么意思",
    "是什么",
    "指什么",
    "的含义",
    "含义",
    "的定义",
    "定义",
)
_DEFINITION_PREFIXES = ("请问", "什么是", "什么叫", "何谓", "啥是", "怎么理解")
# "一星的要求是什么" asks for requirements, not for a term
_NOT_A_TERM = ("要求", "需要", "应该", "怎么", "如何", "哪些", "多少", "什么时候", "谁", "区别")
_MAX_TERM_CHARS = 12
_STAR_EN = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_ORDINAL_EN = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


class QuestionKind(StrEnum):
    REQUIREMENT = "requirement"  # what is required (the default)
    EVIDENCE = "evidence"  # which materials
    DEFINITION = "definition"  # what a term means


def question_kind(question: str) -> QuestionKind:
    """Evidence when it asks for materials; definition when it asks what a term means (in
    Chinese: the English opening names no Chinese term); requirement otherwise."""
    lowered = question.lower()
    if any(w in question for w in _EVIDENCE_WORDS) or any(w in lowered for w in _EVIDENCE_WORDS_EN):
        return QuestionKind.EVIDENCE
    if defined_term(question):
        return QuestionKind.DEFINITION
    return QuestionKind.REQUIREMENT


def named_levels(question: str) -> tuple[int, ...]:
    """The star levels a question names: 一星/3星 or "level 3", "three stars", "3-star"."""
    lowered = question.lower()
    found = []
    for level in range(1, 6):
        forms = (
            star_label(level, "zh"),
            f"{level}星",
            f"{_STAR_EN[level]} star",
            f"{level} star",
            f"{level}-star",
            f"level {level}",
            f"{_ORDINAL_EN[level]} level",
        )
        if any(form in lowered for form in forms):
            found.append(level)
    return tuple(found)


def defined_term(question: str) -> str:
    """The term a Chinese definition question asks about ("数据治理是什么意思" → 数据治理);
    "" when the question is not one ("一星的要求是什么", an English question)."""
    asked = question.strip().rstrip("？?。.！! ")
    term = asked
    for prefix in _DEFINITION_PREFIXES:
        term = term.removeprefix(prefix)
    for word in _DEFINITION_WORDS:
        term = term.removesuffix(word)
    term = term.strip("“”\"' ，,")
    if term == asked or not term or len(term) > _MAX_TERM_CHARS or not _has_cjk(term):
        return ""
    if named_levels(term) or any(word in term for word in _NOT_A_TERM):
        return ""
    return term


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@dataclass(frozen=True)
class Opening:
    lead: str
    citations: tuple[Citation, ...]  # the mentioned ones first: [n] is citations[n-1]


def marker(number: int) -> str:
    return f"[{number}]"


def sentences_within(text: str, limit: int, language: Language, most: int = 2) -> str:
    """Whole sentences up to about ``limit`` characters and at most ``most`` of them; at least
    the first one. Without its final full stop, for a marker to go before it."""
    flat = " ".join(line.strip() for line in text.splitlines() if line.strip())
    stop = _ZH_STOP if language == "zh" else _EN_STOP
    kept: list[str] = []
    for sentence in (s for s in stop.split(flat) if s.strip()):
        if kept and (len(kept) == most or len("".join(kept)) + len(sentence) > limit):
            break
        kept.append(sentence)
    joined = ("" if language == "zh" else " ").join(s.strip() for s in kept)
    return joined.rstrip("。；;.")


def _end(body: str, marks: str, language: Language) -> str:
    """A sentence with its markers before the full stop."""
    return f"{body}{marks}。" if language == "zh" else f"{body} {marks}."


# --- naming what is cited ---------------------------------------------------------------------


def stars_label(level: int, language: Language) -> str:
    return star_label(level, language, inline=True)


def indicator_name(indicator: Indicator, catalog: Catalog, language: Language) -> str:
    """四星·服务运营的核心指标 SO-4-05“…” / SO-4-05 “…” (four stars, Service operation, core)."""
    area = catalog.area(indicator.area).name
    level = int(indicator.level)
    if language == "zh":
        kind = "核心指标" if indicator.core else "指标"
        return f"{star_label(level, 'zh')}·{area.zh}的{kind} {indicator.id}“{indicator.title.zh}”"
    core = ", core indicator" if indicator.core else ""
    stars = star_label(level, "en", inline=True)
    return f"{indicator.id} “{indicator.title.en}” ({stars}, {area.en}{core})"


def _clause_name(citation: Citation, language: Language) -> str:
    """附录 R.1.2（本项目规则）“…” / 参考文本第 9.4.2 条“…”; English names no Chinese title."""
    if language == "en":
        document = document_name(citation, "en")
        if citation.rendition == "operator":
            return f"clause {citation.clause} of the document you added"
        return f"{document}, {citation.clause}"
    if citation.label.startswith("附录"):
        return f"{citation.label}“{citation.title}”"
    document = "参考文本" if citation.rendition == "reference" else citation.document
    number = citation.clause
    where = f"第 {number} 条" if number[:1].isdigit() else number
    return f"{document}{where}“{citation.title}”"


def _short_name(citation: Citation, catalog: Catalog, language: Language) -> str:
    if citation.indicator_id:
        indicator = catalog.indicator(citation.indicator_id)
        title = indicator.title.zh if language == "zh" else f" “{indicator.title.en}”"
        return f"{indicator.id}“{title}”" if language == "zh" else f"{indicator.id}{title}"
    return _clause_name(citation, language)


# --- the sentences ------------------------------------------------------------------------------


def _requirement(citation: Citation, catalog: Catalog, language: Language) -> str:
    if citation.indicator_id:
        indicator = catalog.indicator(citation.indicator_id)
        name = indicator_name(indicator, catalog, language)
        if language == "zh":
            shown = sentences_within(indicator.requirement, LEAD_LIMIT, "zh")
            return _end(f"{name}要求：{shown}", marker(1), "zh")
        return _english_requirement(indicator, name)
    if language == "en":
        return (
            f"The closest passage is {_clause_name(citation, 'en')} {marker(1)}; it is quoted "
            "below as the standard writes it, in Chinese."
        )
    shown = sentences_within(citation.text, LEAD_LIMIT, "zh")
    return _end(f"{_clause_name(citation, 'zh')}规定：{shown}", marker(1), "zh")


def _english_requirement(
    indicator: Indicator, name: str, number: int = 1, closest: str = "requirement"
) -> str:
    first = f"The closest {closest} is {name} {marker(number)}."
    scoring = indicator.scoring_en
    if scoring is None:
        return first
    met = sentences_within(scoring.met, LEAD_LIMIT, "en", most=1)
    return f"{first} It counts as met when: {met}."


def _english_indicator(citations: Sequence[Citation], catalog: Catalog) -> str:
    """For an English question whose best passage is a Chinese clause: the first indicator
    among the next two, named with when it counts as met (its fields are in English); "" when
    there is none."""
    for number, citation in enumerate(citations[1 : 1 + _MORE], start=2):
        if not citation.indicator_id:
            continue
        indicator = catalog.indicator(citation.indicator_id)
        name = indicator_name(indicator, catalog, "en")
        return _english_requirement(indicator, name, number, "indicator")
    return ""


def _see_also(citations: Sequence[Citation], catalog: Catalog, language: Language) -> str:
    more = [
        f"{_short_name(c, catalog, language)}{marker(n)}"
        if language == "zh"
        else f"{_short_name(c, catalog, language)} {marker(n)}"
        for n, c in enumerate(citations[1 : 1 + _MORE], start=2)
    ]
    if not more:
        return ""
    if language == "zh":
        return f"另见{'、'.join(more)}。"
    return f"See also {' and '.join(more)}."


def _material(requirement: EvidenceRequirement, language: Language) -> str:
    if language == "zh":
        age = (
            f"，近 {requirement.max_age_months} 个月内"
            if requirement.max_age_months
            else ("，在有效期内" if requirement.in_force else "")
        )
        return f"{requirement.description}（{kind_label(requirement.kind, 'zh')}{age}）"
    age = (
        f", at most {requirement.max_age_months} months old"
        if requirement.max_age_months
        else (", in force" if requirement.in_force else "")
    )
    return f"a {kind_label(requirement.kind, 'en', inline=True)}{age}"


def _materials(indicator: Indicator, number: int, language: Language) -> str:
    direct = [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]
    items = [_material(e, language) for e in (direct or list(indicator.evidence))]
    items = list(dict.fromkeys(items))[:_EVIDENCE_ITEMS]
    if language == "zh":
        return _end(
            f"{indicator.id}“{indicator.title.zh}”要求的材料：{'；'.join(items)}",
            marker(number),
            "zh",
        )
    listed = ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]
    return _end(f"{indicator.id} “{indicator.title.en}” asks for {listed}", marker(number), "en")


# --- choosing what the opening names --------------------------------------------------------


def _first(citations: Sequence[Citation], wanted: Sequence[int]) -> tuple[Citation, ...]:
    """The chosen citations first, then the rest in their order."""
    chosen = [citations[i] for i in wanted]
    return (*chosen, *(c for i, c in enumerate(citations) if i not in wanted))


def _at_levels(
    citations: Sequence[Citation], indices: Sequence[int], levels: Sequence[int]
) -> list[int]:
    """``indices`` with the citations at another level than the question names last (stable);
    a clause of no level (a definition, annex R) keeps its rank."""
    return sorted(
        indices,
        key=lambda i: bool(levels) and citations[i].level not in (None, *levels),
    )


def _with_evidence(
    citations: Sequence[Citation], catalog: Catalog, levels: Sequence[int]
) -> list[int]:
    """The indicators whose materials the opening names: at the levels the question names
    (none when it names levels none of them is at), at most three."""
    return [
        i
        for i, c in enumerate(citations)
        if c.indicator_id
        and catalog.indicator(c.indicator_id).evidence
        and (not levels or c.level in levels)
    ][:_EVIDENCE_ITEMS]


def _evidence_opening(
    citations: Sequence[Citation], catalog: Catalog, language: Language, levels: Sequence[int]
) -> Opening | None:
    wanted = _with_evidence(citations, catalog, levels)
    top = citations[0]
    if not wanted or (top.indicator_id is None and in_project_annex(top.clause)):
        return None  # the evidence guide (annex R.3) ranked first answers it in general
    ordered = _first(citations, wanted)
    parts = [
        _materials(catalog.indicator(c.indicator_id or ""), n, language)
        for n, c in enumerate(ordered[: len(wanted)], start=1)
    ]
    return Opening(("" if language == "zh" else " ").join(parts), ordered)


def _definition_opening(
    question: str, citations: Sequence[Citation], language: Language
) -> Opening | None:
    term = defined_term(question) if language == "zh" else ""
    if not term:
        return None
    found = [i for i, c in enumerate(citations) if term in c.title or term in c.text]
    if found and citations[found[0]].indicator_id:
        return None  # the requirement of the indicator that names it answers best
    ordered = _first(citations, found[:1])
    top = ordered[0]
    # A term's clause opens with its English name on a line of its own ("core indicator").
    chinese = "\n".join(line for line in top.text.splitlines() if _has_cjk(line))
    shown = sentences_within(chinese or top.text, LEAD_LIMIT, "zh", most=1)
    name = (
        _clause_name(top, "zh") if not top.indicator_id else f"指标 {top.indicator_id}“{top.title}”"
    )
    if found:
        return Opening(_end(f"{name}：{shown}", marker(1), "zh"), ordered)
    lead = f"参考文本没有单独定义“{term}”；最接近的是{name}：{shown}"
    return Opening(_end(lead, marker(1), "zh"), ordered)


def _best_for(
    citations: Sequence[Citation], language: Language, levels: Sequence[int]
) -> list[int]:
    """Among the first three, one at a level the question names, else the first. An English
    question keeps the ranking too: preferring an indicator (its fields are in English) over a
    better clause cost the held-out English questions 0.1 MRR."""
    top = range(min(3, len(citations)))
    return _at_levels(citations, list(top), levels)[:1]


def _requirement_opening(
    citations: Sequence[Citation], catalog: Catalog, language: Language, levels: Sequence[int]
) -> Opening:
    ordered = _first(citations, _best_for(citations, language, levels))
    first = _requirement(ordered[0], catalog, language)
    if language == "en" and not ordered[0].indicator_id:
        indicator = _english_indicator(ordered, catalog)
        if indicator:  # three sentences already: the chips name the rest
            return Opening(f"{first} {indicator}", ordered)
    more = _see_also(ordered, catalog, language)
    return Opening(f"{first}{'' if language == 'zh' else ' '}{more}".rstrip(), ordered)


def open_answer(
    question: str, citations: Sequence[Citation], catalog: Catalog, language: Language
) -> Opening:
    """The opening sentences for ``citations`` (labelled, best first), and the citations in
    the order the opening numbers them."""
    if not citations:
        return Opening("", ())
    kind = question_kind(question)
    levels = named_levels(question)
    opening: Opening | None = None
    if kind is QuestionKind.EVIDENCE:
        opening = _evidence_opening(citations, catalog, language, levels)
    elif kind is QuestionKind.DEFINITION:
        opening = _definition_opening(question, citations, language)
    return opening or _requirement_opening(citations, catalog, language, levels)
