"""From an answer's clauses to a basis: which reading of the answer the status rests on.

The first clause that says something is the answer's main verdict; what follows can only
qualify it. "有，但只在一个部门" is a yes with a reservation (partly), "基本都有，个别还在完善"
is mostly (largely), "台账一直在记，就是有些数据是后来补的" is a yes with a few exceptions
(largely), "没有专门系统，都是用微信" stays a no, and "不适用" anywhere wins unless the answer
opened with a plain yes. An answer that opens by describing something else and then denies
the indicator's own subject ("问题一般当场解决了，没专门登记" to "问题登记并跟踪整改") is a no.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.interview.cues import Cue
from assistant.interview.cues_clauses import Clause
from assistant.knowledge.schema import FindingStatus

__all__ = ["BASIS_STATUS", "Basis", "Decision", "LABEL_CUES", "decide"]


class Basis(StrEnum):
    """What a proposed status rests on; the rationale names it."""

    LABEL = "label"  # a status word: 满足, partly met
    AFFIRMATION = "affirmation"  # 有的, yes, 每年都
    DOUBLE_NEGATION = "double_negation"  # 没有不…, 并非没有, not that we don't
    DESCRIPTION = "description"  # describes a related practice, says neither yes nor no
    MOSTLY = "mostly"  # 基本都有, mostly
    EXCEPTION = "exception"  # a yes with a small exception: 个别, 偶尔, a few
    LIMITED = "limited"  # 只在一个部门, 不是所有, some, only
    MIXED = "mixed"  # a yes, then a real reservation: 有，但执行得不好
    NEGATION = "negation"  # 还没有, not yet, we don't
    NOT_APPLICABLE = "not_applicable"  # 不涉及, n/a
    UNSURE = "unsure"  # 不太清楚, not sure
    UNCLEAR = "unclear"  # no cue, and little to do with the indicator


BASIS_STATUS: dict[Basis, FindingStatus | None] = {
    Basis.LABEL: None,  # the label's own status
    Basis.AFFIRMATION: FindingStatus.MET,
    Basis.DOUBLE_NEGATION: FindingStatus.MET,
    Basis.DESCRIPTION: FindingStatus.MET,
    Basis.MOSTLY: FindingStatus.LARGELY_MET,
    Basis.EXCEPTION: FindingStatus.LARGELY_MET,
    Basis.LIMITED: FindingStatus.PARTLY_MET,
    Basis.MIXED: FindingStatus.PARTLY_MET,
    Basis.NEGATION: FindingStatus.NOT_MET,
    Basis.NOT_APPLICABLE: FindingStatus.NOT_APPLICABLE,
    Basis.UNSURE: FindingStatus.NOT_RATED,
    Basis.UNCLEAR: FindingStatus.NOT_RATED,
}

# A status word at the head of a longer answer counts as this cue.
LABEL_CUES: dict[FindingStatus, Cue] = {
    FindingStatus.MET: Cue.AFFIRMATION,
    FindingStatus.LARGELY_MET: Cue.MOSTLY,
    FindingStatus.PARTLY_MET: Cue.LIMITED,
    FindingStatus.NOT_MET: Cue.NEGATION,
    FindingStatus.NOT_APPLICABLE: Cue.NOT_APPLICABLE,
    FindingStatus.NOT_RATED: Cue.UNSURE,
}

_POSITIVE = frozenset({Cue.AFFIRMATION, Cue.DOUBLE_NEGATION, Cue.LITOTES})
_RESERVATIONS = frozenset({Cue.NEGATION, Cue.LIMITED, Cue.INTENT})
# After a yes, these describe the exceptions: a few items, some of them, a weak spot.
_EXCEPTIONS = frozenset({Cue.MINOR, Cue.SOME, Cue.SOFT_NEGATION})
_FILLER = re.compile(
    r"说实话|老实说|坦白说|其实|这个|那个|嗯+|呃|我们这边|我们|"
    r"\b(?:honestly|to be honest|frankly|well|actually|hmm|ok|okay|so|um|uh|we)\b"
)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Decision:
    basis: Basis
    clause: int | None  # index of the clause the basis rests on, if any


def decide(
    clauses: Sequence[Clause],
    *,
    na_allowed: bool,
    majority: bool = False,
    subject: frozenset[str] = frozenset(),
    related: Callable[[Clause], bool] = lambda clause: True,
) -> Decision:
    """The basis of the answer's status, from its clauses in order.

    ``majority`` says the requirement itself asks for "mostly" ("服务对象以中小企业为主"), so
    a "mostly" answer meets it. ``subject`` holds the words of the indicator's title and
    ``related`` tells whether a clause shares words with the indicator: an answer that opens
    with something unrelated and then denies the subject is a no.
    """
    labels = [_effective(c.label, na_allowed) for c in clauses]
    if Cue.UNSURE in labels:
        return Decision(Basis.UNSURE, labels.index(Cue.UNSURE))
    main = _main_clause(clauses, labels)
    if main is None:
        return Decision(Basis.UNCLEAR, None)
    head = labels[main]
    if Cue.NOT_APPLICABLE in labels and head not in _POSITIVE | {Cue.MOSTLY}:
        return Decision(Basis.NOT_APPLICABLE, labels.index(Cue.NOT_APPLICABLE))
    rest = list(zip(clauses[main + 1 :], labels[main + 1 :], strict=True))
    if head is None and not related(clauses[main]) and _denies_subject(rest, subject):
        return Decision(Basis.NEGATION, main)
    basis = _qualify(head, rest)
    if majority and basis is Basis.MOSTLY:
        return Decision(Basis.AFFIRMATION, main)
    return Decision(basis, main)


def _denies_subject(rest: list[tuple[Clause, Cue | None]], subject: frozenset[str]) -> bool:
    return any(
        label is Cue.NEGATION and any(word in clause.text for word in subject)
        for clause, label in rest
    )


def _effective(label: Cue | None, na_allowed: bool) -> Cue | None:
    if label is Cue.NOT_APPLICABLE_WEAK:
        return Cue.NOT_APPLICABLE if na_allowed else Cue.NEGATION
    return label


def _main_clause(clauses: Sequence[Clause], labels: list[Cue | None]) -> int | None:
    """The first clause with a cue, unless a clause with content but no cue comes first."""
    for index, (clause, label) in enumerate(zip(clauses, labels, strict=True)):
        if label is not None or (_substantive(clause.text) and not clause.question):
            return index
    return None


def _substantive(text: str) -> bool:
    rest = _FILLER.sub(" ", text)
    return len(_HAN.findall(rest)) >= 2 or len(_LATIN_WORD.findall(rest)) >= 2


def _qualify(head: Cue | None, rest: list[tuple[Clause, Cue | None]]) -> Basis:
    later = {label for _, label in rest if label is not None}
    if head in (Cue.NEGATION, Cue.INTENT):
        granted = any(c.concession and label in (Cue.AFFIRMATION, Cue.MOSTLY) for c, label in rest)
        return Basis.MIXED if granted else Basis.NEGATION
    if head in (Cue.LIMITED, Cue.MINOR, Cue.SOME):
        return Basis.LIMITED
    if head is Cue.MOSTLY:
        return Basis.MOSTLY
    if head is Cue.SOFT_NEGATION:
        return Basis.MOSTLY if Cue.MOSTLY in later else Basis.MIXED
    if later & _RESERVATIONS:
        return Basis.MIXED  # a real reservation outweighs a "mostly" about something else
    if Cue.MOSTLY in later:
        return Basis.MOSTLY
    if later & _EXCEPTIONS:
        return Basis.EXCEPTION
    if head is Cue.DOUBLE_NEGATION:
        return Basis.DOUBLE_NEGATION
    if head is None and not later & _POSITIVE:
        return Basis.DESCRIPTION
    return Basis.AFFIRMATION
