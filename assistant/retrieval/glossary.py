"""Query expansion from ``knowledge/retrieval/glossary.yaml``: users' words → the standard's.

Applicants ask "及格线是多少分" where the standard says "门槛"; assessors ask in English about
a Chinese text. A matched alias adds the standard's own terms to the query and may point at
a star level or a capability area, which the search then favours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from assistant.errors import KnowledgeError
from assistant.knowledge.schema import AreaCode, Level, StrictModel
from assistant.knowledge.yamlio import load_model
from assistant.retrieval.lookalike import LookalikeTable

__all__ = [
    "Expansion",
    "Glossary",
    "GlossaryGroup",
    "OutOfScope",
    "load_glossary",
    "load_out_of_scope",
]

ModelT = TypeVar("ModelT", bound=StrictModel)


class GlossaryGroup(StrictModel):
    terms: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    level: Level | None = None
    area: AreaCode | None = None
    clause: str | None = None  # the clause that deals with the term: "不适用" → R.1.1


@dataclass(frozen=True)
class Expansion:
    terms: tuple[str, ...] = ()
    levels: frozenset[int] = field(default_factory=frozenset)
    areas: frozenset[AreaCode] = field(default_factory=frozenset)
    clauses: frozenset[str] = field(default_factory=frozenset)
    groups: int = 0  # how many of the glossary's groups the question uses

    def query(self, original: str) -> str:
        return " ".join([original, *self.terms]) if self.terms else original


def _pattern(phrase: str) -> re.Pattern[str]:
    escaped = re.escape(phrase.lower())
    if phrase.isascii():
        return re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
    return re.compile(escaped)


class Glossary(StrictModel):
    version: int
    groups: tuple[GlossaryGroup, ...]

    def expand(self, query: str) -> Expansion:
        text = query.lower()
        terms: list[str] = []
        levels: set[int] = set()
        areas: set[AreaCode] = set()
        clauses: set[str] = set()
        used = 0
        for group in self.groups:
            if not any(_matches(p, text) for p in (*group.terms, *group.aliases)):
                continue
            used += 1
            terms += [t for t in group.terms if t.lower() not in text and t not in terms]
            if group.level is not None:
                levels.add(int(group.level))
            if group.area is not None:
                areas.add(group.area)
            if group.clause is not None:
                clauses.add(group.clause)
        return Expansion(
            tuple(terms), frozenset(levels), frozenset(areas), frozenset(clauses), used
        )


class OutOfScope(StrictModel):
    """``knowledge/retrieval/out_of_scope.yaml``: topics the standard does not cover (embedded
    and compared with the question) and look-alike topics (matched on its words)."""

    version: int
    topics: tuple[str, ...]
    lookalikes: LookalikeTable = LookalikeTable()


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _matches(phrase: str, text: str) -> bool:
    if not phrase.isascii():  # no word boundaries in Chinese: a substring test does
        return phrase.lower() in text
    pattern = _PATTERNS.get(phrase)
    if pattern is None:
        pattern = _PATTERNS[phrase] = _pattern(phrase)
    return pattern.search(text) is not None


def load_optional(path: Path, model: type[ModelT], empty: ModelT) -> ModelT:
    """A retrieval data file, or ``empty`` when the knowledge folder has none."""
    if not path.exists():
        return empty
    try:
        return load_model(path, model)
    except ValueError as exc:
        raise KnowledgeError(str(exc)) from exc


def load_glossary(path: Path) -> Glossary:
    return load_optional(path, Glossary, Glossary(version=0, groups=()))


def load_out_of_scope(path: Path) -> OutOfScope:
    return load_optional(path, OutOfScope, OutOfScope(version=0, topics=()))
