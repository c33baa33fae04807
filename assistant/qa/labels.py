"""What a citation is called on screen: the document and the clause, never a file name.

《中小企业服务 服务机构 通用能力成熟度模型》参考文本 6.1.1 / 附录 R.3（本项目规则） / 指标目录
SO-2-01, and in English "reference rendition of T/ZXGJXH 002—2023, 6.1.1", "Annex R.3 (project
rules)", "catalog SO-2-01". An operator's own document is named by its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath

from assistant.knowledge.standard import StandardDocument, in_project_annex
from assistant.qa.models import Answer, Citation, Language

__all__ = [
    "STANDARD_CODE",
    "STANDARD_TITLE",
    "citation_label",
    "document_name",
    "document_titles",
    "labelled",
    "with_labels",
]

STANDARD_TITLE = "中小企业服务 服务机构 通用能力成熟度模型"
STANDARD_CODE = "T/ZXGJXH 002—2023"

_REFERENCE = {
    "zh": f"《{STANDARD_TITLE}》参考文本",
    "en": f"reference rendition of {STANDARD_CODE}",
}
_ANNEX = {"zh": "附录 R（本项目规则）", "en": "Annex R (project rules)"}
_CATALOG = {"zh": "指标目录", "en": "indicator catalog"}
_ANNEX_CLAUSE = re.compile(r"^[A-Z](?:\.\d{1,4}){0,6}$")  # "R", "A.1", "R.1.2"


def document_titles(documents: Iterable[StandardDocument]) -> dict[str, str]:
    """Each operator document's title by its source, from its metadata."""
    titles: dict[str, str] = {}
    for document in documents:
        title = document.meta.get("title")
        if document.meta.get("rendition") == "operator" and isinstance(title, str) and title:
            titles[document.source] = title
    return titles


def _project_rule(citation: Citation) -> bool:
    return (
        citation.indicator_id is None
        and citation.rendition == "reference"
        and in_project_annex(citation.clause)
    )


def _operator_title(citation: Citation, titles: Mapping[str, str]) -> str:
    # Without a title, the file's stem: a name the operator chose, without its extension.
    return titles.get(citation.source) or PurePath(citation.source).stem or citation.source


def document_name(
    citation: Citation, language: Language, titles: Mapping[str, str] | None = None
) -> str:
    """The cited document as a reader knows it, in ``language``."""
    if citation.indicator_id:
        return _CATALOG[language]
    if citation.rendition == "operator":
        title = _operator_title(citation, titles or {})
        return f"《{title}》" if language == "zh" else f"“{title}”"
    return _ANNEX[language] if _project_rule(citation) else _REFERENCE[language]


def citation_label(
    citation: Citation, language: Language, titles: Mapping[str, str] | None = None
) -> str:
    """The document and the clause (or the indicator), in ``language``."""
    if citation.indicator_id:
        return (
            f"指标目录 {citation.indicator_id}"
            if language == "zh"
            else (f"catalog {citation.indicator_id}")
        )
    if _project_rule(citation):
        return (
            f"附录 {citation.clause}（本项目规则）"
            if language == "zh"
            else f"Annex {citation.clause} (project rules)"
        )
    document = document_name(citation, language, titles)
    number = _number(citation.clause, language)
    return f"{document} {number}" if language == "zh" else f"{document}, {number}"


def _number(clause: str, language: Language) -> str:
    """An annex's clause ("A.1") is named as one; "6.1.1" and "第十二条" stay as written."""
    if _ANNEX_CLAUSE.match(clause):
        return f"附录 {clause}" if language == "zh" else f"Annex {clause}"
    return clause


def labelled(
    citations: Sequence[Citation], language: Language, titles: Mapping[str, str] | None = None
) -> tuple[Citation, ...]:
    """The citations with ``label`` and ``document`` filled in where they are empty."""
    return tuple(
        citation.model_copy(
            update={
                "label": citation.label or citation_label(citation, language, titles),
                "document": citation.document or document_name(citation, language, titles),
            }
        )
        for citation in citations
    )


def with_labels(answer: Answer, titles: Mapping[str, str] | None = None) -> Answer:
    """``answer`` with every citation labelled in the answer's language."""
    if all(c.label and c.document for c in answer.citations):
        return answer
    return answer.model_copy(
        update={"citations": labelled(answer.citations, answer.language, titles)}
    )
