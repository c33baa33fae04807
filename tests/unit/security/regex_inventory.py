"""Every regular expression of ``assistant/`` and ``api/``, found without a hand-kept list.

* ``source_files``: the .py files, for regexploit's source scan (literal patterns only).
* ``compiled_patterns``: every compiled pattern held by a module that imports ``re`` (module
  attributes, and those in tuples, lists, sets and dicts such as ``CUE_TABLE``), with the
  file and line that define it. Patterns built from f-strings, which a source scan cannot
  read, are covered here; a new module or a new pattern is covered without editing a list.
* ``hostile_inputs``: 4,000-character strings aimed at one pattern: runs of spaces, digits,
  CJK and the pattern's own pieces, each ending in a character nothing expects.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

__all__ = [
    "HOSTILE_CHARS",
    "ROOT",
    "FoundPattern",
    "compiled_patterns",
    "hostile_inputs",
    "source_files",
]

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("assistant", "api")
HOSTILE_CHARS = 4000  # the API's limit for free text (assistant.textnorm.MAX_TEXT_CHARS)
_TAIL = "\x00"  # ends every hostile input: no pattern expects it, so matching must fail
_FILLERS = (" ", "1", "中", "a", "\n", ".", "\u3000")
_MAX_PIECES = 12
_CATEGORY_SAMPLE = {C.CATEGORY_DIGIT: "1", C.CATEGORY_SPACE: " ", C.CATEGORY_WORD: "a"}


@dataclass(frozen=True)
class FoundPattern:
    pattern: re.Pattern[str]
    module: str
    name: str  # the attribute, with an index inside a table: CUE_TABLE[3]
    path: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} {self.name}"


def source_files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _uses_re(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return "import re\n" in text or "from re import" in text


def compiled_patterns() -> list[FoundPattern]:
    """Each distinct compiled pattern once, at the first attribute that holds it."""
    found: dict[tuple[str, int], FoundPattern] = {}
    for path in source_files():
        if not _uses_re(path):
            continue
        module = importlib.import_module(_module_name(path))
        lines = path.read_text(encoding="utf-8").splitlines()
        for attribute, value in vars(module).items():
            for index, pattern in enumerate(_patterns_in(value)):
                name = attribute if isinstance(value, re.Pattern) else f"{attribute}[{index}]"
                key = (pattern.pattern, pattern.flags)
                if key not in found:
                    line = _defining_line(lines, attribute)
                    found[key] = FoundPattern(pattern, module.__name__, name, path, line)
    return list(found.values())


def _patterns_in(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield value
    elif depth < 3 and isinstance(value, tuple | list | set | frozenset):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def _defining_line(lines: list[str], attribute: str) -> int:
    for number, text in enumerate(lines, start=1):
        if text.startswith((f"{attribute} =", f"{attribute}:")):
            return number
    return 0  # imported from elsewhere; that module lists it too


# --- hostile inputs ------------------------------------------------------------------------


def hostile_inputs(pattern: re.Pattern[str], length: int = HOSTILE_CHARS) -> list[str]:
    """Strings of ``length`` characters plus a tail that makes every match attempt fail."""
    tree = list(P.parse(pattern.pattern, pattern.flags))
    pieces = list(dict.fromkeys(_pieces(tree)))[:_MAX_PIECES]
    runs = list(dict.fromkeys([*_FILLERS, *(p[0] for p in pieces)]))
    inputs = [char * length for char in runs]
    inputs += [char * length + "\n" for char in runs]  # "." does not cross a line break
    for piece in pieces:
        inputs.append(_repeat(piece, length))
        inputs.append(_repeat(piece + " ", length))
        inputs += [(piece + char * length)[:length] for char in runs[:6]]
    for first, second in zip(pieces, pieces[1:], strict=False):
        inputs.append(_repeat(first + second, length))
    return [text + _TAIL for text in dict.fromkeys(inputs)]


def _repeat(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length]


def _pieces(seq: list[tuple[Any, Any]]) -> Iterator[str]:
    """The pattern's literal runs ("满足", "so-") and a sample of each character class."""
    run = ""
    for op, av in seq:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if run:
            yield run
            run = ""
        if op is C.IN:
            yield from _class_samples(av)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            yield from _pieces(list(av[2]))
        elif op is C.SUBPATTERN:
            yield from _pieces(list(av[-1]))
        elif op is C.BRANCH:
            for branch in av[1]:
                yield from _pieces(list(branch))
    if run:
        yield run


def _class_samples(items: Any) -> Iterator[str]:
    for op, av in items:
        if op is C.LITERAL:
            yield chr(av)
        elif op is C.RANGE:
            yield chr(av[0])
        elif op is C.CATEGORY and av in _CATEGORY_SAMPLE:
            yield _CATEGORY_SAMPLE[av]
