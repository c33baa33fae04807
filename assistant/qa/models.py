"""The answer object every interface serves (CLI ``--json``, API, chat)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assistant.knowledge.schema import AreaCode, StrictModel
from assistant.vocabulary import Language

__all__ = ["Answer", "AnswerKind", "Citation", "Language"]

# exact: computed from the catalog and rules; retrieved: quoted from the best clauses;
# refused: the standard does not cover the question
AnswerKind = Literal["exact", "retrieved", "refused"]


class Citation(StrictModel):
    clause: str = Field(description="The clause number as the cited document numbers it")
    title: str
    source: str = Field(description="The document: a rendition file, an ingested file, 指标目录")
    text: str = Field(description="The quoted text")
    indicator_id: str | None = None
    level: int | None = None
    area: AreaCode | None = None
    score: float = Field(description="Fused retrieval score; higher is more relevant")
    rendition: Literal["reference", "operator"] = "reference"
    label: str = Field(
        default="",
        description="What a reader sees: the document and the clause, never a file name "
        "(《…》参考文本 6.1.1, 附录 R.3（本项目规则）, 指标目录 SO-2-01), in the answer's language",
    )
    document: str = Field(
        default="", description="The cited document's display name, in the answer's language"
    )


class Answer(StrictModel):
    question: str
    language: Language
    covered: bool | Literal["partial"] = Field(
        description="True: answered; False: the standard does not cover the question; "
        '"partial": the part the standard covers is answered, the rest is named in not_covered'
    )
    text: str = Field(description="Markdown, in the question's language")
    lead: str = Field(
        default="",
        description="The opening sentences that answer the question, as text begins; [n] is "
        "citations[n-1]. Empty when the answer has no such opening",
    )
    citations: tuple[Citation, ...] = ()
    kind: AnswerKind = Field(
        default="retrieved",
        description="exact: computed from the catalog and rules; retrieved: quoted from the "
        "closest clauses; refused: not covered by the standard",
    )
    not_covered: tuple[str, ...] = Field(
        default=(),
        description="What the question asks that the standard does not address, in the "
        "question's language (e.g. 营业执照的办理); set on refusals and partial answers",
    )
