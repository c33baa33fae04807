"""The answer without a language model: the answer first, then the best clauses and
indicators quoted and numbered, then the notes.

The opening sentences (``assistant.qa.opening``) carry markers [1] [2] that are
``Answer.citations`` in order; each quote below them starts with its number; each citation is
labelled with its document and clause (``assistant.qa.labels``), never a file name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.knowledge.schema import Catalog
from assistant.knowledge.standard import in_project_annex
from assistant.qa.labels import labelled
from assistant.qa.layout import INTRO, MEANS
from assistant.qa.models import Answer, Citation, Language
from assistant.qa.opening import marker, open_answer
from assistant.retrieval.search import Hit
from assistant.vocabulary import star_label

__all__ = [
    "annex_notes",
    "citations_from_hits",
    "clause_label",
    "extractive_answer",
    "is_project_rule",
    "notes",
    "quote",
    "refusal",
    "stated_answer",
]

QUOTE_LIMIT = 160
_SENTENCE_END = re.compile(r"(?<=[。；！？])")
_ANNEX_CLAUSE = re.compile(r"^[A-Z](?:\.\d+)*$")  # "R", "R.1.2", "A.1": a clause of an annex

_REFERENCE_NOTE = {
    "zh": "以上引自本项目编写的参考文本，不是标准正式文本；"
    "正式评估以评估机构依据标准正式文本的判定为准。",
    "en": "Quoted from this project's reference rendition, not the official text of the standard; "
    "the designated assessment bodies decide on the official text.",
}
_ANNEX_NOTE = {
    "zh": "附录 R 是本项目自行制定的评级规则、评估工作指引和证据指南，不是标准条文。",
    "en": "Annex R holds this project's own rating rules, programme and evidence guidance; "
    "it is not part of the standard.",
}
_ANNEX_MARK = {"zh": "（本项目规则，非标准条文）", "en": " (project rules, not the standard)"}
_REFUSAL = {
    "zh": "抱歉，《中小企业服务 服务机构 通用能力成熟度模型》中没有找到与这个问题直接相关的内容。"
    "我可以解答标准条款的含义、各星级的要求、评级规则和评估申请流程；这个问题建议咨询相关主管部门或专业机构。",
    "en": "Sorry, the maturity model standard (T/ZXGJXH 002—2023) does not cover this question. "
    "I can explain its clauses, what each star level requires, how the rating works and how to "
    "apply for an assessment.",
}


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Whole sentences up to about ``limit`` characters; never a cut mid-sentence."""
    flat = " ".join(line.strip() for line in text.splitlines() if line.strip())
    sentences = [s for s in _SENTENCE_END.split(flat) if s]
    kept: list[str] = []
    for sentence in sentences:
        if kept and len("".join(kept)) + len(sentence) > limit:
            break
        kept.append(sentence)
    shown = "".join(kept)
    return shown + ("……" if len(shown) < len(flat) else "")


def citations_from_hits(hits: Sequence[Hit]) -> tuple[Citation, ...]:
    """One citation per hit; a clause also hit through its indicator is cited once, as the
    indicator, at the better of the two ranks."""
    indicator_of = {h.chunk.clause: h for h in hits if h.chunk.indicator_id}
    cited: dict[str, Citation] = {}
    for hit in hits:
        chunk = hit.chunk
        if (
            chunk.kind == "clause"
            and chunk.rendition == "reference"
            and chunk.clause in indicator_of
        ):
            hit = indicator_of[chunk.clause]
        cited.setdefault(hit.chunk.key, _citation(hit))
    return tuple(cited.values())


def _citation(hit: Hit) -> Citation:
    chunk = hit.chunk
    return Citation(
        clause=chunk.clause,
        title=chunk.title,
        source=chunk.source,
        text=chunk.text,
        indicator_id=chunk.indicator_id,
        level=chunk.level,
        area=chunk.area,
        score=round(hit.score, 6),
        rendition=chunk.rendition,
    )


def _scope(citation: Citation, catalog: Catalog, language: Language) -> str:
    parts = []
    if citation.area is not None:
        name = catalog.area(citation.area).name
        parts.append(name.zh if language == "zh" else name.en)
    if citation.level is not None:
        parts.append(star_label(citation.level, language, inline=True))
    return " · ".join(parts)


