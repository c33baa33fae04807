"""Is a finding's evidence sufficient? (DESIGN §4–5: count, freshness, operating time.)

Evidence is matched to requirements, not counted by kind: one item counts for at most one
direct requirement of an indicator. Each requirement asks for ``min_count`` *slots*; when it
states ``operating_months``, one of its slots needs an item that shows that much operation.
A maximum bipartite matching of slots to items (augmenting paths, slots in requirement order,
items in the order given, so the result is deterministic) decides:

* every slot filled by an item that qualifies (its kind, within the maximum age, in force,
  showing the operating time where the slot asks for it) → sufficient;
* otherwise, when a matching that ignores age and expiry fills every slot, the gap is *stale*,
  else *missing*. Both decisions depend only on the maximum matching's size, so the order in
  which the items come never changes them; a requirement's own outcome says which of its slots
  stayed open in the deterministic matching.

Policies, certificates and contracts count while in force: no maximum age applies, and an item
whose ``valid_until`` date has passed does not count (stale). Interview records and on-site
observations (``interview``, ``observation``) are never satisfied by an applicant's upload: only
an assessor's confirmation of the finding stands in for them (the engine's ``CONFIRMED``), or,
in the assessor-confirmed reading (``assistant.assessment.signoff``), an item the assessor
verified (``EvidenceItem.assessor_verified``: the interview and observation records they wrote).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.knowledge.schema import EvidenceClass, EvidenceRequirement, Indicator
from assistant.rating.models import EvidenceGap, EvidenceItem, EvidenceOutcome

__all__ = [
    "EvidenceCheck",
    "RequirementCheck",
    "check_evidence",
    "gap_of",
    "is_fresh",
    "match_evidence",
    "months_between",
]


@dataclass(frozen=True)
class EvidenceCheck:
    outcome: EvidenceOutcome
    gaps: tuple[EvidenceGap, ...] = ()  # one per unmet requirement


@dataclass(frozen=True)
class RequirementCheck:
    """One direct requirement, the items shown against it and its outcome."""

    requirement: EvidenceRequirement
    outcome: EvidenceOutcome  # SUFFICIENT, MISSING or STALE
    counted: tuple[int, ...]  # indices (into the items given) matched to this requirement
    shown: tuple[int, ...]  # counted, plus items of its kind that no requirement could use


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``start`` is later)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day and months > 0 else months


def is_fresh(item: EvidenceItem, requirement: EvidenceRequirement, as_of: date) -> bool:
    """Within the requirement's maximum age, and (for in-force kinds) not past its expiry."""
    if item.valid_until is not None and item.valid_until < as_of:
        return False
    if requirement.max_age_months is None:
        return True
    return (
        item.dated is not None and months_between(item.dated, as_of) <= requirement.max_age_months
    )


@dataclass(frozen=True)
class _Slot:
    requirement: int  # index into the direct requirements
    operating: bool  # needs an item showing the requirement's operating time


def _slots(direct: tuple[EvidenceRequirement, ...]) -> list[_Slot]:
    slots = []
    for index, requirement in enumerate(direct):
        operating = requirement.operating_months is not None
        slots.append(_Slot(index, operating))
        slots.extend(_Slot(index, False) for _ in range(requirement.min_count - 1))
    return slots


def _usable(item: EvidenceItem, requirement: EvidenceRequirement, slot: _Slot) -> bool:
    """Could count, age and expiry aside: same kind, an upload may satisfy it (an interview
    or observation only when an assessor verified the item), long enough."""
    if item.kind is not requirement.kind:
        return False
    if requirement.assessor_only and not item.assessor_verified:
        return False
    months = requirement.operating_months
    return not (slot.operating and months is not None and (item.covers_months or 0) < months)


def _augment(
    slot: int,
    edges: list[list[int]],
    owner: dict[int, int],
    seen: set[int],
) -> bool:
    for item in edges[slot]:  # a free item first: no file moves without need
        if item not in owner:
            owner[item] = slot
            return True
    for item in edges[slot]:
        if item in seen:
            continue
        seen.add(item)
        if _augment(owner[item], edges, owner, seen):
            owner[item] = slot
            return True
    return False


def _match(slots: list[int], edges: list[list[int]], owner: dict[int, int]) -> None:
    for slot in slots:
        _augment(slot, edges, owner, set())


