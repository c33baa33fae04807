"""Split an answer into clauses and read each clause's cue (see ``cues`` for the tables)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.interview.cues import CUE_TABLE, HEDGES, QUANTITY_CUES, Cue

__all__ = ["Clause", "normalize", "read_clauses"]

# Which cue names a clause when several are present: the first one found in this order.
_PRIORITY: tuple[Cue, ...] = (
    Cue.UNSURE,
    Cue.NOT_APPLICABLE,
    Cue.NOT_APPLICABLE_WEAK,
    Cue.DOUBLE_NEGATION,
    Cue.LITOTES,
    Cue.MINOR,
    Cue.LIMITED,
    Cue.SOME,
    Cue.INTENT,
    Cue.MOSTLY,
    Cue.NEGATION,
    Cue.SOFT_NEGATION,
    Cue.AFFIRMATION,
)
_QUANTIFIED = frozenset({Cue.MINOR, Cue.LIMITED, Cue.SOME})
_SEPARATORS = re.compile(r"[,;!?\n:…。]+|(?<!\d)\.(?!\d)|\s[-–—]+\s|—+")
_CONCESSION = re.compile(
    r"(?=但是|(?<!不)但(?!凡)|不过(?!来)|可是|然而|就是(?!说)|只是)"
    r"|(?=\b(?:but|however|although|though|except|apart from|other than|whereas)\b)"
)
_STARTS_WITH_CONCESSION = re.compile(
    r"^(?:但是|但|不过|可是|然而|就是|只是|but|however|although|though|except|apart from"
    r"|other than|whereas)"
)
_MASK = "\x00"


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of an answer and what it signals."""

    text: str
    rest: str  # the text with every cue blanked out: what the clause is about
    label: Cue | None  # the deciding cue; None when the clause carries no cue
    cues: frozenset[Cue]
    concession: bool  # it opens with 但/不过/only/but…: a reservation about what came before
    hedged: bool  # 好像, 可能, probably…
    question: bool = False  # it ended with "？": an echo of the question, not an answer


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case, straight apostrophes, trimmed."""
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'").strip()


def read_clauses(text: str, *, topic: frozenset[str] = frozenset()) -> tuple[Clause, ...]:
    """The clauses of ``text`` (already normalised), each with its cue.

    ``topic`` holds the words of the indicator's title and question: a quantity cue that is
    one of them ("试点" when the question asks about pilots) names the subject of the answer
    and is not read as a cue.
    """
    clauses = []
    for piece, ending in _pieces(text):
        for part in _CONCESSION.split(piece):
            part = part.strip()
            if part:
                clauses.append(_read_clause(part, topic, question=ending == "?"))
    return tuple(clauses)


def _pieces(text: str) -> list[tuple[str, str]]:
    """The text between separators, each with the separator that ends it ("" at the end)."""
    pieces, start = [], 0
    for match in _SEPARATORS.finditer(text):
        pieces.append((text[start : match.start()], match.group(0).strip()[:1]))
        start = match.end()
    pieces.append((text[start:], ""))
    return pieces


def _read_clause(text: str, topic: frozenset[str], *, question: bool) -> Clause:
    found: set[Cue] = set()
    masked = text
    for cue, pattern in CUE_TABLE:
        for match in pattern.finditer(masked):
            if _MASK in match.group(0):
                continue
            if cue is not Cue.IGNORED and not _is_topic(cue, match.group(0), topic):
                found.add(cue)
            start, end = match.span()
            masked = masked[:start] + _MASK * (end - start) + masked[end:]
    return Clause(
        text=text,
        rest=masked.replace(_MASK, " "),
        label=_label(found),
        cues=frozenset(found),
        concession=bool(_STARTS_WITH_CONCESSION.match(text)),
        hedged=bool(HEDGES.search(text)),
        question=question,
    )


def _is_topic(cue: Cue, words: str, topic: frozenset[str]) -> bool:
    return cue in QUANTITY_CUES and words in topic


def _label(found: set[Cue]) -> Cue | None:
    if Cue.MOSTLY in found and Cue.NEGATION in found and not found & _QUANTIFIED:
        return Cue.LIMITED  # "大多数企业没建档": mostly not, so some at best
    for cue in _PRIORITY:
        if cue in found:
            return cue
    return None