def _heading(citation: Citation, catalog: Catalog, language: Language) -> str:
    scope = _scope(citation, catalog, language)
    if citation.indicator_id:
        indicator = catalog.indicator(citation.indicator_id)
        title = indicator.title.zh if language == "zh" else indicator.title.en
        core = ("核心指标" if language == "zh" else "core indicator") if indicator.core else ""
        clause = f"条款 {citation.clause}" if language == "zh" else f"clause {citation.clause}"
        extra = " · ".join(p for p in (scope, core, clause) if p)
        label = "指标" if language == "zh" else "Indicator"
        return f"**{label} {citation.indicator_id} {title}**（{extra}）"
    source = "" if citation.rendition == "reference" else citation.document
    suffix = f"（{scope}）" if scope else ""
    if is_project_rule(citation):
        suffix = _ANNEX_MARK[language]
    return f"**{source}{clause_label(citation.clause, language)} {citation.title}**{suffix}"


def clause_label(number: str, language: Language) -> str:
    """'第 6.3.2 条' for decimal numbers, '附录 R.1.2' for an annex's clauses ('Annex R.1.2');
    '第十二条', '附录A' stay as the document writes them."""
    if _ANNEX_CLAUSE.match(number):
        return f"附录 {number}" if language == "zh" else f"Annex {number}"
    if not number[:1].isdigit():
        return number
    return f"第 {number} 条" if language == "zh" else f"Clause {number}"


def is_project_rule(citation: Citation) -> bool:
    """A clause of annex R of the reference rendition: the project's own rules, not the standard."""
    return (
        citation.indicator_id is None
        and citation.rendition == "reference"
        and in_project_annex(citation.clause)
    )


def annex_notes(citations: Sequence[Citation], language: Language) -> list[str]:
    """The reminder that annex R is not the standard, when an answer cites it."""
    return [_ANNEX_NOTE[language]] if any(is_project_rule(c) for c in citations) else []


def _block(number: int, citation: Citation, catalog: Catalog, language: Language) -> list[str]:
    """The quote of one citation, numbered: its heading, the quote and what it means for you."""
    paragraphs = [
        f"{marker(number)} {_heading(citation, catalog, language)}",
        f"> {quote(citation.text)}",
    ]
    if citation.indicator_id:
        indicator = catalog.indicator(citation.indicator_id)
        hints = indicator.hints if language == "zh" else indicator.hints_en
        if hints:
            paragraphs.append(f"{MEANS[language]}{hints[0]}")
    return paragraphs


def _intro(citations: Sequence[Citation], language: Language) -> str:
    """The line above the quotes: the standard, or the project's own rules when they come first."""
    return INTRO[language][1 if is_project_rule(citations[0]) else 0]


def notes(citations: Sequence[Citation], language: Language) -> list[str]:
    """The reference-rendition note and the annex-R note that end an answer citing them."""
    reference = any(c.rendition == "reference" for c in citations)
    return ([_REFERENCE_NOTE[language]] if reference else []) + annex_notes(citations, language)


def extractive_answer(
    question: str,
    hits: Sequence[Hit],
    catalog: Catalog,
    language: Language,
    titles: Mapping[str, str] | None = None,
    *,
    limit: int | None = None,
) -> Answer:
    """The answer first (``assistant.qa.opening``), then the numbered quotes, then the notes.
    ``titles`` names operator documents by their title rather than their file; ``limit`` caps
    the citations (after a clause and its indicator are merged)."""
    cited = citations_from_hits(hits)[:limit]
    opening = open_answer(question, labelled(cited, language, titles), catalog, language)
    return _composed(question, opening.lead, opening.citations, catalog, language)


def stated_answer(
    question: str,
    statement: str,
    cited: Sequence[Citation],
    catalog: Catalog,
    language: Language,
    titles: Mapping[str, str] | None = None,
) -> Answer:
    """``statement``, written in the knowledge files, with the markers of ``cited`` before its
    final full stop, then their numbered quotes: an exact answer."""
    citations = labelled(cited, language, titles)
    marks = "".join(marker(n) for n in range(1, len(citations) + 1))
    stop = statement[-1] if statement.endswith(("。", ".")) else ""
    lead = f"{statement.removesuffix(stop)} {marks}{stop}" if marks else statement
    answer = _composed(question, lead, citations, catalog, language)
    return answer.model_copy(update={"kind": "exact"})


def _composed(
    question: str,
    lead: str,
    citations: tuple[Citation, ...],
    catalog: Catalog,
    language: Language,
) -> Answer:
    blocks = [p for n, c in enumerate(citations, start=1) for p in _block(n, c, catalog, language)]
    quotes = [_intro(citations, language), *blocks] if citations else []
    parts = [lead, *quotes, *notes(citations, language)]
    return Answer(
        question=question,
        language=language,
        covered=True,
        text="\n\n".join(p for p in parts if p),
        lead=lead,
        citations=citations,
    )


def refusal(question: str, language: Language, text: str | None = None) -> Answer:
    """Not answered from the standard: the standard refusal, or ``text``."""
    return Answer(
        question=question,
        language=language,
        covered=False,
        text=text or _REFUSAL[language],
        kind="refused",
    )
