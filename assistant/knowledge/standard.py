"""Parse the clause-numbered Markdown rendition in ``knowledge/standard/``.

A clause is a Markdown heading whose text starts with a clause number (``6.4.2 数据治理``,
``A.1 示例``) plus the body up to the next heading. Numbers in body text, such as the
cross-reference "见6.3.2", are never headings: only lines starting with ``#`` are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["Clause", "StandardDocument", "load_standard", "parse_standard"]

# "## 6.4.2 数据治理": the title is what follows, less closing hashes (see _heading)
_HEADING_START = re.compile(r"#{1,6}\s+(\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\s+")
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
        chain = [f"{number} {title}" for number, title in self.parents]
        return " > ".join([*chain, f"{self.number} {self.title}"])


@dataclass(frozen=True)
class StandardDocument:
    source: str
    meta: dict[str, object]
    clauses: tuple[Clause, ...] = field(default_factory=tuple)


def _heading(line: str) -> tuple[str, str] | None:
    """(clause number, title) of a clause heading line, or None for any other line."""
    start = _HEADING_START.match(line)
    if start is None:
        return None
    title = line[start.end() :].rstrip().rstrip("#").rstrip()
    return (start.group(1), title) if title else None


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
