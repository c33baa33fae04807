"""Parse the clause-numbered Markdown rendition in ``knowledge/standard/``.

A clause is a Markdown heading whose text starts with a clause number (``6.4.2 数据治理``,
``A.1 示例``, ``R.1.2 能力域等级的判定``) plus the body up to the next heading. An annex opens
with ``# 附录 R（本项目规则，非标准条文）``: its number is the letter (``R``), its clauses are
``R.1``, ``R.1.2``…, and its heading shows as ``附录 R（…）``. Numbers in body text, such as the
cross-references "见6.3.2" or "见 R.1.2", are never headings: only lines starting with ``#`` are.

Annex R of the reference rendition is the project's own rules (rating rules, programme and
evidence guidance), not the standard: ``in_project_annex`` tells its clauses apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "PROJECT_ANNEX",
    "Clause",
    "StandardDocument",
    "clause_heading",
    "in_project_annex",
    "load_standard",
    "parse_standard",
]

PROJECT_ANNEX = "R"  # the reference rendition's annex that holds the project's own rules

# "## 6.4.2 数据治理", "# 附录 R（本项目规则）": the title is what follows, less closing hashes
_HEADING_START = re.compile(r"#{1,6}\s+(\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\s+")
_ANNEX_START = re.compile(r"#{1,6}\s+附\s*录\s*([A-Z])(?![A-Za-z0-9.])\s*")
_ANNEX_LETTER = re.compile(r"^[A-Z]$")
_PROJECT_CLAUSE = re.compile(rf"^{PROJECT_ANNEX}(?:\.\d+)*$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    text: str
    parents: tuple[tuple[str, str], ...]
    source: str

    @property
    def heading_chain(self) -> str:
        chain = [clause_heading(number, title) for number, title in self.parents]
        return " > ".join([*chain, clause_heading(self.number, self.title)])


def clause_heading(number: str, title: str) -> str:
    """``6.3 服务平台``; an annex shows as its document writes it: ``附录 R（本项目规则…）``."""
    if not _ANNEX_LETTER.match(number):
        return f"{number} {title}"
    return f"附录 {number}{title}" if title.startswith("（") else f"附录 {number} {title}".rstrip()


def in_project_annex(number: str) -> bool:
    """Is this clause of the reference rendition in annex R, the project's own rules?"""
    return _PROJECT_CLAUSE.match(number) is not None


@dataclass(frozen=True)
class StandardDocument:
    source: str
    meta: dict[str, object]
    clauses: tuple[Clause, ...] = field(default_factory=tuple)


def _heading(line: str) -> tuple[str, str] | None:
    """(clause number, title) of a clause heading line, or None for any other line."""
    start = _HEADING_START.match(line)
    if start is not None:
        title = _title_after(line, start.end())
        return (start.group(1), title) if title else None
    annex = _ANNEX_START.match(line)
    return (annex.group(1), _title_after(line, annex.end())) if annex else None


def _title_after(line: str, end: int) -> str:
    return line[end:].rstrip().rstrip("#").rstrip()


def parse_standard(text: str, source: str) -> StandardDocument:
    meta: dict[str, object] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        loaded = yaml.safe_load(match.group(1)) or {}
        if not isinstance(loaded, dict):
            raise ValueError(f"{source!r}: front matter is not a mapping / 前置元数据应为映射")
        meta = loaded
        text = text[match.end() :]
    clauses: list[Clause] = []
    stack: list[tuple[int, str, str]] = []  # (depth, number, title)
    current: tuple[int, str, str] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            parents = tuple((number, title) for _, number, title in stack[:-1])
            clauses.append(Clause(current[1], current[2], "\n".join(body).strip(), parents, source))

    for line in text.splitlines():
        heading = _heading(line)
        if heading is None:
            body.append(line)
            continue
        close()
        body = []
        number, title = heading
        depth = number.count(".") + 1
        while stack and stack[-1][0] >= depth:
            stack.pop()
        current = (depth, number, title)
        stack.append(current)
    close()
    return StandardDocument(source=source, meta=meta, clauses=tuple(clauses))


def load_standard(directory: Path) -> tuple[StandardDocument, ...]:
    """Every ``*.md`` file of the directory, in file-name order."""
    documents = []
    for path in sorted(directory.glob("*.md")):
        documents.append(parse_standard(path.read_text(encoding="utf-8"), path.name))
    return tuple(documents)
