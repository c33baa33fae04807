"""A static backtracking check of our own, beside regexploit.

regexploit reports only cubic and worse shapes inside one match attempt, and its source scan
skips patterns built with f-strings (the checklist pattern of ``cues_status`` was one). This
walks the ``re`` parse tree and names the three shapes that make Python's backtracking
engine superlinear on a hostile string:

* ``adjacent``: two unbounded quantifiers that can both consume a run of the same character,
  with only optional pieces between them (``\\s*[:：]?\\s*``, ``(.*?)\\s*#*\\s*$``): every
  split of the run is tried, n² per attempt and n³ or worse per search.
* ``nested``: an unbounded repeat of a body that can be empty, or that ends and starts with
  quantifiers sharing a run character (``(a+)+``, ``(\\s*x?)*``): exponential.
* ``scan``: an unbounded quantifier reached from the start of the pattern through pieces
  that its own run could supply, then followed by something that can fail (``\\s*条$``,
  ``\\d+个月``, ``『[^』]*』``): a search restarts inside the run and rescans it, n² per search.
  A leading ``\\b`` (for runs of word characters) or ``(?<![…])`` over the run's characters
  stops the restarts, and so clears the shape.

Character sets are computed over a probe alphabet: ASCII, common spaces, some CJK and every
literal of the pattern. A quantifier is unbounded when it has no upper limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

__all__ = ["Finding", "check_pattern"]

Node = tuple[Any, Any]
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_GROUPS = (C.SUBPATTERN, C.BRANCH, C.ATOMIC_GROUP)
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_START_ANCHORS = (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
_BASE_PROBE = frozenset(
    [chr(c) for c in range(0x09, 0x0E)]
    + [chr(c) for c in range(0x20, 0x7F)]
    + list("\u3000\xa0中文年月日一二十满足，。、：；？！（）【】「」“”")
)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_CATEGORY_TEST = {
    C.CATEGORY_DIGIT: str.isdigit,
    C.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    C.CATEGORY_WORD: _is_word,
    C.CATEGORY_NOT_WORD: lambda ch: not _is_word(ch),
}


@dataclass(frozen=True)
class Finding:
    rule: str  # adjacent, nested or scan
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


def check_pattern(source: str, flags: int = 0) -> list[Finding]:
    """Every risky shape in the pattern (empty when matching it is linear)."""
    tree = list(P.parse(source, flags))
    walker = _Walker(flags, _BASE_PROBE | _literals(tree))
    walker.structure(tree)
    walker.scan(tree)
    return list(dict.fromkeys(walker.findings))


def _children(op: Any, av: Any) -> list[list[Node]]:
    if op in _REPEATS:
        return [list(av[2])]
    if op is C.SUBPATTERN:
        return [list(av[-1])]
    if op is C.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [list(av[1])]
    if op is C.ATOMIC_GROUP:
        return [list(av)]
    return []


def _literals(seq: list[Node]) -> frozenset[str]:
    found: set[str] = set()
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL):
            found.add(chr(av))
        elif op is C.IN:
            found |= {chr(a) for o, a in av if o is C.LITERAL}
            found |= {chr(a[0]) for o, a in av if o is C.RANGE}
        for child in _children(op, av):
            found |= _literals(child)
    return frozenset(found)


def _unbounded(node: Node) -> bool:
    op, av = node
    return op in _REPEATS and av[1] is C.MAXREPEAT


def _sample(chars: frozenset[str]) -> str:
    shown = "".join(repr(ch)[1:-1] for ch in sorted(chars)[:6])
    return f"[{shown}{'…' if len(chars) > 6 else ''}]"


@dataclass(frozen=True)
class _Path:
    """What a search has matched from its start up to an unbounded quantifier."""

    prefix: tuple[Node, ...] = ()  # the characters consumed before it, one node each
    excluded: frozenset[str] = frozenset()  # a leading (?<![…]) rejects these before the start
    boundary: bool = False  # a leading \b


class _Walker:
    def __init__(self, flags: int, probe: frozenset[str]) -> None:
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.dot_all = bool(flags & re.DOTALL)
        self.probe = probe
        self.findings: list[Finding] = []

    # ------------------------------------------------------------ adjacent and nested

    def structure(self, seq: list[Node]) -> None:
        for index, node in enumerate(seq):
            for child in _children(*node):
                self.structure(child)
            if _unbounded(node):
                self._nested(list(node[1][2]))
            for left in self.edge([node], last=True):
                for right in self._next_heads(seq[index + 1 :]):
                    shared = self.run(left) & self.run(right)
                    if shared:
                        detail = f"two unbounded quantifiers both take runs of {_sample(shared)}"
                        self.findings.append(Finding("adjacent", detail))

    def _next_heads(self, rest: list[Node]) -> list[Node]:
        heads: list[Node] = []
        for node in rest:
            heads += self.edge([node], last=False)
            if not self.nullable([node]):
                break
        return heads

    def _nested(self, body: list[Node]) -> None:
        if self.nullable(body) and not all(op in _ZERO_WIDTH for op, _ in body):
            self.findings.append(Finding("nested", "a repeat of a body that may be empty"))
            return
        for tail in self.edge(body, last=True):
            for head in self.edge(body, last=False):
                shared = self.run(tail) & self.run(head)
                if shared:
                    detail = f"a repeat whose body ends and starts with runs of {_sample(shared)}"
                    self.findings.append(Finding("nested", detail))
                    return

    def edge(self, seq: list[Node], *, last: bool) -> list[Node]:
        """Unbounded quantifiers that can take the first (or last) character of ``seq``."""
        found: list[Node] = []
        for node in reversed(seq) if last else seq:
            if _unbounded(node):
                found.append(node)
            elif node[0] in _REPEATS or node[0] in _GROUPS:
                for child in _children(*node):
                    found += self.edge(child, last=last)
            if not self.nullable([node]):
                break
        return found

    def nullable(self, seq: list[Node]) -> bool:
        return all(self._nullable(op, av) for op, av in seq)

    def _nullable(self, op: Any, av: Any) -> bool:
        if op in _REPEATS:
            return av[0] == 0 or self.nullable(list(av[2]))
        if op in _GROUPS:
            return any(self.nullable(child) for child in _children(op, av))
        return op in _ZERO_WIDTH or op is C.GROUPREF

    # ------------------------------------------------------------ scan

    def scan(self, tree: list[Node]) -> None:
        self._scan(tree, _Path())

    def _scan(self, seq: list[Node], path: _Path) -> None:
        """Follow every way into ``seq`` up to its first unbounded quantifier."""
        for index, node in enumerate(seq):
            op, av = node
            rest = seq[index + 1 :]
            if op is C.AT and av in _START_ANCHORS:
                return  # anchored at the start: a search never restarts inside a run
            if _unbounded(node):
                self._scan_run(node, rest, path)
                return
            if op in _REPEATS or op in _GROUPS:
                for child in _children(op, av):
                    self._scan([*child, *rest], path)
                if op in _REPEATS and av[0] == 0:
                    self._scan(rest, path)
                return
            path = self._step(path, node)

    def _step(self, path: _Path, node: Node) -> _Path:
        op, av = node
        if op is C.AT:
            return _Path(path.prefix, path.excluded, path.boundary or av is C.AT_BOUNDARY)
        if op is C.ASSERT_NOT and av[0] < 0 and len(av[1]) == 1 and not path.prefix:
            return _Path(path.prefix, self.chars(av[1][0]), path.boundary)
        if op in _ZERO_WIDTH:
            return path
        return _Path((*path.prefix, node), path.excluded, path.boundary)

    def _scan_run(self, node: Node, rest: list[Node], path: _Path) -> None:
        run = self.run(node)
        if not run or run <= path.excluded or self._always_matches(rest):
            return  # a restart inside the run fails at once, or nothing after it can fail
        if path.boundary and all(_is_word(ch) for ch in run):
            return  # after a leading \b a word is entered only at its start
        if all(self.chars(item) & run for item in path.prefix):
            detail = f"a search restarts inside a run of {_sample(run)} and rescans it"
            self.findings.append(Finding("scan", detail))

    def _always_matches(self, seq: list[Node]) -> bool:
        """True when ``seq`` matches the empty string wherever it is tried."""
        for op, av in seq:
            if op in _REPEATS and av[0] == 0:
                continue
            if op in (C.SUBPATTERN, C.BRANCH) and any(
                self._always_matches(child) for child in _children(op, av)
            ):
                continue
            return False
        return True

    # ------------------------------------------------------------ characters

    def run(self, node: Node) -> frozenset[str]:
        """Characters of which ``node`` can take an arbitrarily long run."""
        op, av = node
        if _unbounded(node):
            return self.single(list(av[2]))
        if op in _REPEATS or op in _GROUPS:
            return frozenset().union(*(self._run_seq(child) for child in _children(op, av)))
        return frozenset()

    def _run_seq(self, seq: list[Node]) -> frozenset[str]:
        return frozenset().union(*(self.run(node) for node in seq))

    def single(self, seq: list[Node]) -> frozenset[str]:
        """Characters ``c`` such that ``seq`` matches the one-character string ``c``."""
        found: frozenset[str] = frozenset()
        for index, node in enumerate(seq):
            others = seq[:index] + seq[index + 1 :]
            if self.nullable(others):
                found |= self._single_node(node)
        return found

    def _single_node(self, node: Node) -> frozenset[str]:
        op, av = node
        if op in _REPEATS:
            takes_one = av[1] >= 1 and (av[0] <= 1 or self.nullable(list(av[2])))
            return self.single(list(av[2])) if takes_one else frozenset()
        if op in _GROUPS:
            return frozenset().union(*(self.single(child) for child in _children(op, av)))
        if op in _ZERO_WIDTH:
            return frozenset()
        return self.chars(node)

    def chars(self, node: Node) -> frozenset[str]:
        op, av = node
        if op is C.LITERAL:
            return self._cased(chr(av))
        if op is C.NOT_LITERAL:
            return self.probe - self._cased(chr(av))
        if op is C.ANY:
            return self.probe if self.dot_all else self.probe - {"\n"}
        if op is C.IN:
            return frozenset(ch for ch in self.probe if self._in(av, ch))
        return frozenset()

    def _cased(self, ch: str) -> frozenset[str]:
        return frozenset({ch, ch.lower(), ch.upper()} if self.ignore_case else {ch})

    def _in(self, items: Any, ch: str) -> bool:
        negate = False
        hit = False
        variants = self._cased(ch)
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                hit |= chr(av) in variants
            elif op is C.RANGE:
                hit |= any(av[0] <= ord(v) <= av[1] for v in variants)
            elif op is C.CATEGORY:
                hit |= _CATEGORY_TEST.get(av, lambda _: True)(ch)
        return hit != negate