def match_evidence(
    indicator: Indicator, items: tuple[EvidenceItem, ...], as_of: date
) -> tuple[RequirementCheck, ...]:
    """One check per *direct* requirement of ``indicator``, in catalog order."""
    direct = tuple(r for r in indicator.evidence if r.evidence_class is EvidenceClass.DIRECT)
    slots = _slots(direct)
    usable = [
        [i for i, item in enumerate(items) if _usable(item, direct[s.requirement], s)]
        for s in slots
    ]
    qualifying = [
        [i for i in usable[n] if is_fresh(items[i], direct[s.requirement], as_of)]
        for n, s in enumerate(slots)
    ]
    strict: dict[int, int] = {}  # item index -> slot index
    _match(list(range(len(slots))), qualifying, strict)
    filled = set(strict.values())
    # Age and expiry aside, could the items fill every slot? Augmenting the strict matching
    # keeps its slots filled and reaches a maximum matching: stale rather than missing.
    lenient = dict(strict)
    _match([n for n in range(len(slots)) if n not in filled], usable, lenient)
    refilled = set(lenient.values())
    complete = {
        index
        for index in range(len(direct))
        if all(n in filled for n, s in enumerate(slots) if s.requirement == index)
    }
    used = {i for i, n in strict.items() if slots[n].requirement in complete}
    checks: list[tuple[EvidenceRequirement, EvidenceOutcome, tuple[int, ...]]] = []
    for index, requirement in enumerate(direct):
        if index in complete:
            outcome = EvidenceOutcome.SUFFICIENT
            counted = tuple(sorted(i for i, n in strict.items() if slots[n].requirement == index))
        else:
            own = [n for n, s in enumerate(slots) if s.requirement == index]
            missing = not all(n in refilled for n in own)
            outcome = EvidenceOutcome.MISSING if missing else EvidenceOutcome.STALE
            counted = tuple(
                sorted(
                    i for i, n in lenient.items() if slots[n].requirement == index and i not in used
                )
            )
        checks.append((requirement, outcome, counted))
    used.update(i for _, _, counted in checks for i in counted)
    shown: dict[int, list[int]] = {index: [] for index in range(len(direct))}
    for i in range(len(items)):  # unused items of a kind: shown on its first unmet requirement
        if i in used:
            continue
        same = [n for n, r in enumerate(direct) if r.kind is items[i].kind]
        unmet = [n for n in same if checks[n][1] is not EvidenceOutcome.SUFFICIENT]
        if same:
            shown[(unmet or same)[0]].append(i)
    return tuple(
        RequirementCheck(
            requirement=requirement,
            outcome=outcome,
            counted=counted,
            shown=tuple(sorted({*counted, *shown[index]})),
        )
        for index, (requirement, outcome, counted) in enumerate(checks)
    )


def gap_of(
    index: int, check: RequirementCheck, items: tuple[EvidenceItem, ...], as_of: date
) -> EvidenceGap:
    """The facts of one requirement's shortfall: what it asks, what is there, how recent."""
    requirement = check.requirement
    shown = [items[i] for i in check.shown]
    return EvidenceGap(
        requirement=index,
        kind=requirement.kind,
        outcome=check.outcome,
        min_count=requirement.min_count,
        have=len(shown),
        fresh=sum(is_fresh(item, requirement, as_of) for item in shown),
        max_age_months=requirement.max_age_months,
        operating_months=requirement.operating_months,
        shows_months=max((item.covers_months or 0 for item in shown), default=0),
    )


def check_evidence(
    indicator: Indicator, items: tuple[EvidenceItem, ...], as_of: date
) -> EvidenceCheck:
    """Check every *direct* requirement; the worst gap decides (missing before stale)."""
    gaps = tuple(
        gap_of(index, check, items, as_of)
        for index, check in enumerate(match_evidence(indicator, items, as_of))
        if check.outcome is not EvidenceOutcome.SUFFICIENT
    )
    if not gaps:
        return EvidenceCheck(EvidenceOutcome.SUFFICIENT)
    missing = any(gap.outcome is EvidenceOutcome.MISSING for gap in gaps)
    worst = EvidenceOutcome.MISSING if missing else EvidenceOutcome.STALE
    return EvidenceCheck(worst, gaps)
