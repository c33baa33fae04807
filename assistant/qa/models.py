"""The answer object every interface serves (CLI ``--json``, API, chat)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assistant.knowledge.schema import AreaCode, StrictModel

__all__ = ["Answer", "Citation", "Language"]

Language = Literal["zh", "en"]


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


class Answer(StrictModel):
    question: str
    language: Language
    covered: bool = Field(description="False when the standard does not cover the question")
    text: str = Field(description="Markdown, in the question's language")
    citations: tuple[Citation, ...] = ()
