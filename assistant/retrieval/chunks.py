"""One chunk per clause and one per indicator, each knowing what to cite.

An indicator's chunk indexes its requirement, question, hints, evidence and scoring guidance
(评分细则: what 满足/基本满足/部分满足 look like and what an assessor samples).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from assistant.knowledge.guidance import guidance_text
from assistant.knowledge.schema import AreaCode, Catalog, Indicator, StrictModel
from assistant.knowledge.standard import Clause, StandardDocument
from assistant.vocabulary import kind_label, star_label

__all__ = [
    "CATALOG_SOURCE",
    "ENGLISH_VECTOR",
    "Chunk",
    "area_chapters",
    "catalog_chunks",
    "document_chunks",
    "vector_texts",
]

CATALOG_SOURCE = "指标目录"
ENGLISH_VECTOR = "#en"  # appended to a chunk's key: the vector of its English text
_LEVEL_CLAUSE = re.compile(r"^(?:5|6|7|8|9|10)\.([1-5])(?:\.|$)")


class Chunk(StrictModel):
    key: str  # internal and unique; never shown to users
    kind: Literal["clause", "indicator"]
    clause: str  # the clause number an answer cites
    title: str
    text: str  # what an answer quotes
    source: str
    heading_chain: str
    rendition: Literal["reference", "operator"] = "reference"
    indicator_id: str | None = None
    level: int | None = None
    area: AreaCode | None = None
    core: bool = False
    hint: str | None = None  # "what this means for you", from the indicator's hints
    search_text: str  # what BM25 indexes
    embed_text: str  # what the dense retriever embeds (shorter: embedding cost grows with length)
    # embedded beside it for English questions only: the English title, question and keys
    embed_text_en: str | None = None


def vector_texts(chunk: Chunk) -> list[tuple[str, str]]:
    """What the vector store holds for ``chunk``: (key, text) for its Chinese text and, when it
    has one, its English text."""
    texts = [(chunk.key, chunk.embed_text)]
    if chunk.embed_text_en:
        texts.append((chunk.key + ENGLISH_VECTOR, chunk.embed_text_en))
    return texts


def _clause_scope(
    number: str, chapters: Mapping[str, AreaCode]
) -> tuple[int | None, AreaCode | None]:
    level_match = _LEVEL_CLAUSE.match(number)
    level = int(level_match.group(1)) if level_match else None
    return level, chapters.get(number.split(".")[0])


def _clause_chunk(
    clause: Clause,
    document: StandardDocument,
    chapters: Mapping[str, AreaCode],
    keys: Mapping[str, str],
    keys_en: Mapping[str, str],
) -> Chunk:
    reference = document.meta.get("rendition", "reference") == "reference"
    level, area = _clause_scope(clause.number, chapters) if reference else (None, None)
    chinese = f"{clause.heading_chain}\n{clause.text}"
    phrases = keys.get(clause.number) if reference else None
    english = keys_en.get(clause.number) if reference else None
    return Chunk(
        key=f"clause:{document.source}:{clause.number}",
        kind="clause",
        clause=clause.number,
        title=clause.title,
        text=clause.text,
        source=document.source,
        heading_chain=clause.heading_chain,
        rendition="reference" if reference else "operator",
        level=level,
        area=area,
        # BM25 only: in the embedded text, English keys pulled Chinese questions away
        search_text=f"{chinese}\n{phrases}" if phrases else chinese,
        embed_text=chinese,
        embed_text_en=english,
    )


def document_chunks(
    documents: Iterable[StandardDocument],
    chapters: Mapping[str, AreaCode] | None = None,
    keys: Mapping[str, str] | None = None,
    keys_en: Mapping[str, str] | None = None,
) -> list[Chunk]:
    """``chapters`` maps a chapter number to its area (from the catalog: area SO is chapter 9);
    ``keys``: users' phrases for reference clauses (``assistant.retrieval.clause_keys``), in
    both languages; ``keys_en``: the English ones, embedded for English questions."""
    chapters, keys, keys_en = chapters or {}, keys or {}, keys_en or {}
    return [
        _clause_chunk(c, d, chapters, keys, keys_en)
        for d in documents
        for c in d.clauses
        if c.text.strip()
    ]


def area_chapters(catalog: Catalog) -> dict[str, AreaCode]:
    return {area.clause: area.code for area in catalog.areas}


def _indicator_search_text(indicator: Indicator, area_name: str, item_name: str) -> str:
    evidence = "；".join(f"{kind_label(e.kind, 'zh')}：{e.description}" for e in indicator.evidence)
    parts = [
        f"{indicator.id} {indicator.title.zh} {indicator.title.en}",
        f"{area_name} {item_name} {star_label(int(indicator.level), 'zh')}"
        + (" 核心指标" if indicator.core else ""),
        indicator.requirement,
        indicator.question,
        *indicator.hints,
        f"证据：{evidence}",
        f"评分细则：{guidance_text(indicator, 'zh')}",
        # English questions meet the catalog's English too (BM25 only: never embedded or quoted)
        indicator.question_en or "",
        *indicator.hints_en,
        guidance_text(indicator, "en"),
    ]
    return "\n".join(parts)


def _indicator_english(indicator: Indicator) -> str | None:
    if not indicator.question_en:
        return None
    first_hint = indicator.hints_en[0] if indicator.hints_en else ""
    return f"{indicator.title.en}. {indicator.question_en} {first_hint}".strip()


def catalog_chunks(catalog: Catalog) -> list[Chunk]:
    items = {item.code: item.name.zh for area in catalog.areas for item in area.items}
    areas = {area.code: area.name.zh for area in catalog.areas}
    return [
        Chunk(
            key=f"indicator:{i.id}",
            kind="indicator",
            clause=i.clause,
            title=i.title.zh,
            text=i.requirement,
            source=CATALOG_SOURCE,
            heading_chain=f"{areas[i.area]} > {items[i.item]} > {i.id} {i.title.zh}",
            indicator_id=i.id,
            level=int(i.level),
            area=i.area,
            core=i.core,
            hint=i.hints[0] if i.hints else None,
            search_text=_indicator_search_text(i, areas[i.area], items[i.item]),
            embed_text=f"{areas[i.area]} {star_label(int(i.level), 'zh')} "
            f"{i.title.zh} {i.title.en}\n{i.requirement}\n{i.question}",
            embed_text_en=_indicator_english(i),
        )
        for i in catalog.indicators
    ]
