"""Static ReDoS checks over every regular expression in ``assistant/`` and ``api/``.

Three scans, each failing with file, line and pattern:

1. regexploit's own source scan (what ``regexploit-py`` does) over every .py file: literal
   patterns, wherever they are.
2. regexploit's analysis of every compiled pattern the modules hold: this also reads patterns
   built with f-strings, which the source scan skips. The old checklist pattern of issue 13
   was such a pattern: the source scan missed it, this one catches it (pinned below).
3. Our own rules (``redos_rules``) over both sets: regexploit reports cubic and worse only,
   the rules also name the quadratic shapes (two quantifiers sharing a run, a search that
   rescans a run).
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.security.known_bad import OLD_CHECKLIST, OLD_CHECKLIST_SOURCE, OLD_PATTERNS
from tests.unit.security.redos_rules import check_pattern
from tests.unit.security.regex_inventory import ROOT, compiled_patterns, source_files


def _regexploit() -> tuple[Any, Any, Any]:
    # regexploit imports the deprecated sre_parse / sre_constants modules
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from regexploit.ast.sre import SreOpParser
        from regexploit.languages.python_node_visitor import PythonNodeVisitor
        from regexploit.redos import find
    return SreOpParser, PythonNodeVisitor, find


def _redos(source: str, flags: int) -> list[str]:
    """regexploit's findings for one pattern, as text; [] when it is not a regex at all."""
    parser, _, find = _regexploit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # odd strings in the source scan warn while parsed
        try:
            parsed = parser().parse_sre(source, flags)
        except (re.error, RecursionError):
            return []
        return [f"starriness {r.starriness}, run of {r.repeated_character}" for r in find(parsed)]


def _literal_patterns(path: Path) -> Iterator[tuple[int, str, int]]:
    _, visitor_class, _ = _regexploit()
    visitor = visitor_class()
    visitor.visit(ast.parse(path.read_bytes()))
    for found in visitor.patterns:
        yield found.lineno, found.pattern, found.flags


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_regexploit_source_scan_finds_nothing():
    findings = [
        f"{_where(path, line)} {pattern!r}: {finding}"
        for path in source_files()
        for line, pattern, flags in _literal_patterns(path)
        for finding in _redos(pattern, flags)
    ]
    assert not findings, "\n".join(findings)


def test_regexploit_finds_nothing_in_compiled_patterns():
    found = compiled_patterns()
    assert len(found) > 50  # the inventory reaches the cue tables, segmenter, llm checks…
    findings = [
        f"{item.where} {item.pattern.pattern[:120]!r}: {finding}"
        for item in found
        for finding in _redos(item.pattern.pattern, item.pattern.flags)
    ]
    assert not findings, "\n".join(findings)


def test_our_rules_find_nothing():
    literal = [
        (_where(path, line), pattern, flags)
        for path in source_files()
        for line, pattern, flags in _literal_patterns(path)
        if _compiles(pattern, flags)
    ]
    compiled = [(p.where, p.pattern.pattern, p.pattern.flags) for p in compiled_patterns()]
    findings = [
        f"{where} {source[:120]!r}: {finding}"
        for where, source, flags in literal + compiled
        for finding in check_pattern(source, flags)
    ]
    assert not findings, "\n".join(findings)


def _compiles(source: str, flags: int) -> bool:
    try:
        re.compile(source, flags)
    except re.error:
        return False
    return True


# --- the checks catch what they are for ---------------------------------------------------


def test_regexploit_source_scan_misses_the_old_checklist_pattern(tmp_path: Path):
    module = tmp_path / "old_cues_status.py"
    module.write_text(OLD_CHECKLIST_SOURCE, encoding="utf-8")
    assert not [f for _, p, flags in _literal_patterns(module) for f in _redos(p, flags)]


def test_regexploit_catches_the_old_checklist_pattern_once_compiled():
    assert _redos(OLD_CHECKLIST.pattern, OLD_CHECKLIST.flags)


@pytest.mark.parametrize(("where", "source", "rule"), OLD_PATTERNS)
def test_our_rules_catch_each_old_pattern(where: str, source: str, rule: str):
    assert rule in {finding.rule for finding in check_pattern(source)}, where


@pytest.mark.parametrize(
    ("source", "rules"),
    [
        (r"\s*\s*x", {"adjacent", "scan"}),
        (r"a\s*[:：]?\s*b", {"adjacent"}),
        (r"(.*?)\s*#*\s*$", {"adjacent", "scan"}),
        (r"(a+)+b", {"nested", "scan"}),
        (r"(?:\s*x?)*y", {"nested", "scan"}),
        (r"「[^」]*」", {"scan"}),
        (r"\d+个月", {"scan"}),
        # linear shapes the rules must leave alone
        (r"a\s*(?:[:：]\s*)?b", set()),
        (r"\d+(?:\.\d+)?", set()),
        (r"(?<![\d.])\d+个月", set()),
        (r"\b\w+ing\b", set()),
        (r"^\s*(?:before|after)\b", set()),
        (r"(?:[.．]\s?){4}", set()),
        (r"[a-z][a-z'-]{2,}", set()),
        (r"第\s*(\d{1,6})\s*([章节条])(.*)", set()),
    ],
)
def test_rules_table(source: str, rules: set[str]):
    assert {finding.rule for finding in check_pattern(source)} == rules
